// command_template.cpp: parsing GNU parallel's replacement strings once, and
// expanding them per job by concatenation.
#include "command/command_template.hpp"

#include <charconv>
#include <optional>
#include <system_error>
#include <utility>

#include "command/shell_quote.hpp"

namespace wgrun {
namespace {

// Appends `n` in decimal.
void append_number(std::string& out, std::uint64_t n) {
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, result.ptr);
}

// The values joined by single spaces, as they are.
std::string join(std::span<const std::string> values) {
    std::size_t size = 0;
    for (const std::string& v : values) size += v.size() + 1;
    std::string out;
    out.reserve(size);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ' ';
        out += values[i];
    }
    return out;
}

// The offset where the basename of `value` starts: after its last '/'.
std::size_t basename_start(std::string_view value) {
    const std::size_t slash = value.rfind('/');
    return slash == std::string_view::npos ? 0 : slash + 1;
}

// `value` without its extension: the basename's last '.' onwards, unless that
// '.' is the basename's first byte.
std::string_view strip_extension(std::string_view value) {
    const std::size_t start = basename_start(value);
    const std::size_t dot = value.rfind('.');
    if (dot == std::string_view::npos || dot <= start) return value;
    return value.substr(0, dot);
}

// dirname(1) / Perl's File::Basename::dirname, as GNU parallel's {//}:
// "a/b/c" -> "a/b", "a/b/" -> "a", "c" -> ".", "/c" -> "/", "" -> ".".
std::string_view dirname_of(std::string_view value) {
    std::size_t end = value.size();
    while (end > 0 && value[end - 1] == '/') --end;
    if (end == 0) return value.empty() ? std::string_view(".") : value.substr(0, 1);
    const std::size_t slash = value.rfind('/', end - 1);
    if (slash == std::string_view::npos) return ".";
    end = slash;
    while (end > 0 && value[end - 1] == '/') --end;
    return end == 0 ? value.substr(0, 1) : value.substr(0, end);
}

}  // namespace

std::string_view CommandTemplate::modify(std::string_view value, Part::Modifier modifier) {
    using M = Part::Modifier;
    switch (modifier) {
    case M::None: return value;
    case M::NoExt: return strip_extension(value);
    case M::Base: return value.substr(basename_start(value));
    case M::Dir: return dirname_of(value);
    case M::BaseNoExt: return strip_extension(value.substr(basename_start(value)));
    }
    return value;
}

void CommandTemplate::append_part(std::string& out, const Part& part,
                                  std::span<const std::string> args, std::uint64_t seq,
                                  std::uint64_t slot, bool quote) {
    auto append_value = [&](const std::string& arg) {
        const std::string_view value = modify(arg, part.modifier);
        if (quote) {
            out += shell_quote(value);
        } else {
            out += value;
        }
    };
    switch (part.kind) {
    case Part::Kind::Text:
        out += part.text;
        break;
    case Part::Kind::Seq:
        append_number(out, seq);
        break;
    case Part::Kind::Slot:
        append_number(out, slot);
        break;
    case Part::Kind::Input:
        if (part.source == 0) {  // every source, separated by one space
            for (std::size_t i = 0; i < args.size(); ++i) {
                if (i > 0) out += ' ';
                append_value(args[i]);
            }
        } else if (part.source <= args.size()) {
            append_value(args[part.source - 1]);
        }
        break;
    }
}

CommandTemplate::Parts CommandTemplate::parse_parts(std::string_view text) {
    using Kind = Part::Kind;
    using Modifier = Part::Modifier;
    Parts parts;
    std::string literal;
    auto flush = [&] {
        if (literal.empty()) return;
        Part part;
        part.text = std::move(literal);
        parts.push_back(std::move(part));
        literal.clear();
    };
    // The replacement string whose text between the braces is `inner`, if
    // it is one.
    auto recognize = [](std::string_view inner) -> std::optional<Part> {
        Part part;
        if (inner == "#" || inner == "%") {
            part.kind = inner == "#" ? Kind::Seq : Kind::Slot;
            return part;
        }
        std::size_t digits = 0;
        while (digits < inner.size() && inner[digits] >= '0' && inner[digits] <= '9') ++digits;
        const std::string_view modifier = inner.substr(digits);
        if (modifier.empty()) {
            part.modifier = Modifier::None;
        } else if (modifier == ".") {
            part.modifier = Modifier::NoExt;
        } else if (modifier == "/") {
            part.modifier = Modifier::Base;
        } else if (modifier == "//") {
            part.modifier = Modifier::Dir;
        } else if (modifier == "/.") {
            part.modifier = Modifier::BaseNoExt;
        } else {
            return std::nullopt;  // "{foo}", "{1x}", "{ }": literal text
        }
        part.kind = Kind::Input;
        if (digits > 0) {
            const auto parsed = std::from_chars(inner.data(), inner.data() + digits,
                                                part.source);
            if (parsed.ec != std::errc()) {
                throw TemplateError("replacement string {" + std::string(inner) +
                                    "}: source number too large");
            }
            if (part.source == 0) {
                throw TemplateError("replacement string {" + std::string(inner) +
                                    "}: sources count from 1");
            }
        }
        return part;
    };

    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            const std::size_t close = text.find('}', i + 1);
            if (close != std::string_view::npos) {
                if (auto part = recognize(text.substr(i + 1, close - i - 1))) {
                    flush();
                    parts.push_back(std::move(*part));
                    i = close + 1;
                    continue;
                }
            }
        }
        literal += text[i];  // including a '{' that starts no replacement string
        ++i;
    }
    flush();
    return parts;
}

