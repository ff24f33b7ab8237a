// fd_headroom.cpp: a probe by opening copies of fd 0 (closed on return).
#include "exec/fd_headroom.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "base/unique_fd.hpp"

namespace wgrun {

bool fds_available(std::size_t count) {
    constexpr std::size_t kOnStack = 16;
    UniqueFd stack[kOnStack];
    std::vector<UniqueFd> heap;
    UniqueFd* fds = stack;
    if (count > kOnStack) {
        heap.resize(count);
        fds = heap.data();
    }
    // Copies of fd 0 (wgrun makes sure it is open); should it be closed, a
    // copy of nothing fails with EBADF, which says nothing of the room left.
    std::size_t opened = 0;
    int error = 0;
    for (; opened < count; ++opened) {
        fds[opened].reset(::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0));
        if (!fds[opened]) {
            error = errno;
            break;
        }
    }
    return error != EMFILE && error != ENFILE;
}

}  // namespace wgrun
