// joblog_format.hpp: one line of GNU parallel's job log (--joblog), written
// from a JobResult and read back, column by column.
//
//   Seq  Host  Starttime  JobRuntime  Send  Receive  Exitval  Signal  Command
//   3    :     1700000000.123      0.250  0  0  1  0  false
//
// The columns are separated by one TAB each; the Command column is the rest
// of the line (it may hold TABs) with each newline written as a NUL byte, so
// that every row is one line.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/job.hpp"

namespace wgrun {

/// The first line of every job log, with its newline.
inline constexpr std::string_view kJoblogHeader =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

/// The row for `result`, with its newline:
///   Starttime   JobResult::start, epoch seconds rounded to 3 decimals ("%.3f");
///   JobRuntime  JobResult::runtime cut to whole ms, as "%10.3f" (GNU cuts too);
///   Send        0 (GNU counts bytes sent to other hosts there);
///   Receive     JobResult::stdout_bytes (GNU counts the job's grouped stdout);
///   Exitval, Signal  exit code and 0; 0 and the signal for a signalled job;
///               -1 and 15 for a job ended by --timeout; ExitStatus::shell_code()
///               (127, 126) and 0 for a job that could not start; -1 and 0
///               for a job that exited 0 but failed (JobResult::failed()).
std::string format_joblog_row(const JobResult& result);

/// One row read back. The views point into the line that was parsed.
struct JoblogRow {
    std::uint64_t seq = 0;
    std::string_view host;
    long long exitval = 0;
    long long signal = 0;
    std::string_view command;  // as in the file: newlines are still NULs

    /// Exitval 0 and Signal 0: the job is done (GNU's test for --resume-failed).
    bool succeeded() const { return exitval == 0 && signal == 0; }
};

/// A line that is not a job log row or header. what() says which column and
/// why ("Exitval is not a number: 'x'"), without the file or line number.
class JoblogFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// True when `line` (without its newline) is the exact header.
bool is_joblog_header(std::string_view line);

/// Parses one row (without its newline). Seq must be a positive whole number,
/// Host non-empty, Starttime and JobRuntime decimal numbers (JobRuntime may
/// start with spaces), Send, Receive, Exitval and Signal whole numbers (a
/// minus sign allowed); Command is the rest of the line. Throws
/// JoblogFormatError.
JoblogRow parse_joblog_row(std::string_view line);

}  // namespace wgrun
