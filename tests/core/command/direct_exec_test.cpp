// direct_exec_test.cpp: a shell command that needs no shell, run directly,
// does what `/bin/sh -c` did with it. CommandBuilder with DirectExec makes
// the requests, and LocalSpawner runs them, as in wgrun.
//
// The cross-check's corpus is every quoted string of the end-to-end tests
// (tests/e2e/*.sh), each also taken as a template with a few awkward values,
// plus a list of its own: for each command the analysis accepts, the old
// request (`/bin/sh -c COMMAND`) and the new one (the words, the shell as a
// fallback) run in a fresh sandbox directory of the same name, and their
// stdout, stderr and exit status must be the same.
#include "command/command_builder.hpp"
#include "command/shell_syntax.hpp"
#include "exec/spawner.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/output_test_support.hpp"

extern char** environ;

namespace {

using wgrun::BuiltCommand;
using wgrun::CommandBuilder;
using wgrun::CommandTemplate;
using wgrun::DirectExec;
using wgrun::JobInput;
using wgrun::LocalSpawner;
using wgrun::SpawnRequest;
using Words = std::vector<std::string>;
namespace fs = std::filesystem;

struct Outcome {
    std::string out;
    std::string err;
    int status = -1;  // the wait status; -1: did not end in time
    bool operator==(const Outcome&) const = default;
};

std::string describe(const Outcome& o) {
    return "status " + std::to_string(o.status) + ", stdout [" + o.out + "], stderr [" + o.err +
           "]";
}

void PrintTo(const Outcome& o, std::ostream* os) { *os << describe(o); }

// Runs `request` to its end (10 s at most), collecting both streams.
Outcome run(LocalSpawner& spawner, const SpawnRequest& request) {
    Outcome outcome;
    const wgrun::SpawnedJob job = spawner.spawn(request);
    pollfd fds[2] = {{job.stdout_fd, POLLIN, 0}, {job.stderr_fd, POLLIN, 0}};
    std::string* into[2] = {&outcome.out, &outcome.err};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int open = 2;
    bool late = false;
    while (open > 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-job.pid, SIGKILL);
            late = true;
            break;
        }
        if (::poll(fds, 2, 100) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buffer[4096];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                into[i]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EAGAIN) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (const pollfd& p : fds) {
        if (p.fd >= 0) ::close(p.fd);
    }
    int status = 0;
    while (::waitpid(job.pid, &status, 0) < 0 && errno == EINTR) {
    }
    outcome.status = late ? -1 : status;
    return outcome;
}

// A fresh sandbox at `path`: a few files for commands to find, list, read.
void make_sandbox(const std::string& path) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
    fs::create_directories(path + "/sub");
    std::ofstream(path + "/a.txt") << "a\nb\n";
    std::ofstream(path + "/blob") << "blob\n";
    std::ofstream(path + "/sub/c") << "c\n";
    std::ofstream(path + "/script") << "#!/bin/sh\necho script \"$@\"\n";
    std::ofstream(path + "/noshebang") << "echo no shebang \"$@\"\n";
    std::ofstream(path + "/noexec") << "#!/bin/sh\necho never\n";
    ::chmod((path + "/script").c_str(), 0755);
    ::chmod((path + "/noshebang").c_str(), 0755);
    ::chmod((path + "/noexec").c_str(), 0644);
}

// True when PATH has a program `name` (or it names a file): most of the
// corpus's strings are test titles and messages, whose first word is no
// program; running them would only say "not found" a thousand times (the
// list of the test's own has such commands).
bool found(const std::string& name) {
    if (name.find('/') != std::string::npos) return true;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (::access(((dir.empty() ? "." : dir) + "/" + name).c_str(), X_OK) == 0) return true;
    }
    return false;
}

// Programs the cross-check does not run: they wait, or signal, or leave the
// sandbox.
bool avoided(const std::string& program) {
    static const std::set<std::string> kAvoid = {
        "sleep", "yes",   "kill", "pkill", "killall", "timeout", "wgrun", "parallel",
        "xargs", "setsid", "nohup", "reboot", "shutdown", "halt",  "poweroff",
    };
    const std::string base = program.substr(program.rfind('/') + 1);
    const bool elsewhere = program.starts_with("/") && !program.starts_with("/bin/") &&
                           !program.starts_with("/usr/bin/") &&
                           !program.starts_with("/nonexistent/");
    return kAvoid.contains(base) || elsewhere;
}

