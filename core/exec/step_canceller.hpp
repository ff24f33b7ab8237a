// step_canceller.hpp: the step canceller that the step guard leaves behind
// (srun_guard.hpp says why): `wgrun --slurm-step-canceller JOBID`, outside
// the job's tree, cancels the step of a srun that the guard did not see end.
#pragma once

#include <string_view>

namespace wgrun {

inline constexpr std::string_view kStepCancellerFlag = "--slurm-step-canceller";

/// `PROGRAM --slurm-step-canceller JOBID`, stdin the guard's pipe: srun's
/// pid on the first line, and "done" on a later one once srun has ended
/// while the guard lived. At the pipe's end without "done", srun's step, if
/// `scontrol -o show step JOBID` lists it, is cancelled (`scancel --quiet`).
/// Returns 0 (nobody reads its status).
int run_step_canceller(int argc, char** argv);

}  // namespace wgrun
