// srun_guard.hpp: the step guard, a small process of wgrun's own between
// wgrun and srun (`wgrun --slurm-step-guard JOBID srun ARGS...`), and the
// step canceller it leaves behind (step_canceller.hpp). Both are wgrun's
// binary in a hidden mode, chosen in main() before anything else.
//
// Why (measured with Slurm 22.05): srun forks a child of its own that
// cancels the step when srun dies, but that child is in srun's process
// group, and wgrun ends a job by signalling its whole group and tree: a
// SIGKILL there (--term-seq KILL,..., a second Ctrl-C before srun has
// cancelled the step) ends both, and the step runs on in the allocation,
// holding its CPUs, until its task ends. And srun exits with 128 + S for a
// task killed by signal S as for a task that exited 128 + S; only its
// stderr line tells which.
//
// The guard, the job's leader:
// - starts the canceller in a session of its own, outside the job's group
//   and tree (double fork: its parent is then wgrun, the subreaper, which
//   reaps it as any orphan), holding no fd of the job: only the read end of
//   a pipe from the guard;
// - runs srun with every signal it can block blocked in itself, so that
//   wgrun's signals (which reach srun directly, the group's and the tree's)
//   end srun, not the guard; srun answers SIGTERM by cancelling the step,
//   SIGINT by passing it to the task (--disable-status);
// - tells the canceller srun's pid, copies srun's stderr to its own (the
//   job's), watching for srun's line about its task, and once srun has
//   exited tells the canceller "done", then reaps it;
// - ends as the step did: srun's exit code, or killed by the task's signal
//   when srun's code (128 + S) and its line (strsignal(S)) both say so.
// The canceller waits for the pipe's end. "done" first: nothing to do.
// Otherwise the guard was killed before srun ended: it finds srun's step
// (`scontrol -o show step JOBID`, SrunHost:Pid) and cancels it (`scancel`),
// which ends every process of the step on its node.
#pragma once

#include <string_view>

namespace wgrun {

inline constexpr std::string_view kSrunGuardFlag = "--slurm-step-guard";

/// `PROGRAM --slurm-step-guard JOBID SRUN [ARG...]`: runs SRUN ARG... as
/// described above. Returns the exit status for main() to return, or dies
/// of the task's signal. 127 (126) when SRUN cannot be found (run), 255 for
/// a wrong command line.
int run_srun_guard(int argc, char** argv);

}  // namespace wgrun