CommandTemplate CommandTemplate::parse(std::string_view text) {
    CommandTemplate t;
    t.text_ = std::string(text);
    t.parts_ = parse_parts(text);
    for (const Part& part : t.parts_) {
        if (part.kind == Part::Kind::Text) continue;
        t.has_replacement_ = true;
        if (part.kind == Part::Kind::Input) {
            ++t.value_uses_;
            if (part.source > t.max_source_) t.max_source_ = part.source;
        }
    }
    if (!t.has_replacement_) t.value_uses_ = 1;

    // --no-shell: split first, so that substituted values are never split.
    try {
        for (const std::string& word : split_words(text)) {
            t.words_.push_back(parse_parts(word));
            for (const Part& part : t.words_.back()) {
                if (part.kind != Part::Kind::Text) t.words_have_replacement_ = true;
            }
        }
    } catch (const SplitError& e) {
        t.words_error_ = std::string("command template: ") + e.what();
    } catch (const TemplateError& e) {  // a {0} made by quote removal
        t.words_error_ = e.what();
    }
    if (!t.words_error_.empty()) t.words_.clear();
    return t;
}

bool CommandTemplate::empty() const { return text_.empty(); }

bool CommandTemplate::has_replacement() const { return has_replacement_; }

std::size_t CommandTemplate::max_source() const { return max_source_; }

std::string CommandTemplate::expand(std::span<const std::string> args, std::uint64_t seq,
                                    std::uint64_t slot) const {
    if (text_.empty()) return join(args);
    if (context_) return expand_context(args, seq, slot);

    std::size_t args_size = 0;
    for (const std::string& arg : args) args_size += arg.size() + 3;  // quotes, space
    std::string out;
    out.reserve(text_.size() + value_uses_ * args_size + 16);
    for (const Part& part : parts_) append_part(out, part, args, seq, slot, true);
    if (!has_replacement_) {
        for (const std::string& arg : args) {
            out += ' ';
            out += shell_quote(arg);
        }
    }
    return out;
}

std::string CommandTemplate::expand_text(std::span<const std::string> args, std::uint64_t seq,
                                         std::uint64_t slot) const {
    std::string out;
    for (const Part& part : parts_) append_part(out, part, args, seq, slot, false);
    return out;
}

std::vector<std::string> CommandTemplate::expand_argv(std::span<const std::string> args,
                                                      std::uint64_t seq,
                                                      std::uint64_t slot) const {
    if (text_.empty()) {
        std::vector<std::string> argv;
        try {
            argv = split_words(join(args));
        } catch (const SplitError& e) {
            throw TemplateError(std::string("input is not a command line: ") + e.what());
        }
        if (argv.empty()) throw TemplateError("empty command");
        return argv;
    }
    if (!words_error_.empty()) throw TemplateError(words_error_);
    if (context_) return expand_argv_context(args, seq, slot);

    std::vector<std::string> argv;
    argv.reserve(words_.size() + args.size());
    for (const Parts& word : words_) {
        // A lone {} (or {.} ...) gives one word per source.
        if (word.size() == 1 && word[0].kind == Part::Kind::Input && word[0].source == 0) {
            for (const std::string& arg : args) argv.emplace_back(modify(arg, word[0].modifier));
            continue;
        }
        std::string out;
        for (const Part& part : word) append_part(out, part, args, seq, slot, false);
        argv.push_back(std::move(out));
    }
    if (!words_have_replacement_) argv.insert(argv.end(), args.begin(), args.end());
    if (argv.empty()) throw TemplateError("empty command");
    return argv;
}

// --- Argument packing: context replace and the command's length -----------

