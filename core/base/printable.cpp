// printable.cpp: escaping control characters and ill-formed UTF-8, and
// cutting long texts.
#include "base/printable.hpp"

#include "base/utf8.hpp"

namespace wgrun {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void hex_escape(unsigned char byte, std::string& to) {
    to += "\\x";
    to += kHex[byte >> 4];
    to += kHex[byte & 0xf];
}

// The length of the UTF-8 sequence that `lead` starts, or 0 for a byte that
// starts none.
std::size_t sequence_length(unsigned char lead) {
    if (lead >= 0xc2 && lead <= 0xdf) return 2;
    if (lead >= 0xe0 && lead <= 0xef) return 3;
    if (lead >= 0xf0 && lead <= 0xf4) return 4;
    return 0;
}

void escape(std::string_view text, std::string& to) {
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            switch (byte) {
                case '\n': to += "\\n"; break;
                case '\t': to += "\\t"; break;
                case '\r': to += "\\r"; break;
                case '\0': to += "\\0"; break;
                default:
                    if (byte < 0x20 || byte == 0x7f) {
                        hex_escape(byte, to);
                    } else {
                        to += static_cast<char>(byte);
                    }
            }
            ++i;
            continue;
        }
        const std::size_t n = sequence_length(byte);
        if (n == 0 || i + n > text.size() || !is_valid_utf8(text.substr(i, n))) {
            hex_escape(byte, to);  // ill-formed: one byte at a time
            ++i;
            continue;
        }
        if (byte == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) {
            hex_escape(byte, to);  // a C1 control character
            hex_escape(static_cast<unsigned char>(text[i + 1]), to);
        } else {
            to.append(text.substr(i, n));
        }
        i += n;
    }
}

}  // namespace

std::string printable(std::string_view text, std::size_t limit) {
    std::string shown;
    if (text.size() <= limit) {
        shown.reserve(text.size());
        escape(text, shown);
        return shown;
    }
    // Cut before a character that would not fit whole: back over at most
    // three continuation bytes.
    std::size_t cut = limit;
    for (int back = 0; back < 3 && cut > 0 &&
                       (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80;
         ++back) {
        --cut;
    }
    escape(text.substr(0, cut), shown);
    shown += "... (";
    shown += std::to_string(text.size());
    shown += " bytes)";
    return shown;
}

}  // namespace wgrun
