// counted_feed.hpp: every job's input read first and counted, for GNU
// parallel's {##}, {0#} and total_jobs(), which stand for the number of
// jobs in the run (GNU reads its input first for them too).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "input/job_feed.hpp"

namespace wgrun {

/// Reads `inner` to its end at the first next() (no job starts before all
/// the input is in), tells `counted` the number of jobs, then hands them
/// out in order. Memory holds every input. An InputError from `inner`
/// comes out of the first next(), and `counted` is not called.
class CountedFeed : public JobFeed {
public:
    CountedFeed(std::unique_ptr<JobFeed> inner, std::function<void(std::uint64_t)> counted)
        : inner_(std::move(inner)), counted_(std::move(counted)) {}
    std::optional<std::vector<std::string>> next() override;
    std::optional<JobInput> next_input() override;  // keeps what the jobs read on stdin

private:
    std::unique_ptr<JobFeed> inner_;
    std::function<void(std::uint64_t)> counted_;
    std::vector<JobInput> inputs_;
    std::size_t next_ = 0;
    bool read_ = false;
};

}  // namespace wgrun
