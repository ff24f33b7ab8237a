// command_template.cpp: parsing GNU parallel's replacement strings once, and
// expanding them per job by concatenation (Perl expressions evaluated in
// one round trip per job).
#include "command/command_template.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <regex>
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

// Where GNU's `\.[^/.]*` repeated `n` times and anchored at the end starts
// in `value` (the n last extensions), or npos.
std::size_t last_extensions(std::string_view value, int n) {
    std::size_t end = value.size();
    std::size_t dot = std::string_view::npos;
    for (int i = 0; i < n; ++i) {
        if (end == 0) return std::string_view::npos;
        dot = value.find_last_of("./", end - 1);
        if (dot == std::string_view::npos || value[dot] != '.') return std::string_view::npos;
        end = dot;
    }
    return dot;
}

// GNU's {..} {...} (s:\.[^/.]*\.[^/.]*$::): without the n last extensions.
std::string_view strip_extensions(std::string_view value, int n) {
    const std::size_t dot = last_extensions(value, n);
    return dot == std::string_view::npos ? value : value.substr(0, dot);
}

// GNU's {+.} {+..} {+...} (s:.*\.([^/.]*\.[^/.]*)$:$1: || s:.*$::): the n
// last extensions, or nothing. ({+.} is s:.*\.:: : after the last dot.)
std::string_view extensions(std::string_view value, int n) {
    if (n == 1) {
        const std::size_t dot = value.rfind('.');
        return dot == std::string_view::npos ? value.substr(0, 0) : value.substr(dot + 1);
    }
    const std::size_t dot = last_extensions(value, n);
    return dot == std::string_view::npos ? value.substr(0, 0) : value.substr(dot + 1);
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

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A regular expression's text matching `literal` exactly.
std::string regex_escape(std::string_view literal) {
    std::string out;
    for (const char c : literal) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

// GNU's perl_quote_scalar: for a "..." string in Perl code.
std::string perl_quote(std::string_view value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"' || c == '$' || c == '@') out += '\\';
        out += c;
    }
    return out;
}

// Placeholders for the Perl expressions while the rest is parsed (and split
// into words): \x01 N \x01; a \x01 of the template is \x01\x01.
constexpr char kMark = '\x01';

}  // namespace

// --- The strings a syntax defines --------------------------------------------

class CommandTemplate::Parser {
public:
    explicit Parser(const TemplateSyntax& syntax);
    // `text` with each {= perl =} as a placeholder; the blocks in `blocks_`.
    std::string extract_blocks(std::string_view text);
    // `text` (with placeholders) into parts.
    Parts parse(std::string_view text) const;
    bool used_perl() const { return used_perl_; }
    bool used_total() const { return used_total_; }

private:
    struct Meaning {
        Part::Kind kind = Part::Kind::Input;
        Part::Modifier modifier = Part::Modifier::None;
        std::string code;  // Kind::Perl
    };
    struct Tag {
        std::string key;
        Meaning meaning;
        std::optional<std::regex> re;        // a key with (groups)
        std::optional<std::regex> position;  // {n + the key's rest, with groups
    };
    struct Block {
        long long source = 0;
        std::string code;
    };
    // The tag matching at `at`, its length and source; false when none.
    bool match(std::string_view text, std::size_t at, Part& part, std::size_t& length) const;
    Part perl_part(long long source, const std::string& code) const;

    const TemplateSyntax& syntax_;
    std::vector<Tag> tags_;  // longest key first, as GNU replaces them
    std::string left_;
    std::string right_;
    std::vector<Block> blocks_;
    mutable bool used_perl_ = false;
    mutable bool used_total_ = false;  // {##}, {0#}, total_jobs()
};

