// processes.hpp: the running jobs' processes as the policy sees them: what
// it may ask of them. ProcessSet is the real one; the policy's unit tests
// use a fake. Whatever happens to the processes (output, exit, closed
// pipes) comes back the other way, as events the loop passes to the policy.
#pragma once

#include <cstddef>
#include <cstdint>

#include "exec/spawner.hpp"

namespace wgrun {

class Processes {
public:
    virtual ~Processes() = default;

    /// Starts job `seq` (not running already) through the Executor: 0, or
    /// the errno of a start that failed (EMFILE, ENFILE, EAGAIN, ENOMEM: a
    /// lack of resources; anything else: the job's own error). Nothing has
    /// run when it failed.
    virtual int start(std::uint64_t seq, const SpawnRequest& request) = 0;

    /// Sends `signal` to the whole tree of job `seq` (one step of ending it).
    virtual void signal(std::uint64_t seq, int signal) = 0;

    /// True when `fds` more fds could be opened now (fd_headroom.hpp).
    virtual bool room_for(std::size_t fds) = 0;

    /// True when job `seq`'s pipes hold bytes not read yet.
    virtual bool has_unread(std::uint64_t seq) = 0;

    /// Job `seq` is over but something still holds its pipes: reads what is
    /// in them now (reported as output), then stops reporting them (they
    /// are read and dropped until they close) and reports them closed.
    virtual void detach(std::uint64_t seq) = 0;

    /// Job `seq` has been reaped and its pipes are closed: nothing more is
    /// reported of it.
    virtual void forget(std::uint64_t seq) = 0;
};

}  // namespace wgrun
