// junit_sink.hpp: --junit FILE. JUnit XML for CI test reporters (GitLab,
// Jenkins, GitHub Actions): one testcase per job, failures with how the job
// ended and the tail of its output. The layout is in wgrun(1), "JUnit XML".
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "result_sink.hpp"

namespace wgrun {

/// Streams with bounded memory: each job's <testcase> is written, as the
/// job ends, to a nameless temporary file (O_TMPFILE) in FILE's directory.
/// finish() writes the document (the header with the counts, the
/// testcases, the closing tags) to another nameless file there, and puts it
/// in place in one rename(2): FILE is never seen half written, and a wgrun
/// killed before finish() leaves no FILE and no temporary file (a kill
/// inside finish() can leave a hidden DIR/.NAME.wgrun-PID beside FILE).
///
/// Failed jobs get <failure message="exit 2" type="exit"> (types: see
/// failure_type(), job_outcome.hpp) whose text is the tail of the job's
/// output (JobResult::output_tail: the scheduler must keep kTailBytes). Any
/// bytes become valid XML (xml_text.hpp).
///
/// The first write error is kept for error() ("--junit report.xml: No
/// space left on device"); then nothing more is written and FILE is left
/// as it was.
class JunitSink : public ResultSink {
public:
    /// The output kept per job for its <failure> text.
    static constexpr std::size_t kTailBytes = 4096;
    /// A testcase name holds at most this many bytes of the command.
    static constexpr std::size_t kNameBytes = 1000;

    /// Opens the testcases' temporary file in FILE's directory. Throws
    /// std::runtime_error "<label>: <strerror>" when FILE is a directory or
    /// its directory cannot take a file. `label` starts error messages:
    /// "--junit report.xml".
    JunitSink(std::string path, std::string label);
    ~JunitSink() override;
    JunitSink(const JunitSink&) = delete;
    JunitSink& operator=(const JunitSink&) = delete;

    void job_ended(const JobResult& result) override;
    void finish(const RunSummary& summary) override;
    std::string error() const override { return error_; }

private:
    int write_report(const RunSummary& summary);
    void fail(int error);

    std::string path_;
    std::string dir_;    // FILE's directory
    std::string label_;
    int cases_fd_ = -1;  // the testcases so far
    off_t cases_size_ = 0;
    std::uint64_t tests_ = 0;
    std::uint64_t failures_ = 0;
    std::string error_;
};

}  // namespace wgrun
