// line_prefixer_test.cpp: LinePrefixer puts the prefix at every line start
// however the bytes are cut; TagFormat makes --tag / --tagstring prefixes,
// coloured only when asked; CommandTemplate::expand_text expands unquoted.
#include "output/line_prefixer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support/output_test_support.hpp"
#include "command/shell_quote.hpp"

namespace {

using wgrun::LinePrefixer;
using wgrun::Stream;
using wgrun::TagFormat;
using wgrun::test::TestJob;

std::string prefix_all(LinePrefixer& p, const std::vector<std::string>& pieces) {
    std::string out;
    for (const std::string& piece : pieces) p.apply(piece, out);
    return out;
}

TEST(LinePrefixer, PrefixesEveryLineStart) {
    LinePrefixer p("T\t");
    EXPECT_EQ(prefix_all(p, {"a\nbb\n\nc\n"}), "T\ta\nT\tbb\nT\t\nT\tc\n");
}

TEST(LinePrefixer, LinesCutAnywhere) {
    const std::string text = "one\ntwo two\nthree\n\nfour";
    const std::string want = "P one\nP two two\nP three\nP \nP four";
    for (std::size_t cut1 = 0; cut1 <= text.size(); ++cut1) {
        for (std::size_t cut2 = cut1; cut2 <= text.size(); ++cut2) {
            LinePrefixer p("P ");
            EXPECT_EQ(prefix_all(p, {text.substr(0, cut1), text.substr(cut1, cut2 - cut1),
                                     text.substr(cut2)}),
                      want)
                << cut1 << " " << cut2;
        }
    }
}

TEST(LinePrefixer, NoStrayPrefixAfterTheLastNewline) {
    LinePrefixer p("x:");
    EXPECT_EQ(prefix_all(p, {"a\n", "b\n"}), "x:a\nx:b\n");
}

TEST(LinePrefixer, PartialLastLineAndCrlf) {
    LinePrefixer p("t\t");
    EXPECT_EQ(prefix_all(p, {"dos\r", "\nline\r\nlast"}), "t\tdos\r\nt\tline\r\nt\tlast");
}

TEST(LinePrefixer, EmptyPrefixCopies) {
    LinePrefixer p;
    EXPECT_FALSE(p.active());
    std::string out = "kept ";
    p.apply(std::string("a\0b\n", 4), out);
    EXPECT_EQ(out, std::string("kept a\0b\n", 9));
}

TEST(TagFormat, OffGivesNoPrefix) {
    TestJob job(1, {"a"});
    EXPECT_FALSE(TagFormat().enabled());
    EXPECT_EQ(TagFormat().prefix(job.start, Stream::Out), "");
    EXPECT_EQ(TagFormat(false, "", true, true).prefix(job.start, Stream::Out), "");
}

TEST(TagFormat, TagIsTheValuesJoinedBySpaces) {
    TestJob job(3, {"foo bar", "b'az"});
    const TagFormat tags(true, "", false, false);
    EXPECT_EQ(tags.prefix(job.start, Stream::Out), "foo bar b'az\t");
    EXPECT_EQ(tags.prefix(job.start, Stream::Err), "foo bar b'az\t");
    TestJob none(4);
    none.start.args = nullptr;
    EXPECT_EQ(tags.prefix(none.start, Stream::Out), "\t");
}

TEST(TagFormat, TagstringIsExpandedUnquotedAndImpliesTagging) {
    TestJob job(3, {"foo"}, 2);
    const TagFormat tags(false, "{#}:{}", false, false);
    EXPECT_TRUE(tags.enabled());
    EXPECT_EQ(tags.prefix(job.start, Stream::Out), "3:foo\t");
    TestJob spaced(12, {"a b", "it's"}, 5);
    EXPECT_EQ(TagFormat(true, "[{%}] {2} {1/}", false, false).prefix(spaced.start, Stream::Err),
              "[5] it's a b\t");
    EXPECT_EQ(TagFormat(false, "plain", false, false).prefix(spaced.start, Stream::Out),
              "plain\t");
}

TEST(TagFormat, ABadTagstringThrows) {
    EXPECT_THROW(TagFormat(false, "{0}", false, false), wgrun::TemplateError);
}

TEST(TagFormat, ColourWrapsTheTagOnlyOnTheDestinationsAsked) {
    TestJob job(2, {"v"});
    const TagFormat out_only(true, "", true, false);
    EXPECT_EQ(out_only.prefix(job.start, Stream::Out), "\x1b[32mv\x1b[0m\t");
    EXPECT_EQ(out_only.prefix(job.start, Stream::Err), "v\t");
    const TagFormat err_only(true, "", false, true);
    EXPECT_EQ(err_only.prefix(job.start, Stream::Out), "v\t");
    EXPECT_EQ(err_only.prefix(job.start, Stream::Err), "\x1b[32mv\x1b[0m\t");
}

TEST(TagFormat, ColoursCycleOverSixDistinctOnes) {
    std::set<std::string> colours;
    for (std::uint64_t seq = 1; seq <= 6; ++seq) {
        colours.emplace(TagFormat::colour(seq));
        EXPECT_EQ(TagFormat::colour(seq), TagFormat::colour(seq + 6));
    }
    EXPECT_EQ(colours.size(), 6u);
    EXPECT_NE(TagFormat::colour(1), TagFormat::colour(2));
}

TEST(CommandTemplateExpandText, ValuesUnquotedNeverAppended) {
    const std::vector<std::string> args{"x y.txt", "$HOME"};
    EXPECT_EQ(wgrun::CommandTemplate::parse("{#}-{%} {1.} {2}").expand_text(args, 7, 3),
              "7-3 x y $HOME");
    EXPECT_EQ(wgrun::CommandTemplate::parse("no strings").expand_text(args, 1, 1),
              "no strings");
    EXPECT_EQ(wgrun::CommandTemplate().expand_text(args, 1, 1), "");
    // expand() is unchanged: quoted and appended.
    EXPECT_EQ(wgrun::CommandTemplate::parse("echo").expand(args, 1, 1),
              "echo " + wgrun::shell_quote(args[0]) + " " + wgrun::shell_quote(args[1]));
}

}  // namespace
