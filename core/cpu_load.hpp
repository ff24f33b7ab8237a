// cpu_load.hpp: whether the machine's CPUs have all been busy lately, from
// /proc/stat. The scheduler asks it before it copies a job's output to a
// spill file only to copy it out again: on a saturated machine that work
// takes CPU time from the job and the reader that set the pace, so the job's
// bytes had better wait in its pipe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace wgrun {

class CpuLoad {
public:
    using Clock = std::chrono::steady_clock;

    /// Samples `stat_path` (the format of /proc/stat's first line) at most
    /// once per `window`.
    explicit CpuLoad(std::string stat_path = "/proc/stat",
                     Clock::duration window = std::chrono::milliseconds(50));

    /// True when, over the last full window before `now`, the CPUs were idle
    /// (idle + iowait) less than 1/20 of the time. False until two samples
    /// have been taken, and whenever the file cannot be read.
    bool saturated(Clock::time_point now);

private:
    bool sample(std::uint64_t& busy, std::uint64_t& idle) const;

    std::string path_;
    Clock::duration window_;
    Clock::time_point taken_{};
    bool have_sample_ = false;
    std::uint64_t busy_ = 0;
    std::uint64_t idle_ = 0;
    bool saturated_ = false;
};

}  // namespace wgrun
