// fd_headroom.hpp: whether a few more fds can be opened right now, asked
// before a job starts so that the fds it and the running jobs open later
// (a spill file, a --results status file) are there when they are needed.
#pragma once

#include <cstddef>

namespace wgrun {

/// True when `count` more fds could be opened now: it opens them (copies of
/// an fd of its own, close-on-exec) and closes them again. False only when
/// one failed for lack of fds (EMFILE: RLIMIT_NOFILE reached; ENFILE: the
/// system's limit). 2 * count system calls; the answer may be stale as soon
/// as it is given, should another thread open fds.
bool fds_available(std::size_t count);

}  // namespace wgrun
