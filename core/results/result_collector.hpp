// result_collector.hpp: where finished jobs' results go, apart from the
// WaitGroup that only tells that they are all done. It keeps (a bounded
// number of) the failed jobs for the final report and passes every result
// on to the sinks (result_sink.hpp) as it comes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "base/job.hpp"
#include "results/result_sink.hpp"

namespace wgrun {

class ResultCollector {
public:
    /// How many failed jobs are kept for the report by default.
    static constexpr std::size_t kKeptFailures = 1000;

    /// Keeps at most `kept_failures` failed jobs (those with the lowest
    /// numbers); the others are only counted.
    explicit ResultCollector(std::size_t kept_failures = kKeptFailures)
        : kept_failures_(kept_failures) {}

    /// Passes every result to `sink` too, in completion order. Call before
    /// the run starts; the sink must outlive the collector's use.
    void add_sink(ResultSink& sink);

    /// Told by the scheduler; passed on to the sinks.
    void job_started(std::uint64_t seq);
    void input_ended(std::uint64_t total);

    /// Records one job's result and gives it to each sink. Thread-safe.
    void add(JobResult result);

    /// The run is over: tells each sink (from the caller's thread, once
    /// add() is no longer called). Once finished, the sinks hear nothing
    /// more (when wgrun gives up while the loop still runs, see StopWatcher).
    void finish(const RunSummary& summary);

    /// The sinks' errors, one per sink that failed, as wgrun shows them
    /// (OsError::message(): "--json x: No space left on device").
    std::vector<std::string> sink_errors() const;

    /// The kept failed jobs' results (the kept_failures lowest job numbers
    /// of the failed jobs), in job-number order, as a report shows them:
    /// without their output tail and input values, the command made
    /// printable_command() (escaped, and cut after kShownCommandBytes). So
    /// memory stays bounded however many jobs fail and however long their
    /// commands; failed_count() - failed().size() failures are not listed.
    std::vector<JobResult> failed() const;

    /// How many results were recorded, and how many of them failed.
    std::uint64_t total() const;
    std::uint64_t failed_count() const;

private:
    mutable std::mutex mutex_;
    std::size_t kept_failures_;
    std::uint64_t total_ = 0;
    std::uint64_t failed_count_ = 0;
    // The kept failures, a max-heap by job number: the highest kept number
    // comes first, to be replaced by a lower one.
    std::vector<JobResult> failed_;
    std::vector<ResultSink*> sinks_;
    bool finished_ = false;
};

/// GNU parallel's exit status for `failed` failed jobs: 0, the count up to
/// 100, or 101 for more than 100.
int exit_status_for_failures(std::uint64_t failed);

}  // namespace wgrun
