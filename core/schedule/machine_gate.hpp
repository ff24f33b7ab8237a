// machine_gate.hpp: --load and --memfree, GNU parallel's rules: start no job
// while the machine is busy (threads running or waiting for disk at or
// above the limit) or short of memory (MemAvailable below --memfree), and
// give a job back when memory falls below half of --memfree. It reads the
// machine through a MachineGauge (the real /proc, or a fake in tests) and
// reads it again only when its last reading is too old or a job has started
// since (so that at most one start pushes the load over the limit), and
// says when it is worth asking again.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "schedule/machine_gauge.hpp"
#include "schedule/machine_limits.hpp"

namespace wgrun {

class MachineGate {
public:
    using Clock = std::chrono::steady_clock;
    /// How long a reading counts, and how often a refused start asks again.
    static constexpr std::chrono::milliseconds kRecheck{100};
    /// How often memory is read while jobs run, for shed().
    static constexpr std::chrono::milliseconds kMemoryWatch{250};

    /// `warn` hears, once per reading, that it cannot be made (the limit is
    /// then left aside).
    MachineGate(MachineLimits limits, MachineGauge& gauge,
                std::function<void(const std::string&)> warn = nullptr);

    /// True when a job may start now.
    bool may_start(Clock::time_point now);
    /// A job has started: the next may_start() reads the machine again.
    void started() { stale_ = true; }
    /// --memfree: true when MemAvailable is below half of it (the youngest
    /// job should go back to the queue). Reads no more often than
    /// kMemoryWatch.
    bool shed(Clock::time_point now);
    /// When asking again may change the answer: kRecheck after a refused
    /// start, kMemoryWatch after the last memory reading while `jobs_running`
    /// under --memfree; nothing otherwise.
    std::optional<Clock::time_point> next_check(bool jobs_running) const;
    /// Why the last may_start() said no ("load 3 >= 2"), for messages.
    const std::string& holding_back() const { return why_; }
    /// The last MemAvailable read (0 before any).
    std::uint64_t last_available() const { return available_; }

private:
    bool read_load();
    bool read_memory(Clock::time_point now);

    MachineLimits limits_;
    MachineGauge& gauge_;
    std::function<void(const std::string&)> warn_;
    bool stale_ = true;
    std::optional<Clock::time_point> read_at_;    // the last may_start() reading
    std::optional<Clock::time_point> memory_at_;  // the last memory reading
    bool refused_ = false;
    std::uint64_t available_ = 0;
    std::string why_;
    bool load_unknown_ = false;    // warned: load cannot be read
    bool memory_unknown_ = false;  // warned: MemAvailable cannot be read
};

}  // namespace wgrun
