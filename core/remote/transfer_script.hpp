// transfer_script.hpp: the local process of a remote job that has files to
// move: `/bin/sh -c SCRIPT sh ARGS...`, a fixed script that runs the steps of
// remote_files.hpp around the job's ssh, every word (paths, the remote
// command) a positional argument of its own, never part of the script.
//
// The steps run in order: Say prints its line on stderr; Send runs with
// stdin /dev/null; Job runs with the script's stdin (the pipe wgrun holds,
// see ssh_executor.hpp), its status kept; Fetch with stdin /dev/null; Clean
// with stdin, stdout and stderr /dev/null, its status ignored; Unrun as Clean,
// only when the job was not run. The script
// exits with the job's status, except:
//   - a Send or Fetch that fails while the host's connection is gone (`check`
//     fails), or a job that exits 255 then, exits 255 at once: ssh's own
//     failure, which the policy reads as the host's (the job goes back to
//     the queue); nothing after it runs;
//   - a Send that fails otherwise prints its text and rsync's status; the
//     job and the Fetches are not run, the Cleans are; the status is 255;
//   - a Fetch that fails otherwise prints its text and rsync's status; the
//     status becomes 255 if the job had succeeded.
// Ending the job (--timeout, --halt, Ctrl-C) signals the whole local group:
// sh, the ssh or rsync it runs; the remote job ends with its connection.
#pragma once

#include <string>
#include <vector>

#include "remote/remote_files.hpp"

namespace wgrun {

/// The argv that runs `steps`; `check` is a command that succeeds while the
/// host's connection is up (ssh -O check over its master).
std::vector<std::string> transfer_script(const std::vector<std::string>& check,
                                         const std::vector<FileStep>& steps);

}  // namespace wgrun
