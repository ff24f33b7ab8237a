// joblog_reader.hpp: what a job log says is done, for --resume,
// --resume-failed and --retry-failed (GNU parallel's rules).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/os_error.hpp"

namespace wgrun {

enum class ResumeMode {
    Resume,        // every Seq in the log is done
    ResumeFailed,  // a Seq with a successful row (Exitval 0, Signal 0) is done
    RetryFailed,   // only the Seqs without a successful row run again, with their logged command
};

/// A failed job to run again (--retry-failed).
struct FailedJob {
    std::uint64_t seq = 0;
    std::string command;  // the Command column of its last failed row, NULs back to newlines
};

/// What read_joblog() found. Memory: 8 bytes per row for `done`; commands are
/// kept only for RetryFailed, and only for jobs that failed.
struct JoblogHistory {
    std::vector<std::uint64_t> done;  // Resume, ResumeFailed: the Seqs to leave out, sorted, unique
    std::vector<FailedJob> failed;    // RetryFailed: the jobs to run, sorted by Seq, unique
    std::uint64_t rows = 0;           // whole rows read
    off_t whole_bytes = 0;            // the bytes up to the end of the last whole line
    // The number of a last line that has no newline (a run killed while
    // writing it), or 0. It is left out: its job counts as not run.
    std::uint64_t torn_line = 0;
};

/// A job log that cannot be read or is malformed. what() is the whole
/// message: "run.log: line 7: Exitval is not a number: 'x'"; code() is the
/// errno of a failed read, else 0.
class JoblogError : public SetupError {
public:
    using SetupError::SetupError;
};

/// Reads the job log `fd` from where it is, to its end. An empty file is a log
/// of nothing. Otherwise the first line must be the exact header, and every
/// following whole line a valid row (joblog_format.hpp). `name` starts the
/// error messages. Throws JoblogError.
JoblogHistory read_joblog(int fd, const std::string& name, ResumeMode mode);

}  // namespace wgrun
