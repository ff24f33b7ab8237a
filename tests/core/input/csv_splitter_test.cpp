// csv_splitter_test.cpp: --csv's fields by RFC 4180 (what Text::CSV gives
// GNU parallel), its errors, and the open-quote rule for records over lines.
#include "input/csv_splitter.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using wgrun::CsvFormatError;
using wgrun::CsvSplitter;
using Fields = std::vector<std::string>;

Fields fields(const std::string& record, const std::string& separator = ",") {
    Fields out;
    CsvSplitter(separator).split(record, out);
    return out;
}

std::string error_of(const std::string& record) {
    try {
        fields(record);
    } catch (const CsvFormatError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(CsvSplitter, PlainFields) {
    EXPECT_EQ(fields("a,b,c"), (Fields{"a", "b", "c"}));
    EXPECT_EQ(fields("a b, c"), (Fields{"a b", " c"}));
}

TEST(CsvSplitter, EmptyFields) {
    EXPECT_EQ(fields(""), (Fields{""}));
    EXPECT_EQ(fields(","), (Fields{"", ""}));
    EXPECT_EQ(fields("a,"), (Fields{"a", ""}));
    EXPECT_EQ(fields(",a"), (Fields{"", "a"}));
    EXPECT_EQ(fields("\"\""), (Fields{""}));
    EXPECT_EQ(fields("\"\",\"\""), (Fields{"", ""}));
}

TEST(CsvSplitter, QuotedFieldsHoldSeparatorsQuotesAndNewlines) {
    EXPECT_EQ(fields("a,\"b,c\",\"d\"\"e\""), (Fields{"a", "b,c", "d\"e"}));
    EXPECT_EQ(fields("\"multi\nline\",x"), (Fields{"multi\nline", "x"}));
    EXPECT_EQ(fields("\"a\"\"\",b"), (Fields{"a\"", "b"}));
    EXPECT_EQ(fields("\"$(rm -rf x)\",'y'"), (Fields{"$(rm -rf x)", "'y'"}));
}

TEST(CsvSplitter, OtherSeparators) {
    EXPECT_EQ(fields("a;\"b;c\";d", ";"), (Fields{"a", "b;c", "d"}));
    EXPECT_EQ(fields("a::b::\"c::d\"", "::"), (Fields{"a", "b", "c::d"}));
    EXPECT_EQ(fields("a\tb,c", "\t"), (Fields{"a", "b,c"}));
}

TEST(CsvSplitter, ACarriageReturnEndingTheRecordIsItsLineEnd) {
    EXPECT_EQ(fields("a,b\r"), (Fields{"a", "b"}));
    EXPECT_EQ(fields("a,\"b\"\r"), (Fields{"a", "b"}));
    EXPECT_EQ(fields("a\rb,c"), (Fields{"a\rb", "c"}));
}

TEST(CsvSplitter, MalformedRecordsAreErrorsThatSayWhere) {
    EXPECT_EQ(error_of("a,b\"c"), "a quote inside an unquoted field, at byte 4");
    EXPECT_EQ(error_of("\"a\"x,b"), "text after a quoted field's closing quote, at byte 4");
    EXPECT_EQ(error_of("\"a\" ,b"), "text after a quoted field's closing quote, at byte 4");
    EXPECT_EQ(error_of("x,\"a,b"), "a quoted field is not closed, at byte 3");
}

TEST(CsvSplitter, BadSeparatorsAreRefused) {
    EXPECT_THROW(CsvSplitter(""), std::invalid_argument);
    EXPECT_THROW(CsvSplitter("\""), std::invalid_argument);
}

TEST(CsvSplitter, AnOddNumberOfQuotesLeavesTheRecordOpen) {
    EXPECT_FALSE(CsvSplitter::leaves_quote_open("a,b"));
    EXPECT_FALSE(CsvSplitter::leaves_quote_open("\"a\"\"b\",c"));
    EXPECT_TRUE(CsvSplitter::leaves_quote_open("a,\"b"));
    EXPECT_TRUE(CsvSplitter::leaves_quote_open("a,\"b\nc\"\"d"));
}

}  // namespace
