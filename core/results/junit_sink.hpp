// junit_sink.hpp: --junit FILE. JUnit XML for CI test reporters (GitLab,
// Jenkins, GitHub Actions): one testcase per job, failures with how the job
// ended and the tail of its output. The layout is in wgrun(1), "JUnit XML".
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/unique_fd.hpp"
#include "results/result_sink.hpp"

namespace wgrun {

/// Streams with bounded memory: each job's <testcase> is written, as the
/// job ends, to a nameless temporary file (O_TMPFILE). finish() writes the
/// document (the header with the counts, the testcases, the closing tags).
///
/// Where it goes depends on what FILE is (resolve_report_path(),
/// report_path.hpp). A regular file or a missing path, after the symlinks
/// of its last component (the symlinks stay; their target gets the report):
/// the testcases' file is in its directory, and the document is written to
/// a staged file there (temp_file.hpp), put in place in one rename(2): FILE
/// is never seen half written, and a wgrun killed before finish() leaves no
/// FILE and no temporary file (a kill inside finish() can leave a hidden
/// DIR/.NAME.wgrun-PID-N beside FILE). A FIFO, a device or an open file
/// descriptor (/dev/stdout, /proc/self/fd/9) is opened at once and written
/// into at the end (an open regular file at its end, O_APPEND): it is
/// never replaced; the testcases' file is then in `temp_dir`.
///
/// Failed jobs get <failure message="exit 2" type="exit"> (types: see
/// failure_type(), job_outcome.hpp) whose text is the tail of the job's
/// output (JobResult::output_tail: the scheduler must keep kTailBytes). Any
/// bytes become valid XML (xml_text.hpp).
///
/// The first write error is kept for error() ({ENOSPC, "--junit
/// report.xml"}); then nothing more is written and FILE is left as it was.
class JunitSink : public ResultSink {
public:
    /// The output kept per job for its <failure> text.
    static constexpr std::size_t kTailBytes = 4096;
    /// A testcase name holds at most this many bytes of the command.
    static constexpr std::size_t kNameBytes = 1000;

    /// Opens the testcases' temporary file (and FILE itself when it is
    /// written into). Throws std::system_error (throw_os_error(),
    /// os_error.hpp: "<label>: <strerror>") when FILE is a directory, its
    /// directory cannot take a file, or it cannot be opened. `label` starts
    /// error messages: "--junit report.xml".
    JunitSink(std::string path, std::string label, std::string temp_dir = "/tmp");
    ~JunitSink() override = default;
    JunitSink(const JunitSink&) = delete;
    JunitSink& operator=(const JunitSink&) = delete;

    void job_ended(const JobResult& result) override;
    void finish(const RunSummary& summary) override;
    OsError error() const override { return error_; }

private:
    int write_report(const RunSummary& summary);
    int write_document(int fd, const std::string& head, const std::string& tail);
    void fail(int error);

    std::string path_;
    std::string target_;  // what the report replaces, or empty: written into out_fd_
    std::string label_;
    UniqueFd out_fd_;    // FILE opened to write into (a FIFO, a device, an open file)
    UniqueFd cases_fd_;  // the testcases so far
    off_t cases_size_ = 0;
    std::uint64_t tests_ = 0;
    std::uint64_t failures_ = 0;
    OsError error_;
};

}  // namespace wgrun
