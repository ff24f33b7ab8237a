// idle_cpus.hpp: how many of the machine's CPUs were idle lately, from the
// first line of /proc/stat sampled a window apart. The scheduler asks it
// before it lets -k's later jobs wait in their pipes while the head writes
// (head_first.hpp): with less than one CPU idle, copying their bytes to
// spill files would take CPU time from the head and the reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace wgrun {

class IdleCpus {
public:
    using Clock = std::chrono::steady_clock;

    /// Samples `stat_path` (/proc/stat's format) at most once per `window`;
    /// `cpus` is how many CPUs its "cpu" line sums (the online CPUs).
    IdleCpus(std::string stat_path, unsigned cpus,
             Clock::duration window = std::chrono::milliseconds(50));
    /// /proc/stat and the online CPUs.
    IdleCpus();

    /// The CPUs idle (idle + iowait time) on average over the last window
    /// in which time was counted, e.g. 0.3 or 1.5. Unknown (nullopt) until
    /// two samples a window apart have been taken, and whenever the file
    /// cannot be read.
    std::optional<double> idle(Clock::time_point now);

private:
    bool sample(std::uint64_t& busy, std::uint64_t& idle) const;

    std::string path_;
    unsigned cpus_;
    Clock::duration window_;
    Clock::time_point taken_{};
    bool have_sample_ = false;
    std::uint64_t busy_ = 0;
    std::uint64_t idle_ = 0;
    std::optional<double> answer_;
};

}  // namespace wgrun
