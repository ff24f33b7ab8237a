// joblog_writer.hpp: --joblog FILE, a result sink that writes GNU parallel's
// job log (joblog_format.hpp): one row per job, in the order jobs end.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "base/unique_fd.hpp"
#include "results/result_sink.hpp"

namespace wgrun {

/// Each row goes out with one write(2) of the whole line as the job ends,
/// with no buffer in between: a crash or SIGKILL of wgrun loses no finished
/// job's row and, on a regular file, leaves no half row. After a write error
/// (a full disk) error() holds it ({ENOSPC, NAME}) and nothing more is
/// written; a half row written before the error is cut off a regular file
/// (write_record(), write_all.hpp).
///
/// On a regular file that it opened, each row, and the check for a torn
/// last line and the header when opening, is done under flock(LOCK_EX), so
/// that several wgrun processes can append to one log at once (--joblog
/// +FILE): their rows never mix, none is cut off by another, and only the
/// first of them writes the header. The lock is held only for those moments
/// (an outside holder of the lock makes wgrun wait).
class JoblogWriter : public ResultSink {
public:
    enum class Open {
        Truncate,  // FILE: a new log, created 0666 less the umask, emptied
        Append,    // +FILE, --resume...: rows go at the end; a header only when the file is empty
    };

    /// Opens `path`. `name` starts the error messages ("--joblog run.log").
    /// In Append mode a job log (a file that starts with the header, or with
    /// part of it) whose last line has no newline (a run killed while writing
    /// it) has that line cut off first: see cut_bytes(). Other files are
    /// appended to as they are. Throws std::system_error (throw_os_error(),
    /// os_error.hpp: "NAME: <strerror>") when it cannot open.
    static std::unique_ptr<JoblogWriter> open(const std::string& path, Open how,
                                              std::string name);

    /// Writes to `fd`, which it does not own (standard output for
    /// `--joblog -`), starting with the header.
    JoblogWriter(int fd, std::string name);
    ~JoblogWriter() override = default;
    JoblogWriter(const JoblogWriter&) = delete;
    JoblogWriter& operator=(const JoblogWriter&) = delete;

    void job_ended(const JobResult& result) override;
    OsError error() const override { return error_; }

    /// The bytes of an incomplete last line that open() cut off, or 0.
    off_t cut_bytes() const { return cut_bytes_; }

private:
    JoblogWriter(UniqueFd owned, int fd, std::string name);
    void write_line(const std::string& line);

    UniqueFd owned_;         // the file open() opened; empty for a borrowed fd
    int fd_;
    bool regular_ = false;   // a regular file: a half-written row can be cut off
    bool locked_ = false;    // each row written under flock(LOCK_EX)
    off_t cut_bytes_ = 0;
    std::string name_;
    OsError error_;          // the first error; then nothing more is written
};

}  // namespace wgrun