CommandTemplate::Parser::Parser(const TemplateSyntax& syntax) : syntax_(syntax) {
    using K = Part::Kind;
    using M = Part::Modifier;
    std::vector<std::pair<std::string, Meaning>> table{
        {"{}", {K::Input, M::None, {}}},   {"{.}", {K::Input, M::NoExt, {}}},
        {"{/}", {K::Input, M::Base, {}}},  {"{//}", {K::Input, M::Dir, {}}},
        {"{/.}", {K::Input, M::BaseNoExt, {}}}, {"{#}", {K::Seq, M::None, {}}},
        {"{%}", {K::Slot, M::None, {}}},
    };
    auto set = [&table](const std::string& key, Meaning meaning) {
        for (auto& entry : table) {
            if (entry.first == key) {
                entry.second = std::move(meaning);
                return;
            }
        }
        table.emplace_back(key, std::move(meaning));
    };
    if (syntax.plus) {
        // GNU 20221122's --plus, the string operations natively, and the
        // job's host (-S) as {host} and {sshlogin}.
        set("{+/}", {K::Input, M::PlusDir, {}});
        set("{+.}", {K::Input, M::PlusExt, {}});
        set("{+..}", {K::Input, M::PlusExt2, {}});
        set("{+...}", {K::Input, M::PlusExt3, {}});
        set("{..}", {K::Input, M::NoExt2, {}});
        set("{...}", {K::Input, M::NoExt3, {}});
        set("{/..}", {K::Input, M::BaseNoExt2, {}});
        set("{/...}", {K::Input, M::BaseNoExt3, {}});
        set("{0%}", {K::PaddedSlot, M::None, {}});
        set("{##}", {K::TotalJobs, M::None, {}});
        set("{0#}", {K::PaddedSeq, M::None, {}});
        set("{slot}", {K::Slot, M::None, {}});
        set("{host}", {K::Host, M::None, {}});
        set("{sshlogin}", {K::SshLogin, M::None, {}});
        if (syntax.perl) {
            const std::vector<std::pair<std::string, std::string>> perl{
                {"{choose_k}", "for $t (2..$#arg){ if($arg[$t-1] ge $arg[$t]) { skip() } }"},
                {"{uniq}", "if(::uniq(@arg) != @arg) { skip(); }"},
                {"{:-([^}]+?)}", "$_ ||= $$1"},
                {"{:(\\d+?)}", "substr($_,0,$$1) = \"\""},
                {"{:(\\d+?):(\\d+?)}", "$_ = substr($_,$$1,$$2);"},
                {"{#([^#}][^}]*?)}",
                 "$nongreedy=::make_regexp_ungreedy($$1);s/^$nongreedy(.*)/$1/;"},
                {"{##([^#}][^}]*?)}", "s/^$$1//;"},
                {"{%([^}]+?)}", "$nongreedy=::make_regexp_ungreedy($$1);s/(.*)$nongreedy$/$1/;"},
                {"{%%([^}]+?)}", "s/$$1$//;"},
                {"{/([^#%}/]+?)/([^}]*?)}", "s/$$1/$$2/;"},
                {"{/#([^}]+?)/([^}]*?)}", "s/^$$1/$$2/g;"},
                {"{/%([^}]+?)/([^}]*?)}", "s/$$1$/$$2/g;"},
                {"{//([^}]+?)/([^}]*?)}", "s/$$1/$$2/g;"},
                {"{^([^}]+?)}", "s/^($$1)/uc($1)/e;"},
                {"{^^([^}]+?)}", "s/($$1)/uc($1)/eg;"},
                {"{,([^}]+?)}", "s/^($$1)/lc($1)/e;"},
                {"{,,([^}]+?)}", "s/($$1)/lc($1)/eg;"},
            };
            for (const auto& [key, code] : perl) set(key, {K::Perl, M::None, code});
        }
    }
    // -I, --er, ...: GNU's rpl($old, $new) moves a meaning to a new string.
    auto rename = [&table](const std::string& from, const std::string& to) {
        if (from == to) return;
        for (auto& entry : table) {
            if (entry.first == from) {
                entry.first = to;
                return;
            }
        }
    };
    rename("{}", syntax.input);
    rename("{.}", syntax.no_ext);
    rename("{/}", syntax.base);
    rename("{//}", syntax.dir);
    rename("{#}", syntax.seq);
    rename("{%}", syntax.slot);
    rename("{/.}", syntax.base_no_ext);
    for (const std::string& rpl : syntax.rpl) {
        const std::size_t blank = rpl.find_first_of(" \t\n");
        const std::string key = rpl.substr(0, blank);
        const std::string code = blank == std::string::npos ? "" : rpl.substr(blank + 1);
        if (key.empty()) throw TemplateError("--rpl '" + rpl + "': no replacement string");
        if (!syntax.perl) throw TemplateError("--rpl needs Perl");
        set(key, {K::Perl, M::None, code});
    }

    for (auto& [key, meaning] : table) {
        if (key.empty()) continue;
        Tag tag;
        tag.key = key;
        tag.meaning = meaning;
        // GNU: prefix ( groups ) postfix; the groups a regular expression.
        const std::size_t open = key.find('(');
        const std::size_t close = key.rfind(')');
        if (open != std::string::npos && close != std::string::npos && close > open &&
            key.find(')', close + 1) == std::string::npos &&
            key.substr(close + 1).find('(') == std::string::npos) {
            const std::string prefix = key.substr(0, open);
            const std::string groups = key.substr(open, close + 1 - open);
            const std::string postfix = key.substr(close + 1);
            try {
                tag.re.emplace(regex_escape(prefix) + groups + regex_escape(postfix));
                if (prefix.starts_with('{')) {
                    tag.position.emplace("\\{(-?[0-9]+)\\s*" + regex_escape(prefix.substr(1)) +
                                         groups + regex_escape(postfix));
                }
            } catch (const std::regex_error& e) {
                throw TemplateError("replacement string '" + key +
                                    "': its (group) is not a regular expression: " + e.what());
            }
        }
        tags_.push_back(std::move(tag));
    }
    std::stable_sort(tags_.begin(), tags_.end(), [](const Tag& a, const Tag& b) {
        return a.key.size() > b.key.size();
    });

    // --parens: GNU takes the first half (rounded down) as the left.
    const std::size_t half = syntax.parens.size() / 2;
    left_ = syntax.parens.substr(0, half);
    right_ = syntax.parens.substr(half);
}

