// machine_gate.cpp: readings kept for kRecheck, refreshed after each start.
#include "schedule/machine_gate.hpp"

#include <cstdio>

namespace wgrun {

MachineGate::MachineGate(MachineLimits limits, MachineGauge& gauge,
                         std::function<void(const std::string&)> warn)
    : limits_(limits), gauge_(gauge), warn_(std::move(warn)) {}

bool MachineGate::may_start(Clock::time_point now) {
    if (!limits_.any()) return true;
    if (!stale_ && read_at_ && now - *read_at_ < kRecheck) return !refused_;
    stale_ = false;
    read_at_ = now;
    why_.clear();
    refused_ = !read_load() || !read_memory(now);
    return !refused_;
}

// False when the load is at or above --load.
bool MachineGate::read_load() {
    if (limits_.load <= 0 || load_unknown_) return true;
    const auto busy = gauge_.busy_threads();
    if (!busy) {
        load_unknown_ = true;
        if (warn_) warn_("wgrun: --load: cannot read the running threads from /proc; --load is left aside\n");
        return true;
    }
    if (static_cast<double>(*busy) < limits_.load) return true;
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", limits_.load);
    why_ = std::to_string(*busy) + " threads running, --load " + limit;
    return false;
}

// False when MemAvailable is below --memfree.
bool MachineGate::read_memory(Clock::time_point now) {
    if (limits_.memfree == 0 || memory_unknown_) return true;
    const auto available = gauge_.mem_available();
    memory_at_ = now;
    if (!available) {
        memory_unknown_ = true;
        if (warn_) warn_("wgrun: --memfree: cannot read MemAvailable from /proc/meminfo; --memfree is left aside\n");
        return true;
    }
    available_ = *available;
    if (*available >= limits_.memfree) return true;
    why_ = std::to_string(*available) + " bytes available, --memfree " +
           std::to_string(limits_.memfree);
    return false;
}

bool MachineGate::shed(Clock::time_point now) {
    if (limits_.memfree == 0 || memory_unknown_) return false;
    if (!memory_at_ || now - *memory_at_ >= kMemoryWatch) read_memory(now);
    return !memory_unknown_ && available_ < limits_.memfree / 2;
}

std::optional<MachineGate::Clock::time_point> MachineGate::next_check(bool jobs_running) const {
    std::optional<Clock::time_point> due;
    if (refused_ && read_at_) due = *read_at_ + kRecheck;
    if (jobs_running && limits_.memfree > 0 && !memory_unknown_) {
        const auto watch = memory_at_ ? *memory_at_ + kMemoryWatch : Clock::time_point{};
        if (!due || watch < *due) due = watch;
    }
    return due;
}

}  // namespace wgrun
