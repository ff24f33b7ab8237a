// results_table.hpp: --results NAME.csv, NAME.tsv, NAME.json: one table for
// the whole run, a row per job as it finishes, with GNU parallel's columns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/unique_fd.hpp"
#include "output/output_decorator.hpp"
#include "results/results_naming.hpp"

namespace wgrun {

/// One row's facts, in GNU's column order.
struct ResultsRow {
    std::uint64_t seq = 0;
    std::string host = ":";       // the local host, as GNU names it
    double starttime = 0;         // epoch seconds
    double runtime = 0;           // seconds
    std::uint64_t send = 0;       // 0: nothing is sent to other hosts
    std::uint64_t receive = 0;    // stdout bytes
    int exitval = 0;              // exit code; 0 when signalled; 127/126 when not started
    int signal = 0;
    std::string command;
    std::vector<std::string> values;  // V1..Vn
    std::string out;
    std::string err;
};

/// GNU's CSV quoting (its combine_ref): a field with '"', whitespace, the
/// separator or NUL is put in quotes, each '"' doubled; others as they are.
void append_csv_field(std::string& out, std::string_view field, char separator);

/// The header "Seq,Host,...,V1,..,Vn,Stdout,Stderr\n" (`separator` ',' or TAB).
std::string csv_header(std::size_t values, char separator);
/// A row with its newline; starttime "%.3f", runtime "%.3f" as GNU.
std::string csv_row(const ResultsRow& row, char separator);
/// GNU's JSON line: { "Seq": 1, "Host": ":", ..., "V": [ "a" ], "Stdout": "a\u000a", "Stderr": "" }
/// Strings: '\' and '"' escaped, bytes 0-31 as \u00XX, others as they are.
std::string json_row(const ResultsRow& row);

/// Passes every call on to `inner` and keeps each job's stdout and stderr
/// in memory (as GNU does for a table), writing its row to `fd` when the
/// job finishes (the header before the first row). A failed write is the
/// job's problem ("results not saved: NAME: <strerror>").
class ResultsTable : public OutputDecorator {
public:
    ResultsTable(std::unique_ptr<OutputMode> inner, ResultsTableKind kind, UniqueFd fd,
                 std::string name);

    void started(const JobStart& job) override;
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t, Stream, int) override { return kCannotSplice; }
    /// A retried attempt: its row starts again (output, start time).
    std::uint64_t retrying(std::uint64_t seq) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;

private:
    struct Running {
        ResultsRow row;
        std::chrono::steady_clock::time_point started;
    };
    ResultsTableKind kind_;
    UniqueFd fd_;
    std::string name_;
    bool header_written_ = false;
    std::unordered_map<std::uint64_t, Running> jobs_;
};

}  // namespace wgrun
