// job_guardian.hpp: a small process that outlives wgrun to end its jobs if
// wgrun is killed (SIGKILL cannot be caught, so wgrun itself can do nothing).
//
// PR_SET_PDEATHSIG gives each job's first process SIGTERM when wgrun dies,
// but not the rest of the job: `sh -c 'sleep 100; echo done'` loses its
// shell and keeps its sleep. So wgrun forks a guardian before any thread
// starts and tells it, through a socket pair, the process group of each job as it
// starts and ends. When the socket reaches its end without wgrun's goodbye,
// wgrun died: the guardian sends SIGTERM to every job group still known,
// SIGKILL a second later to what is left, and exits. It ignores the
// terminal's signals (Ctrl-C reaches the whole foreground group; wgrun
// handles it) and holds no other fd.
#pragma once

#include <sys/types.h>

#include "base/unique_fd.hpp"

namespace wgrun {

class JobGuardian {
public:
    /// Forks the guardian. Call before any thread starts (the child runs on
    /// after fork()). Best effort: when the socket pair or the fork fails, there is
    /// no guardian and watch()/unwatch() do nothing.
    JobGuardian();
    /// Says goodbye: the guardian exits without touching anything, and is
    /// reaped.
    ~JobGuardian();
    JobGuardian(const JobGuardian&) = delete;
    JobGuardian& operator=(const JobGuardian&) = delete;

    /// Says goodbye now, for an owner about to exit, and does not wait for
    /// the guardian to end (on a busy machine it may wait milliseconds for a
    /// CPU, and the owner's exit with it): it ends on its own, and is reaped
    /// by whoever inherits it once the owner has exited. The destructor then
    /// does nothing.
    void farewell();

    /// A job with process group `pgid` started, or is done.
    void watch(pid_t pgid);
    void unwatch(pid_t pgid);

    /// The guardian's pid, or -1 when there is none.
    pid_t pid() const { return pid_; }

private:
    void send(char op, pid_t pgid);
    UniqueFd fd_;  // wgrun's end of the socket pair (close-on-exec)
    pid_t pid_ = -1;
};

}  // namespace wgrun
