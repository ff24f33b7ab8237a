// command_builder_test.cpp: CommandBuilder makes `/bin/sh -c COMMAND` or, with
// --no-shell, the command's words; the display form quotes them for the
// user; and every job gets its WGRUN_/PARALLEL_ sequence and slot variables.
#include "command/command_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using wgrun::BuiltCommand;
using wgrun::CommandBuilder;
using wgrun::CommandTemplate;
using wgrun::JobInput;
using Words = std::vector<std::string>;

JobInput input(std::uint64_t seq, Words args) {
    return JobInput{seq, std::move(args)};
}

// The value of `name` in an env list, or "<unset>"; "<twice>" if repeated.
std::string env_value(const Words& env, const std::string& name) {
    std::string value = "<unset>";
    int seen = 0;
    for (const auto& entry : env) {
        if (entry.compare(0, name.size() + 1, name + "=") == 0) {
            value = entry.substr(name.size() + 1);
            ++seen;
        }
    }
    return seen > 1 ? "<twice>" : value;
}

TEST(CommandBuilder, ShellModeRunsTheCommandThroughSh) {
    const CommandBuilder builder(CommandTemplate::parse("echo {}"), true);
    const BuiltCommand built = builder.build(input(5, {"a b"}), 2);
    EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", "echo 'a b'"}));
    EXPECT_EQ(built.display, "echo 'a b'");
}

TEST(CommandBuilder, ShellModeWithAnEmptyTemplateRunsTheInputAsIs) {
    const CommandBuilder builder(CommandTemplate(), true);
    const BuiltCommand built = builder.build(input(1, {"echo hi | tr a-z A-Z > /dev/null"}), 1);
    EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", "echo hi | tr a-z A-Z > /dev/null"}));
    EXPECT_EQ(built.display, "echo hi | tr a-z A-Z > /dev/null");
}

TEST(CommandBuilder, ShellModeQuotesValuesAgainstInjection) {
    const CommandBuilder builder(CommandTemplate::parse("cat {}"), true);
    const BuiltCommand built = builder.build(input(1, {"x; rm -rf ~"}), 1);
    EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", "cat 'x; rm -rf ~'"}));
}

TEST(CommandBuilder, TransferAndReturnFilesAreExpandedPerJobUnquoted) {
    CommandBuilder builder(CommandTemplate::parse("cat {}"), true);
    wgrun::JobSetup setup;
    setup.transfer_files = {CommandTemplate::parse("{}"), CommandTemplate::parse("{2}")};
    setup.return_files = {CommandTemplate::parse("{.}.out"), CommandTemplate::parse("log.{#}")};
    builder.set_setup(std::move(setup));
    const BuiltCommand built = builder.build(input(3, {"dir/a b$(x).txt"}), 1);
    EXPECT_EQ(built.request.transfer, (Words{"dir/a b$(x).txt"}))  // {2}: empty, left out
        << "unquoted, an empty name left out";
    EXPECT_EQ(built.request.return_files, (Words{"dir/a b$(x).out", "log.3"}));
    const CommandBuilder plain(CommandTemplate::parse("cat {}"), true);
    EXPECT_TRUE(plain.build(input(1, {"x"}), 1).request.transfer.empty());
}

TEST(CommandBuilder, SeqAndSlotReplacementStrings) {
    const CommandBuilder builder(CommandTemplate::parse("echo {#} {%} {}"), true);
    const BuiltCommand built = builder.build(input(12, {"v"}), 3);
    EXPECT_EQ(built.request.argv.at(2), "echo 12 3 v");
    EXPECT_EQ(built.display, "echo 12 3 v");
}

TEST(CommandBuilder, NoShellGivesTheWords) {
    const CommandBuilder builder(CommandTemplate::parse("printf '%s|' {} x{}y"), false);
    const BuiltCommand built = builder.build(input(1, {"a b"}), 1);
    EXPECT_EQ(built.request.argv, (Words{"printf", "%s|", "a b", "xa by"}));
    EXPECT_EQ(built.display, "printf '%s|' 'a b' 'xa by'");
}

TEST(CommandBuilder, NoShellWithAnEmptyTemplateSplitsTheInput) {
    const CommandBuilder builder(CommandTemplate(), false);
    const BuiltCommand built = builder.build(input(1, {"ls -l 'my file' \"$HOME\""}), 1);
    EXPECT_EQ(built.request.argv, (Words{"ls", "-l", "my file", "$HOME"}));
    EXPECT_EQ(built.display, "ls -l 'my file' '$HOME'");
}

TEST(CommandBuilder, NoShellDisplayQuotesEveryWordForSh) {
    const CommandBuilder builder(CommandTemplate::parse("cmd {1} {2} {3} {4}"), false);
    const BuiltCommand built = builder.build(input(1, {"it's", "", "tab\there", "plain-word_1.0"}), 1);
    EXPECT_EQ(built.request.argv, (Words{"cmd", "it's", "", "tab\there", "plain-word_1.0"}));
    EXPECT_EQ(built.display, "cmd 'it'\\''s' '' 'tab\there' plain-word_1.0");
}

TEST(CommandBuilder, NoShellAppendsValuesAsWords) {
    const CommandBuilder builder(CommandTemplate::parse("echo -n"), false);
    const BuiltCommand built = builder.build(input(1, {"one two", "three"}), 1);
    EXPECT_EQ(built.request.argv, (Words{"echo", "-n", "one two", "three"}));
}

