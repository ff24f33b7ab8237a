// fd_limit_support.hpp: for tests that run short of file descriptors: lowers
// this process's soft RLIMIT_NOFILE so that exactly N more fds can be opened,
// and puts the limit back when it goes out of scope. Built on test_support.hpp.
#pragma once

#include <sys/resource.h>

#include <cstddef>
#include <set>

#include "support/test_support.hpp"  // open_fds

namespace wgrun::test {

/// The fds LocalSpawner::spawn() opens at once: the two pipes' four ends,
/// and under ThreadSanitizer (where vfork() is fork()) the two of the pipe
/// that brings back a failed exec's errno.
#if defined(__SANITIZE_THREAD__)
inline constexpr std::size_t kSpawnFds = 6;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr std::size_t kSpawnFds = 6;
#else
inline constexpr std::size_t kSpawnFds = 4;
#endif
#else
inline constexpr std::size_t kSpawnFds = 4;
#endif

/// While it lives, only `free` more fds can be opened (fds are numbered from
/// the lowest free one, and none may be numbered at or above the limit).
class FdLimit {
public:
    explicit FdLimit(std::size_t free) {
        ::getrlimit(RLIMIT_NOFILE, &saved_);
        const std::set<int> open = open_fds();
        int fd = 0;
        for (std::size_t left = free; left > 0; ++fd) {
            if (!open.contains(fd)) --left;
        }
        while (open.contains(fd)) ++fd;  // the limit: the next free number
        rlimit lower = saved_;
        lower.rlim_cur = static_cast<rlim_t>(fd);
        ::setrlimit(RLIMIT_NOFILE, &lower);
    }
    ~FdLimit() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
    FdLimit(const FdLimit&) = delete;
    FdLimit& operator=(const FdLimit&) = delete;

private:
    rlimit saved_{};
};

}  // namespace wgrun::test
