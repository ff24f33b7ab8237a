// job_start_test.cpp: what bash makes of the environment for a command it
// execs (bash_environment), which plain commands still run directly under
// bash (exported functions go to bash), and the request CommandBuilder
// makes with a shell, a JobSetup (--nice, --workdir, --tty, --env).
#include "command/command_builder.hpp"
#include "command/shell_syntax.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using wgrun::bash_environment;
using wgrun::BuiltCommand;
using wgrun::CommandBuilder;
using wgrun::CommandTemplate;
using wgrun::DirectExec;
using wgrun::JobInput;
using wgrun::JobSetup;
using wgrun::ShellKind;
using Words = std::vector<std::string>;

// bash_environment() over a list of entries.
bool bash_env(std::vector<const char*> entries, DirectExec& direct) {
    entries.push_back(nullptr);
    return bash_environment(entries.data(), direct);
}

bool has(const Words& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(BashEnvironment, ExportedFunctionsAreNamedAndSorted) {
    DirectExec direct;
    ASSERT_TRUE(bash_env({"PATH=/bin", "BASH_FUNC_ls%%=() {  echo fn\n}",
                          "BASH_FUNC_my_func%%=() { true; }", "a-b=1"},
                         direct));
    EXPECT_EQ(direct.functions, (Words{"ls", "my_func"}));
}

TEST(BashEnvironment, TheLevelIsWhatBashExportsToACommandItExecs) {
    const std::vector<std::pair<const char*, std::string>> cases = {
        {nullptr, "SHLVL=0"},      {"SHLVL=4", "SHLVL=4"},    {"SHLVL=-3", "SHLVL=0"},
        {"SHLVL=abc", "SHLVL=0"},  {"SHLVL=", "SHLVL=0"},      {"SHLVL= 5", "SHLVL=5"},
        {"SHLVL=007", "SHLVL=7"},  {"SHLVL=+3", "SHLVL=3"},    {"SHLVL=998", "SHLVL=998"},
    };
    for (const auto& [entry, want] : cases) {
        DirectExec direct;
        std::vector<const char*> env{"PATH=/bin"};
        if (entry != nullptr) env.push_back(entry);
        ASSERT_TRUE(bash_env(env, direct)) << (entry ? entry : "(unset)");
        EXPECT_EQ(direct.shlvl_entry, want) << (entry ? entry : "(unset)");
    }
    DirectExec direct;
    EXPECT_FALSE(bash_env({"SHLVL=999"}, direct));  // bash warns "too high"
}

TEST(BashEnvironment, WhatBashWouldActOnLeavesEverythingToIt) {
    for (const char* entry : {"BASH_ENV=/etc/x", "SHELLOPTS=xtrace", "BASHOPTS=extglob",
                              "EXECIGNORE=*", "NOEQUALS", "BASH_FUNC_f%%=not a function",
                              "OLDPWD=/no/such/dir"}) {
        DirectExec direct;
        EXPECT_FALSE(bash_env({"PATH=/bin", entry}, direct)) << entry;
    }
    DirectExec direct;
    EXPECT_TRUE(bash_env({"PATH=/bin", "OLDPWD=/"}, direct));
}

TEST(RunsDirectly, UnderBashAFunctionOrAJobSpecGoesToBash) {
    DirectExec direct;
    direct.kind = ShellKind::Bash;
    direct.functions = {"ls", "my_func"};
    EXPECT_FALSE(direct.runs_directly("ls"));
    EXPECT_FALSE(direct.runs_directly("my_func"));
    EXPECT_FALSE(direct.runs_directly("%1"));
    EXPECT_TRUE(direct.runs_directly("gzip"));
    direct.kind = ShellKind::Dash;
    EXPECT_TRUE(direct.runs_directly("%1"));
    EXPECT_FALSE(direct.runs_directly("ls"));  // --env ls, defined for dash
}

TEST(ShellKind, DashBashAndTheRest) {
    EXPECT_EQ(wgrun::shell_kind("/bin/sh"), ShellKind::Dash);  // Debian: dash
    EXPECT_EQ(wgrun::shell_kind("/bin/bash"), ShellKind::Bash);
    EXPECT_EQ(wgrun::shell_kind("bash"), ShellKind::Bash);  // looked up in PATH
    EXPECT_EQ(wgrun::shell_kind("/no/such/shell"), ShellKind::Other);
    EXPECT_EQ(wgrun::shell_kind("/usr/bin/perl"), ShellKind::Other);
}

DirectExec bash_direct() {
    DirectExec direct;
    direct.shell = "/usr/bin/bash";
    direct.kind = ShellKind::Bash;
    direct.enabled = true;
    direct.functions = {"my_func"};
    direct.shlvl_entry = "SHLVL=2";
    return direct;
}

TEST(CommandBuilderShell, ShellCommandsRunUnderTheChosenShell) {
    const CommandBuilder builder(CommandTemplate::parse("echo {} | wc"), true, bash_direct());
    const BuiltCommand built = builder.build(JobInput{1, {"a"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"/usr/bin/bash", "-c", "echo a | wc"}));
    EXPECT_TRUE(built.request.shell_argv.empty());
    EXPECT_FALSE(has(built.request.env, "SHLVL=2"));  // bash sets its own
}

TEST(CommandBuilderShell, APlainCommandRunsDirectlyWithBashsLevelAndUnderscore) {
    const CommandBuilder builder(CommandTemplate::parse("gzip {}"), true, bash_direct());
    const BuiltCommand built = builder.build(JobInput{1, {"a b"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"gzip", "a b"}));
    EXPECT_EQ(built.request.shell_argv, (Words{"/usr/bin/bash", "-c", "gzip 'a b'"}));
    EXPECT_TRUE(built.request.program_path_var);
    EXPECT_TRUE(has(built.request.env, "SHLVL=2"));
}

TEST(CommandBuilderShell, AnExportedFunctionIsNeverRunAsAProgram) {
    const CommandBuilder builder(CommandTemplate::parse("my_func {}"), true, bash_direct());
    const BuiltCommand built = builder.build(JobInput{1, {"1"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"/usr/bin/bash", "-c", "my_func 1"}));
    EXPECT_TRUE(built.request.shell_argv.empty());
}

TEST(CommandBuilderShell, UnderBashTrueAndEchoRunUnderDashUnlessAFunctionHasTheirName) {
    DirectExec direct = bash_direct();
    direct.builtin_shell = "/bin/sh";
    const CommandBuilder builder(CommandTemplate::parse("echo {}"), true, direct);
    BuiltCommand built = builder.build(JobInput{1, {"a"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", "echo a"}));
    EXPECT_TRUE(built.request.shell_argv.empty());
    built = builder.build(JobInput{1, {"-e"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"/usr/bin/bash", "-c", "echo -e"}));
    direct.functions = {"echo"};
    const CommandBuilder shadowed(CommandTemplate::parse("echo {}"), true, direct);
    EXPECT_EQ(shadowed.build(JobInput{1, {"a"}}, 1).request.argv,
              (Words{"/usr/bin/bash", "-c", "echo a"}));
}

TEST(BuiltinAlikeInDash, OnlyWhereDashDoesWhatBashWould) {
    using wgrun::builtin_alike_in_dash;
    EXPECT_TRUE(builtin_alike_in_dash({"true", "1"}));
    EXPECT_TRUE(builtin_alike_in_dash({"false", "--help"}));
    EXPECT_TRUE(builtin_alike_in_dash({"echo", "a", "-n"}));
    EXPECT_TRUE(builtin_alike_in_dash({"echo"}));
    EXPECT_FALSE(builtin_alike_in_dash({"echo", "-n", "a"}));
    EXPECT_FALSE(builtin_alike_in_dash({"echo", "a\\tb"}));
    EXPECT_FALSE(builtin_alike_in_dash({"printf", "a"}));
    EXPECT_FALSE(builtin_alike_in_dash({"pwd"}));
}

TEST(CommandBuilderSetup, NiceTtyAndWorkdirGoInEveryRequest) {
    CommandBuilder builder(CommandTemplate::parse("ls {}"), true, bash_direct());
    JobSetup setup;
    setup.nice = 7;
    setup.tty = true;
    setup.workdir = "/some/dir";
    builder.set_setup(setup);
    for (const std::string value : {"x", "a;b"}) {  // direct, then through bash
        const BuiltCommand built = builder.build(JobInput{3, {value}}, 1);
        EXPECT_EQ(built.request.nice, 7);
        EXPECT_TRUE(built.request.tty);
        EXPECT_EQ(built.request.workdir, "/some/dir");
        EXPECT_FALSE(built.request.make_workdir);
        EXPECT_TRUE(has(built.request.env, "PWD=/some/dir")) << value;
    }
}

TEST(CommandBuilderSetup, TempWorkdirsGiveEachJobAFreshFolderOfItsOwn) {
    CommandBuilder builder(CommandTemplate::parse("ls"), true);
    JobSetup setup;
    setup.temp_workdirs = "/tmp/wgrun-wd.abc";
    builder.set_setup(setup);
    const BuiltCommand built = builder.build(JobInput{12, {}}, 1);
    EXPECT_EQ(built.request.workdir, "/tmp/wgrun-wd.abc/12");
    EXPECT_TRUE(built.request.make_workdir);
    EXPECT_FALSE(built.request.nice.has_value());
}

// --workdir DIR with replacement strings: each job's own, relative to the
// starting directory, made when missing (mkdir -p) unless --dry-run.
TEST(CommandBuilderSetup, AWorkdirWithReplacementStringsIsEachJobsOwn) {
    wgrun::test::TempDir dir;
    CommandBuilder builder(CommandTemplate::parse("ls {}"), true);
    JobSetup setup;
    setup.workdir_template = std::make_shared<const CommandTemplate>(
        CommandTemplate::parse("out/{#}/{//}"));
    setup.workdir_base = dir.path();
    builder.set_setup(setup);
    BuiltCommand built = builder.build(JobInput{4, {"sub/f.txt"}}, 1);
    EXPECT_EQ(built.request.workdir, dir.path() + "/out/4/sub");
    EXPECT_TRUE(has(built.request.env, "PWD=" + dir.path() + "/out/4/sub"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/out")) << "made under --dry-run";

    setup.make_workdirs = true;
    builder.set_setup(setup);
    built = builder.build(JobInput{5, {"/abs/f.txt"}}, 1);
    EXPECT_EQ(built.request.workdir, dir.path() + "/out/5//abs");
    EXPECT_TRUE(std::filesystem::is_directory(dir.path() + "/out/5/abs"));

    // An absolute DIR stays; one that cannot be made fails that job.
    setup.workdir_template = std::make_shared<const CommandTemplate>(
        CommandTemplate::parse(dir.path() + "/file/{}"));
    builder.set_setup(setup);
    { std::ofstream(dir.path() + "/file") << ""; }
    try {
        builder.build(JobInput{6, {"x"}}, 1);
        ADD_FAILURE() << "no error for a directory under a file";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--workdir '" + dir.path() +
                                                  "/file/x': cannot make it or enter it: ",
                                              0),
                  0u)
            << e.what();
    }
}

TEST(CommandBuilderSetup, ThePreludeGoesBeforeShellCommandsAndIsNeverShown) {
    DirectExec dash;
    dash.enabled = true;
    dash.functions = {"f"};  // what --env f adds
    JobSetup setup;
    setup.prelude = "f() { echo $1; };\nexport -f f 2> /dev/null;\n";
    CommandBuilder with(CommandTemplate::parse("f {}"), true, dash);
    with.set_setup(setup);
    BuiltCommand built = with.build(JobInput{1, {"x"}}, 1);
    EXPECT_EQ(built.display, "f x");
    EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", setup.prelude + "f x"}));
    EXPECT_TRUE(built.request.shell_argv.empty());
    // Another plain command still runs directly; its shell form has the prelude.
    CommandBuilder other(CommandTemplate::parse("ls {}"), true, dash);
    other.set_setup(setup);
    built = other.build(JobInput{1, {"x"}}, 1);
    EXPECT_EQ(built.request.argv, (Words{"ls", "x"}));
    EXPECT_EQ(built.request.shell_argv, (Words{"/bin/sh", "-c", setup.prelude + "ls x"}));
}

}  // namespace
