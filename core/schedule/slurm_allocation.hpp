// slurm_allocation.hpp: the nodes of a Slurm allocation and how many tasks
// each may run, as sbatch and salloc describe them to the job
// (SLURM_JOB_NODELIST, expanded by `scontrol show hostnames`, and
// SLURM_TASKS_PER_NODE): the hosts of --slurm's HostSlots, one slot per task.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "schedule/host_slots.hpp"

namespace wgrun {

/// Thrown for a value that does not describe an allocation; the message is
/// one line naming it.
class SlurmAllocationError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// SLURM_TASKS_PER_NODE, "2(x3),1": the tasks of each node in the node
/// list's order ({2, 2, 2, 1}). Each item is N or N(xR), N >= 1, R >= 1.
/// Throws SlurmAllocationError.
std::vector<std::uint64_t> parse_tasks_per_node(std::string_view text);

/// The node names `scontrol show hostnames` printed, one a line (blank
/// lines and surrounding blanks left out).
std::vector<std::string> parse_hostnames(std::string_view text);

/// One host per node, with its tasks as its slots. Throws
/// SlurmAllocationError when the two lists differ in length or hold none.
std::vector<HostSpec> allocation_hosts(const std::vector<std::string>& nodes,
                                       const std::vector<std::uint64_t>& tasks);

}  // namespace wgrun
