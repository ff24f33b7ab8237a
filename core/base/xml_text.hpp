// xml_text.hpp: any bytes made safe inside an XML 1.0 document (JUnit XML).
#pragma once

#include <string>
#include <string_view>

namespace wgrun {

/// `text` as the content of an XML 1.0 element: made valid UTF-8 first
/// (valid_utf8(), utf8.hpp); & < > " ' written as entities; a carriage
/// return as &#13; (a parser would turn a raw one into a newline); TAB and
/// newline kept; the characters XML 1.0 forbids in a document (the C0
/// controls other than TAB, newline and carriage return, U+FFFE and
/// U+FFFF) replaced by U+FFFD.
std::string xml_text(std::string_view text);

/// The same for an attribute value between double quotes, where TAB and
/// newline are written as &#9; and &#10; too (a parser would turn raw ones
/// into spaces).
std::string xml_attribute(std::string_view text);

}  // namespace wgrun
