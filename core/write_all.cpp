// write_all.cpp: blocking-safe full writes and file-to-fd copies.
#include "write_all.hpp"

#include <poll.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "output_ledger.hpp"

namespace wgrun {
namespace {

// The most one write(2) or sendfile(2) is given: a write to a pipe blocks
// until all of it is in, and bytes_out() should move every so often while
// a slow reader takes a big buffer (see StopWatcher).
constexpr std::size_t kMaxWrite = std::size_t{256} << 10;

}  // namespace

int wait_writable(int fd) {
    pollfd p{fd, POLLOUT, 0};
    while (::poll(&p, 1, -1) < 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

int write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), std::min(data.size(), kMaxWrite));
        if (n >= 0) {
            note_written(static_cast<std::size_t>(n));
            data.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            if (const int e = wait_writable(fd)) return e;
            continue;
        }
        return errno;
    }
    return 0;
}

int copy_file_to(int fd, int from, off_t offset, std::size_t length) {
    while (length > 0) {
        const ssize_t n = ::sendfile(fd, from, &offset, std::min(length, kMaxWrite));
        if (n > 0) {
            note_written(static_cast<std::size_t>(n));
            length -= static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0) return -EIO;  // the file is shorter than it should be
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            if (const int e = wait_writable(fd)) return e;
            continue;
        }
        // Any other failure: copy through a buffer, which also tells whose
        // fault it is (sendfile says EBADF for either side).
        break;
    }
    char buffer[1 << 16];
    while (length > 0) {
        const std::size_t want = length < sizeof buffer ? length : sizeof buffer;
        const ssize_t got = ::pread(from, buffer, want, offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return got == 0 ? -EIO : -errno;
        if (const int e = write_all(fd, {buffer, static_cast<std::size_t>(got)})) return e;
        offset += got;
        length -= static_cast<std::size_t>(got);
    }
    return 0;
}

}  // namespace wgrun
