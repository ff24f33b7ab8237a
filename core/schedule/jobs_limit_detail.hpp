// jobs_limit_detail.hpp: the parts of usable_cpus() that tests drive with a
// fake cgroup tree.
#pragma once

#include <string>
#include <string_view>

namespace wgrun::detail {

/// The CPU count a cgroup CPU quota allows, 0 when no quota applies.
/// `cgroup_root` is where cgroup filesystems are mounted (/sys/fs/cgroup) and
/// `proc_self_cgroup` the content of /proc/self/cgroup.
///
/// cgroup v2: the "0::/path" line names the cgroup; its cpu.max and that of
/// each ancestor up to and including `cgroup_root` count, and the smallest
/// ceil(quota / period) wins ("max" is no quota). cgroup v1, only when v2
/// sets no quota: the same walk over cpu.cfs_quota_us and cpu.cfs_period_us
/// (quota > 0) in <root>/cpu, <root>/cpu,cpuacct and <root>/cpuacct,cpu,
/// from the path of the line whose controllers include "cpu" (or from the
/// mount's top when there is none). Missing or malformed files count as no
/// quota.
unsigned cgroup_cpu_limit(const std::string& cgroup_root, std::string_view proc_self_cgroup);

/// The CPUs in this thread's affinity mask, 0 when it cannot be read.
unsigned affinity_cpus();

}  // namespace wgrun::detail