std::string CommandTemplate::Parser::extract_blocks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    auto literal = [&out](std::string_view part) {
        for (const char c : part) {
            if (c == kMark) out += kMark;
            out += c;
        }
    };
    if (!syntax_.perl || left_.empty() || right_.empty()) {
        literal(text);
        return out;
    }
    // {n= (wgrun's spelling of GNU's {=n) when the left is {=.
    auto opens_at = [&](std::size_t at, std::size_t& length, std::optional<long long>& source) {
        source.reset();
        if (text.compare(at, left_.size(), left_) == 0) {
            length = left_.size();
            return true;
        }
        if (left_.size() < 2 || left_.front() != '{' || text[at] != '{') return false;
        std::size_t digits = at + 1;
        if (digits < text.size() && text[digits] == '-') ++digits;
        const std::size_t first = digits;
        while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
        if (digits == first || text.compare(digits, left_.size() - 1, left_.substr(1)) != 0) {
            return false;
        }
        long long n = 0;
        if (std::from_chars(text.data() + at + 1, text.data() + digits, n).ec != std::errc()) {
            return false;
        }
        source = n;
        length = digits - at + left_.size() - 1;
        return true;
    };
    std::size_t done = 0;
    for (std::size_t at = 0; at < text.size(); ++at) {
        std::size_t open_length = 0;
        std::optional<long long> source;
        if (!opens_at(at, open_length, source)) continue;
        // GNU: the shortest {= ... =} holding no other {= or =}.
        const std::size_t start = at + open_length;
        const std::size_t close = text.find(right_, start);
        if (close == std::string_view::npos) break;
        const std::size_t inner_left = text.find(left_, start);
        if (inner_left != std::string_view::npos && inner_left < close) continue;
        std::string_view inner = text.substr(start, close - start);
        Block block;
        if (source) {
            block.source = *source;
        } else {  // GNU: {=n perl =} is the n-th value's
            std::size_t digits = 0;
            if (!inner.empty() && inner[0] == '-') digits = 1;
            const std::size_t first = digits;
            while (digits < inner.size() && inner[digits] >= '0' && inner[digits] <= '9') ++digits;
            if (digits > first) {
                std::from_chars(inner.data(), inner.data() + digits, block.source);
                inner.remove_prefix(digits);
            }
        }
        while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
        block.code = std::string(inner);
        literal(text.substr(done, at - done));
        out += kMark;
        append_number(out, blocks_.size());
        out += kMark;
        blocks_.push_back(std::move(block));
        done = close + right_.size();
        at = done - 1;
    }
    literal(text.substr(done));
    return out;
}

