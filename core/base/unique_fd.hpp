// unique_fd.hpp: the one way core/ owns a file descriptor. The fd is closed
// exactly once: by close() when the caller wants close(2)'s error (a file
// whose last write error shows only there), else by the destructor.
// No other code in core/ calls close(2), except the child side of spawning
// (between fork and exec, where no destructor runs: spawner.cpp's
// close_fds() and exec_child(), job_guardian.cpp's guard()); a fd borrowed,
// not owned, stays an int beside an empty UniqueFd. tests/e2e/hygiene_test.sh
// checks it.
#pragma once

#include <utility>

namespace wgrun {

class UniqueFd {
public:
    UniqueFd() noexcept = default;
    /// Takes ownership of `fd` (-1: owns nothing).
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

    /// Gives the fd up without closing it.
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the fd held (errors ignored) and takes `fd`.
    void reset(int fd = -1) noexcept;
    /// Closes the fd now: 0, or close(2)'s errno (EINTR is not retried: on
    /// Linux the fd is gone either way). Owns nothing afterwards.
    int close() noexcept;

private:
    int fd_ = -1;
};

/// A pipe, both ends close-on-exec.
struct Pipe {
    UniqueFd read;
    UniqueFd write;
};

/// pipe2(O_CLOEXEC | extra_flags). Returns 0 or errno.
int make_pipe(Pipe& out, int extra_flags = 0) noexcept;

}  // namespace wgrun
