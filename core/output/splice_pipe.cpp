// splice_pipe.cpp: splice(2) from a non-blocking pipe, telling an empty
// source from a full destination.
#include "output/splice_pipe.hpp"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>

#include "output/output_ledger.hpp"
#include "base/write_all.hpp"

namespace wgrun {
namespace {

// True when `fd` has bytes to read, or its writers are gone (a splice would
// return them or end of file, not EAGAIN).
bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 0) < 0) {
        if (errno != EINTR) return false;
    }
    return (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

// True when a write to `fd` would not block now (or would fail at once).
bool writable_now(int fd) {
    pollfd p{fd, POLLOUT, 0};
    while (::poll(&p, 1, 0) < 0) {
        if (errno != EINTR) return true;
    }
    return (p.revents & (POLLOUT | POLLERR | POLLHUP | POLLNVAL)) != 0;
}

}  // namespace

ssize_t splice_pipe(int from, int to, std::size_t max, bool wait_for_room) {
    for (;;) {
        // SPLICE_F_NONBLOCK: never wait on the source. The kernel applies it
        // to a pipe destination too, so EAGAIN may mean either side is the
        // cause: the source is asked with poll(), and a full destination is
        // waited for like write_all() waits for it.
        const ssize_t n =
            ::splice(from, nullptr, to, nullptr, max, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n >= 0) {
            note_written(static_cast<std::size_t>(n));
            return n;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN) return -1;
        if (!readable(from)) {
            errno = EAGAIN;
            return -1;
        }
        if (!wait_for_room) {
            // The source had bytes (or got some since the splice): only a
            // destination that is not writable now is full. Files always are.
            if (writable_now(to)) continue;
            return kDestinationFull;
        }
        if (const int e = wait_writable(to)) {
            errno = e;
            return -1;
        }
    }
}

bool splice_refused(int error) {
    return error == EINVAL || error == ENOSYS || error == EOPNOTSUPP || error == EXDEV ||
           error == ESPIPE;
}

}  // namespace wgrun
