// job_total.hpp: the number of jobs of the run, for GNU parallel's {##},
// {0#} and total_jobs(). Known only once every input has been read: the
// feed that counts them (input/counted_feed.hpp) sets it before the first
// job's command is made; commands read it as they are made, maybe on
// another thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace wgrun {

class JobTotal {
public:
    void set(std::uint64_t jobs) { jobs_.store(jobs, std::memory_order_release); }
    /// The total, or 0 while it is not known.
    std::uint64_t get() const { return jobs_.load(std::memory_order_acquire); }

private:
    std::atomic<std::uint64_t> jobs_{0};
};

}  // namespace wgrun
