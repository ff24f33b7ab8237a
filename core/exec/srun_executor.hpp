// srun_executor.hpp: --slurm's executor: each job is a job step of the
// allocation wgrun runs in, started by srun on the node its slot names,
// through a LocalSpawner (the design note in spawner.hpp). Between wgrun and
// srun sits wgrun's step guard (srun_guard.hpp), which reads srun's report
// to tell a task killed by a signal from one that exited 128 + N, and has
// the step cancelled should srun be killed before it could cancel it.
#pragma once

#include <string>
#include <vector>

#include "exec/spawner.hpp"

namespace wgrun {

struct SrunSettings {
    std::string guard;          // the step guard's program: wgrun itself
    std::string job_id;         // the allocation, SLURM_JOB_ID
    std::string srun = "srun";  // found in PATH when it has no '/'
};

/// srun's options for one step, in the order given (Slurm 22.05):
/// --exclusive   the step gets CPUs of its own (it implies --exact: only the
///               CPUs it asks for, so that steps run side by side; without
///               it 22.05 gives each step every CPU of the allocation on its
///               node, and steps run one at a time);
/// -N1 -n1       one task on one node;
/// --kill-on-bad-exit  the step ends when its task fails;
/// --disable-status    a SIGINT goes to the task at once (without it, one
///               SIGINT only prints the step's status);
/// --quiet       no informational lines (a step waiting for CPUs) in the
///               job's stderr; errors stay.
const std::vector<std::string>& srun_step_options();

/// The argv that runs `request` as a step: the guard, then srun with
/// srun_step_options(), `-w NODE` (the request's host, when it names one),
/// `--chdir=DIR` (its workdir, when set), `--`, `nice -n N` for --nice
/// (srun does not pass its own niceness on: the task would run at slurmd's),
/// and the command: the request's shell_argv when it has one (the shell runs
/// it on the node, where a program not found is the shell's 127), else its
/// argv.
std::vector<std::string> srun_step_argv(const SrunSettings& settings, const SpawnRequest& request);

class SrunExecutor : public Executor {
public:
    /// Starts steps through `local` (not owned; it outlives this).
    SrunExecutor(Executor& local, SrunSettings settings)
        : local_(local), settings_(std::move(settings)) {}

    /// The guard and srun start here, with the request's environment (srun
    /// passes all of it to the task: WGRUN_SEQ, WGRUN_HOST...) and its
    /// workdir (made here when asked, for srun's --chdir); --nice goes to the
    /// task on the node instead.
    SpawnedJob spawn(const SpawnRequest& request) override;

private:
    Executor& local_;
    SrunSettings settings_;
};

}  // namespace wgrun