CommandTemplate::Part CommandTemplate::Parser::perl_part(long long source,
                                                         const std::string& code) const {
    Part part;
    part.kind = Part::Kind::Perl;
    part.source = source;
    try {
        part.expr = syntax_.perl->compile(code);
    } catch (const PerlError& e) {
        throw TemplateError("Perl expression '" + code + "': " + e.what());
    }
    used_perl_ = true;
    if (code.find("total_jobs") != std::string::npos) used_total_ = true;
    return part;
}

bool CommandTemplate::Parser::match(std::string_view text, std::size_t at, Part& part,
                                    std::size_t& length) const {
    for (const Tag& tag : tags_) {
        std::optional<long long> source;
        std::vector<std::string> groups;
        if (tag.re) {
            if (text[at] != tag.key.front()) continue;
            std::match_results<std::string_view::const_iterator> m;
            const auto begin = text.begin() + static_cast<std::ptrdiff_t>(at);
            if (std::regex_search(begin, text.end(), m, *tag.re,
                                  std::regex_constants::match_continuous)) {
                length = static_cast<std::size_t>(m.length(0));
                for (std::size_t g = 1; g < m.size(); ++g) groups.push_back(m.str(g));
            } else if (tag.position &&
                       std::regex_search(begin, text.end(), m, *tag.position,
                                         std::regex_constants::match_continuous)) {
                length = static_cast<std::size_t>(m.length(0));
                long long n = 0;
                const std::string digits = m.str(1);
                if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec !=
                    std::errc()) {
                    continue;
                }
                source = n;
                for (std::size_t g = 2; g < m.size(); ++g) groups.push_back(m.str(g));
            } else {
                continue;
            }
        } else if (text.compare(at, tag.key.size(), tag.key) == 0) {
            length = tag.key.size();
        } else if (tag.key.front() == '{' && text[at] == '{' &&
                   (tag.meaning.kind == Part::Kind::Input ||
                    tag.meaning.kind == Part::Kind::Perl)) {
            // The n-th value's: {n} {n.} {-1/} ... (GNU: \{(-?\d+)\s* rest).
            std::size_t i = at + 1;
            if (i < text.size() && text[i] == '-') ++i;
            const std::size_t first = i;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
            if (i == first) continue;
            const std::size_t digits_end = i;
            while (i < text.size() && is_space(text[i])) ++i;
            const std::string_view rest = std::string_view(tag.key).substr(1);
            if (text.compare(i, rest.size(), rest) != 0) continue;
            const std::string_view inner = text.substr(at + 1, i + rest.size() - at - 2);
            long long n = 0;
            if (std::from_chars(text.data() + at + 1, text.data() + digits_end, n).ec !=
                std::errc()) {
                throw TemplateError("replacement string {" + std::string(inner) +
                                    "}: source number too large");
            }
            if (n == 0 && tag.meaning.kind == Part::Kind::Input) {
                throw TemplateError("replacement string {" + std::string(inner) +
                                    "}: sources count from 1");
            }
            source = n;
            length = i + rest.size() - at;
        } else {
            continue;
        }
        if (tag.meaning.kind == Part::Kind::Perl) {
            // GNU: $$1 ... are the groups, set in front of the code.
            std::string code;
            for (std::size_t g = 0; g < groups.size(); ++g) {
                code += "$_pAr_gRp" + std::to_string(g + 1) + " = \"" + perl_quote(groups[g]) +
                        "\";";
            }
            static const std::regex group_ref("\\$\\$([0-9]+)");
            code += std::regex_replace(tag.meaning.code, group_ref, "$$_pAr_gRp$1");
            part = perl_part(source.value_or(0), code);
            return true;
        }
        part = Part{};
        part.kind = tag.meaning.kind;
        part.modifier = tag.meaning.modifier;
        part.source = source.value_or(0);
        if (part.kind == Part::Kind::TotalJobs || part.kind == Part::Kind::PaddedSeq) {
            used_total_ = true;
        }
        if (part.kind == Part::Kind::PaddedSlot) {
            int width = 1;
            for (std::uint64_t jobs = syntax_.jobs; jobs >= 10; jobs /= 10) ++width;
            part.width = width;
        }
        return true;
    }
    return false;
}

