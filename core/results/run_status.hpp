// run_status.hpp: wgrun's exit status, decided from what happened in the run
// (see wgrun(1), EXIT STATUS). Pure: the caller gathers the facts, prints and
// dies; this only decides.
#pragma once

#include <cstdint>
#include <optional>

#include "schedule/halt_policy.hpp"

namespace wgrun {

/// What happened, once the last job has ended (or the run stopped).
struct RunFacts {
    int interrupted_by = 0;          // SIGINT or SIGTERM the event loop acted on; 0: none
    int late_signal = 0;             // one the stop watcher caught after the loop's last look
    int drained_by = 0;              // SIGHUP: no job started after it; 0: none
    bool left_unstarted = false;     // jobs read but not started, or input not read
    bool stdout_closed = false;      // the reader of our stdout went away
    bool own_error = false;          // an input that failed, a result sink that failed
    std::optional<int> halt_status;  // --halt triggered, with this status
    HaltPolicy halt;                 // --halt as given (its percent rule at the end)
    std::uint64_t failed = 0;        // jobs failed (after their last attempt)
    std::uint64_t started = 0;       // jobs started
};

/// The decision.
struct RunStatus {
    /// The exit status; 128 + die_signal when wgrun dies of a signal.
    int status = 0;
    /// The signal wgrun dies of once it has reported, so that the calling
    /// shell stops too: SIGINT/SIGTERM it was interrupted by, else SIGPIPE
    /// for a closed stdout, else SIGHUP when that signal left jobs
    /// unstarted. 0: wgrun exits with `status`.
    int die_signal = 0;
    /// The signal for the run's summary ("interrupted_by"): the one that
    /// interrupted it, else the one that drained it; 0: none.
    int stopped_by = 0;
    /// Say which jobs a SIGHUP left unstarted (a SIGINT/SIGTERM says
    /// nothing of them).
    bool say_hangup_cut = false;
};

/// Decides, first match wins: a signal to die of (128 + it), wgrun's own
/// error (255), the status --halt set when it triggered, else the failures:
/// 0 for none, 1-100 that many, 101 more, or with a --halt percentage the
/// percentage of the started jobs that failed, rounded up.
RunStatus decide_run_status(const RunFacts& facts);

/// The status once the results have been finished: `finish_failed` (a sink
/// that failed while finishing, a full disk under --junit) makes it wgrun's
/// own error (255). Not for a status that dies of a signal.
int status_after_finish(const RunStatus& decided, bool finish_failed);

/// GNU parallel's status for the runner's own errors.
inline constexpr int kOwnErrorStatus = 255;

}  // namespace wgrun
