// xml_text.cpp: escaping for XML 1.0.
#include "base/xml_text.hpp"

#include "base/utf8.hpp"

namespace wgrun {
namespace {

std::string escape(std::string_view raw, bool attribute) {
    const std::string text = valid_utf8(raw);
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '&': out += "&amp;"; continue;
            case '<': out += "&lt;"; continue;
            case '>': out += "&gt;"; continue;
            case '"': out += "&quot;"; continue;
            case '\'': out += "&apos;"; continue;
            case '\r': out += "&#13;"; continue;
            case '\t': out += attribute ? "&#9;" : "\t"; continue;
            case '\n': out += attribute ? "&#10;" : "\n"; continue;
            default: break;
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            out += kReplacementCharacter;  // a C0 control: never allowed
            continue;
        }
        // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
        if (static_cast<unsigned char>(c) == 0xEF && i + 2 < text.size() &&
            static_cast<unsigned char>(text[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
            out += kReplacementCharacter;
            i += 2;
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

std::string xml_text(std::string_view text) { return escape(text, false); }

std::string xml_attribute(std::string_view text) { return escape(text, true); }

}  // namespace wgrun
