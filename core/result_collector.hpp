// result_collector.hpp: where finished jobs' results go, apart from the
// WaitGroup that only tells that they are all done. It keeps the failed
// jobs for the final report and passes every result on to the sinks
// (result_sink.hpp) as it comes.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "job.hpp"
#include "result_sink.hpp"

namespace wgrun {

class ResultCollector {
public:
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

    /// The sinks' errors, one per sink that failed.
    std::vector<std::string> sink_errors() const;

    /// Every failed job's result, in job-number order.
    std::vector<JobResult> failed() const;

    /// How many results were recorded, and how many of them failed.
    std::uint64_t total() const;
    std::uint64_t failed_count() const;

private:
    mutable std::mutex mutex_;
    std::uint64_t total_ = 0;
    std::vector<JobResult> failed_;  // only failures are kept: memory stays flat
    std::vector<ResultSink*> sinks_;
    bool finished_ = false;
};

/// GNU parallel's exit status for `failed` failed jobs: 0, the count up to
/// 100, or 101 for more than 100.
int exit_status_for_failures(std::uint64_t failed);

}  // namespace wgrun
