// record_format_test.cpp: where --pipe may cut: GNU's escapes, the last cut
// (fixed and --regexp), -N's n-th cut, --pipepart's cut after a position,
// and --rrs.
#include "split/record_format.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using wgrun::RecordFormat;
using wgrun::RecordFormatError;
using wgrun::unescape_separator;

RecordFormat fixed(std::optional<std::string> start, std::optional<std::string> end) {
    return RecordFormat(std::move(start), std::move(end), false);
}

TEST(RecordFormat, EscapesAreGnuParallels) {
    EXPECT_EQ(unescape_separator("\\n\\t\\r"), "\n\t\r");
    EXPECT_EQ(unescape_separator("\\0"), std::string(1, '\0'));
    EXPECT_EQ(unescape_separator("a\\\\b\\'\\\""), "a\\b'\"");
    EXPECT_EQ(unescape_separator("\\x41\\"), "\\x41\\");  // others stay as they are
}

TEST(RecordFormat, DefaultCutsAfterTheLastNewline) {
    const RecordFormat lines;
    EXPECT_EQ(lines.separator(), "\n");
    EXPECT_EQ(lines.last_cut("a\nb\nc"), 4u);
    EXPECT_EQ(lines.last_cut("abc"), 0u);
    EXPECT_EQ(lines.last_cut(""), 0u);
}

TEST(RecordFormat, TheCleanPrefixIsNotSearchedAgain) {
    const RecordFormat lines;
    // A newline at 1 is before the clean part's end (3): not found again.
    EXPECT_EQ(lines.last_cut("a\nbcdef", 3), 0u);
    EXPECT_EQ(lines.last_cut("a\nbcd\nf", 3), 6u);
    // A two-byte separator across the edge of the clean part is found.
    const RecordFormat two = fixed(std::nullopt, "xy");
    EXPECT_EQ(two.last_cut("aaxyb", 3), 4u);
}

TEST(RecordFormat, StartAndEndMustMeet) {
    const RecordFormat fasta = fixed(">", std::nullopt);
    EXPECT_EQ(fasta.separator(), ">");
    EXPECT_EQ(fasta.last_cut(">a\nAC\n>b\nT"), 6u);  // before the last '>'
    EXPECT_EQ(fasta.last_cut(">a\nAC"), 0u);         // only at 0: no cut
    const RecordFormat both = fixed("<", ">\n");
    EXPECT_EQ(both.last_cut("<a>\n<b>\n<c"), 8u);
    EXPECT_EQ(both.last_cut("<a>\nx<b>\n"), 0u);  // ">\n" not followed by "<"
}

TEST(RecordFormat, EmptyEndCutsAnywhere) {
    const RecordFormat binary = fixed(std::nullopt, "");
    EXPECT_EQ(binary.separator(), "");
    EXPECT_EQ(binary.last_cut("abcdef"), 6u);
}

TEST(RecordFormat, NthCutCountsFromTheSecondByte) {
    const RecordFormat lines;
    EXPECT_EQ(lines.nth_cut("1\n2\n3\n4\n", 3), std::optional<std::size_t>(6));
    EXPECT_EQ(lines.nth_cut("1\n2\n", 3), std::nullopt);
    // GNU's nindex() starts at 1: a separator at 0 is not counted.
    EXPECT_EQ(lines.nth_cut("\n1\n2\n", 2), std::optional<std::size_t>(5));
}

TEST(RecordFormat, PartCutIsTheFirstFromAPosition) {
    const RecordFormat lines;
    EXPECT_EQ(lines.part_cut("aa\nbb\ncc", 0), std::optional<std::size_t>(3));
    EXPECT_EQ(lines.part_cut("aa\nbb\ncc", 3), std::optional<std::size_t>(6));
    EXPECT_EQ(lines.part_cut("aabbcc", 0), std::nullopt);
}

TEST(RecordFormat, RegexpCutsAfterTheLastMatch) {
    const RecordFormat fasta(std::string("^>"), std::nullopt, true);
    EXPECT_TRUE(fasta.regexp());
    EXPECT_EQ(fasta.last_cut(">a\nAC\n>b\nT\n>c\n"), 11u);
    EXPECT_EQ(fasta.last_cut("x>a\n"), 0u);  // '>' not at a line's start
    const RecordFormat either(std::nullopt, std::string("C|T"), true);
    EXPECT_EQ(either.last_cut("AACGGTAA"), 6u);
    EXPECT_EQ(either.nth_cut("ACGTC", 2), std::optional<std::size_t>(4));
    // '.' does not match a newline, as in Perl.
    const RecordFormat dot(std::nullopt, std::string("a.b"), true);
    EXPECT_EQ(dot.last_cut("a\nb"), 0u);
    EXPECT_EQ(dot.last_cut("axb"), 3u);
}

TEST(RecordFormat, RegexpEmptyEndIsAnyByte) {
    const RecordFormat any(std::nullopt, std::string(""), true);
    EXPECT_EQ(any.last_cut("abc"), 3u);
}

TEST(RecordFormat, BadRegexpIsRefusedWithItsOption) {
    try {
        RecordFormat bad(std::string("("), std::nullopt, true);
        FAIL() << "no error";
    } catch (const RecordFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("--recstart"), std::string::npos) << e.what();
    }
}

TEST(RecordFormat, RemoveSeparators) {
    EXPECT_EQ(RecordFormat().remove_separators("a\nb\nc\n"), "abc");
    const RecordFormat fasta = fixed(">", std::nullopt);
    EXPECT_EQ(fasta.remove_separators(">a\n>b\n"), "a\nb\n");
    const RecordFormat both = fixed("<", ">");
    EXPECT_EQ(both.remove_separators("<a><b>"), "ab");
    const RecordFormat either(std::nullopt, std::string("C|T"), true);
    EXPECT_EQ(either.remove_separators("ACGTA"), "AGA");
}

}  // namespace
