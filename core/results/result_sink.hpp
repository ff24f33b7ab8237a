// result_sink.hpp: where finished jobs' results go after the collector: the
// job log, JSON Lines, JUnit, the progress display, the final report. Each
// sink streams: it writes a job's record when the job ends and keeps no
// per-job state it does not need, so that a million jobs cost no memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/job.hpp"
#include "base/os_error.hpp"

namespace wgrun {

/// What sinks are told once every job has ended.
struct RunSummary {
    std::uint64_t jobs = 0;      // jobs that ended (ran, or could not start)
    std::uint64_t failed = 0;    // of them, failed (JobResult::failed())
    std::uint64_t skipped = 0;   // not run because the job log had them (--resume)
    int exit_status = 0;         // wgrun's own (128 + N when it dies of signal N)
    int interrupted_by = 0;      // the signal (SIGINT, SIGTERM, SIGHUP) that stopped the run, or 0
    std::uint64_t not_started = 0;  // jobs read from the input but never started (a stop)
    bool input_unread = false;   // the run stopped before the input ended: more never read
    std::chrono::system_clock::time_point start;  // of the run
    std::chrono::system_clock::time_point end;
};

/// Every call comes from one thread at a time: job_started(), input_ended()
/// and job_ended() from the scheduler's loop, in the order things happen;
/// finish() from main once the loop is over. A sink that cannot write
/// (a full disk) keeps the first error for error() and writes no more; the
/// run goes on and ends with status 255. Nothing here throws on a write
/// error (os_error.hpp: error values on the hot path).
class ResultSink {
public:
    virtual ~ResultSink() = default;
    /// A job started its first attempt (or failed to start).
    virtual void job_started(std::uint64_t /*seq*/) {}
    /// The input has ended: `total` jobs will end in all (skipped ones not counted).
    virtual void input_ended(std::uint64_t /*total*/) {}
    /// One job ended, after its last attempt and once its output is out.
    virtual void job_ended(const JobResult& result) = 0;
    /// The run is over.
    virtual void finish(const RunSummary& /*summary*/) {}
    /// The first error the sink met ({ENOSPC, "--joblog log.tsv"}: its
    /// message() is "--joblog log.tsv: No space left on device"), or none.
    virtual OsError error() const { return {}; }
};

}  // namespace wgrun
