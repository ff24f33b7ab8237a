// shell_quote_test.cpp: shell_quote against the real /bin/sh (byte-exact round
// trips, no side effects), and split_words against sh's quoting rules.
#include "command/shell_quote.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using wgrun::shell_quote;
using wgrun::split_words;
using wgrun::SplitError;
using Words = std::vector<std::string>;

// The values no quoting may let the shell touch.
std::vector<std::string> nasty_values() {
    std::vector<std::string> values = {
        "$(touch pwned)",
        "`touch pwned2`",
        "a'b",
        "'",
        "''",
        "'\\''",
        "x;y",
        "x; touch pwned3",
        "a && touch pwned4",
        "a | touch pwned5",
        "> pwned6",
        "a\"b",
        "\"",
        "\\",
        "\\\\n",
        "a\\",
        "line1\nline2",
        "\n",
        "trailing newline\n\n",
        "tab\there",
        "*",
        "?",
        "[a-z]*",
        "~",
        "~root",
        "~/x",
        "",
        " ",
        "  two  spaces  ",
        "-n",
        "-e",
        "--",
        "#comment",
        "a #b",
        "$HOME",
        "${HOME}",
        "$((1+1))",
        "$1 $@ $* $# $? $$ $!",
        "{a,b}",
        "!",
        "!!",
        "a=b",
        "FOO=bar touch pwned7",
        "(subshell)",
        "%1",
        "My brother's 12\" *** record  (costs $$$).jpg",
        "plain-word_1.2:3@4%5+6,7=8/9",
    };
    std::string high;
    for (int b = 0x80; b <= 0xff; ++b) high += static_cast<char>(b);
    values.push_back(high);
    values.push_back("caf\xc3\xa9 \xff\xfe'\x80");
    std::string all;  // every byte sh can hold
    for (int b = 1; b <= 0xff; ++b) all += static_cast<char>(b);
    values.push_back(all);
    return values;
}

// A fresh empty directory, removed with its content at the end.
using wgrun::test::TempDir;

// What `/bin/sh -c command` writes on stdout (popen runs /bin/sh -c).
std::string sh_output(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "<popen failed>";
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    const int status = pclose(pipe);
    if (status != 0) out += "<exit " + std::to_string(status) + ">";
    return out;
}

TEST(ShellQuote, SafeWordsAreUnchanged) {
    for (const char* word : {"abc", "ABC_xyz", "0123456789", "a/b/c.txt", "-n",
                             "user@host:path", "50%", "a+b,c", "/usr/bin/env", "."}) {
        EXPECT_EQ(shell_quote(word), word);
    }
}

TEST(ShellQuote, OtherWordsAreSingleQuoted) {
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("a'b"), "'a'\\''b'");
    EXPECT_EQ(shell_quote("'"), "''\\'''");
    EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
    EXPECT_EQ(shell_quote("~"), "'~'");
    // '=' is quoted: as a command's first word, PATH=/x would be an assignment.
    EXPECT_EQ(shell_quote("PATH=/tmp/x"), "'PATH=/tmp/x'");
    EXPECT_EQ(shell_quote("--opt=value"), "'--opt=value'");
    EXPECT_EQ(shell_quote("*"), "'*'");
    EXPECT_EQ(shell_quote("a\nb"), "'a\nb'");
    EXPECT_EQ(shell_quote("a\tb"), "'a\tb'");
    EXPECT_EQ(shell_quote("\\"), "'\\'");
    EXPECT_EQ(shell_quote("\xc3\xa9"), "'\xc3\xa9'");
    EXPECT_EQ(shell_quote("#"), "'#'");
    EXPECT_EQ(shell_quote("{}"), "'{}'");
}

TEST(ShellQuote, RoundTripsThroughRealShByteExactly) {
    TempDir dir;
    // A file for globs to match, so a glob that expands shows in the output.
    std::ofstream(dir.path() + "/glob_target").put('x');
    for (const std::string& value : nasty_values()) {
        const std::string command = "cd " + dir.path() + " && printf %s " + shell_quote(value);
        EXPECT_EQ(sh_output(command), value) << "quoted as: " << shell_quote(value);
    }
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"glob_target"});
}

