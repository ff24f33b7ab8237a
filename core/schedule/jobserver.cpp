// jobserver.cpp: the fds MAKEFLAGS names checked, a private non-blocking
// description to read tokens from, and a token written back through poll()
// when the pipe is full.
#include "schedule/jobserver.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace wgrun {
namespace {

std::string fd_pair(const JobserverAuth& auth) {
    return "fds " + std::to_string(auth.read_fd) + "," + std::to_string(auth.write_fd);
}

// The fd is open for reading (or for writing).
bool opened_for(int fd, bool write) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0) return false;
    const int mode = flags & O_ACCMODE;
    return mode == O_RDWR || mode == (write ? O_WRONLY : O_RDONLY);
}

void check_pipe(const JobserverAuth& auth, const std::vector<int>& passed_on) {
    for (const int fd : {auth.read_fd, auth.write_fd}) {
        if (std::find(passed_on.begin(), passed_on.end(), fd) != passed_on.end()) continue;
        if (::fcntl(fd, F_GETFD) < 0) {
            throw JobserverError(fd_pair(auth) + ": fd " + std::to_string(fd) +
                                 " is closed (a make recipe without '+' or $(MAKE)?)");
        }
        throw JobserverError(fd_pair(auth) + ": fd " + std::to_string(fd) +
                             " was not passed on to wgrun (a make recipe without '+' or $(MAKE)?)");
    }
    struct stat read_info {};
    struct stat write_info {};
    if (::fstat(auth.read_fd, &read_info) != 0 || ::fstat(auth.write_fd, &write_info) != 0 ||
        !S_ISFIFO(read_info.st_mode) || !S_ISFIFO(write_info.st_mode)) {
        throw JobserverError(fd_pair(auth) + " are not a pipe");
    }
    if (read_info.st_ino != write_info.st_ino || read_info.st_dev != write_info.st_dev) {
        throw JobserverError(fd_pair(auth) + " are not the two ends of one pipe");
    }
    if (!opened_for(auth.read_fd, false) || !opened_for(auth.write_fd, true)) {
        throw JobserverError(fd_pair(auth) + " are not open for reading and writing");
    }
}

// A description of the pipe `fd` reads, of our own and non-blocking: the
// shared one's flags stay as its other clients set them.
UniqueFd private_reader(int fd, const std::string& context) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    UniqueFd reader(::open(self.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!reader) {
        throw JobserverError(context + "cannot open " + self + ": " + std::strerror(errno));
    }
    return reader;
}

}  // namespace

Jobserver Jobserver::join(const JobserverAuth& auth, const std::vector<int>& passed_on) {
    Jobserver server;
    if (auth.kind == JobserverAuth::Kind::Pipe) {
        check_pipe(auth, passed_on);
        server.reader_ = private_reader(auth.read_fd, fd_pair(auth) + ": ");
        server.writer_ = auth.write_fd;
        return server;
    }
    if (auth.kind == JobserverAuth::Kind::Fifo) {
        struct stat info {};
        if (::stat(auth.path.c_str(), &info) != 0) {
            throw JobserverError("fifo '" + auth.path + "': " + std::strerror(errno));
        }
        if (!S_ISFIFO(info.st_mode)) throw JobserverError("'" + auth.path + "' is not a fifo");
        // Read-write: the open never waits for a writer, and the fifo never
        // reads as ended while we hold it.
        server.fifo_.reset(::open(auth.path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
        if (!server.fifo_) {
            throw JobserverError("fifo '" + auth.path + "': " + std::strerror(errno));
        }
        server.reader_.reset(::fcntl(server.fifo_.get(), F_DUPFD_CLOEXEC, 3));
        if (!server.reader_) {
            throw JobserverError("fifo '" + auth.path + "': " + std::strerror(errno));
        }
        server.writer_ = server.fifo_.get();
        return server;
    }
    throw JobserverError("'" + auth.text + "' is not R,W or fifo:PATH");
}

Jobserver Jobserver::serve(std::uint64_t tokens) {
    Pipe pipe;
    if (const int error = make_pipe(pipe)) {
        throw JobserverError(std::string("cannot create a pipe: ") + std::strerror(error));
    }
    Jobserver server;
    server.own_read_ = std::move(pipe.read);
    server.own_write_ = std::move(pipe.write);
    server.writer_ = server.own_write_.get();
    server.reader_ = private_reader(server.own_read_.get(), "");
    // A pipe holds 64 KiB by default: room for -j 65536.
    if (tokens >= 65536) {
        ::fcntl(server.own_write_.get(), F_SETPIPE_SZ, static_cast<int>(std::min<std::uint64_t>(
                                                            tokens + 1, 1 << 20)));
    }
    for (std::uint64_t i = 0; i < tokens; ++i) server.give('+');
    return server;
}

std::optional<unsigned char> Jobserver::take() {
    if (gone_) return std::nullopt;
    unsigned char token = 0;
    for (;;) {
        const ssize_t n = ::read(reader_.get(), &token, 1);
        if (n == 1) return token;
        if (n == 0) {  // every writer is gone: no token will ever come
            gone_ = true;
            return std::nullopt;
        }
        if (errno == EINTR) continue;
        return std::nullopt;  // EAGAIN: another client was faster
    }
}

void Jobserver::give(unsigned char token) {
    // A full pipe cannot happen unless a client wrote tokens it never took;
    // a second's wait for room, then the token is one too many anyway.
    for (int full = 0; full < 10;) {
        const ssize_t n = ::write(writer_, &token, 1);
        if (n == 1) return;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd room{writer_, POLLOUT, 0};
            ::poll(&room, 1, 100);
            ++full;
            continue;
        }
        return;  // EPIPE, EBADF: the jobserver is gone, and the token with it
    }
}

std::optional<std::size_t> Jobserver::available() const {
    int bytes = 0;
    if (::ioctl(reader_.get(), FIONREAD, &bytes) != 0 || bytes < 0) return std::nullopt;
    return static_cast<std::size_t>(bytes);
}

}  // namespace wgrun
