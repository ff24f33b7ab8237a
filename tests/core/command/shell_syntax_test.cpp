// shell_syntax_test.cpp: which commands run without the shell, and with
// which words; the builtins; the environments sh passes on as they are.
#include "command/shell_syntax.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using wgrun::environment_is_plain;
using wgrun::is_shell_builtin;
using wgrun::plain_command_words;
using Words = std::vector<std::string>;

std::optional<Words> words(const std::string& command) { return plain_command_words(command); }

TEST(PlainCommand, PlainWordsAreSplitAtBlanks) {
    EXPECT_EQ(words("sleep 0.01"), (Words{"sleep", "0.01"}));
    EXPECT_EQ(words("  ls\t-l   /tmp  "), (Words{"ls", "-l", "/tmp"}));
    EXPECT_EQ(words("/usr/bin/env"), (Words{"/usr/bin/env"}));
    EXPECT_EQ(words("gzip -9 a.tar"), (Words{"gzip", "-9", "a.tar"}));
    EXPECT_EQ(words("dd if=a of=b bs=1M"), (Words{"dd", "if=a", "of=b", "bs=1M"}));
    EXPECT_EQ(words("curl -u a:b@c,d%e+f"), (Words{"curl", "-u", "a:b@c,d%e+f"}));
}

TEST(PlainCommand, QuotesAreRemovedAsShDoes) {
    EXPECT_EQ(words("grep 'a b' f"), (Words{"grep", "a b", "f"}));
    EXPECT_EQ(words("grep \"a b\" f"), (Words{"grep", "a b", "f"}));
    EXPECT_EQ(words("printf_ ''"), (Words{"printf_", ""}));
    EXPECT_EQ(words("x a'b'\"c\"d"), (Words{"x", "abcd"}));
    // Single quotes hold anything, literally.
    EXPECT_EQ(words("x '$(rm -rf ~) `id` * ; | > \\ \"'"),
              (Words{"x", "$(rm -rf ~) `id` * ; | > \\ \""}));
    EXPECT_EQ(words("x 'a\nb'"), (Words{"x", "a\nb"}));
    // shell_quote's own form of a quote: 'it'\''s'.
    EXPECT_EQ(words("x 'it'\\''s'"), (Words{"x", "it's"}));
}

TEST(PlainCommand, BackslashesAreRemovedAsShDoes) {
    EXPECT_EQ(words("x a\\ b"), (Words{"x", "a b"}));
    EXPECT_EQ(words("x \\$HOME \\*"), (Words{"x", "$HOME", "*"}));
    // In double quotes a backslash escapes $ ` " \ only, and stays otherwise.
    EXPECT_EQ(words("x \"\\$ \\` \\\" \\\\ \\n\""), (Words{"x", "$ ` \" \\ \\n"}));
}

TEST(PlainCommand, ShellSyntaxNeedsTheShell) {
    for (const char* command : {
             "a | b", "a && b", "a; b", "a & ", "a > f", "a < f", "a 2>&1", "(a)", "a $HOME",
             "a ${x}", "a $(id)", "a `id`", "a *", "a ?", "a [ab]", "a ~", "a ~/x", "a # c",
             "a {x,y}", "! a", "a\nb", "a\r", "a \"$x\"", "a \"`id`\"", "a 'open", "a \"open",
             "a \\", "a \\\nb", "a \"x\\\ny\"", "a ^b", "a caf\xc3\xa9", "", "   ", "a !b",
         }) {
        EXPECT_EQ(words(command), std::nullopt) << command;
    }
}

TEST(PlainCommand, AnAssignmentOrAnEmptyNameNeedsTheShell) {
    EXPECT_EQ(words("A=1 env"), std::nullopt);
    EXPECT_EQ(words("A=1"), std::nullopt);
    EXPECT_EQ(words("'A=1' env"), std::nullopt);  // not an assignment to sh, but erring safe
    EXPECT_EQ(words("'' a"), std::nullopt);
    EXPECT_EQ(words("-q a"), std::nullopt);  // `sh -c -q` reads an option
    EXPECT_EQ(words("'-x'"), std::nullopt);
    EXPECT_EQ(words("env A=1"), (Words{"env", "A=1"}));  // an argument, not an assignment
}

TEST(PlainCommand, BuiltinsAndKeywordsNeedTheShell) {
    for (const char* command : {"true", "false", "echo hi", "printf x", "test -f a", "[ -f a ]",
                                "kill 1", "pwd", "cd /", "exec ls", "command ls", "exit 3",
                                "read x", "wait", "type ls", "ulimit -n", "time ls", "if",
                                "while", "'echo' hi", "ec\"ho\" hi", "source f", ". f",
                                ": x", "times"}) {
        EXPECT_EQ(words(command), std::nullopt) << command;
    }
    // Their namesakes by path are programs: sh runs /bin/echo itself too.
    EXPECT_EQ(words("/bin/echo hi"), (Words{"/bin/echo", "hi"}));
    EXPECT_EQ(words("ls echo"), (Words{"ls", "echo"}));
}

TEST(PlainCommand, BuiltinListCoversDashAndBash) {
    for (const char* word : {".", ":", "[", "alias", "bg", "break", "cd", "chdir", "command",
                             "continue", "echo", "eval", "exec", "exit", "export", "false", "fc",
                             "fg", "getopts", "hash", "jobs", "kill", "local", "printf", "pwd",
                             "read", "readonly", "return", "set", "shift", "test", "times",
                             "trap", "true", "type", "ulimit", "umask", "unalias", "unset",
                             "wait", "builtin", "declare", "let", "source", "shopt", "typeset",
                             "[[", "{", "}", "!", "case", "coproc", "function", "select"}) {
        EXPECT_TRUE(is_shell_builtin(word)) << word;
    }
    for (const char* word : {"ls", "sleep", "env", "cat", "sh", "", "Echo", "login", "newgrp"}) {
        EXPECT_FALSE(is_shell_builtin(word)) << word;
    }
}

TEST(PlainCommand, OnlyShellNamesPassThroughTheShellsEnvironment) {
    const char* plain[] = {"A=1", "_x9=", "PATH=/bin:/usr/bin", "WEIRD=a=b c", nullptr};
    EXPECT_TRUE(environment_is_plain(plain));
    const char* empty[] = {nullptr};
    EXPECT_TRUE(environment_is_plain(empty));
    for (const char* odd : {"BASH_FUNC_f%%=() { echo; }", "A-B=1", "9A=1", "=x", "NOEQUALS"}) {
        const char* env[] = {"A=1", odd, nullptr};
        EXPECT_FALSE(environment_is_plain(env)) << odd;
    }
}

}  // namespace
