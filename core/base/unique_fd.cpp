// unique_fd.cpp: the one close(2) of core/ (see unique_fd.hpp).
#include "base/unique_fd.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace wgrun {

void UniqueFd::reset(int fd) noexcept {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
}

int UniqueFd::close() noexcept {
    if (fd_ < 0) return 0;
    int rc = ::close(std::exchange(fd_, -1));
    return rc == 0 || errno == EINTR ? 0 : errno;
}

int make_pipe(Pipe& out, int extra_flags) noexcept {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | extra_flags) != 0) return errno;
    out.read.reset(fds[0]);
    out.write.reset(fds[1]);
    return 0;
}

}  // namespace wgrun
