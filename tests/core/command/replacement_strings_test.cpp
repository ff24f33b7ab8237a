// replacement_strings_test.cpp: the strings a TemplateSyntax configures
// (-I's, --er ... --slotreplace, --plus, --parens, --rpl) and {= perl =},
// with a fake Perl for the parsing and the real perl coprocess for the
// values (PerlCoprocessTest covers its protocol).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "command/command_builder.hpp"
#include "command/command_template.hpp"
#include "command/perl_coprocess.hpp"
#include "command/template_syntax.hpp"

namespace {

using wgrun::CommandTemplate;
using wgrun::JobSkipped;
using wgrun::PerlCall;
using wgrun::PerlCoprocess;
using wgrun::PerlError;
using wgrun::PerlEvaluator;
using wgrun::PerlJob;
using wgrun::PerlResults;
using wgrun::TemplateError;
using wgrun::TemplateSyntax;
using Args = std::vector<std::string>;
using Words = std::vector<std::string>;

// Records the code it is asked to compile; each value is "<code>(<value>)".
class FakePerl : public PerlEvaluator {
public:
    std::vector<std::string> compiled;
    int evaluations = 0;
    std::size_t compile(std::string_view code) override {
        if (code.find("SYNTAX") != std::string_view::npos) throw PerlError("syntax error");
        for (std::size_t i = 0; i < compiled.size(); ++i) {
            if (compiled[i] == code) return i;
        }
        compiled.emplace_back(code);
        return compiled.size() - 1;
    }
    PerlResults evaluate(const PerlJob& job, std::span<const PerlCall> calls) override {
        ++evaluations;
        PerlResults results;
        for (const PerlCall& call : calls) {
            results.values.push_back({compiled[call.expr] + "(" + job.args[call.arg] + ")", false});
        }
        return results;
    }
    bool filter(const PerlJob&, std::string_view) override { return true; }
};

std::string expand(std::string_view text, const Args& args, const TemplateSyntax& syntax,
                   std::uint64_t seq = 7, std::uint64_t slot = 3) {
    return CommandTemplate::parse(text, syntax).expand(args, seq, slot);
}

TemplateSyntax plus() {
    TemplateSyntax syntax;
    syntax.plus = true;
    return syntax;
}

TEST(ReplacementStrings, DefaultsAreGnusAndPositionalFromTheEnd) {
    const TemplateSyntax syntax;
    EXPECT_EQ(expand("e {} {.} {/} {//} {/.} {#} {%}", {"d/a.b"}, syntax),
              "e d/a.b d/a a.b d a 7 3");
    EXPECT_EQ(expand("e {-1} {-2/} {1 .}", {"x/a.c", "y/b.d"}, syntax), "e y/b.d a.c x/a");
    EXPECT_EQ(expand("e {-3}", {"a", "b"}, syntax), "e ");
    EXPECT_THROW(CommandTemplate::parse("e {0}", syntax), TemplateError);
}

TEST(ReplacementStrings, AStringInTheFirstWordMakesTheValuesTheCommand) {
    // GNU parallel: "@command" =~ /^[^ \t\n=]*\257</ turns quoting off.
    const TemplateSyntax syntax;
    EXPECT_EQ(expand("{} {}", {"echo a;b"}, syntax), "echo a;b echo a;b");
    EXPECT_EQ(expand("x{1}y 'a b'", {"1 2"}, syntax), "x1 2y 'a b'");
    EXPECT_EQ(expand("{#}", {"v"}, syntax), "7");
    // Not when a blank or '=' comes first: V={} is an assignment.
    EXPECT_EQ(expand("V={} cmd {}", {"a b"}, syntax), "V='a b' cmd 'a b'");
    EXPECT_EQ(expand(" {}", {"a b"}, syntax), " 'a b'");
    EXPECT_EQ(expand("echo {}", {"a b"}, syntax), "echo 'a b'");
    // --no-shell and text are never quoted anyway.
    EXPECT_EQ(CommandTemplate::parse("{}", syntax).expand_argv(Args{"a b"}, 1, 1), Words{"a b"});
}

TEST(ReplacementStrings, RenamedStringsTakeTheMeaningAway) {
    TemplateSyntax syntax;
    syntax.no_ext = "EXT";
    syntax.base = "BASE";
    syntax.dir = "DIR";
    syntax.base_no_ext = "BNE";
    syntax.seq = "SEQ";
    syntax.slot = "SLOT";
    EXPECT_EQ(expand("e EXT BASE DIR BNE SEQ SLOT", {"d/a.b"}, syntax), "e d/a a.b d a 7 3");
    // The old strings are plain text now; {} and {n} stay.
    EXPECT_EQ(expand("e {.} {/} {#} {} {1}", {"d/a.b"}, syntax), "e {.} {/} {#} d/a.b d/a.b");
    syntax.input = "XX";  // -I XX
    EXPECT_EQ(expand("e XX {} {1}", {"v"}, syntax), "e v {} {1}");
    // A { string gets its positional form: {1.x} for --er {.x}.
    TemplateSyntax braces;
    braces.no_ext = "{.x}";
    EXPECT_EQ(expand("e {.x} {2.x} {.}", {"a.1", "b.2"}, braces), "e a b b {.}");
}

TEST(ReplacementStrings, PlusStringsAreGnus) {
    // Each row checked against GNU parallel 20221122.
    const Args values{"a.d/b.tar.gz", "x", ".a.b.c.d", "/x.y/z"};
    const std::vector<std::string> want{
        "e a.d gz tar.gz '' a.d/b a.d/b.tar.gz b b.tar.gz",
        "e '' '' '' '' x x x x",
        "e '' d c.d b.c.d .a.b .a .a.b .a",
        "e /x.y y/z '' '' /x.y/z /x.y/z z z",
    };
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(expand("e {+/} {+.} {+..} {+...} {..} {...} {/..} {/...}", {values[i]}, plus()),
                  want[i])
            << values[i];
    }
    TemplateSyntax syntax = plus();
    syntax.jobs = 120;
    EXPECT_EQ(expand("{0%} {slot} {%} {#}", {"v"}, syntax, 9, 4), "004 4 4 9");
    syntax.jobs = 9;
    EXPECT_EQ(expand("{0%}", {"v"}, syntax, 9, 4), "4");
    // {##} and {0#}: the run's number of jobs, once it is known (GNU:
    // 1 + int(log10(total)) digits for {0#}).
    syntax.total = std::make_shared<wgrun::JobTotal>();
    const CommandTemplate total = CommandTemplate::parse("{##} {0#} {#}", syntax);
    EXPECT_TRUE(total.uses_total());
    EXPECT_FALSE(CommandTemplate::parse("{0%} {#}", syntax).uses_total());
    syntax.total->set(120);
    EXPECT_EQ(total.expand(Args{"v"}, 9, 4), "120 009 9");
    syntax.total->set(9);
    EXPECT_EQ(total.expand(Args{"v"}, 9, 4), "9 9 9");
    syntax.total->set(10);
    EXPECT_EQ(total.expand(Args{"v"}, 3, 4), "10 03 3");
    // Not --plus: plain text, and no need to count.
    const CommandTemplate plain = CommandTemplate::parse("{##} {0#}", TemplateSyntax{});
    EXPECT_FALSE(plain.uses_total());
    EXPECT_EQ(plain.expand(Args{"v"}, 1, 1), "{##} {0#} v");
    // Positional forms, and the plain strings without --plus.
    EXPECT_EQ(expand("{2+.} {1..}", {"a.b.c", "d.e"}, plus()), "e a");
    EXPECT_EQ(expand("{+.} {..}", {"a.b.c"}, TemplateSyntax{}), "{+.} {..} a.b.c");
}

