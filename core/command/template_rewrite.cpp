// template_rewrite.cpp: plain text scans; the template parser sees only the
// usual replacement strings.
#include "command/template_rewrite.hpp"

#include <charconv>

#include "command/command_template.hpp"

namespace wgrun {

std::string resolve_negative_sources(std::string_view text, std::size_t sources) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find("{-", i);
        if (open == std::string_view::npos) break;
        std::size_t digits = open + 2;
        while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
        const std::size_t close = text.find('}', digits);
        const std::string_view inner = close == std::string_view::npos
                                           ? std::string_view()
                                           : text.substr(open + 1, close - open - 1);
        if (digits == open + 2 || close == std::string_view::npos ||
            inner.find('{') != std::string_view::npos) {
            out.append(text, i, open + 2 - i);  // "{-" that starts no {-n}: literal
            i = open + 2;
            continue;
        }
        std::size_t n = 0;
        const auto parsed = std::from_chars(text.data() + open + 2, text.data() + digits, n);
        if (parsed.ec != std::errc() || n == 0 || n > sources) {
            const bool one = sources == 1;
            throw TemplateError("the command uses {" + std::string(inner) + "} but there " +
                                (one ? "is" : "are") + " only " + std::to_string(sources) +
                                " input source" + (one ? "" : "s"));
        }
        out.append(text, i, open - i);
        out += '{';
        out += std::to_string(sources + 1 - n);
        out.append(text, digits, close + 1 - digits);  // the modifier and '}'
        i = close + 1;
    }
    out.append(text, i);
    return out;
}

}  // namespace wgrun
