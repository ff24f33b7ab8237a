// futex.cpp: FUTEX_WAIT_BITSET with an absolute CLOCK_MONOTONIC deadline, and
// FUTEX_WAKE.
#include "sync/futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>

namespace wgrun::detail {

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t) &&
                  std::atomic<std::uint32_t>::is_always_lock_free,
              "a futex word must be a plain 32-bit integer");

bool futex_wait(const std::atomic<std::uint32_t>& word, std::uint32_t expected,
                const std::chrono::steady_clock::time_point* deadline) {
    timespec ts{};
    const timespec* abs = nullptr;
    if (deadline != nullptr) {
        // steady_clock is CLOCK_MONOTONIC in libstdc++ on Linux.
        const auto since_epoch = deadline->time_since_epoch();
        if (since_epoch.count() < 0) return false;
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
        ts.tv_sec = static_cast<time_t>(secs.count());
        ts.tv_nsec = static_cast<long>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - secs).count());
        abs = &ts;
    }
    const long rc = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
                            expected, abs, nullptr, FUTEX_BITSET_MATCH_ANY);
    if (rc == -1 && errno == ETIMEDOUT) return false;
    return true;  // woken, value changed (EAGAIN), interrupted (EINTR): caller rechecks
}

void futex_wake_all(const void* address) {
    syscall(SYS_futex, address, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace wgrun::detail
