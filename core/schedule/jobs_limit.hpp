// jobs_limit.hpp: how many jobs may run at once: the usable CPU count and the
// -j/--jobs grammar.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string_view>

namespace wgrun {

/// The CPUs this process may use: the CPUs in its affinity mask
/// (sched_getaffinity), lowered to ceil(quota / period) when a cgroup CPU
/// quota applies (cgroup v2 cpu.max of this process's cgroup and its
/// ancestors, or cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us). At least 1.
unsigned usable_cpus();

/// Thrown by parse_jobs; the message is one line naming the bad value.
class JobsError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Parses a -j value against `cpus` usable CPUs:
///   "N"   N jobs; "0" means no limit (returns 0);
///   "N%"  N percent of cpus, rounded down, at least 1;
///   "+N"  cpus + N;  "-N"  cpus - N, at least 1.
/// N is a decimal integer (no sign inside, no spaces). Throws JobsError on
/// anything else, or on values above 1,000,000.
std::size_t parse_jobs(std::string_view spec, unsigned cpus);

}  // namespace wgrun
