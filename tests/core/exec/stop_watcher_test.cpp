// stop_watcher_test.cpp: the stall rule, and the watcher's thread with real
// signals (SIGUSR1 stands in for SIGINT/SIGTERM: blocked, then sent to the
// process, as wgrun's own are).
#include "exec/stop_watcher.hpp"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>

using namespace std::chrono_literals;

namespace {

using wgrun::StopWatcher;
using Clock = StopWatcher::Clock;

TEST(StopWatcher, StallsWhenNothingMovesWhileOutputWaitsForAStuckReader) {
    StopWatcher::Stall state;
    const auto t0 = Clock::now();
    EXPECT_FALSE(StopWatcher::stalled(state, t0, 2s, true, 100, 65536));
    EXPECT_FALSE(StopWatcher::stalled(state, t0 + 1s, 2s, true, 100, 65536));
    EXPECT_TRUE(StopWatcher::stalled(state, t0 + 2s, 2s, true, 100, 65536));
}

TEST(StopWatcher, AnyProgressStartsTheStallAgain) {
    StopWatcher::Stall state;
    const auto t0 = Clock::now();
    EXPECT_FALSE(StopWatcher::stalled(state, t0, 2s, true, 100, 65536));
    EXPECT_FALSE(StopWatcher::stalled(state, t0 + 1500ms, 2s, true, 200, 65536));  // we wrote
    EXPECT_FALSE(StopWatcher::stalled(state, t0 + 3s, 2s, true, 200, 65536));
    EXPECT_FALSE(StopWatcher::stalled(state, t0 + 3400ms, 2s, true, 200, 4096));   // it read
    EXPECT_FALSE(StopWatcher::stalled(state, t0 + 5s, 2s, true, 200, 4096));
    EXPECT_TRUE(StopWatcher::stalled(state, t0 + 5400ms, 2s, true, 200, 4096));
}

TEST(StopWatcher, NoStallWithNothingPendingOrAnEmptyPipe) {
    StopWatcher::Stall state;
    const auto t0 = Clock::now();
    EXPECT_FALSE(StopWatcher::stalled(state, t0, 2s, false, 0, 65536));
    EXPECT_FALSE(StopWatcher::stalled(state, t0 + 10s, 2s, false, 0, 65536));
    StopWatcher::Stall empty;
    EXPECT_FALSE(StopWatcher::stalled(empty, t0, 2s, true, 0, 0));
    EXPECT_FALSE(StopWatcher::stalled(empty, t0 + 10s, 2s, true, 0, 0));
    // Not a pipe (a file, a terminal): nothing tells a stuck one from jobs
    // that take their time to end; only a second signal gives up.
    StopWatcher::Stall tty;
    EXPECT_FALSE(StopWatcher::stalled(tty, t0, 2s, true, 0, std::nullopt));
    EXPECT_FALSE(StopWatcher::stalled(tty, t0 + 10s, 2s, true, 0, std::nullopt));
}

bool readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 1;
}

// A process-directed signal goes to any thread that does not block it: the
// tests send one only when this is the only thread.
bool only_thread() {
    DIR* d = ::opendir("/proc/self/task");
    if (d == nullptr) return false;
    int tasks = 0;
    while (const dirent* entry = ::readdir(d)) {
        if (entry->d_name[0] != '.') ++tasks;
    }
    ::closedir(d);
    return tasks == 1;
}

class Signals : public ::testing::Test {
protected:
    void SetUp() override {
        if (!only_thread()) GTEST_SKIP() << "another thread might take the signal";
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &set, &before), 0);
    }
    void TearDown() override {
        if (IsSkipped()) return;
        // Nothing left pending when the mask goes back.
        timespec zero{};
        while (::sigtimedwait(&set, nullptr, &zero) > 0) {
        }
        ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    }
    sigset_t set;
    sigset_t before;
};

TEST_F(Signals, TheFirstSignalGoesToTheLoopTheSecondGivesUp) {
    std::atomic<int> gave_up{0};
    std::atomic<bool> second{false};
    StopWatcher::Hooks hooks;
    hooks.give_up = [&](int signal, bool again) {
        second = again;
        gave_up = signal;
    };
    StopWatcher watcher(set, std::move(hooks), 60s);
    EXPECT_EQ(watcher.signal(), 0);
    ::kill(::getpid(), SIGUSR1);
    ASSERT_TRUE(readable(watcher.event_fd(), 5000));
    EXPECT_EQ(watcher.signal(), SIGUSR1);
    EXPECT_FALSE(watcher.second());
    watcher.clear_event();
    EXPECT_FALSE(readable(watcher.event_fd(), 0));
    const auto sent = Clock::now();
    ::kill(::getpid(), SIGUSR1);
    ASSERT_TRUE(readable(watcher.event_fd(), 5000));
    EXPECT_TRUE(watcher.second());
    for (int i = 0; i < 100 && gave_up == 0; ++i) ::usleep(50000);
    EXPECT_EQ(gave_up, SIGUSR1);
    EXPECT_TRUE(second);
    EXPECT_GE(Clock::now() - sent, StopWatcher::kSecondGrace);
}

TEST_F(Signals, AStalledStdoutGivesUpAfterTheFirstSignal) {
    std::atomic<int> gave_up{0};
    std::atomic<bool> second{true};
    StopWatcher::Hooks hooks;
    hooks.backlog = [] { return std::optional<std::uint64_t>(65536); };
    hooks.pending = [] { return true; };
    hooks.progress = [] { return std::uint64_t{42}; };
    hooks.give_up = [&](int signal, bool again) {
        second = again;
        gave_up = signal;
    };
    StopWatcher watcher(set, std::move(hooks), 300ms);
    ::usleep(500000);
    EXPECT_EQ(gave_up, 0) << "nothing before a signal";
    ::kill(::getpid(), SIGUSR1);
    for (int i = 0; i < 100 && gave_up == 0; ++i) ::usleep(50000);
    EXPECT_EQ(gave_up, SIGUSR1);
    EXPECT_FALSE(second);
}

TEST_F(Signals, NoGiveUpWhenTheRunEndsFirst) {
    std::atomic<int> gave_up{0};
    StopWatcher::Hooks hooks;
    hooks.give_up = [&](int signal, bool) { gave_up = signal; };
    {
        StopWatcher watcher(set, std::move(hooks), 60s);
        ::kill(::getpid(), SIGUSR1);
        ASSERT_TRUE(readable(watcher.event_fd(), 5000));
    }
    EXPECT_EQ(gave_up, 0);
}

}  // namespace
