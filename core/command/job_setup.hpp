// job_setup.hpp: how every job of a run starts, beyond its command: the
// options --nice, --workdir, --tty and --env (wgrun(1), Running jobs).
#pragma once

#include <optional>
#include <string>

namespace wgrun {

struct JobSetup {
    std::optional<int> nice;     // --nice N: the jobs' niceness (absolute)
    std::string workdir;         // --workdir DIR, absolute: every job starts there
    std::string temp_workdirs;   // --workdir ...: job N starts in a fresh TEMP/N, removed
                                 // when it ends (TempWorkdirs)
    bool tty = false;            // --tty: stdin is the terminal
    std::string prelude;         // shell text put before every shell command (--env's
                                 // function definitions); never shown
};

}  // namespace wgrun
