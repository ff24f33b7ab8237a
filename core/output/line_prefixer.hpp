// line_prefixer.hpp: --tag and --tagstring: what each job's lines are
// prefixed with (TagFormat), and putting that prefix at the start of every
// line of a stream that arrives in arbitrary pieces (LinePrefixer).
#pragma once

#include <string>
#include <string_view>

#include "command/command_template.hpp"
#include "output/output_mode.hpp"

namespace wgrun {

/// How a job's tag is made. Without --tag or --tagstring there is no tag and
/// every prefix is empty.
class TagFormat {
public:
    /// No tags.
    TagFormat() = default;

    /// `tag`: --tag, the tag is the job's input values joined by single
    /// spaces (in command mode that is the command). A non-empty `tagstring`
    /// (--tagstring) implies tagging; its replacement strings are expanded
    /// unquoted. `colour_out` / `colour_err`: wrap the tag (not the TAB) in
    /// an ANSI colour chosen by the job number on that destination. Throws
    /// TemplateError for a tagstring that cannot be parsed.
    /// `syntax`: the replacement strings the tagstring knows; a Perl
    /// expression that dies or skips there gives an empty tag.
    TagFormat(bool tag, std::string_view tagstring, bool colour_out, bool colour_err,
              const TemplateSyntax& syntax = TemplateSyntax{});

    bool enabled() const { return enabled_; }

    /// The prefix of every line `job` writes on `stream`: the tag, coloured
    /// when asked, then a TAB. Empty when tags are off.
    std::string prefix(const JobStart& job, Stream stream) const;

    /// The colour escape of job `seq`: a cycle of 6 colours by job number.
    static std::string_view colour(std::uint64_t seq);
    static constexpr std::string_view kReset = "\x1b[0m";

private:
    bool enabled_ = false;
    bool has_tagstring_ = false;
    CommandTemplate tagstring_;
    bool colour_out_ = false;
    bool colour_err_ = false;
};

/// Puts a prefix at the start of every line of one stream. A line starts at
/// the stream's first byte and after every '\n' (a "\r\n" line is one line
/// whose last bytes are "\r\n"); the prefix is put in only when the line's
/// first byte arrives, so a stream ending in '\n' ends in no stray prefix and
/// a final line without '\n' is prefixed all the same. No per-line
/// allocation: lines are found with memchr and appended to the caller's
/// reusable buffer.
class LinePrefixer {
public:
    LinePrefixer() = default;
    explicit LinePrefixer(std::string prefix) : prefix_(std::move(prefix)) {}

    /// False when the prefix is empty: apply() would only copy.
    bool active() const { return !prefix_.empty(); }

    /// Appends `bytes`, prefixed, to `out`.
    void apply(std::string_view bytes, std::string& out);

private:
    std::string prefix_;
    bool at_line_start_ = true;
};

}  // namespace wgrun
