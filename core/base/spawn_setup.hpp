// spawn_setup.hpp: posix_spawn's attributes and file actions for wgrun's
// helper processes (the Perl interpreter, --compress's programs; jobs are
// started by exec/spawner.cpp), destroyed in any case.
#pragma once

#include <signal.h>
#include <spawn.h>

namespace wgrun {

struct SpawnSetup {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;

    /// A helper's attributes: no signal blocked, SIGPIPE back to its default
    /// (SIG_IGN survives exec, and wgrun ignores SIGPIPE), and a process
    /// group of its own, so that the terminal's Ctrl-C reaches wgrun, which
    /// decides, and not the helper under its feet.
    SpawnSetup() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
        sigset_t none;
        sigemptyset(&none);
        sigset_t defaults;
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                            POSIX_SPAWN_SETPGROUP);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace wgrun
