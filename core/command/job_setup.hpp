// job_setup.hpp: how every job of a run starts, beyond its command: the
// options --nice, --workdir, --tty and --env (wgrun(1), Running jobs), and
// the files a remote job moves (--transferfile, --return).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command/command_template.hpp"

namespace wgrun {

/// --cat, --fifo: the job's {} (its first value) names a file that holds
/// its stdin (the block), or a named pipe it is written to.
enum class StdinFile { None, Cat, Fifo };

struct JobSetup {
    std::optional<int> nice;     // --nice N: the jobs' niceness (absolute)
    std::string workdir;         // --workdir DIR, absolute: every job starts there
    // --workdir DIR with replacement strings ({//}, {1}...): each job's DIR,
    // made if missing (as GNU parallel does); relative to workdir_base.
    std::shared_ptr<const CommandTemplate> workdir_template;
    std::string workdir_base;
    bool make_workdirs = false;  // make them (not under --dry-run)
    std::string temp_workdirs;   // --workdir ...: job N starts in a fresh TEMP/N, removed
                                 // when it ends (TempWorkdirs)
    bool tty = false;            // --tty: stdin is the terminal
    std::string prelude;         // shell text put before every shell command (--env's
                                 // function definitions); never shown
    // --transferfile and --return: each job's file names, expanded as text
    // (values unquoted) into SpawnRequest::transfer and return_files; an
    // empty name is left out.
    std::vector<CommandTemplate> transfer_files;
    std::vector<CommandTemplate> return_files;
    // --cat, --fifo: the command runs under a small sh wrapper that writes
    // stdin to the file (or the named pipe) first, and removes it after.
    StdinFile stdin_file = StdinFile::None;
};

}  // namespace wgrun
