// command_cost_test.cpp: CommandTemplate's argument-packing side: the cost
// of the fixed part and of each value (fixed_cost + value_cost = expand()'s
// size + 1), context replace (-X) in expand() and expand_argv(), and
// CommandBuilder's size limit.
#include "command/command_builder.hpp"
#include "command/command_template.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using wgrun::CommandBuilder;
using wgrun::CommandTemplate;
using wgrun::CommandTooLongError;
using wgrun::JobInput;
using Values = std::vector<std::string>;

// fixed_cost() plus each value's value_cost().
std::size_t cost_of(const CommandTemplate& t, const Values& values) {
    std::size_t bytes = t.fixed_cost();
    for (std::size_t i = 0; i < values.size(); ++i) bytes += t.value_cost(values[i], i);
    return bytes;
}

void expect_exact(const CommandTemplate& t, const Values& values) {
    EXPECT_EQ(cost_of(t, values), t.expand(values, 1, 1).size() + 1) << t.expand(values, 1, 1);
}

TEST(CommandCost, AppendedValuesAsXargsCounts) {
    const auto t = CommandTemplate::parse("echo");
    EXPECT_EQ(t.fixed_cost(), 5u);  // "echo" and the NUL
    EXPECT_EQ(t.value_cost("12", 0), 3u);
    expect_exact(t, {"1", "2", "33"});
}

TEST(CommandCost, QuotingCounts) {
    const auto t = CommandTemplate::parse("echo");
    EXPECT_EQ(t.value_cost("a b", 0), 1u + 5u);         // 'a b'
    EXPECT_EQ(t.value_cost("it's", 0), 1u + 4u + 2u + 3u);  // 'it'\''s'
    expect_exact(t, {"a b", "it's", "", "x"});
}

TEST(CommandCost, AllValuesAndEachValue) {
    expect_exact(CommandTemplate::parse("cp {} /dest"), {"a", "b c", "d"});
    expect_exact(CommandTemplate::parse("echo {} and {}"), {"a", "b"});
    expect_exact(CommandTemplate::parse("echo {1} {2} {/} {.}"), {"x/a.c", "y/b.d"});
    expect_exact(CommandTemplate::parse("echo {3}"), {"a", "b"});  // {3} beyond: nothing
}

TEST(CommandCost, NumbersAreCountedAtTheirLargest) {
    const auto t = CommandTemplate::parse("echo {#} {%} {}");
    EXPECT_GE(cost_of(t, {"a"}), t.expand(Values{"a"}, 123, 4).size() + 1);
}

TEST(CommandCost, EmptyTemplateJoinsUnquoted) {
    const CommandTemplate t;
    expect_exact(t, {"echo", "a b"});
}

TEST(ContextReplace, AWordWithBracesIsRepeatedPerValue) {
    auto t = CommandTemplate::parse("echo pic{}.jpg done");
    t.set_context_replace(true);
    EXPECT_EQ(t.expand(Values{"1", "2 3"}, 1, 1), "echo pic1.jpg pic'2 3'.jpg done");
    expect_exact(t, {"1", "2 3"});
    EXPECT_EQ(t.expand_argv(Values{"1", "2 3"}, 1, 1),
              (Values{"echo", "pic1.jpg", "pic2 3.jpg", "done"}));
}

TEST(ContextReplace, NumberedAndModifiedStrings) {
    auto t = CommandTemplate::parse("echo {/.}.png {1}");
    t.set_context_replace(true);
    EXPECT_EQ(t.expand(Values{"a/x.jpg", "b/y.jpg"}, 1, 1), "echo x.png y.png a/x.jpg");
    expect_exact(t, {"a/x.jpg", "b/y.jpg"});
}

TEST(ContextReplace, NoReplacementStringAppends) {
    auto t = CommandTemplate::parse("echo  a");
    t.set_context_replace(true);
    EXPECT_EQ(t.expand(Values{"1", "2"}, 1, 1), "echo  a 1 2");
    expect_exact(t, {"1", "2"});
    EXPECT_EQ(t.expand_argv(Values{"1", "2"}, 1, 1), (Values{"echo", "a", "1", "2"}));
}

TEST(ContextReplace, OffIsTheUsualExpansion) {
    auto t = CommandTemplate::parse("echo pic{}.jpg");
    t.set_context_replace(true);
    t.set_context_replace(false);
    EXPECT_EQ(t.expand(Values{"1", "2"}, 1, 1), "echo pic1 2.jpg");
}

TEST(CommandBuilderLimit, ACommandOverTheLimitIsRefusedNamingJobAndSize) {
    CommandBuilder builder(CommandTemplate::parse("echo"), true);
    builder.limit_size(20, "20 bytes (-s 20)");
    EXPECT_NO_THROW(builder.build(JobInput{1, {"1", "2", "3", "4", "5", "6", "7"}}, 1));
    try {
        builder.build(JobInput{7, {std::string(30, 'x')}}, 1);
        FAIL() << "no CommandTooLongError";
    } catch (const CommandTooLongError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "job 7: the command is 36 bytes, over the limit of 20 bytes (-s 20): not run");
    }
}

TEST(CommandBuilderLimit, OneArgvStringOver128KiBIsRefusedUnderNoShell) {
    CommandBuilder builder(CommandTemplate::parse("echo"), false);
    builder.limit_size(1 << 20, "1 MiB");
    try {
        builder.build(JobInput{2, {std::string(200000, 'x')}}, 1);
        FAIL() << "no CommandTooLongError";
    } catch (const CommandTooLongError& e) {
        EXPECT_NE(std::string(e.what()).find("MAX_ARG_STRLEN"), std::string::npos) << e.what();
    }
}

TEST(CommandBuilderLimit, NoLimitByDefault) {
    CommandBuilder builder(CommandTemplate::parse("echo"), true);
    EXPECT_NO_THROW(builder.build(JobInput{1, {std::string(300000, 'x')}}, 1));
}

}  // namespace
