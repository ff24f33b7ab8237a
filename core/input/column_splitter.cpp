// column_splitter.cpp: Perl's split(/REGEX/, RECORD, -1), by plain search for
// a literal separator and by std::regex for the rest.
//
// Perl's rule (pp_split): from the start s of the current column, the next
// match must END at s + 1 or later; the column is [s, match start), then s
// moves to the match's end. The loop stops when s reaches the record's end,
// and the rest [s, end) is the last column (with limit -1, even when empty).
#include "input/column_splitter.hpp"

#include <cctype>
#include <cstring>

namespace wgrun {
namespace {

// True when `pattern` at `i` ('{') opens a quantifier: {n}, {n,}, {n,m}.
bool opens_quantifier(std::string_view pattern, std::size_t i) {
    std::size_t j = i + 1;
    const std::size_t digits = j;
    while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) ++j;
    if (j == digits) return false;
    if (j < pattern.size() && pattern[j] == ',') {
        ++j;
        while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) ++j;
    }
    return j < pattern.size() && pattern[j] == '}';
}

// True when the '}' at `i` closes a quantifier.
bool opens_quantifier_before(std::string_view pattern, std::size_t i) {
    const std::size_t open = pattern.rfind('{', i);
    return open != std::string_view::npos && opens_quantifier(pattern, open) &&
           pattern.find('}', open) == i;
}

// Perl syntax that std::regex would not refuse but read otherwise: escapes
// it takes for the letter itself (\z, \h, \Q...), and possessive
// quantifiers (a++). The first one found, or empty.
std::string perl_only(std::string_view pattern) {
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char e = pattern[++i];
            if (std::strchr("AzZhHKQEGRXNpPgko", e) != nullptr) return std::string("\\") + e;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // a ']' first is literal
            continue;
        }
        if (std::strchr("*+?}", c) != nullptr && i + 1 < pattern.size() && pattern[i + 1] == '+' &&
            (c != '}' || opens_quantifier_before(pattern, i))) {
            return std::string(pattern.substr(i, 2)) + " (a possessive quantifier)";
        }
    }
    return {};
}

}  // namespace

std::optional<std::string> literal_pattern(std::string_view pattern) {
    std::string text;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') {
            if (++i == pattern.size()) return std::nullopt;  // a trailing backslash
            const char e = pattern[i];
            switch (e) {
            case 't': text += '\t'; break;
            case 'n': text += '\n'; break;
            case 'r': text += '\r'; break;
            case 'f': text += '\f'; break;
            case 'e': text += '\x1b'; break;
            case 'a': text += '\a'; break;
            default:
                // \d \s \w \b \x41 \0 \1 ...: a class, an anchor, a code, a
                // back reference.
                if (std::isalnum(static_cast<unsigned char>(e))) return std::nullopt;
                text += e;
            }
            continue;
        }
        if (std::strchr("^$.|?*+()[", c) != nullptr) return std::nullopt;
        if (c == '{' && opens_quantifier(pattern, i)) return std::nullopt;
        text += c;
    }
    if (text.empty()) return std::nullopt;
    return text;
}

ColumnSplitter::ColumnSplitter(std::string_view pattern) : literal_(literal_pattern(pattern)) {
    if (literal_) return;
    if (const std::string perl = perl_only(pattern); !perl.empty()) {
        throw ColumnPatternError("'" + std::string(pattern) +
                                 "' is not a regular expression wgrun understands (ECMAScript "
                                 "syntax): " + perl + " is Perl's only");
    }
    try {
        // libstdc++'s breadth-first executor (its __polynomial flag): its depth of
        // recursion is bounded by the pattern, not by the length of a match
        // (the depth-first one overflows the stack on a match of some 20,000
        // bytes: a run of spaces under ' +').
        regex_ = std::regex(pattern.begin(), pattern.end(),
                            std::regex::ECMAScript | std::regex_constants::__polynomial);
    } catch (const std::regex_error& e) {
        throw ColumnPatternError("'" + std::string(pattern) +
                                 "' is not a regular expression wgrun understands "
                                 "(ECMAScript syntax): " + e.what());
    }
}

void ColumnSplitter::split(std::string_view record, std::vector<std::string>& out) const {
    if (!literal_) {
        split_regex(record, out);
        return;
    }
    const std::string& sep = *literal_;
    std::size_t start = 0;
    for (;;) {
        const std::size_t hit =
            sep.size() == 1 ? record.find(sep.front(), start) : record.find(sep, start);
        if (hit == std::string_view::npos) break;
        out.emplace_back(record.substr(start, hit - start));
        start = hit + sep.size();
    }
    out.emplace_back(record.substr(start));
}

void ColumnSplitter::split_regex(std::string_view record, std::vector<std::string>& out) const {
    using std::regex_constants::match_continuous;
    using std::regex_constants::match_default;
    using std::regex_constants::match_flag_type;
    using std::regex_constants::match_not_null;
    using std::regex_constants::match_prev_avail;
    const char* const begin = record.data();
    const char* const end = begin + record.size();
    const char* s = begin;  // where the current column starts
    std::cmatch m;
    while (s < end) {
        const match_flag_type at_s = s == begin ? match_default : match_prev_avail;
        if (!std::regex_search(s, end, m, regex_, at_s)) break;
        if (m[0].second == s) {
            // A match of no width at s ends too early: the first match
            // at s that is not empty, else the next match after s.
            std::cmatch wider;
            if (std::regex_search(s, end, wider, regex_, at_s | match_not_null | match_continuous)) {
                m = std::move(wider);
            } else if (!std::regex_search(s + 1, end, m, regex_, match_prev_avail)) {
                break;
            }
        }
        out.emplace_back(s, m[0].first);
        for (std::size_t group = 1; group < m.size(); ++group) {
            out.emplace_back(m[group].matched ? m[group].str() : std::string());
        }
        s = m[0].second;
    }
    out.emplace_back(s, end);
}

}  // namespace wgrun