CommandTemplate::Parts CommandTemplate::Parser::parse(std::string_view text) const {
    Parts parts;
    std::string literal;
    auto flush = [&] {
        if (literal.empty()) return;
        Part part;
        part.text = std::move(literal);
        parts.push_back(std::move(part));
        literal.clear();
    };
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == kMark) {
            if (i + 1 < text.size() && text[i + 1] == kMark) {  // a \x01 of the template
                literal += kMark;
                i += 2;
                continue;
            }
            const std::size_t end = text.find(kMark, i + 1);
            std::size_t n = 0;
            std::from_chars(text.data() + i + 1, text.data() + end, n);
            flush();
            parts.push_back(perl_part(blocks_.at(n).source, blocks_.at(n).code));
            i = end + 1;
            continue;
        }
        Part part;
        std::size_t length = 0;
        if (match(text, i, part, length)) {
            flush();
            parts.push_back(std::move(part));
            i += length;
            continue;
        }
        literal += text[i];
        ++i;
    }
    flush();
    return parts;
}

// --- Expansion ----------------------------------------------------------------

std::string_view CommandTemplate::modify(std::string_view value, Part::Modifier modifier) {
    using M = Part::Modifier;
    switch (modifier) {
    case M::None: return value;
    case M::NoExt: return strip_extension(value);
    case M::Base: return value.substr(basename_start(value));
    case M::Dir: return dirname_of(value);
    case M::BaseNoExt: return strip_extension(value.substr(basename_start(value)));
    case M::PlusDir: {
        const std::size_t slash = value.rfind('/');
        return value.substr(0, slash == std::string_view::npos ? 0 : slash);
    }
    case M::PlusExt: return extensions(value, 1);
    case M::PlusExt2: return extensions(value, 2);
    case M::PlusExt3: return extensions(value, 3);
    case M::NoExt2: return strip_extensions(value, 2);
    case M::NoExt3: return strip_extensions(value, 3);
    case M::BaseNoExt2: return strip_extensions(value.substr(basename_start(value)), 2);
    case M::BaseNoExt3: return strip_extensions(value.substr(basename_start(value)), 3);
    }
    return value;
}

std::size_t CommandTemplate::value_index(long long source, std::size_t values) {
    if (source > 0) {
        return static_cast<unsigned long long>(source) <= values
                   ? static_cast<std::size_t>(source - 1)
                   : std::string_view::npos;
    }
    const auto back = static_cast<unsigned long long>(-source);
    return back <= values ? values - static_cast<std::size_t>(back) : std::string_view::npos;
}

const PerlValue* CommandTemplate::JobPerl::find(std::size_t expr, std::size_t arg) const {
    for (std::size_t i = 0; i < calls.size() && i < results.values.size(); ++i) {
        if (calls[i].expr == expr && calls[i].arg == arg) return &results.values[i];
    }
    return nullptr;
}

CommandTemplate::JobPerl CommandTemplate::run_perl(const std::vector<const Parts*>& parts,
                                                   std::span<const std::string> args,
                                                   std::uint64_t seq, std::uint64_t slot) const {
    JobPerl perl;
    if (!uses_perl_) return perl;
    auto add = [&perl](std::size_t expr, std::size_t arg) {
        for (const PerlCall& call : perl.calls) {
            if (call.expr == expr && call.arg == arg) return;
        }
        perl.calls.push_back({expr, arg});
    };
    for (const Parts* list : parts) {
        for (const Part& part : *list) {
            if (part.kind != Part::Kind::Perl) continue;
            if (part.source == 0) {
                for (std::size_t i = 0; i < args.size(); ++i) add(part.expr, i);
            } else if (const std::size_t i = value_index(part.source, args.size());
                       i != std::string_view::npos) {
                add(part.expr, i);
            }
        }
    }
    if (perl.calls.empty()) return perl;
    perl.results = perl_->evaluate(PerlJob{seq, slot, args}, perl.calls);
    if (perl.results.skip) throw JobSkipped();
    return perl;
}

