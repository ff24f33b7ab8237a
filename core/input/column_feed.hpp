// column_feed.hpp: the column stage: each value of a job's input split into
// columns (--colsep, --csv) and trimmed (--trim), between the input sources
// and the job.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input/column_splitter.hpp"
#include "input/csv_splitter.hpp"
#include "input/job_feed.hpp"
#include "input/value_trim.hpp"

namespace wgrun {

/// How values become columns. With neither splitter a value is one column.
struct ColumnRules {
    std::optional<ColumnSplitter> splitter;  // --colsep REGEX (--header's default: a tab)
    std::optional<CsvSplitter> csv;          // --csv: splits instead of `splitter`
    Trim trim = Trim::None;                  // --trim, applied to every column

    /// True when values are split at all.
    bool splits() const { return splitter.has_value() || csv.has_value(); }

    /// `value`'s columns, trimmed, appended to `out`. Throws CsvFormatError.
    void columns(std::string_view value, std::vector<std::string>& out) const;

    /// The column names a header record gives: split as a value is, a "\r"
    /// at its end dropped, not trimmed; with a regex separator, empty names
    /// at the end are dropped (Perl's split without a limit, as GNU's
    /// header). Throws CsvFormatError.
    std::vector<std::string> names(std::string_view header) const;
};

/// A JobFeed that hands on `inner`'s inputs with each value replaced by its
/// columns: ("a,b", "c") -> (a, b, c) under --colsep ','. Lazy: it reads
/// `inner` one input at a time, on the caller's thread.
///
/// With `join_records` (a single input source read from a file, under
/// --csv), a value that leaves a quoted field open goes on with the next
/// one, joined by `delimiter`: a CSV record may span lines.
class ColumnFeed : public JobFeed {
public:
    ColumnFeed(std::unique_ptr<JobFeed> inner, std::shared_ptr<const ColumnRules> rules,
               bool join_records = false, char delimiter = '\n');

    /// The next input, split. Throws InputError for a CSV record that is not
    /// CSV (naming the record), and what `inner` throws.
    std::optional<std::vector<std::string>> next() override;

    /// Takes the first input as a header (--header with one input source):
    /// its column names (ColumnRules::names), one list for all its values;
    /// empty when there is no input. Call it before next().
    std::vector<std::string> take_header();

private:
    // The next input of `inner`, its records joined when asked.
    std::optional<std::vector<std::string>> next_raw();

    std::unique_ptr<JobFeed> inner_;
    std::shared_ptr<const ColumnRules> rules_;
    bool join_records_;
    char delimiter_;
    std::uint64_t inputs_ = 0;  // inputs read so far, for error messages
};

}  // namespace wgrun
