// srun_report.hpp: what srun says about a step, read back. srun exits with
// 128 + S both when its task was killed by signal S and when the task
// itself exited with 128 + S; only the line it writes on its stderr tells
// them apart ("srun: error: NODE: task 0: Terminated" against "... task 0:
// Exited with exit code 143"). And `scontrol -o show step JOBID` names the
// srun of each step (SrunHost:Pid=HOST:PID), so that a step whose srun was
// killed can be found and cancelled. Measured with Slurm 22.05 (Debian's
// 22.05.8); see wgrun(1), SLURM.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace wgrun {

/// The TEXT of srun's report on its task 0, "srun: error: NODE: task 0:
/// TEXT" (one line, without its newline), or nothing for any other line.
std::optional<std::string> srun_task_report(std::string_view line);

/// The signal that killed the task, when srun's exit code `code` and its
/// report `text` (srun_task_report()) both say so: `code` is 128 + S and
/// `text` is strsignal(S), with " (core dumped)" or not. Otherwise nothing:
/// the task exited with `code` (or srun itself failed).
std::optional<int> srun_task_signal(int code, std::string_view text);

/// The step ("JOBID.STEPID") whose srun is process `srun_pid` on this host,
/// from the lines `scontrol -o show step JOBID` printed; nothing when none is.
std::optional<std::string> step_of_srun(std::string_view scontrol_output, pid_t srun_pid);

}  // namespace wgrun