TEST(ReplacementStrings, PerlStringsOfPlusNeedPerl) {
    // Without an interpreter the Perl ones are plain text.
    EXPECT_EQ(expand("{:-x} {%.gz} {uniq}", {"a.gz"}, plus()), "{:-x} {%.gz} {uniq} a.gz");
    auto perl = std::make_shared<FakePerl>();
    TemplateSyntax syntax = plus();
    syntax.perl = perl;
    const CommandTemplate t = CommandTemplate::parse("e {%.gz} {2/a/b}", syntax);
    EXPECT_TRUE(t.uses_perl());
    ASSERT_EQ(perl->compiled.size(), 2u);
    // GNU: the groups become $_pAr_gRpN, perl-quoted, in front of the code.
    EXPECT_EQ(perl->compiled[0],
              "$_pAr_gRp1 = \".gz\";$nongreedy=::make_regexp_ungreedy($_pAr_gRp1);"
              "s/(.*)$nongreedy$/$1/;");
    EXPECT_EQ(perl->compiled[1], "$_pAr_gRp1 = \"a\";$_pAr_gRp2 = \"b\";s/$_pAr_gRp1/$_pAr_gRp2/;");
    EXPECT_EQ(t.expand(Args{"x", "y"}, 1, 1),
              "e '" + perl->compiled[0] + "(x)' '" + perl->compiled[0] + "(y)' '" +
                  perl->compiled[1] + "(y)'");
}

