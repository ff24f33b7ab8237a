// csv_splitter.hpp: --csv: a record split into fields by RFC 4180's rules, as
// GNU parallel's Text::CSV (binary) splits it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

/// A record that is not CSV (a quote inside an unquoted field, text after a
/// closing quote, a quote left open); what() says what and where, in one
/// line ("a quote inside an unquoted field, at byte 4").
class CsvFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Splits CSV records into fields:
///  - fields are separated by `separator` (any non-empty text without '"',
///    "," by default);
///  - a field that begins with '"' is quoted: it ends at the next lone '"',
///    "" inside it is one '"', and it may hold separators and newlines; its
///    closing quote must be followed by the separator or the record's end;
///  - a '"' anywhere else in a field is an error (Text::CSV's default);
///  - a "\r" that ends the record is its line end, not data (RFC 4180's
///    CRLF; Text::CSV refuses such a record);
///  - the empty record is one empty field.
class CsvSplitter {
public:
    /// Throws std::invalid_argument when `separator` is empty or holds '"'.
    explicit CsvSplitter(std::string separator = ",");

    /// Appends `record`'s fields to `out`. Throws CsvFormatError.
    void split(std::string_view record, std::vector<std::string>& out) const;

    /// True when `text` leaves a quoted field open: it holds an odd number
    /// of '"', so the record goes on after its delimiter (a newline inside
    /// quotes). GNU parallel's rule for reading a CSV record over lines.
    static bool leaves_quote_open(std::string_view text);

private:
    std::string separator_;
};

}  // namespace wgrun
