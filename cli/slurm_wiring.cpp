// slurm_wiring.cpp: the allocation read from the environment, the nodes'
// slots, and srun's settings, for --slurm.
#include "slurm_wiring.hpp"

#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <initializer_list>
#include <system_error>

#include "base/printable.hpp"
#include "exec/command_output.hpp"
#include "schedule/jobs_limit.hpp"
#include "schedule/slurm_allocation.hpp"

namespace wgrun::cli {
namespace {

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

// The first of the names that is set and not empty.
std::string first_env(std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (std::string value = env_or_empty(name); !value.empty()) return value;
    }
    return {};
}

// The node names of `list` ("node[01-03],gpu1"): split at commas when it
// holds no range, else as `scontrol show hostnames` expands it.
std::vector<std::string> node_names(const std::string& list) {
    if (list.find('[') == std::string::npos) {
        std::string lines = list;
        for (char& c : lines) {
            if (c == ',') c = '\n';
        }
        return parse_hostnames(lines);
    }
    CommandOutput expanded;
    try {
        expanded = run_for_output({"scontrol", "show", "hostnames", list});
    } catch (const std::system_error& e) {
        throw UsageError(fmt::format("--slurm: cannot run scontrol to read the node list {}: {}",
                                     printable(list), e.code().message()));
    }
    if (!WIFEXITED(expanded.wait_status) || WEXITSTATUS(expanded.wait_status) != 0) {
        throw UsageError(fmt::format("--slurm: 'scontrol show hostnames {}' failed",
                                     printable(list)));
    }
    return parse_hostnames(expanded.out);
}

// wgrun's own binary, which runs the step guard.
std::string own_program() {
    char path[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) throw UsageError("--slurm: cannot find wgrun's own program in /proc/self/exe");
    return std::string(path, static_cast<std::size_t>(n));
}

}  // namespace

std::vector<HostSpec> slots_per_node(std::vector<HostSpec> nodes, const std::string& jobs) {
    if (jobs.empty()) return nodes;
    for (HostSpec& node : nodes) {
        std::size_t slots = 0;
        try {
            slots = parse_jobs(jobs, static_cast<unsigned>(std::min<std::uint64_t>(node.slots, UINT_MAX)));
        } catch (const JobsError&) {
            throw UsageError(fmt::format(
                "--slurm: -j {} is no number of jobs per node (N, N%, +N or -N of its tasks)",
                printable(jobs)));
        }
        if (slots == 0) {
            throw UsageError("--slurm: -j 0 sets no limit, and each node takes only so many "
                             "steps at once: give -j N (jobs per node), or leave -j out (its tasks)");
        }
        node.slots = slots;
    }
    return nodes;
}

std::string memory_warning() {
    if (env_or_empty("SLURM_MEM_PER_NODE").empty() || !env_or_empty("SLURM_MEM_PER_CPU").empty()) {
        return {};
    }
    return "wgrun: --slurm: the allocation's memory is given per node (--mem): where Slurm "
           "tracks memory, each step takes all of it and the steps run one at a time; ask for "
           "--mem-per-cpu instead\n";
}

SlurmWiring wire_slurm(const Options& options) {
    SlurmWiring wiring;
    wiring.srun.job_id = first_env({"SLURM_JOB_ID", "SLURM_JOBID"});
    if (wiring.srun.job_id.empty()) {
        throw UsageError(
            "--slurm runs each job as a step of a Slurm allocation, and SLURM_JOB_ID is not set: "
            "run wgrun inside one, from a batch script (sbatch) or an interactive allocation "
            "(salloc)");
    }
    const std::string list = first_env({"SLURM_JOB_NODELIST", "SLURM_NODELIST"});
    if (list.empty()) throw UsageError("--slurm: SLURM_JOB_NODELIST is not set");
    std::vector<HostSpec> nodes;
    try {
        nodes = allocation_hosts(node_names(list),
                                 parse_tasks_per_node(env_or_empty("SLURM_TASKS_PER_NODE")));
    } catch (const SlurmAllocationError& e) {
        throw UsageError(std::string("--slurm: ") + e.what());
    }
    nodes = slots_per_node(std::move(nodes), options.jobs);
    if (const std::string warning = memory_warning(); !warning.empty()) {
        fmt::print(stderr, "{}", warning);
    }
    for (const HostSpec& node : nodes) wiring.jobs += node.slots;
    wiring.srun.guard = own_program();
    wiring.slots = std::make_unique<HostSlots>(std::move(nodes), nullptr);
    return wiring;
}

}  // namespace wgrun::cli
