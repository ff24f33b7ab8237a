// machine_gauge.hpp: what --load and --memfree read about this machine: the
// threads running or waiting for disk, and the memory available, from
// /proc (ProcGauge) or from a fake in tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wgrun {

/// What --load and --memfree read about this machine. Tests use a fake.
class MachineGauge {
public:
    virtual ~MachineGauge() = default;
    /// Threads running or waiting for disk right now: tasks in state R or D,
    /// kernel threads left out, and the calling thread itself left out
    /// (GNU parallel's --load, which counts `ps axH` lines in state D, O or R
    /// except kernel threads, less its own ps). Nothing when it cannot be read.
    virtual std::optional<unsigned> busy_threads() = 0;
    /// MemAvailable of /proc/meminfo, in bytes. Nothing when it cannot be read.
    virtual std::optional<std::uint64_t> mem_available() = 0;
};

/// The real readings, from `proc` (a /proc mount; tests pass a fake tree).
class ProcGauge : public MachineGauge {
public:
    explicit ProcGauge(std::string proc = "/proc");
    std::optional<unsigned> busy_threads() override;
    std::optional<std::uint64_t> mem_available() override;

private:
    std::string proc_;
};

}  // namespace wgrun