CommandTemplate::JobPerl CommandTemplate::run_words_perl(std::span<const std::string> args,
                                                         std::uint64_t seq,
                                                         std::uint64_t slot) const {
    if (!uses_perl_) return {};
    std::vector<const Parts*> all;
    for (const Parts& word : words_) all.push_back(&word);
    return run_perl(all, args, seq, slot);
}

void CommandTemplate::append_part(std::string& out, const Part& part,
                                  std::span<const std::string> args, std::uint64_t seq,
                                  std::uint64_t slot, bool quote, const JobPerl& perl) const {
    auto append_value = [&](std::size_t index) {
        if (part.kind == Part::Kind::Perl) {
            const PerlValue* value = perl.find(part.expr, index);
            if (value == nullptr) return;
            if (quote && !value->unquoted) {
                out += shell_quote(value->text);
            } else {
                out += value->text;
            }
            return;
        }
        const std::string_view value = modify(args[index], part.modifier);
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
    case Part::Kind::PaddedSlot: {
        char buf[48];
        const int n = std::snprintf(buf, sizeof buf, "%0*llu", part.width,
                                    static_cast<unsigned long long>(slot));
        out.append(buf, static_cast<std::size_t>(n));
        break;
    }
    case Part::Kind::TotalJobs:
        append_number(out, total_ != nullptr ? total_->get() : 0);
        break;
    case Part::Kind::Host:
    case Part::Kind::SshLogin: {
        const SlotHost host = hosts_ != nullptr ? hosts_->of(slot) : SlotHost{};
        const std::string& text = part.kind == Part::Kind::Host ? host.host : host.login;
        if (quote) {
            out += shell_quote(text);
        } else {
            out += text;
        }
        break;
    }
    case Part::Kind::PaddedSeq: {
        // GNU: 1 + int(log10(total)) digits
        int width = 1;
        for (std::uint64_t jobs = total_ != nullptr ? total_->get() : 0; jobs >= 10; jobs /= 10) {
            ++width;
        }
        char buf[48];
        const int n = std::snprintf(buf, sizeof buf, "%0*llu", width,
                                    static_cast<unsigned long long>(seq));
        out.append(buf, static_cast<std::size_t>(n));
        break;
    }
    case Part::Kind::Input:
    case Part::Kind::Perl:
        if (part.source == 0) {  // every value, separated by one space
            for (std::size_t i = 0; i < args.size(); ++i) {
                if (i > 0) out += ' ';
                append_value(i);
            }
        } else if (const std::size_t i = value_index(part.source, args.size());
                   i != std::string_view::npos) {
            append_value(i);
        }
        break;
    }
}

CommandTemplate CommandTemplate::parse(std::string_view text) {
    return parse(text, TemplateSyntax{});
}

