// delimiter_test.cpp: -d's argument as GNU xargs reads it.
#include "input/delimiter.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

using wgrun::parse_delimiter;

std::string error_of(std::string_view text) {
    try {
        parse_delimiter(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(Delimiter, OneCharacterIsItself) {
    EXPECT_EQ(parse_delimiter(","), ',');
    EXPECT_EQ(parse_delimiter("\\"), '\\');
    EXPECT_EQ(parse_delimiter("x"), 'x');
    EXPECT_EQ(parse_delimiter(std::string_view("\0", 1)), '\0');
}

TEST(Delimiter, LetterEscapes) {
    EXPECT_EQ(parse_delimiter("\\n"), '\n');
    EXPECT_EQ(parse_delimiter("\\t"), '\t');
    EXPECT_EQ(parse_delimiter("\\r"), '\r');
    EXPECT_EQ(parse_delimiter("\\a"), '\a');
    EXPECT_EQ(parse_delimiter("\\b"), '\b');
    EXPECT_EQ(parse_delimiter("\\f"), '\f');
    EXPECT_EQ(parse_delimiter("\\v"), '\v');
    EXPECT_EQ(parse_delimiter("\\\\"), '\\');
}

TEST(Delimiter, OctalAndHexEscapes) {
    EXPECT_EQ(parse_delimiter("\\0"), '\0');
    EXPECT_EQ(parse_delimiter("\\000"), '\0');
    EXPECT_EQ(parse_delimiter("\\101"), 'A');
    EXPECT_EQ(parse_delimiter("\\377"), '\xff');
    EXPECT_EQ(parse_delimiter("\\x41"), 'A');
    EXPECT_EQ(parse_delimiter("\\x4"), '\x04');
    EXPECT_EQ(parse_delimiter("\\xfF"), '\xff');
    EXPECT_EQ(parse_delimiter("\\x"), '\0');  // as xargs
}

TEST(Delimiter, RefusesWhatXargsRefuses) {
    const std::string hint =
        "give one character or an escape (\\n, \\t, \\0, \\\\, \\NNN octal, \\xHH hex)";
    EXPECT_EQ(error_of(""), "invalid delimiter '': " + hint);
    EXPECT_EQ(error_of("ab"), "invalid delimiter 'ab': " + hint);
    EXPECT_EQ(error_of("\\q"), "invalid delimiter '\\q': " + hint);
    EXPECT_EQ(error_of("\\18"), "invalid delimiter '\\18': " + hint);
    EXPECT_EQ(error_of("\\xg"), "invalid delimiter '\\xg': " + hint);
    EXPECT_EQ(error_of("\\1234"), "invalid delimiter '\\1234': a byte is at most \\377 (\\xff)");
    EXPECT_EQ(error_of("\\x100"), "invalid delimiter '\\x100': a byte is at most \\377 (\\xff)");
}

}  // namespace
