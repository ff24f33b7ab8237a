// options_exec.cpp: how a job is started: --shell, --env, --nice, --workdir, --tty, --slurm.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_exec_options(CLI::App& app, Options& options) {
    app.add_option("--shell", options.exec.shell,
                   "Run jobs under SHELL -c (default: $PARALLEL_SHELL, else bash when wgrun was "
                   "started from bash, else /bin/sh)")
        ->check(kNotEmpty)
        ->type_name("SHELL");
    app.add_option("--env", options.exec.env,
                   "Pass variable or exported bash function NAME to the jobs (locally every "
                   "variable is passed; a function is also defined for a non-bash shell); "
                   "NAME,NAME...; _ = all but ~/.parallel/ignored_vars")
        ->check(kNotEmpty)
        ->type_name("NAME")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option_function<int>(
           "--nice", [&options](const int& niceness) { options.exec.nice = niceness; },
           "Run the jobs at niceness N (-20..19, absolute)")
        ->type_name("N");
    app.add_option("--wd,--workdir,--work-dir", options.exec.workdir,
                   "Start each job in DIR (made if missing); ... = a fresh temporary folder "
                   "per job, removed when it ends")
        ->check(kNotEmpty)
        ->type_name("DIR");
    app.add_flag("--tty", options.exec.tty,
                 "Give the jobs the terminal as stdin; implies -j1 and -u unless -j or "
                 "--group/--line-buffer/-k is given");
    // --slurm (slurm_wiring.hpp): each job a step of the allocation wgrun runs in.
    app.add_flag("--slurm", options.exec.slurm,
                 "Run each job as a Slurm job step (srun) on a node of the allocation wgrun "
                 "runs in (sbatch, salloc); -j: jobs per node (default: its tasks)");
}

void check_exec_options(const CLI::App& /*app*/, Options& options) {
    if (options.exec.slurm) {
        if (options.jobserver) {
            throw UsageError("--slurm and --jobserver cannot go together: the jobs run on "
                             "Slurm's nodes, not beside make's");
        }
        if (options.exec.tty) {
            throw UsageError("--slurm and --tty cannot go together: the jobs run on Slurm's "
                             "nodes, away from this terminal");
        }
    }
    if (!options.exec.tty) return;
    // GNU's defaults for --tty: -j1 -u, unless given otherwise (-j, or
    // any other spelling that sets the jobs).
    if (options.jobs.empty()) options.jobs = "1";
    if (!options.group && !options.line_buffer && !options.keep_order) options.ungroup = true;
}

}  // namespace wgrun::cli