CommandTemplate CommandTemplate::parse(std::string_view text, const TemplateSyntax& syntax) {
    CommandTemplate t;
    t.text_ = std::string(text);
    Parser parser(syntax);
    const std::string marked = parser.extract_blocks(text);
    t.parts_ = parser.parse(marked);
    for (const Part& part : t.parts_) {
        if (part.kind == Part::Kind::Text) continue;
        t.has_replacement_ = true;
        if (part.kind == Part::Kind::Input || part.kind == Part::Kind::Perl) {
            ++t.value_uses_;
            if (part.source > 0 && static_cast<std::size_t>(part.source) > t.max_source_) {
                t.max_source_ = static_cast<std::size_t>(part.source);
            }
        }
    }
    if (!t.has_replacement_) t.value_uses_ = 1;
    for (const Part& part : t.parts_) {
        if (part.kind != Part::Kind::Text) {
            t.quote_values_ = false;
            break;
        }
        if (part.text.find_first_of(" \t\n=") != std::string::npos) break;
    }

    // --no-shell: split first, so that substituted values are never split
    // (the Perl expressions are placeholders then: never split either).
    try {
        for (const std::string& word : split_words(marked)) {
            t.words_.push_back(parser.parse(word));
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
    t.uses_perl_ = parser.used_perl();
    if (t.uses_perl_) t.perl_ = syntax.perl;
    t.uses_total_ = parser.used_total();
    t.total_ = syntax.total;
    t.hosts_ = syntax.hosts;
    return t;
}

bool CommandTemplate::empty() const { return text_.empty(); }

bool CommandTemplate::has_replacement() const { return has_replacement_; }

bool CommandTemplate::uses_perl() const { return uses_perl_; }

bool CommandTemplate::uses_total() const { return uses_total_; }

std::size_t CommandTemplate::max_source() const { return max_source_; }

std::string CommandTemplate::expand(std::span<const std::string> args, std::uint64_t seq,
                                    std::uint64_t slot) const {
    if (text_.empty()) return join(args);
    if (context_) return expand_context(args, seq, slot);

    const JobPerl perl = uses_perl_ ? run_perl({&parts_}, args, seq, slot) : JobPerl{};
    std::size_t args_size = 0;
    for (const std::string& arg : args) args_size += arg.size() + 3;  // quotes, space
    std::string out;
    out.reserve(text_.size() + value_uses_ * args_size + 16);
    for (const Part& part : parts_) append_part(out, part, args, seq, slot, quote_values_, perl);
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
    const JobPerl perl = uses_perl_ ? run_perl({&parts_}, args, seq, slot) : JobPerl{};
    std::string out;
    for (const Part& part : parts_) append_part(out, part, args, seq, slot, false, perl);
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

    const JobPerl perl = run_words_perl(args, seq, slot);
    std::vector<std::string> argv;
    argv.reserve(words_.size() + args.size());
    for (const Parts& word : words_) {
        // A lone {} (or {.}, {= =} ...) gives one word per value.
        if (word.size() == 1 && word[0].source == 0 &&
            (word[0].kind == Part::Kind::Input || word[0].kind == Part::Kind::Perl)) {
            for (std::size_t i = 0; i < args.size(); ++i) {
                if (word[0].kind == Part::Kind::Input) {
                    argv.emplace_back(modify(args[i], word[0].modifier));
                } else if (const PerlValue* value = perl.find(word[0].expr, i)) {
                    argv.push_back(value->text);
                }
            }
            continue;
        }
        std::string out;
        for (const Part& part : word) append_part(out, part, args, seq, slot, false, perl);
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
            if (stands_for_each_value(part)) segments_.back().repeated = true;
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
    const JobPerl perl = uses_perl_ ? run_perl({&parts_}, args, seq, slot) : JobPerl{};
    std::string out;
    out.reserve(text_.size() + args.size() * 16);
    for (const Segment& segment : segments_) {
        if (!segment.repeated) {
            for (const Part& part : segment.parts) {
                append_part(out, part, args, seq, slot, quote_values_, perl);
            }
            continue;
        }
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (i > 0) out += ' ';
            for (const Part& part : segment.parts) {
                if (stands_for_each_value(part)) {
                    append_part(out, one_value(part, i), args, seq, slot, quote_values_, perl);
                } else {
                    append_part(out, part, args, seq, slot, quote_values_, perl);
                }
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
    const JobPerl perl = run_words_perl(args, seq, slot);
    std::vector<std::string> argv;
    argv.reserve(words_.size() + args.size());
    for (const Parts& word : words_) {
        const bool repeated = std::any_of(word.begin(), word.end(), stands_for_each_value);
        if (!repeated) {
            std::string out;
            for (const Part& part : word) append_part(out, part, args, seq, slot, false, perl);
            argv.push_back(std::move(out));
            continue;
        }
        for (std::size_t i = 0; i < args.size(); ++i) {
            std::string out;
            for (const Part& part : word) {
                if (stands_for_each_value(part)) {
                    append_part(out, one_value(part, i), args, seq, slot, false, perl);
                } else {
                    append_part(out, part, args, seq, slot, false, perl);
                }
            }
            argv.push_back(std::move(out));
        }
    }
    if (!words_have_replacement_) argv.insert(argv.end(), args.begin(), args.end());
    if (argv.empty()) throw TemplateError("empty command");
    return argv;
}

bool CommandTemplate::stands_for_each_value(const Part& part) {
    return (part.kind == Part::Kind::Input || part.kind == Part::Kind::Perl) && part.source == 0;
}

CommandTemplate::Part CommandTemplate::one_value(const Part& part, std::size_t index) {
    Part one = part;
    one.source = static_cast<long long>(index) + 1;
    return one;
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
        return part.source == static_cast<long long>(index) + 1 ? quoted : 0;
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
