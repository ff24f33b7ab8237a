// options_exec_test.cpp: --shell, --env, --nice, --wd/--workdir, --tty
// parsed from argument lists, and --env's text for a non-bash shell.
#include "options.hpp"
#include "exec_wiring.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::parse_args;
using wgrun::test::usage_error_of;

using wgrun::cli::Options;

TEST(ExecOptions, NoneGiven) {
    const Options o = options_of({"echo", ":::", "a"});
    EXPECT_EQ(o.exec.shell, "");
    EXPECT_TRUE(o.exec.env.empty());
    EXPECT_FALSE(o.exec.nice.has_value());
    EXPECT_EQ(o.exec.workdir, "");
    EXPECT_FALSE(o.exec.tty);
    EXPECT_FALSE(o.ungroup);
    EXPECT_EQ(o.jobs, "");
}

TEST(ExecOptions, Shell) {
    EXPECT_EQ(options_of({"--shell", "/bin/bash", "echo"}).exec.shell, "/bin/bash");
    EXPECT_EQ(options_of({"--shell=zsh", "echo"}).exec.shell, "zsh");
    EXPECT_NE(usage_error_of({"--shell", "", "echo"}).find("empty"), std::string::npos);
}

TEST(ExecOptions, EnvRepeatsAndTakesOneValueEach) {
    const Options o = options_of({"--env", "A", "--env", "B,C", "echo", ":::", "x"});
    EXPECT_EQ(o.exec.env, (std::vector<std::string>{"A", "B,C"}));
    EXPECT_EQ(o.command, (std::vector<std::string>{"echo"}));
    EXPECT_EQ(options_of({"--env", "_", "echo"}).exec.env, (std::vector<std::string>{"_"}));
}

TEST(ExecOptions, NiceIsAnInteger) {
    EXPECT_EQ(options_of({"--nice", "7", "echo"}).exec.nice, 7);
    EXPECT_EQ(options_of({"--nice", "-5", "echo"}).exec.nice, -5);
    EXPECT_EQ(options_of({"--nice=0", "echo"}).exec.nice, 0);
    EXPECT_NE(usage_error_of({"--nice", "x", "echo"}), "(no usage error)");
    EXPECT_NE(usage_error_of({"--nice", "1.5", "echo"}), "(no usage error)");
}

TEST(ExecOptions, WorkdirHasThreeNames) {
    EXPECT_EQ(options_of({"--wd", "d", "echo"}).exec.workdir, "d");
    EXPECT_EQ(options_of({"--workdir", "...", "echo"}).exec.workdir, "...");
    EXPECT_EQ(options_of({"--work-dir", ".", "echo"}).exec.workdir, ".");
    EXPECT_NE(usage_error_of({"--wd", "", "echo"}).find("empty"), std::string::npos);
}

TEST(ExecOptions, TtyImpliesOneJobAndUngroupedOutput) {
    const Options o = options_of({"--tty", "vi", ":::", "a"});
    EXPECT_TRUE(o.exec.tty);
    EXPECT_EQ(o.jobs, "1");
    EXPECT_TRUE(o.ungroup);
}

TEST(ExecOptions, TtyLeavesWhatIsGiven) {
    Options o = options_of({"--tty", "-j4", "vi"});
    EXPECT_EQ(o.jobs, "4");
    EXPECT_TRUE(o.ungroup);
    o = options_of({"--tty", "--group", "vi"});
    EXPECT_FALSE(o.ungroup);
    o = options_of({"--tty", "--line-buffer", "vi"});
    EXPECT_FALSE(o.ungroup);
    o = options_of({"--tty", "-k", "vi"});
    EXPECT_FALSE(o.ungroup);
}

// ---- --env's text for a shell other than bash ---------------------------------

std::string prelude(std::vector<std::string> names, std::vector<const char*> env,
                    const std::vector<std::string>* ignored = nullptr,
                    std::vector<std::string>* functions = nullptr) {
    env.push_back(nullptr);
    return wgrun::cli::env_prelude(names, env.data(), ignored, functions);
}

TEST(EnvPrelude, DefinesTheNamedFunctionsOnly) {
    std::vector<std::string> functions;
    const std::string text =
        prelude({"f,VAR", "g"},
                {"BASH_FUNC_f%%=() {  echo f\n}", "BASH_FUNC_g%%=() { echo g; }",
                 "BASH_FUNC_h%%=() { echo h; }", "VAR=1"},
                nullptr, &functions);
    EXPECT_EQ(text,
              "f() {  echo f\n};\ncommand export -f f 2> /dev/null;\n"
              "g() { echo g; };\ncommand export -f g 2> /dev/null;\n");
    EXPECT_EQ(functions, (std::vector<std::string>{"f", "g"}));
}

TEST(EnvPrelude, ByItsVariableNameAndOnce) {
    EXPECT_EQ(prelude({"BASH_FUNC_f%%", "f"}, {"BASH_FUNC_f%%=() { echo f; }"}),
              "f() { echo f; };\ncommand export -f f 2> /dev/null;\n");
    EXPECT_EQ(prelude({"missing", "VAR"}, {"VAR=() not a function"}), "");
}

TEST(EnvPrelude, UnderscoreIsEverythingNotIgnored) {
    const std::vector<std::string> ignored{"BASH_FUNC_old%%", "PATH"};
    EXPECT_EQ(prelude({"_"}, {"PATH=/bin", "BASH_FUNC_old%%=() { :; }", "BASH_FUNC_new%%=() { :; }"},
                      &ignored),
              "new() { :; };\ncommand export -f new 2> /dev/null;\n");
}

}  // namespace
