// slurm_wiring.hpp: --slurm, made from the options and the environment of
// the allocation wgrun runs in (sbatch, salloc): the nodes and their slots
// (HostSlots: a host per node, as many slots as its tasks, or -j per node)
// and how srun is started (SrunSettings). Only wiring: the parts are core's
// (schedule/slurm_allocation.hpp, exec/srun_executor.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exec/srun_executor.hpp"
#include "options.hpp"
#include "schedule/host_slots.hpp"

namespace wgrun::cli {

struct SlurmWiring {
    std::unique_ptr<HostSlots> slots;  // the slot source: a host per node
    SrunSettings srun;                 // for the SrunExecutor over the LocalSpawner
    std::uint64_t jobs = 0;            // the slots of every node together
};

/// Reads SLURM_JOB_ID, SLURM_JOB_NODELIST (expanded by `scontrol show
/// hostnames` when it holds a range) and SLURM_TASKS_PER_NODE, and prints
/// memory_warning() on stderr when there is one. Throws
/// UsageError outside an allocation (no SLURM_JOB_ID: the message names
/// sbatch and salloc), for a node list or task counts that cannot be read,
/// and for a -j that is no number of jobs per node.
SlurmWiring wire_slurm(const Options& options);

/// One line of warning when the allocation's memory was asked per node
/// (SLURM_MEM_PER_NODE, sbatch --mem) and not per CPU: a step asks by
/// default for all of the job's memory on its node, so that where Slurm
/// tracks memory the steps run one at a time (measured with 22.05 and
/// CR_Core_Memory: 2 steps of a --mem job one after the other, of a
/// --mem-per-cpu job side by side). Empty otherwise.
std::string memory_warning();

/// The allocation's nodes with -j applied to each: `jobs` empty keeps each
/// node's tasks; N, N%, +N and -N are reckoned against each node's tasks
/// (N% of them, tasks + N...), as -j against the CPUs. Throws UsageError for
/// 0 (no limit: srun would only queue the steps) and for a FILE.
std::vector<HostSpec> slots_per_node(std::vector<HostSpec> nodes, const std::string& jobs);

}  // namespace wgrun::cli
