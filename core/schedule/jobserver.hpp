// jobserver.hpp: make's jobserver as a pipe or fifo of tokens: joining the
// one MAKEFLAGS names (checked before use), or creating one to serve wgrun's
// jobs, and moving tokens through it without ever blocking on a read.
//
// The pipe make shares with its other clients is never set O_NONBLOCK (that
// flag belongs to the file description, which they share): tokens are read
// through a private description of the same pipe (/proc/self/fd/R reopened,
// non-blocking); a fifo is opened privately (make 4.4 does the same).
// Tokens are written back through the shared write end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "schedule/jobserver_auth.hpp"

namespace wgrun {

/// Why a jobserver cannot be used: one line, without "wgrun: ".
class JobserverError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Jobserver {
public:
    /// Joins the jobserver `auth` names (Pipe or Fifo). A pipe's fds must be
    /// among `passed_on`, the fds wgrun's caller left open for its children
    /// (inherited_fds(), read before wgrun opened any): make closes them for
    /// a recipe it does not know to be recursive, and the numbers may then
    /// name another file. Throws JobserverError.
    static Jobserver join(const JobserverAuth& auth, const std::vector<int>& passed_on);
    /// A new pool: a pipe holding `tokens` tokens ('+', as make writes), both
    /// ends close-on-exec (the spawner passes them on to jobs).
    static Jobserver serve(std::uint64_t tokens);

    Jobserver(Jobserver&&) noexcept = default;
    Jobserver& operator=(Jobserver&&) noexcept = default;

    /// Readable (level-triggered) while a token may be there; -1 once the
    /// jobserver is gone (every writer closed it).
    int ready_fd() const { return gone_ ? -1 : reader_.get(); }
    /// A token, or nothing when none is there now. Never blocks.
    std::optional<unsigned char> take();
    /// Writes `token` back (retried on EINTR and on a full pipe).
    void give(unsigned char token);
    /// Tokens in the pipe now, when that can be asked (FIONREAD).
    std::optional<std::size_t> available() const;

    /// The pipe's two fds as jobs see them (serve() only; -1 for a joined one).
    int read_end() const { return own_read_.get(); }
    int write_end() const { return own_write_.get(); }

private:
    Jobserver() = default;

    UniqueFd reader_;     // private, non-blocking
    UniqueFd own_read_;   // serve(): the pipe's read end, for the jobs
    UniqueFd own_write_;  // serve(): the pipe's write end
    UniqueFd fifo_;       // a joined fifo, opened read-write: writes go here
    int writer_ = -1;     // where tokens go back (shared for a joined pipe)
    bool gone_ = false;
};

}  // namespace wgrun
