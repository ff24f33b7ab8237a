// record_format.cpp: fixed separators found with memchr/memrchr, regular
// expressions with Boost.Regex in Perl syntax ('.' does not match a newline,
// '^' and '$' match at lines, as GNU parallel's /m).
#include "split/record_format.hpp"

#include <boost/regex.hpp>

#include <cstring>
#include <vector>

namespace wgrun {

struct RecordFormat::Regex {
    boost::regex cut;    // END(?=START): a match ends where a cut may be
    boost::regex both;   // END START, for --rrs
    boost::regex start;  // ^START, for --rrs
    boost::regex end;    // END$ (end of the block), for --rrs
};

namespace {

// The last occurrence of `needle` in `hay` starting at or after `from`.
std::optional<std::size_t> rfind_from(std::string_view hay, std::string_view needle,
                                      std::size_t from) {
    if (needle.empty()) return hay.size();
    if (hay.size() < needle.size()) return std::nullopt;
    const char last = needle.back();
    std::size_t end = hay.size();  // look for `last` below end
    const std::size_t floor = from + needle.size() - 1;
    while (end > floor) {
        const void* hit = ::memrchr(hay.data() + floor, last, end - floor);
        if (hit == nullptr) return std::nullopt;
        const std::size_t at = static_cast<const char*>(hit) - hay.data();
        const std::size_t begin = at + 1 - needle.size();
        if (std::memcmp(hay.data() + begin, needle.data(), needle.size()) == 0) return begin;
        end = at;
    }
    return std::nullopt;
}

boost::regex compile(const std::string& text, const char* what) {
    try {
        return boost::regex(text, boost::regex::perl | boost::regex::no_mod_s);
    } catch (const boost::regex_error& e) {
        throw RecordFormatError(std::string("--") + what + ": not a regular expression: " + e.what());
    }
}

}  // namespace

std::string unescape_separator(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char next = text[i + 1];
            char c = 0;
            bool known = true;
            switch (next) {
                case '0': c = '\0'; break;
                case 'r': c = '\r'; break;
                case 'n': c = '\n'; break;
                case 't': c = '\t'; break;
                case '\'': c = '\''; break;
                case '"': c = '"'; break;
                case '\\': c = '\\'; break;
                default: known = false;
            }
            if (known) {
                out += c;
                ++i;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

RecordFormat::RecordFormat() : RecordFormat(std::nullopt, std::nullopt, false) {}
RecordFormat::~RecordFormat() = default;
RecordFormat::RecordFormat(const RecordFormat&) = default;
RecordFormat& RecordFormat::operator=(const RecordFormat&) = default;

RecordFormat::RecordFormat(std::optional<std::string> start, std::optional<std::string> end,
                           bool regexp) {
    if (start && end) {
        start_ = *start;
        end_ = *end;
    } else if (start) {
        start_ = *start;
    } else if (end) {
        end_ = *end;
        if (regexp && end_.empty()) end_ = "(?s:.)";
    } else {
        end_ = "\n";
        if (regexp) end_ = "\\n";
    }
    if (!regexp) {
        start_ = unescape_separator(start_);
        end_ = unescape_separator(end_);
        separator_ = end_ + start_;
        return;
    }
    // Boost refuses an empty group or look-ahead: an empty part is left out.
    const std::string end_part = end_.empty() ? "" : "(?:" + end_ + ")";
    const std::string start_part = start_.empty() ? "" : "(?:" + start_ + ")";
    const char* named = start ? "recstart" : "recend";
    auto regex = std::make_shared<Regex>();
    regex->cut = compile(end_part + (start_.empty() ? "" : "(?=" + start_ + ")"), named);
    regex->both = compile(end_part + start_part, named);
    regex->start = compile("\\A" + start_part, "recstart");
    regex->end = compile(end_part + "\\z", "recend");
    regex_ = std::move(regex);
}

std::size_t RecordFormat::last_cut(std::string_view buf, std::size_t clean_from) const {
    if (regex_) {
        std::size_t last = 0;
        boost::cregex_iterator it(buf.data(), buf.data() + buf.size(), regex_->cut);
        for (const boost::cregex_iterator done; it != done; ++it) {
            last = static_cast<std::size_t>((*it)[0].second - buf.data());
        }
        return last;
    }
    const std::size_t from = clean_from >= separator_.size() ? clean_from - separator_.size() + 1 : 0;
    const auto at = rfind_from(buf, separator_, separator_.empty() ? 0 : from);
    return at ? *at + end_.size() : 0;
}

std::optional<std::size_t> RecordFormat::nth_cut(std::string_view buf, std::size_t n) const {
    if (regex_) {
        std::size_t found = 0;
        boost::cregex_iterator it(buf.data(), buf.data() + buf.size(), regex_->cut);
        for (const boost::cregex_iterator done; it != done; ++it) {
            const auto end = static_cast<std::size_t>((*it)[0].second - buf.data());
            if (end == 0) continue;
            if (++found == n) return end;
        }
        return std::nullopt;
    }
    // GNU's nindex(): each search starts one past the last hit (the first at 1).
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t from = at + 1;
        if (from > buf.size()) return std::nullopt;
        const std::size_t hit = buf.find(separator_, from);
        if (hit == std::string_view::npos) return std::nullopt;
        at = hit;
    }
    return at + end_.size();
}

std::optional<std::size_t> RecordFormat::part_cut(std::string_view buf, std::size_t from) const {
    if (regex_) {
        std::optional<std::size_t> last;
        boost::cregex_iterator it(buf.data() + from, buf.data() + buf.size(), regex_->cut);
        for (const boost::cregex_iterator done; it != done; ++it) {
            last = static_cast<std::size_t>((*it)[0].second - buf.data());
        }
        return last;
    }
    const std::size_t hit = buf.find(separator_, from);
    if (hit == std::string_view::npos) return std::nullopt;
    return hit + end_.size();
}

std::string RecordFormat::remove_separators(std::string_view block) const {
    if (regex_) {
        constexpr auto once = boost::regex_constants::format_first_only;
        std::string out = boost::regex_replace(std::string(block), regex_->both, "");
        out = boost::regex_replace(out, regex_->start, "", once);
        return boost::regex_replace(out, regex_->end, "", once);
    }
    std::string out;
    out.reserve(block.size());
    std::string_view rest = block;
    if (!separator_.empty()) {
        for (std::size_t at; (at = rest.find(separator_)) != std::string_view::npos;) {
            out.append(rest.substr(0, at));
            rest.remove_prefix(at + separator_.size());
        }
    }
    out.append(rest);
    if (!start_.empty() && out.compare(0, start_.size(), start_) == 0) out.erase(0, start_.size());
    if (!end_.empty() && out.size() >= end_.size() &&
        out.compare(out.size() - end_.size(), end_.size(), end_) == 0) {
        out.erase(out.size() - end_.size());
    }
    return out;
}

}  // namespace wgrun
