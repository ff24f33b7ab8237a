// column_splitter_test.cpp: --colsep as Perl's split(/REGEX/, RECORD, -1):
// the literal fast path and the std::regex path give the same columns, and
// the edges match what GNU parallel 20221122 gives (each expectation below
// was checked against `parallel --colsep`).
#include "input/column_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using wgrun::ColumnPatternError;
using wgrun::ColumnSplitter;
using wgrun::literal_pattern;
using Columns = std::vector<std::string>;

Columns split(const std::string& pattern, const std::string& record) {
    Columns out;
    ColumnSplitter(pattern).split(record, out);
    return out;
}

TEST(LiteralPattern, PlainTextAndEscapesAreLiterals) {
    EXPECT_EQ(literal_pattern("\\t"), "\t");
    EXPECT_EQ(literal_pattern(","), ",");
    EXPECT_EQ(literal_pattern("::"), "::");
    EXPECT_EQ(literal_pattern(" "), " ");
    EXPECT_EQ(literal_pattern("\\|"), "|");
    EXPECT_EQ(literal_pattern("\\\\"), "\\");
    EXPECT_EQ(literal_pattern("a\\.b"), "a.b");
    EXPECT_EQ(literal_pattern("\\n\\r\\f"), "\n\r\f");
    EXPECT_EQ(literal_pattern("{"), "{");
    EXPECT_EQ(literal_pattern("}"), "}");
}

TEST(LiteralPattern, RegexSyntaxIsNoLiteral) {
    for (const char* pattern : {"", "a|b", ".", " +", "a*", "[,;]", "(,)", "^a", "a$", "\\s",
                                "\\d", "\\x41", "\\1", "a{2}", ",{1,3}", "a?", "\\"}) {
        EXPECT_FALSE(literal_pattern(pattern).has_value()) << pattern;
    }
}

TEST(ColumnSplitter, LiteralOrNot) {
    EXPECT_TRUE(ColumnSplitter("\\t").literal());
    EXPECT_TRUE(ColumnSplitter("::").literal());
    EXPECT_FALSE(ColumnSplitter("[,;]").literal());
}

TEST(ColumnSplitter, LiteralKeepsEmptyColumnsLeadingAndTrailing) {
    EXPECT_EQ(split("\\t", "a\tb\tc"), (Columns{"a", "b", "c"}));
    EXPECT_EQ(split("\\t", "x\ty\t\t"), (Columns{"x", "y", "", ""}));
    EXPECT_EQ(split(",", ",a,,b,"), (Columns{"", "a", "", "b", ""}));
    EXPECT_EQ(split("::", "a::b:::c"), (Columns{"a", "b", ":c"}));
}

TEST(ColumnSplitter, ARecordWithoutTheSeparatorIsOneColumn) {
    EXPECT_EQ(split(",", "abc"), (Columns{"abc"}));
    EXPECT_EQ(split("[,;]", "abc"), (Columns{"abc"}));
}

TEST(ColumnSplitter, TheEmptyRecordIsOneEmptyColumn) {
    EXPECT_EQ(split(",", ""), (Columns{""}));
    EXPECT_EQ(split("[,;]", ""), (Columns{""}));
    EXPECT_EQ(split("", ""), (Columns{""}));
}

TEST(ColumnSplitter, RegexKeepsEmptyColumns) {
    const std::string record = " a,b;;c  aXb,,d";
    EXPECT_EQ(split("[,;]", record), (Columns{" a", "b", "", "c  aXb", "", "d"}));
    EXPECT_EQ(split(",|;", record), (Columns{" a", "b", "", "c  aXb", "", "d"}));
    EXPECT_EQ(split(" +", record), (Columns{"", "a,b;;c", "aXb,,d"}));
    EXPECT_EQ(split("\\s+", record), (Columns{"", "a,b;;c", "aXb,,d"}));
    EXPECT_EQ(split(",{2}", record), (Columns{" a,b;;c  aXb", "d"}));
}

TEST(ColumnSplitter, APositiveWidthMatchEverywhereGivesEmptyColumns) {
    EXPECT_EQ(split(".", "abc"), (Columns{"", "", "", ""}));
}

TEST(ColumnSplitter, ZeroWidthMatchesSplitBetweenBytesNeverBeforeTheFirst) {
    EXPECT_EQ(split("", "ab"), (Columns{"a", "b", ""}));
    EXPECT_EQ(split("x*", "ab"), (Columns{"a", "b", ""}));
    EXPECT_EQ(split("x*", "axxb"), (Columns{"a", "b", ""}));
    EXPECT_EQ(split("\\b", "ab cd"), (Columns{"ab", " ", "cd", ""}));
}

TEST(ColumnSplitter, CaptureGroupsAreColumnsToo) {
    EXPECT_EQ(split("(,)", "a,b,,c"), (Columns{"a", ",", "b", ",", "", ",", "c"}));
    EXPECT_EQ(split("(,)|(;)", "a;b"), (Columns{"a", "", ";", "b"}));
}

TEST(ColumnSplitter, AnchorsSeeTheWholeRecord) {
    EXPECT_EQ(split("^a", " a,b"), (Columns{" a,b"}));
    EXPECT_EQ(split("^a", "ab"), (Columns{"", "b"}));
    EXPECT_EQ(split("b$", "abab"), (Columns{"aba", ""}));
}

TEST(ColumnSplitter, LiteralAndRegexAgree) {
    const std::string record = "a\tb\t\tc\t";
    Columns literal;
    Columns regex;
    ColumnSplitter("\\t").split(record, literal);
    ColumnSplitter("[\\t]").split(record, regex);
    EXPECT_EQ(literal, regex);
}

TEST(ColumnSplitter, PlusAfterWhatIsNoQuantifierIsNotPossessive) {
    EXPECT_EQ(split("[a+]+", "xa+ay"), (Columns{"x", "y"}));
    EXPECT_EQ(split("}+", "a}}b"), (Columns{"a", "b"}));
}

TEST(ColumnSplitter, ALongMatchDoesNotExhaustTheStack) {
    const std::string spaces(1000000, ' ');
    EXPECT_EQ(split(" +", "a" + spaces + "b"), (Columns{"a", "b"}));
    std::string pairs;
    for (int i = 0; i < 200000; ++i) pairs += ", ";
    EXPECT_EQ(split("(, )+", "x" + pairs + "y"), (Columns{"x", ", ", "y"}));
}

TEST(ColumnSplitter, BytesAreKept) {
    const std::string record = std::string("a\0b", 3) + ",\xff\n";
    EXPECT_EQ(split(",", record), (Columns{std::string("a\0b", 3), "\xff\n"}));
}

TEST(ColumnSplitter, AppendsToWhatIsThere) {
    Columns out{"x"};
    ColumnSplitter(",").split("a,b", out);
    EXPECT_EQ(out, (Columns{"x", "a", "b"}));
}

TEST(ColumnSplitter, PerlOnlySyntaxIsAnError) {
    for (const char* pattern : {"(?i)b", "(?<=a)b", "a(", "[a", "\\z", "\\h", "\\Qa.b\\E", "a++",
                                ",*+", "a{2}+", "[,;]\\K", "(a)\\1"}) {
        try {
            ColumnSplitter splitter(pattern);
            ADD_FAILURE() << pattern << " was accepted";
        } catch (const ColumnPatternError& e) {
            EXPECT_NE(std::string(e.what()).find(std::string("'") + pattern + "'"),
                      std::string::npos)
                << e.what();
        }
    }
}

}  // namespace