TEST(ShellQuote, EachValueIsExactlyOneWordForSh) {
    TempDir dir;
    for (const std::string& value : nasty_values()) {
        const std::string command = "cd " + dir.path() + " && set -- " + shell_quote(value) +
                                    " && printf '%s' \"$#\"";
        EXPECT_EQ(sh_output(command), "1") << "quoted as: " << shell_quote(value);
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST(ShellQuote, SeveralQuotedWordsStayApart) {
    const std::vector<std::string> values = {"a b", "", "$(touch pwned)", "c'd", "-x"};
    std::string command = "printf '[%s]'";
    std::string expected;
    for (const std::string& value : values) {
        command += " " + shell_quote(value);
        expected += "[" + value + "]";
    }
    EXPECT_EQ(sh_output(command), expected);
}

TEST(ShellQuote, RoundTripsThroughSplitWords) {
    for (const std::string& value : nasty_values()) {
        EXPECT_EQ(split_words(shell_quote(value)), Words{value});
    }
    std::string line;
    Words expected;
    for (const std::string& value : nasty_values()) {
        line += shell_quote(value) + " ";
        expected.push_back(value);
    }
    EXPECT_EQ(split_words(line), expected);
}

TEST(SplitWords, Blanks) {
    EXPECT_EQ(split_words(""), Words{});
    EXPECT_EQ(split_words("   \t\n "), Words{});
    EXPECT_EQ(split_words("a"), Words{"a"});
    EXPECT_EQ(split_words("  a  b\tc\nd  "), (Words{"a", "b", "c", "d"}));
    EXPECT_EQ(split_words("echo hello world"), (Words{"echo", "hello", "world"}));
}

TEST(SplitWords, SingleQuotesAreLiteral) {
    EXPECT_EQ(split_words("'a b'"), Words{"a b"});
    EXPECT_EQ(split_words("'$HOME `x` \\ \" \\n'"), Words{"$HOME `x` \\ \" \\n"});
    EXPECT_EQ(split_words("'line1\nline2'"), Words{"line1\nline2"});
    EXPECT_EQ(split_words("'a\\\nb'"), Words{"a\\\nb"});
}

TEST(SplitWords, DoubleQuotes) {
    EXPECT_EQ(split_words("\"a b\""), Words{"a b"});
    EXPECT_EQ(split_words("\"$HOME\""), Words{"$HOME"});
    EXPECT_EQ(split_words("\"a'b\""), Words{"a'b"});
    // Backslash escapes $ ` " \ and newline only.
    EXPECT_EQ(split_words("\"\\$ \\` \\\" \\\\\""), Words{"$ ` \" \\"});
    EXPECT_EQ(split_words("\"\\a \\n \\'\""), Words{"\\a \\n \\'"});
    EXPECT_EQ(split_words("\"a\\\nb\""), Words{"ab"});
    EXPECT_EQ(split_words("\"line1\nline2\""), Words{"line1\nline2"});
}

TEST(SplitWords, BackslashOutsideQuotes) {
    EXPECT_EQ(split_words("a\\ b"), Words{"a b"});
    EXPECT_EQ(split_words("\\'"), Words{"'"});
    EXPECT_EQ(split_words("\\\""), Words{"\""});
    EXPECT_EQ(split_words("\\\\"), Words{"\\"});
    EXPECT_EQ(split_words("\\$HOME"), Words{"$HOME"});
    EXPECT_EQ(split_words("\\n"), Words{"n"});
    EXPECT_EQ(split_words("a\\\nb"), Words{"ab"});          // line continuation
    EXPECT_EQ(split_words("a \\\n b"), (Words{"a", "b"}));  // no word of its own
    EXPECT_EQ(split_words("\\\n"), Words{});
}

TEST(SplitWords, AdjacentPartsJoin) {
    EXPECT_EQ(split_words("a'b'\"c\""), Words{"abc"});
    EXPECT_EQ(split_words("'a'\\ 'b'"), Words{"a b"});
    EXPECT_EQ(split_words("pre'mid dle'post x"), (Words{"premid dlepost", "x"}));
    EXPECT_EQ(split_words("--opt=\"a b\""), Words{"--opt=a b"});
}

TEST(SplitWords, EmptyWords) {
    EXPECT_EQ(split_words("''"), Words{""});
    EXPECT_EQ(split_words("\"\""), Words{""});
    EXPECT_EQ(split_words("a '' b"), (Words{"a", "", "b"}));
    EXPECT_EQ(split_words("'' \"\""), (Words{"", ""}));
    EXPECT_EQ(split_words("a''"), Words{"a"});
}

TEST(SplitWords, NoExpansionOfAnyKind) {
    EXPECT_EQ(split_words("$HOME ~ * ? [a] {a,b} $(x) `y` $((1+1)) a;b a|b #c"),
              (Words{"$HOME", "~", "*", "?", "[a]", "{a,b}", "$(x)", "`y`", "$((1+1))", "a;b",
                     "a|b", "#c"}));
}

TEST(SplitWords, BytesAreOpaque) {
    EXPECT_EQ(split_words("caf\xc3\xa9 \xff\x80"), (Words{"caf\xc3\xa9", "\xff\x80"}));
    EXPECT_EQ(split_words(std::string_view("a\0b c", 5)), (Words{std::string("a\0b", 3), "c"}));
}

TEST(SplitWords, Errors) {
    auto message = [](std::string_view line) -> std::string {
        try {
            split_words(line);
        } catch (const SplitError& e) {
            return e.what();
        }
        return "no error";
    };
    EXPECT_EQ(message("'abc"), "unterminated single quote");
    EXPECT_EQ(message("a 'b c"), "unterminated single quote");
    EXPECT_EQ(message("'"), "unterminated single quote");
    EXPECT_EQ(message("\"abc"), "unterminated double quote");
    EXPECT_EQ(message("\""), "unterminated double quote");
    EXPECT_EQ(message("\"a\\\""), "unterminated double quote");
    EXPECT_EQ(message("\"a\\"), "unterminated double quote");
    EXPECT_EQ(message("abc\\"), "trailing backslash");
    EXPECT_EQ(message("\\"), "trailing backslash");
    EXPECT_EQ(message("\"'\""), "no error");
    EXPECT_EQ(message("'\"'"), "no error");
}

// split_words agrees with sh on lines free of expansions: sh prints each word
// it got between brackets.
TEST(SplitWords, AgreesWithRealSh) {
    const std::vector<std::string> lines = {
        "a b  c",
        "a'b'\"c\" d",
        "'' \"\" x''",
        "\"\\a \\\\ \\\" \\$ \\` \\\nz\"",
        "a\\ b \\' \\\" \\\\ \\x",
        "a\\\nb",
        "'multi\nline' \"dq\nline\"",
        "'it'\\''s'",
        "My\\ brother\\'s\\ 12\\\"\\ \\*\\*\\*",
    };
    for (const std::string& line : lines) {
        std::string expected;
        for (const std::string& word : split_words(line)) expected += "[" + word + "]";
        EXPECT_EQ(sh_output("printf '[%s]' " + line), expected) << line;
    }
}

}  // namespace
