// record_format.hpp: where --pipe may cut its input: records end at
// --recend (default "\n") and start at --recstart (default empty), both
// fixed strings with GNU parallel's printf escapes, or Perl-style regular
// expressions under --regexp. A cut is made right after a record end that
// is followed by a record start, as GNU parallel 20221122 makes it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wgrun {

/// A --recstart or --recend that cannot be used (a bad regular expression).
class RecordFormatError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// GNU parallel's escapes in a fixed --recstart/--recend: \0 \r \n \t \'
/// \" \\ stand for their characters; any other backslash stays.
std::string unescape_separator(std::string_view text);

class RecordFormat {
public:
    /// The defaults (lines). With only `start` given, records have no end
    /// string; with only `end`, no start string (GNU's rules). With
    /// `regexp`, both are regular expressions (an empty end then matches any
    /// one byte, as GNU's --regexp --recend ''); otherwise escapes are
    /// applied. Throws RecordFormatError for a bad expression.
    RecordFormat(std::optional<std::string> start, std::optional<std::string> end, bool regexp);
    RecordFormat();
    ~RecordFormat();
    RecordFormat(const RecordFormat&);
    RecordFormat& operator=(const RecordFormat&);

    bool regexp() const { return regex_ != nullptr; }
    /// The fixed separator: end then start (without --regexp).
    const std::string& separator() const { return separator_; }
    std::size_t end_size() const { return end_.size(); }

    /// The last place in `buf` where it may be cut: just after the last
    /// record end that a record start follows (0: nowhere, as a cut at 0
    /// passes nothing). Only the bytes from `clean_from` on are searched for
    /// a fixed separator (those before hold none: they were searched).
    std::size_t last_cut(std::string_view buf, std::size_t clean_from = 0) const;
    /// The place after the `n`-th separator found from position 1 on (GNU's
    /// -N with --pipe), or nothing when `buf` has fewer.
    std::optional<std::size_t> nth_cut(std::string_view buf, std::size_t n) const;
    /// The first place at or after `from` where a separator ends its record
    /// end (fixed), or, under --regexp, the last one in `buf` from `from` on
    /// (GNU's --pipepart reads 128 KiB at a time and cuts at the last match
    /// in what it read); nothing when there is none.
    std::optional<std::size_t> part_cut(std::string_view buf, std::size_t from) const;
    /// --remove-rec-sep: every separator taken out of `block`, and a record
    /// start at its beginning and a record end at its end.
    std::string remove_separators(std::string_view block) const;

private:
    struct Regex;
    std::string start_, end_, separator_;
    std::shared_ptr<const Regex> regex_;
};

}  // namespace wgrun
