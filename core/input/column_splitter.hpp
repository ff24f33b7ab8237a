// column_splitter.hpp: --colsep: a record split into columns at a separator
// given as a regular expression, with the meaning of Perl's
// split(/REGEX/, RECORD, -1), which GNU parallel uses.
#pragma once

#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

/// A --colsep that is not a regular expression wgrun can use; what() is one
/// line, fit for a usage error.
class ColumnPatternError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// The text `pattern` matches when it is a plain literal: no regular
/// expression syntax but the escapes \t \n \r \f \e \a and a backslash
/// before punctuation ("\t", ",", "::", "\|", "\\"). Nothing for any other
/// pattern, and for the empty one.
std::optional<std::string> literal_pattern(std::string_view pattern);

/// Splits records into columns as Perl's split(/PATTERN/, RECORD, -1):
///  - every match separates two columns, so empty columns are kept,
///    leading and trailing ones included ("a,,b," -> a, "", b, "");
///  - a match must end after the column it closes begins: a match of no
///    width splits between bytes but never before the first one (the empty
///    pattern splits "ab" into a, b, "");
///  - each capture group's text is a column of its own after the column
///    its match closes ("(,)" keeps the separators); a group that took no
///    part gives an empty column;
///  - a record with no match is one column, and so is the empty record (as
///    GNU parallel makes it).
/// A literal pattern (literal_pattern) is split by plain search, with no
/// regular expression engine. Any other pattern is a std::regex in the
/// ECMAScript grammar on bytes, which is Perl's for ordinary patterns (see
/// wgrun(1), COLUMNS, for what differs), run by libstdc++'s breadth-first
/// matcher, whose stack does not grow with the length of a match.
class ColumnSplitter {
public:
    /// Throws ColumnPatternError when `pattern` is no ECMAScript regular
    /// expression (Perl-only syntax: (?i), (?<=...), \Q...\E, \z, a++, ...)
    /// or holds a back reference (\1), which the breadth-first matcher has not.
    explicit ColumnSplitter(std::string_view pattern);

    /// True when the pattern is split by plain search.
    bool literal() const { return literal_.has_value(); }

    /// Appends `record`'s columns to `out`.
    void split(std::string_view record, std::vector<std::string>& out) const;

private:
    void split_regex(std::string_view record, std::vector<std::string>& out) const;

    std::optional<std::string> literal_;  // the separator, when it is a literal
    std::regex regex_;                    // otherwise
};

}  // namespace wgrun
