// line_prefixer.cpp: tags, and prefixing lines with memchr.
#include "output/line_prefixer.hpp"

#include <cstring>
#include <span>

namespace wgrun {

TagFormat::TagFormat(bool tag, std::string_view tagstring, bool colour_out, bool colour_err,
                     const TemplateSyntax& syntax)
    : enabled_(tag || !tagstring.empty()),
      has_tagstring_(!tagstring.empty()),
      colour_out_(colour_out),
      colour_err_(colour_err) {
    if (has_tagstring_) tagstring_ = CommandTemplate::parse(tagstring, syntax);
}

std::string_view TagFormat::colour(std::uint64_t seq) {
    static constexpr std::string_view kPalette[] = {"\x1b[31m", "\x1b[32m", "\x1b[33m",
                                                    "\x1b[34m", "\x1b[35m", "\x1b[36m"};
    constexpr std::uint64_t kColours = sizeof kPalette / sizeof kPalette[0];
    return kPalette[(seq + kColours - 1) % kColours];  // job 1 gets the first
}

std::string TagFormat::prefix(const JobStart& job, Stream stream) const {
    if (!enabled_) return {};
    std::span<const std::string> args;
    if (job.args != nullptr) args = *job.args;
    std::string tag;
    if (has_tagstring_) {
        try {
            tag = tagstring_.expand_text(args, job.seq, job.slot);
        } catch (const std::exception&) {  // a Perl expression died, or skip()
            tag.clear();
        }
    } else {
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (i > 0) tag += ' ';
            tag += args[i];
        }
    }
    std::string out;
    if (stream == Stream::Out ? colour_out_ : colour_err_) {
        out.reserve(tag.size() + 16);
        out += colour(job.seq);
        out += tag;
        out += kReset;
    } else {
        out = std::move(tag);
    }
    out += '\t';
    return out;
}

void LinePrefixer::apply(std::string_view bytes, std::string& out) {
    if (prefix_.empty()) {
        out.append(bytes);
        return;
    }
    while (!bytes.empty()) {
        if (at_line_start_) out += prefix_;
        const void* newline = std::memchr(bytes.data(), '\n', bytes.size());
        if (newline == nullptr) {
            out.append(bytes);
            at_line_start_ = false;
            return;
        }
        const std::size_t line = static_cast<const char*>(newline) - bytes.data() + 1;
        out.append(bytes.data(), line);
        bytes.remove_prefix(line);
        at_line_start_ = true;
    }
}

}  // namespace wgrun
