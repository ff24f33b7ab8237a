// json_lines_sink.hpp: --json. One JSON object per line for each job as it
// ends (JSON Lines), then one for the run; the schema is in wgrun(1),
// "JSON Lines".
#pragma once

#include <memory>
#include <string>

#include "base/unique_fd.hpp"
#include "results/result_sink.hpp"

namespace wgrun {

/// Each record is one line written with one write(2) call (more only when
/// the kernel takes part of it, as a pipe may), straight to the fd with no
/// buffer in between: a job's record is out before the next job's result is
/// taken, so killing wgrun loses no finished job and leaves no half line
/// (unless the kill comes inside that one call). In a regular file that
/// create() opened, a line that fits only in part (a full disk) is cut off
/// again (write_record(), write_all.hpp): the file holds whole lines only.
///
/// Job records ({"v":1,"type":"job",...}) come in completion order; the
/// summary ({"v":1,"type":"summary",...}) comes last, from finish().
/// Strings are made valid UTF-8 first (valid_utf8(), utf8.hpp), so that any
/// bytes in a command give valid JSON; escaping is Boost.JSON's.
///
/// Memory does not grow with the number of jobs. The first write error is
/// kept for error() ({ENOSPC, "--json out.jsonl"}) and nothing more is
/// written.
class JsonLinesSink : public ResultSink {
public:
    /// Writes to `fd`, and closes it in the destructor when `owned`. `label`
    /// starts the error message: "--json out.jsonl".
    JsonLinesSink(int fd, bool owned, std::string label);
    /// Creates `path` (or empties it) to write to; a link to an open file
    /// (/dev/stdout, /proc/self/fd/9: report_path.hpp) is written at its
    /// end instead. Throws std::system_error (throw_os_error(), os_error.hpp:
    /// "<label>: <strerror>") when it cannot.
    static std::unique_ptr<JsonLinesSink> create(const std::string& path, std::string label);
    ~JsonLinesSink() override;
    JsonLinesSink(const JsonLinesSink&) = delete;
    JsonLinesSink& operator=(const JsonLinesSink&) = delete;

    void job_ended(const JobResult& result) override;
    void finish(const RunSummary& summary) override;
    OsError error() const override { return error_; }

private:
    JsonLinesSink(UniqueFd owned, int fd, std::string label);
    void write_line(std::string line);

    int fd_;
    UniqueFd owned_;        // fd_ when the sink closes it, until finish() does
    bool regular_ = false;  // a regular file of ours: a half line can be cut off
    std::string label_;
    OsError error_;  // the first write error; nothing is written after it
};

}  // namespace wgrun
