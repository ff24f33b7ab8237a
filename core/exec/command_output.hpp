// command_output.hpp: a short helper command's stdout, for what wgrun asks
// of other tools outside a run (`scontrol show hostnames` before --slurm's
// run starts, the step canceller's `scontrol` and `scancel`). Not for use
// during a run in wgrun itself: there the ProcessSet reaps every child.
#pragma once

#include <string>
#include <vector>

namespace wgrun {

struct CommandOutput {
    int wait_status = 0;  // as waitpid() gave it
    std::string out;      // all it wrote on stdout
};

/// Runs `argv` (argv[0] found in PATH) with stdin /dev/null, stdout read
/// here and stderr inherited, in a process group of its own (SpawnSetup),
/// waits for it and returns its stdout and status. Throws std::system_error
/// with the errno when it cannot start (ENOENT: not found).
CommandOutput run_for_output(const std::vector<std::string>& argv);

}  // namespace wgrun
