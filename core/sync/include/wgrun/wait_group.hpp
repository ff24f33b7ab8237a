// wgrun/wait_group.hpp: a C++20 port of Go's sync.WaitGroup.
//
// A WaitGroup waits for a collection of tasks to finish. It answers one
// question only: "are all tasks done?". It carries no data, no results and no
// messages.
//
// The main thread calls add() to set the number of tasks to wait for; each
// task calls done() when it finishes; wait() blocks until every task has
// called done(). go() does all three steps for a task that runs on a thread of
// its own.
//
//     wgrun::WaitGroup wg;
//     for (int i = 0; i < 3; ++i) {
//         wg.add(1);                            // before the task starts
//         std::thread([&wg, i] {
//             wgrun::DoneGuard guard(wg);       // done() on every way out
//             work(i);
//         }).detach();
//     }
//     wg.wait();                                // all three have finished
//
// The rules users get wrong:
//
//   * Call add() before the task starts, never inside it. A wait() that runs
//     between the start of the task and its add() sees a zero counter and
//     returns while the task still runs.
//   * Call done() exactly once per unit added. One done() too many makes the
//     counter negative, a program error; one too few makes wait() block
//     forever. Put a DoneGuard at the top of the task (the C++ form of Go's
//     `defer wg.Done()`) so that early returns and exceptions still count.
//   * A WaitGroup is not for passing data. To collect results, send them
//     through a queue or channel (in wgrun: the result collector) before
//     calling done(); wait() then tells that every result has been sent.
//   * To reuse a WaitGroup for a new batch, the new add() calls must happen
//     after every wait() of the previous batch has returned.
//
// Memory ordering: a call to done() (or an add() that brings the counter to
// zero) synchronizes with the return of every wait() it unblocks. Everything a
// task wrote before its done() is visible to the thread after wait() returns.
//
// Misuse is a program error. It is reported on stderr with Go's words and the
// process aborts:
//
//   * "negative WaitGroup counter" (always detected);
//   * "WaitGroup misuse: Add called concurrently with Wait" (best effort);
//   * "WaitGroup is reused before previous Wait has returned" (best effort).
//
// Implementation: one 64-bit atomic word holds the counter (high 32 bits) and
// the number of blocked waiters (low 32 bits). add() and done() are a single
// atomic read-modify-write and never take a lock or make a system call while
// nobody waits. Waiters block on a Linux futex (the mechanism under C++20
// std::atomic::wait, called directly because std::atomic::wait has no
// time-out) over a 32-bit generation number.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <type_traits>
#include <utility>

namespace wgrun {

class WaitGroup {
public:
    /// Guarantees: the counter is zero and nobody waits.
    WaitGroup() noexcept = default;

    /// Requires: no thread waits and no task still holds the group.
    ~WaitGroup() = default;

    WaitGroup(const WaitGroup&) = delete;
    WaitGroup& operator=(const WaitGroup&) = delete;
    WaitGroup(WaitGroup&&) = delete;
    WaitGroup& operator=(WaitGroup&&) = delete;

    /// Adds `delta`, which may be negative, to the counter.
    ///
    /// Requires:
    ///   * the counter stays in [0, 2^31 - 1];
    ///   * an add() with a positive delta that starts when the counter is zero
    ///     happens before any wait() of that batch (call it before starting
    ///     the task);
    ///   * when the group is reused, every wait() of the previous batch has
    ///     returned before the new batch's first add().
    /// Guarantees: when the counter becomes zero, every blocked wait() is
    /// released. The call is a release operation on the counter: writes made
    /// before it are visible to the waiters it releases.
    /// Aborts: with "negative WaitGroup counter" if the counter would drop
    /// below zero, with "WaitGroup counter overflow" past 2^31 - 1, and (best
    /// effort) with "WaitGroup misuse: Add called concurrently with Wait".
    void add(std::int64_t delta);

    /// Decrements the counter by one: add(-1).
    void done() { add(-1); }

    /// Blocks until the counter is zero. Returns at once if it is zero.
    ///
    /// Guarantees: the return synchronizes with the add()/done() that brought
    /// the counter to zero, and through it with every earlier done() of the
    /// batch. Any number of threads may wait at once.
    /// Aborts (best effort): "WaitGroup is reused before previous Wait has
    /// returned" when a new batch was added before this wait() returned.
    void wait();