// Every '...' and "..." on one line of the end-to-end tests.
std::set<std::string> e2e_strings() {
    std::set<std::string> found;
    const std::regex quoted(R"re('([^'\n]*)'|"([^"\n]*)")re");
    for (const auto& entry : fs::directory_iterator("tests/e2e")) {
        if (entry.path().extension() != ".sh") continue;
        std::ifstream file(entry.path());
        std::stringstream text;
        text << file.rdbuf();
        const std::string s = text.str();
        for (auto it = std::sregex_iterator(s.begin(), s.end(), quoted);
             it != std::sregex_iterator(); ++it) {
            found.insert((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
        }
    }
    return found;
}

// Commands of the test's own: quoting, fallbacks, PATH, the environment.
const Words kOwnCommands = {
    "ls",
    "ls -a sub",
    "ls /nonexistent",
    "grep -c a a.txt",
    "grep 'a b' a.txt",
    "head -n 1 a.txt",
    "wc -l a.txt blob",
    "printenv WGRUN_SEQ",
    "printenv PWD",
    "env",
    "/bin/echo -n a\\ b 'c d' \"e\\$f\" \"g\\h\"",
    "/bin/echo 'caf\xc3\xa9' '\x81\x82\x88\x8a' 'it'\\''s'",
    "./script 1 '2 3'",
    "./noshebang x",
    "./noexec",
    "sub",
    "./sub",
    "nonexistent-program-4b1e arg",
    "/nonexistent/program",
    "tr a-z A-Z",
    "sh -c 'echo $0 $1' zero one",
    "test_no_such_builtin",
    "stat -c %n a.txt",
    "expr 1 + 2",
    "expr 1 / 0",
    "basename /a/b.c .c",
    "seq 3",
    "/usr/bin/true",
    "/bin/false",
    "realpath .",
    "id -u",
};

// The values a template's {} gets in the cross-check.
const Words kValues = {"a.txt", "a b", "it's", "$(echo injected)", "*", "-n", ""};

// The lines of `text`, sorted: for the commands that print the environment,
// whose order sh does not keep (dash passes it in its own hash order).
std::string sorted_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

// The corpus through `SHELL -c` and directly, alike (see the top).
void corpus_runs_alike(const std::string& shell) {
    ASSERT_TRUE(fs::is_directory("tests/e2e")) << "run from the source tree's root";
    const std::set<std::string> own(kOwnCommands.begin(), kOwnCommands.end());
    std::set<std::string> commands = own;
    for (const std::string& text : e2e_strings()) {
        commands.insert(text);
        try {
            const CommandTemplate t = CommandTemplate::parse(text);
            if (!t.has_replacement()) continue;
            for (const std::string& value : kValues) {
                commands.insert(t.expand(std::vector<std::string>{value}, 1, 1));
            }
        } catch (const std::exception&) {
        }
    }

    wgrun::test::TempDir temp;
    const std::string box = temp.path() + "/box";
    const fs::path home = fs::current_path();
    // Back home however the test ends (an ASSERT returns from inside the loop).
    struct GoHome {
        fs::path dir;
        ~GoHome() { fs::current_path(dir); }
    } go_home{home};
    sigset_t mask;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    LocalSpawner spawner(mask);
    DirectExec shell_alone;
    shell_alone.shell = shell;
    const CommandBuilder shell_only(CommandTemplate(), true, shell_alone);
    std::size_t compared = 0;
    std::size_t direct = 0;
    for (const std::string& command : commands) {
        const auto words = wgrun::plain_command_words(command);
        if (!words || avoided(words->front())) continue;
        if (!found(words->front()) && !own.contains(command)) continue;
        make_sandbox(box);
        fs::current_path(box);
        // Made here, in the sandbox: wgrun's PWD is now stale, as sh would find it.
        const CommandBuilder builder(CommandTemplate(), true, DirectExec::here(shell));
        const JobInput input{1, {command}};
        const BuiltCommand old_way = shell_only.build(input, 1);
        const BuiltCommand new_way = builder.build(input, 1);
        ASSERT_FALSE(new_way.request.shell_argv.empty()) << command;
        ASSERT_EQ(new_way.request.argv, *words);
        EXPECT_EQ(new_way.request.shell_argv, old_way.request.argv);
        EXPECT_EQ(new_way.display, old_way.display);
        Outcome by_shell = run(spawner, old_way.request);
        make_sandbox(box);
        fs::current_path(box);  // the new one
        Outcome by_exec = run(spawner, new_way.request);
        fs::current_path(home);
        if (words->front() == "env" || (words->front() == "printenv" && words->size() == 1)) {
            by_shell.out = sorted_lines(by_shell.out);
            by_exec.out = sorted_lines(by_exec.out);
        }
        EXPECT_EQ(by_exec, by_shell) << "command: " << command;
        ++compared;
        direct += by_exec.status == 0 ? 1 : 0;
    }
    std::printf("%s: %zu commands of %zu compared (%zu of them exit 0)\n", shell.c_str(),
                compared, commands.size(), direct);
    EXPECT_GT(compared, 100U);
}

TEST(DirectExec, TheCorpusRunsAlikeThroughTheShellAndDirectly) { corpus_runs_alike("/bin/sh"); }

// Under bash (jobs started from bash run under it): SHLVL, `_` and PWD as
// bash exports them to a command it execs.
TEST(DirectExec, TheCorpusRunsAlikeThroughBashAndDirectly) {
    // bash passes exported functions on re-written: not what is compared.
    std::vector<std::pair<std::string, std::string>> functions;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        if (entry.starts_with("BASH_FUNC_")) {
            const std::size_t equals = entry.find('=');
            functions.emplace_back(entry.substr(0, equals), entry.substr(equals + 1));
        }
    }
    for (const auto& f : functions) ::unsetenv(f.first.c_str());
    corpus_runs_alike("/bin/bash");
    for (const auto& f : functions) ::setenv(f.first.c_str(), f.second.c_str(), 1);
}

// Under bash, true, false and echo lines run under dash where its builtins
// do what bash's would; else bash runs them. Alike either way.
TEST(DirectExec, TrueFalseAndEchoRunUnderDashOnlyWhereAlike) {
    const std::vector<std::pair<std::string, bool>> commands = {
        {"true", true},           {"true 1 2", true},          {"true --help", true},
        {"false", true},          {"false x", true},           {"false --version", true},
        {"echo", true},           {"echo a b", true},          {"echo 'a  b' c", true},
        {"echo a -n", true},      {"echo -n a", false},        {"echo -e a", false},
        {"echo 'a\\nb'", false}, {"echo --help", false},     {"echo a --help", true},
        {"echo -E a", false},
    };
    sigset_t mask;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    LocalSpawner spawner(mask);
    DirectExec alone;
    alone.shell = "/bin/bash";
    const CommandBuilder bash_only(CommandTemplate(), true, alone);
    const DirectExec direct = DirectExec::here("/bin/bash");
    ASSERT_EQ(direct.builtin_shell, "/bin/sh");
    const CommandBuilder builder(CommandTemplate(), true, direct);
    for (const auto& [command, by_dash] : commands) {
        const JobInput input{1, {command}};
        const BuiltCommand built = builder.build(input, 1);
        EXPECT_EQ(built.request.argv.front() == "/bin/sh", by_dash) << command;
        EXPECT_EQ(run(spawner, built.request), run(spawner, bash_only.build(input, 1).request))
            << command;
    }
    EXPECT_TRUE(DirectExec::here("/bin/sh").builtin_shell.empty());
}

TEST(DirectExec, APlainCommandIsItsWordsWithTheShellBeside) {
    DirectExec here;
    here.enabled = true;
    const CommandBuilder builder(CommandTemplate::parse("gzip -9 {}"), true, here);
    const BuiltCommand built = builder.build(JobInput{1, {"a b.txt"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"gzip", "-9", "a b.txt"}));
    EXPECT_EQ(built.request.shell_argv, (Words{"/bin/sh", "-c", "gzip -9 'a b.txt'"}));
    EXPECT_EQ(built.display, "gzip -9 'a b.txt'");
}

TEST(DirectExec, AValueNeverAddsShellSyntax) {
    DirectExec here;
    here.enabled = true;
    const CommandBuilder builder(CommandTemplate::parse("grep x {}"), true, here);
    for (const std::string value : {"$(id)", "a;b", "*", "~", "it's", "a\nb", "`id`", "> f"}) {
        const BuiltCommand built = builder.build(JobInput{1, {value}}, 1);
        EXPECT_EQ(built.request.argv, (Words{"grep", "x", value})) << value;
    }
}

TEST(DirectExec, ShellSyntaxAndBuiltinsStayWithTheShell) {
    DirectExec here;
    here.enabled = true;
    const CommandBuilder builder(CommandTemplate(), true, here);
    for (const std::string command : {"echo a", "ls | wc", "ls $HOME", "true", "A=1 env"}) {
        const BuiltCommand built = builder.build(JobInput{1, {command}}, 1);
        EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", command}));
        EXPECT_TRUE(built.request.shell_argv.empty());
    }
}

TEST(DirectExec, OffByDefaultAndWhenTheEnvironmentIsNotPlain) {
    const CommandBuilder builder(CommandTemplate(), true);
    EXPECT_EQ(builder.build(JobInput{1, {"ls"}}, 1).request.argv, (Words{"/bin/sh", "-c", "ls"}));
    DirectExec off;  // what DirectExec::here() gives with BASH_FUNC_f%% in the environment
    const CommandBuilder also(CommandTemplate(), true, off);
    EXPECT_EQ(also.build(JobInput{1, {"ls"}}, 1).request.argv, (Words{"/bin/sh", "-c", "ls"}));
}

TEST(DirectExec, ThePwdShWouldExportGoesWithTheDirectRequestOnly) {
    DirectExec here;
    here.enabled = true;
    here.pwd_entry = "PWD=/some/where";
    const CommandBuilder builder(CommandTemplate(), true, here);
    const Words direct_env = builder.build(JobInput{1, {"ls"}}, 1).request.env;
    EXPECT_NE(std::find(direct_env.begin(), direct_env.end(), "PWD=/some/where"), direct_env.end());
    const Words shell_env = builder.build(JobInput{1, {"ls | wc"}}, 1).request.env;
    EXPECT_EQ(std::find(shell_env.begin(), shell_env.end(), "PWD=/some/where"), shell_env.end());
}

TEST(DirectExec, HereLeavesEverythingToTheShellWithoutPath) {
    const char* path = std::getenv("PATH");
    ASSERT_NE(path, nullptr);
    const std::string saved = path;
    ::unsetenv("PATH");
    const DirectExec without = DirectExec::here();
    ::setenv("PATH", saved.c_str(), 1);
    EXPECT_FALSE(without.enabled);
    EXPECT_TRUE(DirectExec::here().enabled);
}

TEST(DirectExec, HereKeepsAPwdThatNamesTheCurrentDirectory) {
    wgrun::test::TempDir temp;
    const fs::path home = fs::current_path();
    const char* old_pwd = std::getenv("PWD");
    const std::string saved = old_pwd != nullptr ? old_pwd : "";
    fs::current_path(temp.path());
    ::setenv("PWD", temp.path().c_str(), 1);
    const DirectExec right = DirectExec::here();
    ::setenv("PWD", "/", 1);
    const DirectExec wrong = DirectExec::here();
    fs::current_path(home);
    if (old_pwd != nullptr) {
        ::setenv("PWD", saved.c_str(), 1);
    } else {
        ::unsetenv("PWD");
    }
    EXPECT_TRUE(right.enabled);
    EXPECT_EQ(right.pwd_entry, "");
    EXPECT_TRUE(wrong.enabled);
    EXPECT_EQ(wrong.pwd_entry, "PWD=" + fs::canonical(temp.path()).string());
}

}  // namespace