TEST(ReplacementStrings, PerlBlocksParensAndRpl) {
    auto perl = std::make_shared<FakePerl>();
    TemplateSyntax syntax;
    syntax.perl = perl;
    // {= =}, {=n =} (GNU), {n= =} (wgrun), the shortest block, one compile.
    const CommandTemplate t =
        CommandTemplate::parse("e {= s/a/b/ =} {=2 uc =} {-1=uc=} x{={}=}y {= s/a/b/ =}", syntax);
    EXPECT_EQ(perl->compiled, (Words{"s/a/b/ ", "uc ", "uc", "{}"}));
    EXPECT_EQ(t.max_source(), 2u);
    EXPECT_EQ(t.expand_text(Args{"p", "q"}, 1, 1),
              "e s/a/b/ (p) s/a/b/ (q) uc (q) uc(q) x{}(p) {}(q)y s/a/b/ (p) s/a/b/ (q)");
    EXPECT_EQ(perl->evaluations, 1);  // one round trip per job
    // An unclosed {= is text; a Perl syntax error is the template's.
    EXPECT_EQ(CommandTemplate::parse("e {= x", syntax).expand_text(Args{"v"}, 1, 1), "e {= x");
    EXPECT_THROW(CommandTemplate::parse("e {= SYNTAX =}", syntax), TemplateError);
    // No interpreter: plain text, as before.
    EXPECT_EQ(expand("e {= s/a/b/ =}", {"a"}, TemplateSyntax{}), "e {= s/a/b/ =} a");

    // --parens ,,,: GNU splits at half the length, rounded down: , and ,,
    TemplateSyntax parens = syntax;
    parens.parens = ",,,";
    EXPECT_EQ(CommandTemplate::parse("e ,lc,, ,2 uc,, {= x =}", parens).expand_text(Args{"A", "B"}, 1, 1),
              "e lc(A) lc(B) uc(B) {= x =}");
    parens.parens = "[[]]";
    EXPECT_EQ(CommandTemplate::parse("e [[lc]]", parens).expand_text(Args{"A"}, 1, 1), "e lc(A)");

    // --rpl: a tag, its positional form, a tag with groups, a built-in replaced.
    TemplateSyntax rpl = syntax;
    rpl.rpl = {"{..} s:\\.[^.]+$::;", "{/(\\w+)/} s/$$1//", "{} uc"};
    const CommandTemplate r = CommandTemplate::parse("e {..} {2..} {/zz/} {}", rpl);
    EXPECT_EQ(r.expand_text(Args{"A", "B"}, 1, 1),
              "e s:\\.[^.]+$::;(A) s:\\.[^.]+$::;(B) s:\\.[^.]+$::;(B) "
              "$_pAr_gRp1 = \"zz\";s/$_pAr_gRp1//(A) $_pAr_gRp1 = \"zz\";s/$_pAr_gRp1//(B) "
              "uc(A) uc(B)");
}

TEST(ReplacementStrings, NoShellKeepsAPerlBlockWhole) {
    auto perl = std::make_shared<FakePerl>();
    TemplateSyntax syntax;
    syntax.perl = perl;
    const CommandTemplate t = CommandTemplate::parse("e {= s/ /_/ =} 'a{= lc =}'", syntax);
    EXPECT_EQ(t.expand_argv(Args{"x", "y"}, 1, 1),
              (Words{"e", "s/ /_/ (x)", "s/ /_/ (y)", "alc (x) lc (y)"}));
}

// --- With the real perl ------------------------------------------------------

TemplateSyntax real_perl() {
    TemplateSyntax syntax;
    syntax.perl = std::make_shared<PerlCoprocess>();
    return syntax;
}

