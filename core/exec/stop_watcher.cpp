// stop_watcher.cpp: poll() on a signalfd, ticking every 100 ms once the
// first signal has come.
#include "exec/stop_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <pthread.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "base/start_thread.hpp"

namespace wgrun {
namespace {

constexpr int kTickMs = 100;

}  // namespace

StopWatcher::StopWatcher(const sigset_t& signals, Hooks hooks, std::chrono::milliseconds stall)
    : hooks_(std::move(hooks)), stall_(stall) {
    for (int signal = 1; signal < NSIG && wake_signal_ == 0; ++signal) {
        if (sigismember(&signals, signal) == 1) wake_signal_ = signal;
    }
    if (wake_signal_ == 0) throw std::invalid_argument("StopWatcher: no signal to watch");
    signal_fd_.reset(::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!signal_fd_) throw std::system_error(errno, std::system_category(), "stop signals");
    event_fd_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!event_fd_) throw std::system_error(errno, std::system_category(), "stop signals");
    thread_ = start_thread("the stop-signal watcher thread", [this] { run(); });
}

// The thread is woken by one of its own signals sent to it alone (blocked
// there as everywhere, it waits in its signalfd): no fd for that, where
// `ulimit -n 16` makes every fd count.
StopWatcher::~StopWatcher() {
    stopping_.store(true, std::memory_order_release);
    ::pthread_kill(thread_.native_handle(), wake_signal_);
    thread_.join();
}

void StopWatcher::clear_event() {
    std::uint64_t count;
    [[maybe_unused]] const ssize_t n = ::read(event_fd_.get(), &count, sizeof count);
}

void StopWatcher::wake_loop() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_.get(), &one, sizeof one);
}

bool StopWatcher::stalled(Stall& state, Clock::time_point now, std::chrono::milliseconds stall,
                          bool pending, std::uint64_t progress,
                          std::optional<std::uint64_t> backlog) {
    // Moving: wgrun wrote something, or the reader took something. Not
    // stuck: nothing to write, or stdout's pipe is empty (the reader waits
    // for us: we are not waiting for it), or stdout is no pipe (a file or a
    // terminal: nothing tells a stuck one from jobs that take their time
    // to end while their output waits; a second signal decides).
    const bool moved = !state.since || progress != state.progress || backlog != state.backlog;
    const bool stuck_reader = backlog && *backlog > 0;
    state.progress = progress;
    state.backlog = backlog;
    if (moved || !pending || !stuck_reader) {
        state.since = now;
        return false;
    }
    return now - *state.since >= stall;
}

void StopWatcher::run() {
    std::optional<Clock::time_point> deadline;  // after a second signal
    Stall stall;
    for (;;) {
        pollfd fds[1] = {{signal_fd_.get(), POLLIN, 0}};
        const int timeout = signal() != 0 ? kTickMs : -1;
        if (::poll(fds, 1, timeout) < 0 && errno != EINTR) return;
        if (stopping_.load(std::memory_order_acquire)) return;  // the run is over
        signalfd_siginfo info[8];
        for (;;) {
            const ssize_t n = ::read(signal_fd_.get(), info, sizeof info);
            if (n <= 0) break;
            for (std::size_t i = 0; i < static_cast<std::size_t>(n) / sizeof info[0]; ++i) {
                const int signo = static_cast<int>(info[i].ssi_signo);
                if (first_.load(std::memory_order_relaxed) == 0) {
                    first_.store(signo, std::memory_order_release);
                } else if (!second_.load(std::memory_order_relaxed)) {
                    second_.store(true, std::memory_order_release);
                    deadline = Clock::now() + kSecondGrace;
                }
                wake_loop();
            }
        }
        if (signal() == 0) continue;
        const auto now = Clock::now();
        bool give_up = deadline && now >= *deadline;
        if (!give_up && !second()) {
            give_up = stalled(stall, now, stall_, hooks_.pending ? hooks_.pending() : false,
                              hooks_.progress ? hooks_.progress() : 0,
                              hooks_.backlog ? hooks_.backlog() : std::nullopt);
        }
        if (give_up) {
            if (hooks_.give_up) hooks_.give_up(signal(), second());
            return;
        }
    }
}

}  // namespace wgrun
