// write_all.cpp: blocking-safe full writes and file-to-fd copies.
#include "base/write_all.hpp"

#include <poll.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "output/output_ledger.hpp"

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

int write_record(int fd, std::string_view record, bool regular) {
    // One write(2) for the whole record; only a pipe or a terminal, or a
    // disk filling up, takes part of it.
    std::size_t written = 0;
    int error = 0;
    for (;;) {
        const ssize_t n = ::write(fd, record.data() + written, record.size() - written);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
            if (written == record.size()) return 0;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            if ((error = wait_writable(fd)) != 0) break;
            continue;
        }
        error = n < 0 ? errno : EIO;
        break;
    }
    if (written > 0 && regular) {
        // Take back the part written: the file offset is at its end (with
        // O_APPEND too).
        const off_t now = ::lseek(fd, 0, SEEK_CUR);
        if (now >= static_cast<off_t>(written)) {
            while (::ftruncate(fd, now - static_cast<off_t>(written)) != 0 && errno == EINTR) {
            }
        }
    }
    return error;
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
