// delimiter.cpp: -d's single character or escape.
#include "input/delimiter.hpp"

#include <stdexcept>
#include <string>

namespace wgrun {
namespace {

[[noreturn]] void refuse(std::string_view text, const std::string& why) {
    throw std::invalid_argument("invalid delimiter '" + std::string(text) + "': " + why);
}

int digit_value(char c, int base) {
    if (c >= '0' && c <= '9' && c - '0' < base) return c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

char parse_delimiter(std::string_view text) {
    constexpr const char* kWhat =
        "give one character or an escape (\\n, \\t, \\0, \\\\, \\NNN octal, \\xHH hex)";
    if (text.size() == 1) return text.front();
    if (text.empty() || text.front() != '\\') refuse(text, kWhat);
    const std::string_view escape = text.substr(1);
    if (escape.size() == 1) {
        switch (escape.front()) {
            case 'a': return '\a';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'v': return '\v';
            case '\\': return '\\';
            default: break;
        }
    }
    // \NNN octal, or \xHH hex (\x alone is NUL, as in xargs).
    const bool hex = escape.front() == 'x';
    const int base = hex ? 16 : 8;
    const std::string_view digits = hex ? escape.substr(1) : escape;
    if (!hex && digit_value(digits.front(), 8) < 0) refuse(text, kWhat);
    int value = 0;
    for (const char c : digits) {
        const int d = digit_value(c, base);
        if (d < 0) refuse(text, kWhat);
        value = value * base + d;
        if (value > 255) refuse(text, "a byte is at most \\377 (\\xff)");
    }
    return static_cast<char>(value);
}

}  // namespace wgrun
