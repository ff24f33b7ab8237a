// stop_watcher.hpp: SIGINT and SIGTERM, read on a thread of their own, so
// that they are heard even while the event loop (or the output's writer) is
// blocked in a write to a stdout nobody reads.
//
// The first signal goes to the event loop (event_fd()), which ends the jobs
// and writes out what their output left. From then on wgrun gives up, drops
// what it still holds and exits (give_up()), when:
//  - a second signal comes and the run has not ended kSecondGrace later
//    (the loop, if it can, kills the jobs at once meanwhile: second()), or
//  - output is pending but no byte has got out (bytes_out(), any write of
//    wgrun's) for `stall`, while stdout's pipe holds bytes its reader does
//    not take (stdout a pipe only: a file or a terminal waits for a second
//    signal).
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <thread>

#include "base/unique_fd.hpp"

namespace wgrun {

class StopWatcher {
public:
    using Clock = std::chrono::steady_clock;

    struct Hooks {
        /// Bytes waiting in stdout's pipe for its reader, or empty when
        /// stdout is no pipe.
        std::function<std::optional<std::uint64_t>()> backlog;
        /// True while wgrun holds output it has not got out.
        std::function<bool()> pending;
        /// How many bytes wgrun has got out so far (bytes_out()).
        std::function<std::uint64_t()> progress;
        /// Called once, on the watcher's thread, with the first signal and
        /// whether a second one came (else stdout stalled). Need not
        /// return; when it does, the watcher stops watching.
        std::function<void(int signal, bool second)> give_up;
    };

    /// How long the run may take to end after a second signal.
    static constexpr std::chrono::milliseconds kSecondGrace{500};
    /// The default `stall`.
    static constexpr std::chrono::milliseconds kStall{5000};

    /// Reads `signals` (blocked in every thread) from a signalfd of its own.
    StopWatcher(const sigset_t& signals, Hooks hooks, std::chrono::milliseconds stall = kStall);
    /// Stops the thread (waits for it, should it be giving up).
    ~StopWatcher();
    StopWatcher(const StopWatcher&) = delete;
    StopWatcher& operator=(const StopWatcher&) = delete;

    /// Readable when a signal came since the last clear_event().
    int event_fd() const { return event_fd_.get(); }
    void clear_event();

    /// The first signal, or 0.
    int signal() const { return first_.load(std::memory_order_acquire); }
    /// True once a second signal came.
    bool second() const { return second_.load(std::memory_order_acquire); }

    /// One step of the stall rule, for tests: given the time and what the
    /// hooks say now, true when wgrun should give up.
    struct Stall {
        std::optional<Clock::time_point> since;  // when things last moved
        std::uint64_t progress = 0;
        std::optional<std::uint64_t> backlog;
    };
    static bool stalled(Stall& state, Clock::time_point now, std::chrono::milliseconds stall,
                        bool pending, std::uint64_t progress,
                        std::optional<std::uint64_t> backlog);

private:
    void run();
    void wake_loop();

    Hooks hooks_;
    std::chrono::milliseconds stall_;
    UniqueFd signal_fd_;
    UniqueFd event_fd_;
    int wake_signal_ = 0;  // one of the watched signals: the destructor wakes the thread with it
    std::atomic<bool> stopping_{false};  // set by the destructor
    std::atomic<int> first_{0};
    std::atomic<bool> second_{false};
    std::thread thread_;
};

}  // namespace wgrun
