// quote_words_test.cpp: CommandBuilder's quote_words (GNU parallel's -q):
// the template's words (given shell-quoted, as the command line parser
// makes them) are the command's words, each expanded with its values
// unquoted in it and then quoted whole for the shell.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "command/command_builder.hpp"
#include "command/shell_quote.hpp"

namespace {

using wgrun::CommandBuilder;
using wgrun::CommandTemplate;
using wgrun::JobInput;
using wgrun::shell_quote;
using Words = std::vector<std::string>;

// The template -q makes of `words`: each word shell-quoted, joined by spaces.
CommandTemplate quoted(const Words& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + shell_quote(word);
    return CommandTemplate::parse(text);
}

std::string display(const Words& words, Words args, bool quote = true) {
    const CommandBuilder builder(quoted(words), true, {}, quote);
    return builder.build(JobInput{1, std::move(args)}, 1).display;
}

TEST(QuoteWords, ValuesAreAppendedAsWordsOfTheirOwn) {
    EXPECT_EQ(display({"perl", "-e", "print \"@ARGV\\n\""}, {"This"}),
              "perl -e 'print \"@ARGV\\n\"' This");
    EXPECT_EQ(display({"echo"}, {"a b", "$x"}), "echo 'a b' '$x'");
}

TEST(QuoteWords, AReplacementStringIsReplacedWithinItsWordThenTheWordIsQuoted) {
    EXPECT_EQ(display({"echo", "a {} b", "$HOME", "it's"}, {"x y"}),
              "echo 'a x y b' '$HOME' 'it'\\''s'");
    EXPECT_EQ(display({"echo", "a {} b"}, {"q'z"}), "echo 'a q'\\''z b'");
    EXPECT_EQ(display({"echo", "{.}-{#}"}, {"f.txt"}), "echo f-1");
}

TEST(QuoteWords, ALoneBracesIsOneWordPerSource) {
    EXPECT_EQ(display({"echo", "{}"}, {"a", "b c"}), "echo a 'b c'");
    EXPECT_EQ(display({"echo", "{2}-{1}"}, {"a", "b c"}), "echo 'b c-a'");
}

TEST(QuoteWords, EmptyWordsStay) {
    EXPECT_EQ(display({"printf", "<%s>", ""}, {"v"}), "printf '<%s>' '' v");
}

TEST(QuoteWords, TheShellRunsTheQuotedForm) {
    const CommandBuilder builder(quoted({"echo", "a;b", "{}"}), true, {}, true);
    const auto built = builder.build(JobInput{1, {"$(x)"}}, 1);
    EXPECT_EQ(built.display, "echo 'a;b' '$(x)'");
    EXPECT_EQ(built.request.argv, (Words{"/bin/sh", "-c", "echo 'a;b' '$(x)'"}));
}

TEST(QuoteWords, WithoutQuoteWordsTheTemplateIsShellText) {
    // The same template without the flag: the quoted words are shell text,
    // the value is quoted where it stands (inside the word's quotes).
    EXPECT_EQ(display({"echo", "a {} b"}, {"x"}, false), "echo 'a x b'");
}

TEST(QuoteWords, AnEmptyTemplateIsTheInputAsACommand) {
    const CommandBuilder builder(CommandTemplate(), true, {}, true);
    EXPECT_EQ(builder.build(JobInput{1, {"echo hi"}}, 1).display, "echo hi");
}

TEST(QuoteWords, NoShellRunsTheWords) {
    const CommandBuilder builder(quoted({"echo", "a {} b"}), false, {}, true);
    EXPECT_EQ(builder.build(JobInput{1, {"x y"}}, 1).request.argv, (Words{"echo", "a x y b"}));
}

}  // namespace