TEST(CommandBuilder, NoShellThrowsOnAnUnsplittableCommand) {
    const CommandBuilder builder(CommandTemplate(), false);
    EXPECT_THROW(builder.build(input(1, {"echo 'unterminated"}), 1), wgrun::TemplateError);
    EXPECT_THROW(builder.build(input(2, {"   "}), 1), wgrun::TemplateError);
}

TEST(CommandBuilder, EnvHasSeqAndSlot) {
    for (bool use_shell : {true, false}) {
        const CommandBuilder builder(CommandTemplate::parse("true {}"), use_shell);
        const BuiltCommand built = builder.build(input(42, {"x"}), 7);
        const Words& env = built.request.env;
        EXPECT_EQ(env.size(), 4u);
        EXPECT_EQ(env_value(env, "WGRUN_SEQ"), "42") << use_shell;
        EXPECT_EQ(env_value(env, "WGRUN_SLOT"), "7");
        EXPECT_EQ(env_value(env, "PARALLEL_SEQ"), "42");
        EXPECT_EQ(env_value(env, "PARALLEL_JOBSLOT"), "7");
    }
}

TEST(CommandBuilder, EnvFollowsEachJob) {
    const CommandBuilder builder(CommandTemplate(), true);
    const BuiltCommand first = builder.build(input(1, {"true"}), 1);
    const BuiltCommand second = builder.build(input(2, {"true"}), 2);
    const BuiltCommand third = builder.build(input(3, {"true"}), 1);
    EXPECT_EQ(env_value(first.request.env, "WGRUN_SEQ"), "1");
    EXPECT_EQ(env_value(second.request.env, "WGRUN_SEQ"), "2");
    EXPECT_EQ(env_value(second.request.env, "PARALLEL_JOBSLOT"), "2");
    EXPECT_EQ(env_value(third.request.env, "PARALLEL_SEQ"), "3");
    EXPECT_EQ(env_value(third.request.env, "WGRUN_SLOT"), "1");
}

TEST(CommandBuilder, ProcessSlotVarCountsFromZero) {
    for (bool use_shell : {true, false}) {
        CommandBuilder builder(CommandTemplate::parse("true {}"), use_shell);
        builder.set_process_slot_var("SLOT0");
        const Words env = builder.build(input(5, {"x"}), 3).request.env;
        EXPECT_EQ(env.size(), 5u);
        EXPECT_EQ(env_value(env, "SLOT0"), "2") << use_shell;
        EXPECT_EQ(env_value(env, "PARALLEL_JOBSLOT"), "3");
        EXPECT_EQ(env_value(builder.build(input(6, {"x"}), 1).request.env, "SLOT0"), "0");
    }
}

TEST(CommandBuilder, EnvWithHugeNumbers) {
    const CommandBuilder builder(CommandTemplate(), true);
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const BuiltCommand built = builder.build(input(max, {"true"}), max - 1);
    EXPECT_EQ(env_value(built.request.env, "WGRUN_SEQ"), "18446744073709551615");
    EXPECT_EQ(env_value(built.request.env, "PARALLEL_JOBSLOT"), "18446744073709551614");
}

}  // namespace

namespace {

using namespace std::string_literals;

// Issue 12: a NUL in a value read without -0 cut the command at the NUL
// (`rm -rf v/\0sub` ran as `rm -rf v/`). Such a job is never built.
TEST(CommandBuilder, InputWithNulIsRefusedInEveryMode) {
    const CommandBuilder shell(CommandTemplate::parse("echo {}"), true);
    const CommandBuilder argv(CommandTemplate::parse("echo {}"), false);
    const CommandBuilder commands(CommandTemplate(), true);  // stdin lines as commands
    for (const CommandBuilder* builder : {&shell, &argv, &commands}) {
        EXPECT_THROW(builder->build(input(1, {"rm -rf v/\0sub"s}), 1), wgrun::NulInputError);
        EXPECT_NO_THROW(builder->build(input(2, {"rm -rf v/sub"}), 1));
    }
    const CommandBuilder two(CommandTemplate::parse("echo {1}"), true);
    EXPECT_THROW(two.build(input(1, {"a", "b\0"s}), 1), wgrun::NulInputError)
        << "a NUL in any value, used or not";
}

TEST(CommandBuilder, NulErrorKeepsTheCommandAndWarnsOnce) {
    const CommandBuilder builder(CommandTemplate::parse("echo {}"), true);
    try {
        builder.build(input(3, {"a\0b"s}), 1);
        FAIL() << "no throw";
    } catch (const wgrun::NulInputError& e) {
        EXPECT_EQ(e.command(), "echo 'a\\0b'") << "NUL shown as \\0: no file gets a NUL";
        EXPECT_EQ(e.warning(),
                  "wgrun: job 3's input holds a NUL byte ('a\\0b'): a command cannot receive NUL, "
                  "so such jobs are not run (they fail); use -0 (--null) for NUL-separated input\n");
    }
    try {
        builder.build(input(4, {"c\0d"s}), 1);
        FAIL() << "no throw";
    } catch (const wgrun::NulInputError& e) {
        EXPECT_EQ(e.command(), "echo 'c\\0d'");
        EXPECT_EQ(e.warning(), "") << "warned once per run";
    }
}

}  // namespace
