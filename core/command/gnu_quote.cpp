// gnu_quote.cpp: GNU parallel's Q() for Bourne shells.
#include "command/gnu_quote.hpp"

namespace wgrun {
namespace {

// GNU's /[^-_.+a-z0-9\/]/i, in ASCII whatever the locale.
bool needs_no_quote(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == '+' || c == '/';
}

}  // namespace

std::string gnu_quote(std::string_view text) {
    if (text.empty()) return "''";
    bool plain = true;
    for (char c : text) plain = plain && needs_no_quote(c);
    if (plain) return std::string(text);
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') {
            quoted += "'\"'\"'";
        } else {
            quoted += c;
        }
    }
    quoted += '\'';
    if (quoted.starts_with("''")) quoted.erase(0, 2);
    if (quoted.ends_with("''")) quoted.erase(quoted.size() - 2);
    return quoted;
}

}  // namespace wgrun