namespace {

bool is_blank_byte(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

void CommandTemplate::set_context_replace(bool on) {
    context_ = on;
    segments_.clear();
    if (!on) return;
    // Cut parts_ at blanks: each word (a run of non-blank text and
    // replacement strings) and each run of blanks is a segment.
    bool in_blanks = false;
    auto open_segment = [&](bool blanks) {
        if (segments_.empty() || in_blanks != blanks) {
            segments_.emplace_back();
            in_blanks = blanks;
        }
    };
    auto add_text = [&](char c) {
        Parts& parts = segments_.back().parts;
        if (parts.empty() || parts.back().kind != Part::Kind::Text) parts.emplace_back();
        parts.back().text += c;
    };
    for (const Part& part : parts_) {
        if (part.kind != Part::Kind::Text) {
            open_segment(false);
            segments_.back().parts.push_back(part);
            if (part.kind == Part::Kind::Input && part.source == 0) {
                segments_.back().repeated = true;
            }
            continue;
        }
        for (const char c : part.text) {
            open_segment(is_blank_byte(c));
            add_text(c);
        }
    }
}

std::string CommandTemplate::expand_context(std::span<const std::string> args, std::uint64_t seq,
                                            std::uint64_t slot) const {
    std::string out;
    out.reserve(text_.size() + args.size() * 16);
    for (const Segment& segment : segments_) {
        if (!segment.repeated) {
            for (const Part& part : segment.parts) append_part(out, part, args, seq, slot, true);
            continue;
        }
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (i > 0) out += ' ';
            for (const Part& part : segment.parts) {
                const bool one = part.kind == Part::Kind::Input && part.source == 0;
                append_part(out, part, one ? args.subspan(i, 1) : args, seq, slot, true);
            }
        }
    }
    if (!has_replacement_) {
        for (const std::string& arg : args) {
            out += ' ';
            out += shell_quote(arg);
        }
    }
    return out;
}

std::vector<std::string> CommandTemplate::expand_argv_context(std::span<const std::string> args,
                                                              std::uint64_t seq,
                                                              std::uint64_t slot) const {
    std::vector<std::string> argv;
    argv.reserve(words_.size() + args.size());
    for (const Parts& word : words_) {
        bool repeated = false;
        for (const Part& part : word) {
            if (part.kind == Part::Kind::Input && part.source == 0) repeated = true;
        }
        if (!repeated) {
            std::string out;
            for (const Part& part : word) append_part(out, part, args, seq, slot, false);
            argv.push_back(std::move(out));
            continue;
        }
        for (std::size_t i = 0; i < args.size(); ++i) {
            std::string out;
            for (const Part& part : word) {
                const bool one = part.kind == Part::Kind::Input && part.source == 0;
                append_part(out, part, one ? args.subspan(i, 1) : args, seq, slot, false);
            }
            argv.push_back(std::move(out));
        }
    }
    if (!words_have_replacement_) argv.insert(argv.end(), args.begin(), args.end());
    if (argv.empty()) throw TemplateError("empty command");
    return argv;
}

std::size_t CommandTemplate::fixed_cost() const {
    constexpr std::size_t kNumber = 20;  // digits of the largest {#} or {%}
    std::size_t bytes = 1;               // the NUL
    auto count = [&](const Parts& parts) {
        for (const Part& part : parts) {
            if (part.kind == Part::Kind::Text) {
                bytes += part.text.size();
            } else if (part.kind != Part::Kind::Input) {
                bytes += kNumber;
            }
        }
    };
    if (!context_) {
        count(parts_);
        return bytes;
    }
    for (const Segment& segment : segments_) {
        if (!segment.repeated) count(segment.parts);
    }
    return bytes;
}

std::size_t CommandTemplate::value_cost(std::string_view value, std::size_t index) const {
    if (text_.empty()) return value.size() + (index > 0 ? 1 : 0);  // joined, unquoted
    if (!has_replacement_) return 1 + shell_quoted_size(value);    // appended
    // A use of the value: {} (after a space but for the first value) or {n}.
    auto uses = [&](const Part& part, bool all_values) -> std::size_t {
        if (part.kind != Part::Kind::Input) return 0;
        const std::size_t quoted = shell_quoted_size(modify(value, part.modifier));
        if (part.source == 0) return quoted + (all_values && index > 0 ? 1 : 0);
        return part.source == index + 1 ? quoted : 0;
    };
    std::size_t bytes = 0;
    if (!context_) {
        for (const Part& part : parts_) bytes += uses(part, true);
        return bytes;
    }
    for (const Segment& segment : segments_) {
        if (!segment.repeated) {
            for (const Part& part : segment.parts) bytes += uses(part, true);
            continue;
        }
        // One more copy of the word: its text, {#} {%} and {n}, and this
        // value for {}, after a space.
        std::size_t copy = index > 0 ? 1 : 0;
        for (const Part& part : segment.parts) {
            if (part.kind == Part::Kind::Text) {
                copy += part.text.size();
            } else if (part.kind != Part::Kind::Input) {
                copy += 20;
            } else if (part.source == 0) {
                copy += uses(part, false);
            }
        }
        bytes += copy;
    }
    return bytes;
}

}  // namespace wgrun
