// column_names.cpp: one pass over the text, trying the names at each '{'.
#include "command/column_names.hpp"

#include <array>

namespace wgrun {
namespace {

// The endings of a {NAME...} string: GNU's modifiers, then the brace.
constexpr std::array<std::string_view, 5> kEndings = {"}", "/}", "//}", ".}", "/.}"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

std::string name_columns(std::string_view text, const std::vector<std::string>& names) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '{') {
            out += text[i++];
            continue;
        }
        const bool perl = i + 1 < text.size() && text[i + 1] == '=';
        const std::size_t name_at = i + (perl ? 2 : 1);
        bool replaced = false;
        for (std::size_t k = 0; k < names.size() && !replaced; ++k) {
            const std::string& name = names[k];
            if (name.empty() || text.compare(name_at, name.size(), name) != 0) continue;
            const std::size_t after = name_at + name.size();
            const std::string position = std::to_string(k + 1);
            if (perl) {
                if (after < text.size() && is_space(text[after])) {
                    out += "{=";
                    out += position;
                    i = after;
                    replaced = true;
                }
                continue;
            }
            for (std::string_view ending : kEndings) {
                if (text.compare(after, ending.size(), ending) == 0) {
                    out += '{';
                    out += position;
                    out += ending;
                    i = after + ending.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out += text[i++];
    }
    return out;
}

}  // namespace wgrun
