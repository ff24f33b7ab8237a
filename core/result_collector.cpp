// result_collector.cpp: counts and failures.
#include "result_collector.hpp"

#include <algorithm>

namespace wgrun {

void ResultCollector::add(JobResult result) {
    std::lock_guard lock(mutex_);
    ++total_;
    if (result.failed()) failed_.push_back(std::move(result));
}

std::vector<JobResult> ResultCollector::failed() const {
    std::vector<JobResult> copy;
    {
        std::lock_guard lock(mutex_);
        copy = failed_;
    }
    std::sort(copy.begin(), copy.end(),
              [](const JobResult& a, const JobResult& b) { return a.seq < b.seq; });
    return copy;
}

std::uint64_t ResultCollector::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::uint64_t ResultCollector::failed_count() const {
    std::lock_guard lock(mutex_);
    return failed_.size();
}

int exit_status_for_failures(std::uint64_t failed) {
    return failed > 100 ? 101 : static_cast<int>(failed);
}

}  // namespace wgrun
