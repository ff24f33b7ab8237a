// splice_pipe.hpp: moving bytes from a job's pipe to where they go with
// splice(2), without copying them through user space.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace wgrun {

/// What a splice_from() returns when the bytes must be read() and passed on
/// the ordinary way instead.
inline constexpr ssize_t kCannotSplice = -2;

/// What a splice_from() returns when the destination is full and it was
/// told not to wait for room: poll the destination for POLLOUT, then call
/// again.
inline constexpr ssize_t kDestinationFull = -3;

/// Moves up to `max` bytes from the pipe `from` (O_NONBLOCK) to `to` (a
/// pipe, a file, a terminal...). A full `to` is waited for with poll(), as
/// write_all() does, unless `wait_for_room` is false: then it returns
/// kDestinationFull. Returns the bytes moved (> 0), 0 at end of file, or -1
/// with errno: EAGAIN when `from` has nothing to read now; otherwise the
/// failure of either side (see splice_refused()).
ssize_t splice_pipe(int from, int to, std::size_t max, bool wait_for_room = true);

/// True for a splice(2) errno that means "this destination cannot be spliced
/// to" (EINVAL: an O_APPEND file, a file system or device without splice),
/// as opposed to a failure that a write() would meet too (EPIPE, ENOSPC).
bool splice_refused(int error);

}  // namespace wgrun
