// result_collector.hpp: where finished jobs' results go, apart from the
// WaitGroup that only tells that they are all done.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "job.hpp"

namespace wgrun {

class ResultCollector {
public:
    /// Records one job's result. Thread-safe.
    void add(JobResult result);

    /// Every failed job's result, in job-number order.
    std::vector<JobResult> failed() const;

    /// How many results were recorded, and how many of them failed.
    std::uint64_t total() const;
    std::uint64_t failed_count() const;

private:
    mutable std::mutex mutex_;
    std::uint64_t total_ = 0;
    std::vector<JobResult> failed_;  // only failures are kept: memory stays flat
};

/// GNU parallel's exit status for `failed` failed jobs: 0, the count up to
/// 100, or 101 for more than 100.
int exit_status_for_failures(std::uint64_t failed);

}  // namespace wgrun
