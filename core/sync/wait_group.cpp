// wait_group.cpp: the WaitGroup's state machine, after Go's sync/waitgroup.go.
//
// state_ holds the counter (high 32 bits) and the number of blocked waiters
// (low 32 bits). add() is one atomic add on it. A waiter registers with a CAS
// only while the counter is positive, then sleeps on generation_. The add()
// that brings the counter to zero with waiters registered is the releaser: it
// resets state_ to zero, bumps generation_ and wakes the futex.
#include "wgrun/wait_group.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <limits>

#include "sync/futex.hpp"

namespace wgrun {
namespace {

constexpr const char kNegative[] = "negative WaitGroup counter";
constexpr const char kOverflow[] = "WaitGroup counter overflow";
constexpr const char kAddDuringWait[] = "WaitGroup misuse: Add called concurrently with Wait";
constexpr const char kReused[] = "WaitGroup is reused before previous Wait has returned";

std::int32_t counter_of(std::uint64_t state) {
    return static_cast<std::int32_t>(state >> 32);
}

std::uint32_t waiters_of(std::uint64_t state) {
    return static_cast<std::uint32_t>(state);
}

// A program error: say it the way Go does and abort. Only async-signal-safe
// calls, as the process may be in any state.
[[noreturn]] void misuse(const char* what) {
    constexpr const char prefix[] = "wgrun: sync: ";
    char line[160];
    std::size_t n = 0;
    for (const char* part : {prefix, what, "\n"}) {
        const std::size_t len = std::strlen(part);
        std::memcpy(line + n, part, len);
        n += len;
    }
    const ssize_t ignored = ::write(STDERR_FILENO, line, n);
    (void)ignored;
    std::abort();
}

}  // namespace

void WaitGroup::add(std::int64_t delta) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
    if (delta > kMax) misuse(kOverflow);
    if (delta < -kMax - 1) misuse(kNegative);

    const std::uint64_t step = static_cast<std::uint64_t>(delta) << 32;
    const std::uint64_t state = state_.fetch_add(step, std::memory_order_acq_rel) + step;
    const std::int64_t counter = std::int64_t{counter_of(state - step)} + delta;
    if (counter < 0) misuse(kNegative);
    if (counter > kMax) misuse(kOverflow);

    const std::uint32_t waiters = waiters_of(state);
    if (waiters != 0 && delta > 0 && counter == delta) misuse(kAddDuringWait);
    if (counter > 0 || waiters == 0) return;

    // The counter reached zero with waiters registered: release them. Nobody
    // may touch the state now: waiters do not register at zero, and a new
    // batch must not start before they return.
    if (state_.load(std::memory_order_relaxed) != state) misuse(kAddDuringWait);
    state_.store(0, std::memory_order_relaxed);
    // Release: the waiters' acquire of the new generation sees our acquire of
    // every done() above. After this, a waiter may return and destroy *this,
    // so only the futex address is used.
    const void* futex = &generation_;
    generation_.fetch_add(1, std::memory_order_release);
    detail::futex_wake_all(futex);
}

void WaitGroup::wait() {
    (void)wait_or_time_out(nullptr);
}

bool WaitGroup::wait_until_steady(std::chrono::steady_clock::time_point deadline) {
    return wait_or_time_out(&deadline);
}

bool WaitGroup::wait_or_time_out(const std::chrono::steady_clock::time_point* deadline) {
    std::uint64_t state = state_.load(std::memory_order_acquire);
    for (;;) {
        if (counter_of(state) == 0) return true;
        if (deadline != nullptr && std::chrono::steady_clock::now() >= *deadline) return false;
        // Read the generation after seeing a positive counter and before
        // registering: the release that counts us bumps it after our CAS.
        const std::uint32_t generation = generation_.load(std::memory_order_acquire);
        if (state_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
            return sleep(generation, deadline);
        }
    }
}

bool WaitGroup::sleep(std::uint32_t generation,
                      const std::chrono::steady_clock::time_point* deadline) {
    while (generation_.load(std::memory_order_acquire) == generation) {
        if (detail::futex_wait(generation_, generation, deadline)) continue;
        if (deregister(generation)) return false;
        // Timed out, but a release that counted us is under way: take it.
        deadline = nullptr;
    }
    if (state_.load(std::memory_order_relaxed) != 0) misuse(kReused);
    return true;
}

bool WaitGroup::deregister(std::uint32_t generation) {
    std::uint64_t state = state_.load(std::memory_order_acquire);
    for (;;) {
        if (generation_.load(std::memory_order_acquire) != generation) return false;
        // Registered with no new generation yet, yet a zero counter (or no
        // waiters): the releaser has counted us and is about to bump it.
        if (counter_of(state) == 0 || waiters_of(state) == 0) return false;
        if (state_.compare_exchange_weak(state, state - 1, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
            return true;
        }
    }
}

}  // namespace wgrun
