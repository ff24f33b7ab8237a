// shell_quote.cpp: quoting a word for /bin/sh, and sh-style word splitting
// with quote removal but no expansion.
#include "command/shell_quote.hpp"

namespace wgrun {
namespace {

// The bytes that need no quoting anywhere in a word. ASCII only, whatever the
// locale: isalnum() would accept more in some locales.
bool is_safe(char c) {
    if (c >= 'a' && c <= 'z') return true;
    if (c >= 'A' && c <= 'Z') return true;
    if (c >= '0' && c <= '9') return true;
    switch (c) {
    case '_': case '.': case '/': case ':': case '@':
    case '%': case '+': case ',': case '-':
        return true;
    default:
        return false;
    }
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

std::string shell_quote(std::string_view word) {
    bool safe = !word.empty();
    std::size_t quotes = 0;
    for (char c : word) {
        if (!is_safe(c)) safe = false;
        if (c == '\'') ++quotes;
    }
    if (safe) return std::string(word);

    std::string out;
    out.reserve(word.size() + 2 + 3 * quotes);
    out += '\'';
    for (char c : word) {
        if (c == '\'') {
            out += "'\\''";  // close, escaped quote, reopen
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

std::size_t shell_quoted_size(std::string_view word) {
    bool safe = !word.empty();
    std::size_t quotes = 0;
    for (char c : word) {
        if (!is_safe(c)) safe = false;
        if (c == '\'') ++quotes;
    }
    return safe ? word.size() : word.size() + 2 + 3 * quotes;
}

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;  // a word has started, even if still empty ('')
    const std::size_t n = line.size();
    std::size_t i = 0;
    while (i < n) {
        const char c = line[i];
        if (is_blank(c)) {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            ++i;
        } else if (c == '\'') {
            const std::size_t close = line.find('\'', i + 1);
            if (close == std::string_view::npos) throw SplitError("unterminated single quote");
            word.append(line.substr(i + 1, close - i - 1));
            in_word = true;
            i = close + 1;
        } else if (c == '"') {
            in_word = true;
            ++i;
            for (;;) {
                if (i >= n) throw SplitError("unterminated double quote");
                const char d = line[i];
                if (d == '"') {
                    ++i;
                    break;
                }
                if (d == '\\' && i + 1 < n) {
                    const char e = line[i + 1];
                    if (e == '\n') {  // line continuation: both bytes vanish
                        i += 2;
                        continue;
                    }
                    if (e == '$' || e == '`' || e == '"' || e == '\\') {
                        word += e;
                        i += 2;
                        continue;
                    }
                }
                word += d;  // includes a backslash that escapes nothing
                ++i;
            }
        } else if (c == '\\') {
            if (i + 1 >= n) throw SplitError("trailing backslash");
            const char e = line[i + 1];
            if (e != '\n') {
                word += e;
                in_word = true;
            }
            i += 2;
        } else {
            word += c;
            in_word = true;
            ++i;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

}  // namespace wgrun
