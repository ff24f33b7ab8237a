// head_first.hpp: under --keep-order, whether the later jobs' stdout should
// wait in their pipes while the head (the job the reader waits for) writes.
//
// Reading them then only copies their bytes to a spill file and, at their
// turn, out again. When the machine has a CPU to spare that costs nothing
// and they get on with their work; when it has less than one idle CPU, the
// copying takes CPU time from the head and the reader, and a job waiting on
// a full pipe (as on any blocking write) loses nothing the machine could
// have done. So the others wait while the head has written within the last
// `quiet` span and less than one CPU was idle lately; as soon as the head
// goes quiet (it computes, or waits), or a CPU is idle, they are read again.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace wgrun {

class HeadFirst {
public:
    using Clock = std::chrono::steady_clock;
    /// How many CPUs were idle lately (nullopt: unknown), asked at `now`.
    using IdleCpusFn = std::function<std::optional<double>(Clock::time_point now)>;

    explicit HeadFirst(IdleCpusFn idle_cpus,
                       Clock::duration quiet = std::chrono::milliseconds(5));

    /// Told once a round, after its reads: the head (nullopt: no job is
    /// waited for) and the stdout bytes read from it so far. Returns whether
    /// the other jobs' stdout should wait now.
    bool update(std::optional<std::uint64_t> head, std::uint64_t head_bytes, Clock::time_point now);

    /// While update() says wait: when the head will count as quiet unless
    /// it writes again (the loop must look again then).
    std::optional<Clock::time_point> deadline() const;

private:
    IdleCpusFn idle_cpus_;
    Clock::duration quiet_;
    std::optional<std::uint64_t> head_;
    std::uint64_t bytes_ = 0;
    Clock::time_point last_write_{};
    bool waiting_ = false;
};

}  // namespace wgrun
