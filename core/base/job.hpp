// job.hpp: the vocabulary of a job: its input, and its result.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/job_stdin.hpp"
#include "results/exit_status.hpp"

namespace wgrun {

/// One job before it runs: its sequence number (1-based, in input order) and
/// its input values, one per input source (or the command itself).
struct JobInput {
    std::uint64_t seq = 0;
    std::vector<std::string> args;
    // What the job reads on stdin (--pipe's block), shared by its attempts;
    // none: /dev/null.
    std::shared_ptr<const JobStdin> stdin_data = {};
};

/// Why wgrun itself ended a job before it was done, if it did.
enum class EndedBy {
    Nobody,        // it ended on its own
    Timeout,       // --timeout
    Halt,          // --halt now
    Signal,        // wgrun got SIGINT or SIGTERM
    ClosedStdout,  // nobody reads wgrun's output any more
    Memory,        // --memfree: memory ran low and it was the youngest job
};

/// One job after it ended. Results travel through the ResultCollector, never
/// through the WaitGroup.
struct JobResult {
    std::uint64_t seq = 0;
    std::uint64_t slot = 0;
    std::string host = ":";              // where it ran: ":" is this machine (GNU's joblog)
    std::string command;                 // as shown to the user
    std::vector<std::string> args;       // the input values (or the command itself)
    ExitStatus status;    // of the last attempt
    std::string problem;  // wgrun's own trouble with the job ("output lost: ..."), or empty
    std::chrono::system_clock::time_point start;   // of the first attempt
    std::chrono::system_clock::time_point end;     // of the last attempt
    std::chrono::steady_clock::duration runtime{};  // of the last attempt
    std::uint32_t attempts = 1;                     // runs in all (--retries)
    EndedBy ended_by = EndedBy::Nobody;             // of the last attempt
    std::chrono::nanoseconds timeout{0};            // the limit it broke, when EndedBy::Timeout
    // Resources of all attempts together, from wait4(): CPU time of the job
    // and of the descendants it waited for, and the largest peak RSS (which
    // Linux counts from the job's start inside wgrun's memory, vfork(), so
    // it is never below wgrun's own RSS at that moment, a few MB).
    std::chrono::microseconds user_cpu{0};
    std::chrono::microseconds system_cpu{0};
    long max_rss_kb = 0;
    // Bytes the job wrote to its stdout and stderr, all attempts together.
    std::uint64_t stdout_bytes = 0;
    std::uint64_t stderr_bytes = 0;
    // Bytes of the retried attempts' output not written (--retries: only
    // the last attempt's output is, except under -u and --line-buffer).
    std::uint64_t dropped_output_bytes = 0;
    // The last bytes of its output (stdout and stderr as they came), kept
    // only when a sink asks for them (Scheduler::Parts::keep_tail).
    std::string output_tail;

    bool timed_out() const { return ended_by == EndedBy::Timeout; }

    /// A job fails when it exits non-zero, is killed by a signal, cannot
    /// start, its output could not be delivered, or wgrun had to end it
    /// (even if it then exited 0).
    bool failed() const { return !status.ok() || !problem.empty() || ended_by != EndedBy::Nobody; }
};

}  // namespace wgrun
