// utf8_test.cpp: is_valid_utf8() and valid_utf8(): well-formed text is kept
// byte for byte; each ill-formed part (stray continuation bytes, truncated
// sequences, overlong forms, surrogates, code points above U+10FFFF, bytes
// that start nothing) becomes U+FFFD, cut as Unicode's maximal subparts
// (the expected values were checked against Python's decode('utf-8',
// 'replace')); random bytes always come out valid.
#include "base/utf8.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace {

using wgrun::is_valid_utf8;
using wgrun::valid_utf8;

const std::string R(wgrun::kReplacementCharacter);

std::string bytes(std::initializer_list<int> list) {
    std::string s;
    for (int b : list) s += static_cast<char>(b);
    return s;
}

// The UTF-8 encoding of code point `cp` (any value up to U+10FFFF, even a
// surrogate: for building ill-formed input too).
std::string encode(std::uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

TEST(Utf8, WellFormedTextIsKeptByteForByte) {
    for (const std::string& text :
         {std::string(), std::string("plain ascii"), std::string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
          encode(0x80), encode(0x7FF), encode(0x800), encode(0xD7FF), encode(0xE000),
          encode(0xFFFD), encode(0xFFFF), encode(0x10000), encode(0x10FFFF)}) {
        EXPECT_TRUE(is_valid_utf8(text)) << text;
        EXPECT_EQ(valid_utf8(text), text);
    }
}

TEST(Utf8, NulAndControlCharactersAreValidAndKept) {
    const std::string text = bytes({'a', 0, 1, '\t', '\n', '\r', 0x1B, 0x7F, 'b'});
    EXPECT_TRUE(is_valid_utf8(text));
    EXPECT_EQ(valid_utf8(text), text);
}

TEST(Utf8, StrayContinuationBytesAreOneReplacementEach) {
    EXPECT_FALSE(is_valid_utf8(bytes({0x80})));
    EXPECT_EQ(valid_utf8(bytes({'a', 0x80, 'b'})), "a" + R + "b");
    EXPECT_EQ(valid_utf8(bytes({0x80, 0xBF})), R + R);
}

TEST(Utf8, BytesThatStartNothingAreOneReplacementEach) {
    for (int b : {0xC0, 0xC1, 0xF5, 0xF8, 0xFC, 0xFE, 0xFF}) {
        EXPECT_FALSE(is_valid_utf8(bytes({b}))) << b;
        EXPECT_EQ(valid_utf8(bytes({b, 'A'})), R + "A") << b;
    }
    // Latin-1 "café": the é (E9) starts a 3-byte sequence that the end cuts.
    EXPECT_EQ(valid_utf8("caf\xE9"), "caf" + R);
}

TEST(Utf8, OverlongFormsAreOneReplacementPerByte) {
    EXPECT_FALSE(is_valid_utf8(bytes({0xC0, 0x80})));  // NUL in two bytes
    EXPECT_EQ(valid_utf8(bytes({0xC0, 0x80})), R + R);
    EXPECT_EQ(valid_utf8(bytes({0xC1, 0xBF})), R + R);
    EXPECT_EQ(valid_utf8(bytes({0xE0, 0x80, 0x80})), R + R + R);
    EXPECT_EQ(valid_utf8(bytes({0xE0, 0x9F, 0xBF})), R + R + R);  // U+07FF in three
    EXPECT_EQ(valid_utf8(bytes({0xF0, 0x80, 0x80, 0x80})), R + R + R + R);
    EXPECT_EQ(valid_utf8(bytes({0xF0, 0x8F, 0xBF, 0xBF})), R + R + R + R);  // U+FFFF in four
    EXPECT_FALSE(is_valid_utf8(bytes({0xE0, 0x9F, 0xBF})));
}

TEST(Utf8, SurrogatesAreOneReplacementPerByte) {
    for (std::uint32_t cp : {0xD800u, 0xDBFFu, 0xDC00u, 0xDFFFu}) {
        EXPECT_FALSE(is_valid_utf8(encode(cp))) << cp;
        EXPECT_EQ(valid_utf8(encode(cp)), R + R + R) << cp;
    }
    // A surrogate pair in CESU-8 is six replacements, not one character.
    EXPECT_EQ(valid_utf8(encode(0xD83D) + encode(0xDE00)), R + R + R + R + R + R);
}

TEST(Utf8, CodePointsAboveTheLastAreReplaced) {
    EXPECT_FALSE(is_valid_utf8(bytes({0xF4, 0x90, 0x80, 0x80})));  // U+110000
    EXPECT_EQ(valid_utf8(bytes({0xF4, 0x90, 0x80, 0x80})), R + R + R + R);
}

TEST(Utf8, TruncatedSequenceIsOneReplacement) {
    EXPECT_FALSE(is_valid_utf8(bytes({0xE2, 0x82})));
    EXPECT_EQ(valid_utf8(bytes({0xE2, 0x82})), R);                    // at the end
    EXPECT_EQ(valid_utf8(bytes({0xE2, 0x82, 'A'})), R + "A");        // before ASCII
    EXPECT_EQ(valid_utf8(bytes({0xF0, 0x9F, 0x98})), R);              // 3 of 4 bytes
    EXPECT_EQ(valid_utf8(bytes({0xF0, 0x9F, 0x98, 0xE2, 0x82, 0xAC})), R + "\xE2\x82\xAC");
    EXPECT_EQ(valid_utf8(bytes({0xC3})), R);
}

// The example of the Unicode Standard, chapter 3, table 3-8.
TEST(Utf8, UnicodeStandardExample) {
    const std::string in =
        bytes({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64});
    EXPECT_EQ(valid_utf8(in), "a" + R + R + R + "b" + R + "c" + R + R + "d");
}

TEST(Utf8, RandomBytesAlwaysComeOutValidAndStable) {
    std::mt19937 engine(42);
    for (int round = 0; round < 2000; ++round) {
        std::string in(engine() % 64, '\0');
        for (auto& c : in) c = static_cast<char>(engine() & 0xFF);
        const std::string out = valid_utf8(in);
        ASSERT_TRUE(is_valid_utf8(out));
        ASSERT_EQ(valid_utf8(out), out);  // repairing twice changes nothing
        if (is_valid_utf8(in)) {
            ASSERT_EQ(out, in);
        }
    }
}

TEST(Utf8, RandomWellFormedTextIsKept) {
    std::mt19937 engine(7);
    for (int round = 0; round < 2000; ++round) {
        std::string in;
        for (int i = 0; i < 16; ++i) {
            std::uint32_t cp = engine() % 0x110000;
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
            in += encode(cp);
        }
        ASSERT_TRUE(is_valid_utf8(in));
        ASSERT_EQ(valid_utf8(in), in);
    }
}

}  // namespace
