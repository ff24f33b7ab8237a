// command_template_test.cpp: GNU parallel's replacement strings and their
// modifiers, appending, literal braces, quoting in expand() (checked against
// the real /bin/sh) and verbatim words in expand_argv().
#include "command/command_template.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "command/shell_quote.hpp"

namespace {

using wgrun::CommandTemplate;
using wgrun::TemplateError;
using Args = std::vector<std::string>;
using Words = std::vector<std::string>;

std::string expand(std::string_view text, const Args& args, std::uint64_t seq = 1,
                   std::uint64_t slot = 1) {
    return CommandTemplate::parse(text).expand(args, seq, slot);
}

Words argv(std::string_view text, const Args& args, std::uint64_t seq = 1,
           std::uint64_t slot = 1) {
    return CommandTemplate::parse(text).expand_argv(args, seq, slot);
}

// What `/bin/sh -c command` writes on stdout.
std::string sh_output(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "<popen failed>";
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    pclose(pipe);
    return out;
}

std::string bracketed(const Words& words) {
    std::string out;
    for (const std::string& word : words) out += "[" + word + "]";
    return out;
}

struct PathCase {
    std::string path, no_ext, base, dir, base_no_ext;
};

const std::vector<PathCase>& path_cases() {
    static const std::vector<PathCase> cases = {
        {"a/b/c.tar.gz", "a/b/c.tar", "c.tar.gz", "a/b", "c.tar"},
        {"c", "c", "c", ".", "c"},
        {"c.txt", "c", "c.txt", ".", "c"},
        {".bashrc", ".bashrc", ".bashrc", ".", ".bashrc"},
        {"a/.bashrc", "a/.bashrc", ".bashrc", "a", ".bashrc"},
        {".x.conf", ".x", ".x.conf", ".", ".x"},
        {"dir.d/file", "dir.d/file", "file", "dir.d", "file"},
        {"dir.d/a.tar.gz", "dir.d/a.tar", "a.tar.gz", "dir.d", "a.tar"},
        {"/abs/x.y", "/abs/x", "x.y", "/abs", "x"},
        {"a/b/", "a/b/", "", "a", ""},
        {"a.d/", "a.d/", "", ".", ""},
        {"/x", "/x", "x", "/", "x"},
        {"/", "/", "", "/", ""},
        {"//", "//", "", "/", ""},
        {"a//b", "a//b", "b", "a", "b"},
        {"./a", "./a", "a", ".", "a"},
        {"a.", "a", "a.", ".", "a"},
        {"a..b", "a.", "a..b", ".", "a."},
        {"", "", "", ".", ""},
        {"with space/my file.txt", "with space/my file", "my file.txt", "with space", "my file"},
    };
    return cases;
}

TEST(CommandTemplate, ModifiersOnPaths) {
    for (const PathCase& c : path_cases()) {
        const Args args = {c.path};
        EXPECT_EQ(argv("x {}", args), (Words{"x", c.path})) << c.path;
        EXPECT_EQ(argv("x {.}", args), (Words{"x", c.no_ext})) << c.path;
        EXPECT_EQ(argv("x {/}", args), (Words{"x", c.base})) << c.path;
        EXPECT_EQ(argv("x {//}", args), (Words{"x", c.dir})) << c.path;
        EXPECT_EQ(argv("x {/.}", args), (Words{"x", c.base_no_ext})) << c.path;
        EXPECT_EQ(argv("x {1}", args), (Words{"x", c.path})) << c.path;
        EXPECT_EQ(argv("x {1.}", args), (Words{"x", c.no_ext})) << c.path;
        EXPECT_EQ(argv("x {1/}", args), (Words{"x", c.base})) << c.path;
        EXPECT_EQ(argv("x {1//}", args), (Words{"x", c.dir})) << c.path;
        EXPECT_EQ(argv("x {1/.}", args), (Words{"x", c.base_no_ext})) << c.path;

        using wgrun::shell_quote;
        EXPECT_EQ(expand("x {}", args), "x " + shell_quote(c.path));
        EXPECT_EQ(expand("x {.}", args), "x " + shell_quote(c.no_ext));
        EXPECT_EQ(expand("x {/}", args), "x " + shell_quote(c.base));
        EXPECT_EQ(expand("x {//}", args), "x " + shell_quote(c.dir));
        EXPECT_EQ(expand("x {/.}", args), "x " + shell_quote(c.base_no_ext));
    }
}

TEST(CommandTemplate, NumberedSources) {
    const Args args = {"a/b/c.tar.gz", "/abs/x.y", "third"};
    EXPECT_EQ(expand("cp {1} {2}", args), "cp a/b/c.tar.gz /abs/x.y");
    EXPECT_EQ(expand("{2.} {2/} {2//} {2/.} {1/.} {3}", args), "/abs/x x.y /abs x c.tar third");
    EXPECT_EQ(expand("{3}{1}", args), "thirda/b/c.tar.gz");
    EXPECT_EQ(expand("{01}", args), "a/b/c.tar.gz");
    // A source beyond the input is replaced by nothing.
    EXPECT_EQ(expand("echo {4} {9/}.", args), "echo  .");
    EXPECT_EQ(argv("echo {4}", args), (Words{"echo", ""}));
}

TEST(CommandTemplate, AllSourcesJoinedBySpaces) {
    const Args args = {"a b.txt", "d/c.gz", "$(touch pwned)"};
    EXPECT_EQ(expand("echo {}", args), "echo 'a b.txt' d/c.gz '$(touch pwned)'");
    EXPECT_EQ(expand("echo {.}", args), "echo 'a b' d/c '$(touch pwned)'");
    EXPECT_EQ(expand("echo {/.}", {"x/a.1", "y/b.2"}), "echo a b");
    EXPECT_EQ(expand("echo {//}", {"x/a.1", "b"}), "echo x .");
    EXPECT_EQ(expand("echo <{}>", {"a", "b"}), "echo <a b>");

    // Standing alone as a word: one word per source.
    EXPECT_EQ(argv("echo {}", args), (Words{"echo", "a b.txt", "d/c.gz", "$(touch pwned)"}));
    EXPECT_EQ(argv("echo {.} end", args), (Words{"echo", "a b", "d/c", "$(touch pwned)", "end"}));
    // Within a word: one word, the values joined by spaces.
    EXPECT_EQ(argv("echo <{}>", {"a", "b"}), (Words{"echo", "<a b>"}));
    EXPECT_EQ(argv("echo {}{}", {"a", "b"}), (Words{"echo", "a ba b"}));
    // Quotes are removed first: '{}' is a word that is {} alone.
    EXPECT_EQ(argv("echo '{}'", {"a", "b"}), (Words{"echo", "a", "b"}));
    EXPECT_EQ(argv("echo '<{}>'", {"a", "b"}), (Words{"echo", "<a b>"}));
    // No input at all: a lone {} gives no word.
    EXPECT_EQ(argv("echo {} x", {}), (Words{"echo", "x"}));
    EXPECT_EQ(expand("echo {} x", {}), "echo  x");
}

TEST(CommandTemplate, SameReplacementStringTwice) {
    EXPECT_EQ(expand("mv {} {.}.bak", {"f.txt"}), "mv f.txt f.bak");
    EXPECT_EQ(argv("mv {} {.}.bak", {"f.txt"}), (Words{"mv", "f.txt", "f.bak"}));
}

TEST(CommandTemplate, AppendsWhenNoReplacementString) {
    const Args args = {"a b", "c", ""};
    EXPECT_EQ(expand("echo", args), "echo 'a b' c ''");
    EXPECT_EQ(expand("echo -n", {"x"}), "echo -n x");
    EXPECT_EQ(expand("echo", {}), "echo");
    EXPECT_EQ(argv("echo", args), (Words{"echo", "a b", "c", ""}));
    EXPECT_EQ(argv("echo  -n ", {"x"}), (Words{"echo", "-n", "x"}));
    EXPECT_EQ(argv("echo", {}), (Words{"echo"}));
    // Only blanks: the values alone are the command.
    EXPECT_EQ(argv("  ", {"ls", "-l"}), (Words{"ls", "-l"}));
}

TEST(CommandTemplate, SeqAndSlot) {
    EXPECT_EQ(expand("echo {#} {%}", {"a"}, 7, 3), "echo 7 3");  // not appended
    EXPECT_EQ(expand("echo {#}", {"a"}, 12, 1), "echo 12");
    EXPECT_EQ(expand("echo {%}", {"a", "b"}, 1, 4), "echo 4");
    EXPECT_EQ(expand("job{#}-{%}: {}", {"x"}, 1, 2), "job1-2: x");
    const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(expand("{#}", {}, big, 0), "18446744073709551615");
    EXPECT_EQ(argv("echo {#}", {"a"}, 5, 2), (Words{"echo", "5"}));
    EXPECT_EQ(argv("echo n{#}s{%}", {"a"}, 5, 2), (Words{"echo", "n5s2"}));
    EXPECT_TRUE(CommandTemplate::parse("{#}").has_replacement());
    EXPECT_TRUE(CommandTemplate::parse("{%}").has_replacement());
}

TEST(CommandTemplate, OtherBracesAreLiteral) {
    EXPECT_EQ(expand("awk '{print $1}'", {"f"}), "awk '{print $1}' f");
    EXPECT_EQ(argv("awk '{print $1}'", {"f"}), (Words{"awk", "{print $1}", "f"}));
    EXPECT_EQ(expand("awk '{print $1}' {}", {"f g"}), "awk '{print $1}' 'f g'");
    for (const char* literal : {"{foo}", "{ }", "{1x}", "{0x}", "{+/}", "{..}", "{#1}",
                                "{/./}", "{ 1}", "{", "}", "{{", "}{", "a{b", "x{"}) {
        const CommandTemplate t = CommandTemplate::parse(literal);
        EXPECT_FALSE(t.has_replacement()) << literal;
        EXPECT_EQ(t.expand(Args{"v"}, 1, 1), std::string(literal) + " v") << literal;
    }
    // GNU parallel's \{(-?\d+)\s*}: from the last, and blanks before the brace.
    EXPECT_EQ(expand("{-1} {1 } {2 .}", {"a", "b.c"}), "b.c a b");
    // An unmatched '{' before a real replacement string.
    EXPECT_EQ(expand("{ {}", {"v"}), "{ v");
    EXPECT_EQ(expand("{{}}", {"v"}), "{v}");
    EXPECT_EQ(expand("{}}", {"v"}), "v}");
    EXPECT_EQ(expand("find . -exec echo {} \\;", {"v"}), "find . -exec echo v \\;");
}

TEST(CommandTemplate, SourceZeroIsAnError) {
    for (const char* bad : {"{0}", "{0.}", "{0/}", "{0//}", "{0/.}", "{00}", "echo {0} x",
                            "{1} {0}", "{99999999999999999999999}"}) {
        EXPECT_THROW(CommandTemplate::parse(bad), TemplateError) << bad;
    }
    try {
        CommandTemplate::parse("echo {0}");
        FAIL();
    } catch (const TemplateError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("{0}"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(CommandTemplate, InjectionIsQuotedForTheShell) {
    const Args values = {"$(touch pwned)", "`touch pwned`", "a;touch pwned", "a'b", "\"",
                         "\\", "*", "~", "", "-n", "line\nbreak", "tab\there",
                         "My brother's 12\" *** record  (costs $$$).jpg", "x && touch pwned",
                         "\xff\x80/caf\xc3\xa9.t", "dir.d/$(id).sh"};
    char dir_name[] = "/tmp/wgrun_template_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_name), nullptr);
    const std::string dir = dir_name;
    const CommandTemplate t =
        CommandTemplate::parse("printf '[%s]' {} {.} {/} {//} {/.} x{1}y {#}");
    for (const std::string& value : values) {
        const Args args = {value};
        const Words words = t.expand_argv(args, 9, 1);
        ASSERT_EQ(words.size(), 9u);
        EXPECT_EQ(words[2], value);  // verbatim, no quoting
        EXPECT_EQ(words[7], "x" + value + "y");
        const std::string command = "cd " + dir + " && " + t.expand(args, 9, 1);
        EXPECT_EQ(sh_output(command), bracketed(Words(words.begin() + 2, words.end())))
            << t.expand(args, 9, 1);
    }
    // Two sources at once through {}.
    const CommandTemplate all = CommandTemplate::parse("printf '[%s]' {}");
    const Args two = {"a b", "$(touch pwned)"};
    EXPECT_EQ(sh_output("cd " + dir + " && " + all.expand(two, 1, 1)), "[a b][$(touch pwned)]");
    EXPECT_EQ(rmdir(dir.c_str()), 0) << "the shell created files in " << dir;
}

TEST(CommandTemplate, NoShellSplitsTheTemplateNotTheValues) {
    EXPECT_EQ(argv("sh -c 'echo {}'", {"a b"}), (Words{"sh", "-c", "echo a b"}));
    EXPECT_EQ(argv("grep -e \"x y\" {}", {"f 1"}), (Words{"grep", "-e", "x y", "f 1"}));
    EXPECT_EQ(argv("echo pre{}post", {"a b"}), (Words{"echo", "prea bpost"}));
    EXPECT_EQ(argv("echo '' {}", {"v"}), (Words{"echo", "", "v"}));
    EXPECT_EQ(argv("echo \\$HOME {}", {"$HOME"}), (Words{"echo", "$HOME", "$HOME"}));
    EXPECT_EQ(argv("echo {}", {"a'b", "c\"d", "e\\f", "*", ""}),
              (Words{"echo", "a'b", "c\"d", "e\\f", "*", ""}));
}

TEST(CommandTemplate, NoShellErrors) {
    const CommandTemplate open_quote = CommandTemplate::parse("echo 'abc {}");
    EXPECT_EQ(open_quote.expand(Args{"v"}, 1, 1), "echo 'abc v");  // sh will complain itself
    EXPECT_THROW(open_quote.expand_argv(Args{"v"}, 1, 1), TemplateError);
    EXPECT_THROW(argv("echo \"abc", {"v"}), TemplateError);
    EXPECT_THROW(argv("echo \\", {"v"}), TemplateError);
    EXPECT_THROW(argv("   ", {}), TemplateError);
    EXPECT_THROW(argv("{}", {}), TemplateError);
    try {
        argv("echo 'x", {});
        FAIL();
    } catch (const TemplateError& e) {
        EXPECT_NE(std::string(e.what()).find("unterminated single quote"), std::string::npos);
    }
}

TEST(CommandTemplate, EmptyTemplateRunsEachInput) {
    const CommandTemplate none;
    EXPECT_TRUE(none.empty());
    EXPECT_FALSE(none.has_replacement());
    EXPECT_EQ(none.max_source(), 0u);
    EXPECT_EQ(none.expand(Args{"echo 'a b' $HOME"}, 1, 1), "echo 'a b' $HOME");
    EXPECT_EQ(none.expand(Args{"echo", "x y"}, 1, 1), "echo x y");
    EXPECT_EQ(none.expand_argv(Args{"echo 'a b' $HOME"}, 1, 1),
              (Words{"echo", "a b", "$HOME"}));
    EXPECT_EQ(none.expand_argv(Args{"ls", "-l  /"}, 1, 1), (Words{"ls", "-l", "/"}));
    EXPECT_THROW(none.expand_argv(Args{"echo 'a"}, 1, 1), TemplateError);
    EXPECT_THROW(none.expand_argv(Args{"echo \\"}, 1, 1), TemplateError);
    EXPECT_THROW(none.expand_argv(Args{}, 1, 1), TemplateError);
    EXPECT_THROW(none.expand_argv(Args{"  \t"}, 1, 1), TemplateError);

    const CommandTemplate parsed = CommandTemplate::parse("");
    EXPECT_TRUE(parsed.empty());
    EXPECT_EQ(parsed.expand(Args{"echo", "hi"}, 1, 1), "echo hi");
    EXPECT_FALSE(CommandTemplate::parse(" ").empty());
    EXPECT_FALSE(CommandTemplate::parse("{}").empty());
}

TEST(CommandTemplate, Queries) {
    const CommandTemplate t = CommandTemplate::parse("echo {2} {1.} {#} {10//}");
    EXPECT_TRUE(t.has_replacement());
    EXPECT_EQ(t.max_source(), 10u);
    EXPECT_FALSE(t.empty());
    EXPECT_EQ(CommandTemplate::parse("{}").max_source(), 0u);
    EXPECT_TRUE(CommandTemplate::parse("{}").has_replacement());
    EXPECT_TRUE(CommandTemplate::parse("{//}").has_replacement());
    EXPECT_EQ(CommandTemplate::parse("{#}{%}").max_source(), 0u);
    EXPECT_FALSE(CommandTemplate::parse("echo").has_replacement());
    EXPECT_EQ(CommandTemplate::parse("echo").max_source(), 0u);
    EXPECT_FALSE(CommandTemplate::parse("awk '{print $1}'").has_replacement());
    EXPECT_EQ(CommandTemplate::parse("{3/.}").max_source(), 3u);
}

TEST(CommandTemplate, CopiesExpandTheSame) {
    const CommandTemplate original = CommandTemplate::parse("cp {1} {2/}.{#}");
    const CommandTemplate copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
    const Args args = {"a b", "d/e"};
    EXPECT_EQ(copy.expand(args, 3, 1), original.expand(args, 3, 1));
    EXPECT_EQ(copy.expand(args, 3, 1), "cp 'a b' e.3");
    EXPECT_EQ(copy.expand_argv(args, 3, 1), (Words{"cp", "a b", "e.3"}));
}

TEST(CommandTemplate, ManyExpansionsOfOneTemplate) {
    const CommandTemplate t = CommandTemplate::parse("convert {} -resize 50% out/{/.}.png");
    std::size_t total = 0;
    for (std::uint64_t seq = 1; seq <= 100000; ++seq) {
        const Args args = {"photos/img" + std::to_string(seq) + ".jpg"};
        total += t.expand(args, seq, 1).size();
    }
    EXPECT_GT(total, 0u);
    EXPECT_EQ(t.expand(Args{"photos/x y.jpg"}, 1, 1),
              "convert 'photos/x y.jpg' -resize 50% out/'x y'.png");
}

}  // namespace
