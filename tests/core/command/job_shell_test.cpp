// job_shell_test.cpp: GNU parallel's parent-shell rule (argv[0] names, the
// walk up the process tree) through a fake process table, and the choice of
// the jobs' shell.
#include "command/job_shell.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <map>
#include <string>
#include <vector>

namespace {

using wgrun::choose_shell;
using wgrun::parent_shell;
using wgrun::shell_named_by;
using wgrun::ShellFacts;

struct FakeProcess {
    std::string argv0;
    pid_t parent = 0;
    std::string exe;
};

class FakeProcesses : public wgrun::ProcessView {
public:
    std::map<pid_t, FakeProcess> table;
    mutable std::vector<pid_t> visited;

    std::optional<std::string> argv0(pid_t pid) const override {
        visited.push_back(pid);
        const auto hit = table.find(pid);
        if (hit == table.end()) return std::nullopt;
        return hit->second.argv0;
    }
    std::optional<pid_t> parent(pid_t pid) const override {
        const auto hit = table.find(pid);
        if (hit == table.end()) return std::nullopt;
        return hit->second.parent;
    }
    std::string exe(pid_t pid) const override {
        const auto hit = table.find(pid);
        return hit == table.end() ? "" : hit->second.exe;
    }
};

// PATH as a fake: /usr/bin has every shell but fish.
std::string fake_which(std::string_view name) {
    if (name == "fish") return "";
    return "/usr/bin/" + std::string(name);
}

std::string name_of(const std::string& argv0, bool* login = nullptr) {
    return shell_named_by(argv0, login).value_or("(none)");
}

TEST(ShellNamedBy, ReadsArgvZeroAsGnuParallelDoes) {
    EXPECT_EQ(name_of("bash"), "bash");
    EXPECT_EQ(name_of("/bin/bash"), "bash");
    EXPECT_EQ(name_of("/usr/local/bin/zsh"), "zsh");
    EXPECT_EQ(name_of("sh"), "sh");
    EXPECT_EQ(name_of("dash"), "dash");
    EXPECT_EQ(name_of("ksh93"), "ksh93");
    EXPECT_EQ(name_of("[bash]"), "bash");
    EXPECT_EQ(name_of("busybox sh"), "sh");
    EXPECT_EQ(name_of("bash  "), "bash");
    EXPECT_EQ(name_of("bash -x"), "bash");
    bool login = false;
    EXPECT_EQ(name_of("-bash", &login), "bash");
    EXPECT_TRUE(login);
    EXPECT_EQ(name_of("[-sh]", &login), "sh");
    EXPECT_TRUE(login);
    EXPECT_EQ(name_of("/bin/bash", &login), "bash");
    EXPECT_FALSE(login);
    EXPECT_EQ(name_of("-sh (sh)"), "sh");  // FreeBSD's login sh
}

TEST(ShellNamedBy, OtherProgramsAreNoShell) {
    for (const char* argv0 :
         {"", "sshd", "foo.sh", "crash", "flush", "ssh", "/usr/bin/perl", "timeout", "env",
          "bashful", "/bin/bash5", "bash (deleted)", "[bash", "python3", "make", "xargs",
          "bash\tx", "/bin/busybox sh"}) {
        EXPECT_FALSE(shell_named_by(argv0).has_value()) << argv0;
    }
}

TEST(ParentShell, WalksUpPastAnythingToTheFirstShell) {
    FakeProcesses procs;
    // wgrun <- timeout <- env <- nice <- xargs <- bash <- sshd <- init
    procs.table = {{50, {"wgrun", 40, ""}},         {40, {"timeout", 30, ""}},
                   {30, {"/usr/bin/env", 20, ""}},  {20, {"nice", 15, ""}},
                   {15, {"xargs", 10, ""}},         {10, {"/bin/bash", 5, "/usr/bin/bash"}},
                   {5, {"sshd: me@pts/0", 1, ""}},  {1, {"/sbin/init", 0, ""}}};
    // The path is the name looked up in PATH, not the process's own file.
    EXPECT_EQ(parent_shell(40, procs, fake_which), "/usr/bin/bash");
    EXPECT_EQ(procs.visited, (std::vector<pid_t>{40, 30, 20, 15, 10}));
}

TEST(ParentShell, TheNearestShellWins) {
    FakeProcesses procs;
    // make runs recipes under sh, started from an interactive bash.
    procs.table = {{40, {"/bin/sh", 30, "/usr/bin/dash"}},
                   {30, {"make", 20, ""}},
                   {20, {"-bash", 1, "/usr/bin/bash"}},
                   {1, {"/sbin/init", 0, ""}}};
    EXPECT_EQ(parent_shell(40, procs, fake_which), "/usr/bin/sh");
    EXPECT_EQ(parent_shell(30, procs, fake_which), "/usr/bin/bash");
}

TEST(ParentShell, NoShellAboveOrAnUnreadableProcessGivesNothing) {
    FakeProcesses procs;
    procs.table = {{40, {"python3", 30, ""}}, {30, {"systemd", 1, ""}}, {1, {"init", 0, ""}}};
    EXPECT_EQ(parent_shell(40, procs, fake_which), "");
    procs.table = {{40, {"python3", 30, ""}}};  // 30 cannot be read
    EXPECT_EQ(parent_shell(40, procs, fake_which), "");
    procs.table = {{40, {"fish", 1, "/opt/fish"}}};  // not in PATH
    EXPECT_EQ(parent_shell(40, procs, fake_which), "");
}

TEST(ParentShell, ALoopInTheTableEnds) {
    FakeProcesses procs;
    procs.table = {{40, {"a", 30, ""}}, {30, {"b", 40, ""}}};
    EXPECT_EQ(parent_shell(40, procs, fake_which), "");
}

TEST(ParentShell, ALoginShTakesItsOwnFileWhenThatIsAShell) {
    FakeProcesses procs;
    procs.table = {{40, {"-sh", 1, "/usr/bin/tcsh"}}};
    EXPECT_EQ(parent_shell(40, procs, fake_which), "/usr/bin/tcsh");
    procs.table = {{40, {"-sh", 1, "/opt/weird"}}};
    EXPECT_EQ(parent_shell(40, procs, fake_which), "/usr/bin/sh");
}

TEST(ParentShell, TheRealProcessTableFindsAShellOrNothingQuickly) {
    // Whatever runs the tests: the walk ends, and any answer is a shell's path.
    const std::string found = parent_shell(::getpid(), wgrun::ProcView(), wgrun::which);
    if (!found.empty()) {
        EXPECT_TRUE(shell_named_by(found).has_value()) << found;
    }
}

TEST(ChooseShell, OptionThenParallelShellThenBashFromTheParentOrShell) {
    ShellFacts facts;
    EXPECT_EQ(choose_shell(facts), "/bin/sh");
    facts.login_shell = "/usr/bin/zsh";
    EXPECT_EQ(choose_shell(facts), "/bin/sh");  // only bash is taken from there
    facts.login_shell = "/bin/bash";
    EXPECT_EQ(choose_shell(facts), "/bin/bash");
    facts.parent = "/usr/bin/dash";  // the parent shell comes first
    EXPECT_EQ(choose_shell(facts), "/bin/sh");
    facts.parent = "/usr/bin/bash";
    EXPECT_EQ(choose_shell(facts), "/usr/bin/bash");
    facts.parallel_shell = "/usr/bin/zsh";  // taken whatever it is
    EXPECT_EQ(choose_shell(facts), "/usr/bin/zsh");
    facts.option = "/bin/dash";
    EXPECT_EQ(choose_shell(facts), "/bin/dash");
}

}  // namespace