    /// Like wait(), but gives up at `deadline`.
    /// Returns: true if the counter reached zero (with wait()'s guarantees),
    /// false on time-out. A timed-out call leaves the group as if it had never
    /// waited.
    template <class Clock, class Duration>
    bool wait_until(const std::chrono::time_point<Clock, Duration>& deadline);

    /// Like wait(), but gives up after `timeout`. Same result as wait_until().
    template <class Rep, class Period>
    bool wait_for(const std::chrono::duration<Rep, Period>& timeout) {
        const auto now = std::chrono::steady_clock::now();
        if (timeout <= timeout.zero()) return wait_until(now);
        return wait_until(
            now + std::chrono::ceil<std::chrono::steady_clock::duration>(timeout));
    }

    /// Go 1.25's WaitGroup.Go: add(1), run `f` on a new thread, and done()
    /// when `f` returns.
    ///
    /// Requires: `f` is callable with no arguments; the group outlives the
    /// call of `f`.
    /// Guarantees: if `f` throws, the process terminates (std::terminate) and
    /// done() is not called, so no wait() returns while the process is dying
    /// (the lesson of Go issue 76126).
    template <class F>
    void go(F&& f);

private:
    friend struct WaitGroupTestPeer;  // tests reach the state to provoke misuse

    bool wait_until_steady(std::chrono::steady_clock::time_point deadline);

    // wait() with an optional deadline; false on time-out.
    bool wait_or_time_out(const std::chrono::steady_clock::time_point* deadline);

    // Sleeps, registered, until the generation leaves `generation` or the
    // deadline passes and deregister() succeeds. False on time-out.
    bool sleep(std::uint32_t generation,
               const std::chrono::steady_clock::time_point* deadline);

    // Takes a timed-out waiter off the count; false if a release that counted
    // it is already under way.
    bool deregister(std::uint32_t generation);

    // High 32 bits: the counter (as int32). Low 32 bits: blocked waiters.
    std::atomic<std::uint64_t> state_{0};
    // Bumped each time the counter reaches zero with waiters; waiters sleep
    // on it (a futex) while it keeps the value they read.
    std::atomic<std::uint32_t> generation_{0};
};

/// Calls done() on a WaitGroup exactly once, when it leaves scope: the C++
/// form of `defer wg.Done()`. Moving it transfers that duty.
class [[nodiscard]] DoneGuard {
public:
    explicit DoneGuard(WaitGroup& wg) noexcept : wg_(&wg) {}
    DoneGuard(DoneGuard&& other) noexcept : wg_(std::exchange(other.wg_, nullptr)) {}
    DoneGuard(const DoneGuard&) = delete;
    DoneGuard& operator=(const DoneGuard&) = delete;
    DoneGuard& operator=(DoneGuard&&) = delete;
    ~DoneGuard() {
        if (wg_ != nullptr) wg_->done();
    }

private:
    WaitGroup* wg_;  // null once moved from
};

template <class Clock, class Duration>
bool WaitGroup::wait_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    if constexpr (std::is_same_v<Clock, std::chrono::steady_clock>) {
        return wait_until_steady(
            std::chrono::ceil<std::chrono::steady_clock::duration>(deadline));
    } else {
        // Other clocks may jump: wait in steady slices and check the clock
        // the caller chose, as std::condition_variable does.
        for (;;) {
            const auto now = Clock::now();
            const auto left = now < deadline ? deadline - now : Duration::zero();
            const auto steady_deadline =
                std::chrono::steady_clock::now() +
                std::chrono::ceil<std::chrono::steady_clock::duration>(left);
            if (wait_until_steady(steady_deadline)) return true;
            if (Clock::now() >= deadline) return false;
        }
    }
}

template <class F>
void WaitGroup::go(F&& f) {
    add(1);
    try {
        std::thread([this, fn = std::forward<F>(f)]() mutable noexcept {
            {
                auto task = std::move(fn);  // destroyed before done()
                task();  // an exception here meets noexcept: std::terminate
            }
            done();
        }).detach();
    } catch (...) {
        done();  // no thread, so no task: take its unit back
        throw;
    }
}

}  // namespace wgrun