TEST(PerlExpressions, RealPerlSemantics) {
    const TemplateSyntax syntax = real_perl();
    EXPECT_EQ(expand("e {= s:\\.[^.]+$::; =}", {"foo.tar.gz"}, syntax), "e foo.tar");
    EXPECT_EQ(expand("e {= $_ = $job->seq() * 10 + $job->slot() =}", {"v"}, syntax, 4, 2),
              "e 42");
    EXPECT_EQ(expand("e {= $_ = seq() . slot() =}", {"v"}, syntax, 4, 2), "e 42");
    EXPECT_EQ(expand("e {= $_ = $arg[1].$arg[2] =}", {"a", "b"}, syntax), "e ab ab");
    // Quoted for sh as a whole, unless uq(); Q() quotes inside.
    EXPECT_EQ(expand("e {= $_ = 'a b;c' =}", {"v"}, syntax), "e 'a b;c'");
    EXPECT_EQ(expand("e {= $_ = 'a b'; uq() =}", {"v"}, syntax), "e a b");
    EXPECT_EQ(expand("e {= $_ = Q($_); uq() =}", {"it's"}, syntax), "e 'it'\"'\"'s'");
    // A value holding newlines and quotes goes through whole.
    EXPECT_EQ(CommandTemplate::parse("{= $_ .= \"\\n!\" =}", syntax).expand_text(Args{"a'\nb"}, 1, 1),
              "a'\nb\n!");
    EXPECT_THROW(expand("e {= skip() if /x/ =}", {"xa"}, syntax), JobSkipped);
    EXPECT_EQ(expand("e {= skip() if /x/ =}", {"ya"}, syntax), "e ya");
    try {
        expand("e {= die \"boom\\n\" =}", {"v"}, syntax);
        FAIL() << "no PerlError";
    } catch (const PerlError& e) {
        EXPECT_EQ(std::string(e.what()), "a Perl expression died: boom");
    }
    try {
        CommandTemplate::parse("e {= s/( =}", syntax);
        FAIL() << "no TemplateError";
    } catch (const TemplateError& e) {
        EXPECT_NE(std::string(e.what()).find("Substitution pattern not terminated"),
                  std::string::npos);
    }
    TemplateSyntax bash = plus();
    bash.perl = syntax.perl;
    EXPECT_EQ(expand("{:-dflt} {%.gz} {#a.} {/a/X} {^b} {2%%.g*}", {"a.b.gz", "c.gz"}, bash),
              "a.b.gz c.gz a.b c b.gz c.gz X.b.gz c.gz a.b.gz c.gz c.g");
}

TEST(PerlExpressions, FilterAndSkipInTheBuilder) {
    const TemplateSyntax syntax = real_perl();
    wgrun::CommandBuilder builder(CommandTemplate::parse("echo {}", syntax), true);
    builder.set_filters({CommandTemplate::parse("\"{}\" =~ /y/ and {#} > 1", syntax)},
                        syntax.perl);
    EXPECT_THROW(builder.build(wgrun::JobInput{1, {"y"}}, 1), JobSkipped);
    EXPECT_THROW(builder.build(wgrun::JobInput{2, {"x"}}, 1), JobSkipped);
    EXPECT_EQ(builder.build(wgrun::JobInput{2, {"y"}}, 1).display, "echo y");
}

}  // namespace

namespace {

TEST(ReplacementStrings, HostAndSshloginAreTheSlotsHostQuoted) {
    TemplateSyntax syntax = plus();
    syntax.hosts = std::make_shared<wgrun::SlotHosts>();
    EXPECT_EQ(expand("echo {host} {sshlogin}", {"a"}, syntax, 1, 2), "echo : :");
    syntax.hosts->set([](std::uint64_t slot) {
        return slot == 2 ? wgrun::SlotHost{"me@h 2:22", "h 2"} : wgrun::SlotHost{};
    });
    EXPECT_EQ(expand("echo {host} {sshlogin}", {"a"}, syntax, 1, 2), "echo 'h 2' 'me@h 2:22'");
    EXPECT_EQ(expand("echo {host}", {"a"}, syntax, 1, 1), "echo :");
    // Not a string without --plus, as in GNU parallel.
    EXPECT_EQ(expand("echo {host}", {"a"}, TemplateSyntax{}, 1, 2), "echo {host} a");
}

}  // namespace
