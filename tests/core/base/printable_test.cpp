// printable_test.cpp: printable() shows commands and values to a human on one
// line with no byte a terminal acts on (issue 12: a value set the terminal's
// title through the failure report, a newline forged report lines), and cuts
// long ones with their size.
#include "base/printable.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using wgrun::printable;
using wgrun::printable_command;
using namespace std::string_literals;

TEST(Printable, PlainTextAndUtf8StayAsTheyAre) {
    EXPECT_EQ(printable("echo 'a b' | tr \\\\ x"), "echo 'a b' | tr \\\\ x");
    EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    EXPECT_EQ(printable("\xc2\xa0nbsp"), "\xc2\xa0nbsp");  // U+00A0 is not a control
    EXPECT_EQ(printable(""), "");
}

TEST(Printable, ControlCharactersAreEscaped) {
    EXPECT_EQ(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
    EXPECT_EQ(printable("a\0b"s), "a\\0b");
    EXPECT_EQ(printable("\x1b]0;PWNED\x07"), "\\x1b]0;PWNED\\x07");
    EXPECT_EQ(printable("\x01\x1f\x7f"), "\\x01\\x1f\\x7f");
    EXPECT_EQ(printable("x\nwgrun: 0 of 5 jobs failed"), "x\\nwgrun: 0 of 5 jobs failed");
}

TEST(Printable, C1ControlsAndIllFormedUtf8AreEscaped) {
    EXPECT_EQ(printable("\xc2\x9b" "31m"), "\\xc2\\x9b31m");  // U+009B CSI
    EXPECT_EQ(printable("\x9b" "31m"), "\\x9b31m");           // a lone 8-bit CSI
    EXPECT_EQ(printable("caf\xe9"), "caf\\xe9");               // Latin-1
    EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");            // truncated
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");   // a surrogate
    EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");            // overlong
}

TEST(Printable, LongTextIsCutWithItsSize) {
    const std::string long_text(3145728, 'a');
    const std::string shown = printable_command(long_text);
    EXPECT_EQ(shown, std::string(1000, 'a') + "... (3145728 bytes)");
    EXPECT_EQ(printable("abcdef", 6), "abcdef");
    EXPECT_EQ(printable("abcdefg", 6), "abcdef... (7 bytes)");
    // The limit counts bytes before escaping; escapes do not push it further.
    EXPECT_EQ(printable("\n\n\n\n", 2), "\\n\\n... (4 bytes)");
}

TEST(Printable, ACutNeverSplitsACharacter) {
    // "é" is two bytes: a cut after its first byte backs up before it.
    EXPECT_EQ(printable("ab\xc3\xa9z", 3), "ab... (5 bytes)");
    EXPECT_EQ(printable("ab\xc3\xa9z", 4), "ab\xc3\xa9... (5 bytes)");
    EXPECT_EQ(printable("\xf0\x9f\x98\x80z", 2), "... (5 bytes)");
}

}  // namespace
