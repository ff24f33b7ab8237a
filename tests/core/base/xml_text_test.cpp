// xml_text_test.cpp: xml_text() and xml_attribute(): the five entities,
// carriage returns, TABs and newlines as a parser would need them, the
// characters XML 1.0 forbids, and invalid UTF-8.
#include "base/xml_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using wgrun::xml_attribute;
using wgrun::xml_text;

const std::string R = "\xEF\xBF\xBD";

TEST(XmlText, EscapesTheFiveSpecialCharacters) {
    EXPECT_EQ(xml_text("a & b < c > d \" e ' f"), "a &amp; b &lt; c &gt; d &quot; e &apos; f");
    EXPECT_EQ(xml_attribute("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
    EXPECT_EQ(xml_text("]]>"), "]]&gt;");
}

TEST(XmlText, PlainTextAndUnicodeAreKept) {
    EXPECT_EQ(xml_text("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
    EXPECT_EQ(xml_text(""), "");
}

TEST(XmlText, TabsAndNewlinesAreRawInTextAndReferencesInAttributes) {
    EXPECT_EQ(xml_text("a\tb\nc"), "a\tb\nc");
    EXPECT_EQ(xml_attribute("a\tb\nc"), "a&#9;b&#10;c");
}

TEST(XmlText, CarriageReturnIsAReferenceEverywhere) {
    EXPECT_EQ(xml_text("a\r\nb"), "a&#13;\nb");
    EXPECT_EQ(xml_attribute("a\rb"), "a&#13;b");
}

TEST(XmlText, ForbiddenControlCharactersBecomeReplacementCharacters) {
    EXPECT_EQ(xml_text(std::string("a\0b", 3)), "a" + R + "b");
    EXPECT_EQ(xml_text("\x01\x08\x0B\x0C\x1B\x1F"), R + R + R + R + R + R);
    EXPECT_EQ(xml_attribute("\x1B[31mred"), R + "[31mred");
    EXPECT_EQ(xml_text("\x7F"), "\x7F");  // DEL is an XML character
}

TEST(XmlText, NonCharactersFffeAndFfffAreReplaced) {
    EXPECT_EQ(xml_text("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c"), "a" + R + "b" + R + "c");
    EXPECT_EQ(xml_text("\xEF\xBF\xBD"), R);  // U+FFFD itself stays
}

TEST(XmlText, InvalidUtf8IsRepairedFirst) {
    EXPECT_EQ(xml_text("caf\xE9 <"), "caf" + R + " &lt;");
    EXPECT_EQ(xml_attribute("\xC0\x80"), R + R);
}

}  // namespace
