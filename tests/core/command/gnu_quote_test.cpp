// gnu_quote_test.cpp: GNU parallel's Q(), byte for byte (the expected
// strings are what `parallel --shellquote` 20221122 prints).
#include "command/gnu_quote.hpp"

#include <gtest/gtest.h>

namespace {

using wgrun::gnu_quote;

TEST(GnuQuote, PlainWordsStayAsTheyAre) {
    EXPECT_EQ(gnu_quote("abc"), "abc");
    EXPECT_EQ(gnu_quote("a-b_c.d+e/f09XYZ"), "a-b_c.d+e/f09XYZ");
}

TEST(GnuQuote, TheEmptyStringIsTwoQuotes) { EXPECT_EQ(gnu_quote(""), "''"); }

TEST(GnuQuote, AnythingElseGoesInSingleQuotes) {
    EXPECT_EQ(gnu_quote("a b"), "'a b'");
    EXPECT_EQ(gnu_quote("c$d"), "'c$d'");
    EXPECT_EQ(gnu_quote("a:b"), "'a:b'");  // ':' needs no quote for sh, but GNU quotes it
    EXPECT_EQ(gnu_quote("x\ny"), "'x\ny'");
    EXPECT_EQ(gnu_quote("\\"), "'\\'");
}

TEST(GnuQuote, AQuoteIsWrittenAsDoubleQuotedAndEmptyEndsDropped) {
    EXPECT_EQ(gnu_quote("it's"), "'it'\"'\"'s'");
    EXPECT_EQ(gnu_quote("'a"), "\"'\"'a'");
    EXPECT_EQ(gnu_quote("a'"), "'a'\"'\"");
    EXPECT_EQ(gnu_quote("'"), "\"'\"");
}

TEST(GnuQuote, QuotingTwiceQuotesTheQuotes) {
    EXPECT_EQ(gnu_quote(gnu_quote("echo 'a b'")),
              R"("'"'echo '"'"'"'"'"'"'"'"'a b'"'"'"'"'"'"')");
}

}  // namespace
