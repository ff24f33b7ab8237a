// wait_group_test.cpp: the WaitGroup against Go's src/sync/waitgroup_test.go,
// plus timed waits, many waiters, the guard, go() and stress.
#include "wgrun/wait_group.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <csignal>
#include <cstdio>
#include <memory>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include "sync/futex.hpp"

using namespace std::chrono_literals;

namespace wgrun {

// Reaches into the state to build, without luck, the interleavings that the
// best-effort misuse checks catch.
struct WaitGroupTestPeer {
    static std::uint64_t state(WaitGroup& wg) { return wg.state_.load(); }
    static std::uint32_t waiters(WaitGroup& wg) { return static_cast<std::uint32_t>(state(wg)); }
    // Bumped by each release: no waiter can leave wait() while it stays.
    static std::uint32_t generation(WaitGroup& wg) { return wg.generation_.load(); }
    // The counter has just reached zero with `waiters` registered: the
    // moment before the releaser resets the state.
    static void counter_zero_with_waiters(WaitGroup& wg, std::uint32_t waiters) {
        wg.state_.store(waiters);
    }
    // A release followed at once by a new batch's add(1), before the
    // released waiters ran.
    static void release_then_add(WaitGroup& wg) {
        wg.state_.store(std::uint64_t{1} << 32);
        wg.generation_.fetch_add(1);
        detail::futex_wake_all(&wg.generation_);
    }
};

}  // namespace wgrun

namespace {

using wgrun::DoneGuard;
using wgrun::WaitGroup;
using wgrun::WaitGroupTestPeer;

static_assert(!std::is_copy_constructible_v<WaitGroup>);
static_assert(!std::is_copy_assignable_v<WaitGroup>);
static_assert(!std::is_move_constructible_v<WaitGroup>);
static_assert(!std::is_move_assignable_v<WaitGroup>);
static_assert(!std::is_copy_constructible_v<DoneGuard>);

void wait_until_waiters(WaitGroup& wg, std::uint32_t n) {
    while (WaitGroupTestPeer::waiters(wg) < n) std::this_thread::yield();
}

// Go's testWaitGroup: n tasks call wg1.Done and then block in wg2.Wait; none
// may leave wg2.Wait before the last wg2.Done.
void release_in_turn(WaitGroup& wg1, WaitGroup& wg2) {
    constexpr int n = 16;
    wg1.add(n);
    wg2.add(n);
    std::atomic<int> exited{0};
    std::vector<std::thread> tasks;
    for (int i = 0; i < n; ++i) {
        tasks.emplace_back([&] {
            wg1.done();
            wg2.wait();
            exited.fetch_add(1);
        });
    }
    wg1.wait();
    for (int i = 0; i < n; ++i) {
        ASSERT_EQ(exited.load(), 0) << "WaitGroup released group too soon";
        wg2.done();
    }
    for (auto& t : tasks) t.join();
    EXPECT_EQ(exited.load(), n);
}

TEST(WaitGroup, ReleasesGroupsInTurnEightRoundsOnOnePair) {
    WaitGroup wg1;
    WaitGroup wg2;
    for (int round = 0; round < 8; ++round) {
        release_in_turn(wg1, wg2);
        if (HasFatalFailure()) return;
    }
}

TEST(WaitGroupDeathTest, NegativeCounterAborts) {
    EXPECT_DEATH(
        {
            WaitGroup wg;
            wg.add(1);
            wg.done();
            wg.done();
        },
        "sync: negative WaitGroup counter");
    EXPECT_DEATH(
        {
            WaitGroup wg;
            wg.add(-1);
        },
        "sync: negative WaitGroup counter");
}

TEST(WaitGroupDeathTest, CounterOverflowAborts) {
    EXPECT_DEATH(
        {
            WaitGroup wg;
            wg.add(INT32_MAX);
            wg.add(1);
        },
        "sync: WaitGroup counter overflow");
    EXPECT_DEATH(
        {
            WaitGroup wg;
            wg.add(std::int64_t{1} << 40);
        },
        "sync: WaitGroup counter overflow");
}

TEST(WaitGroupDeathTest, AddWhileReleasingWaitersAborts) {
    EXPECT_DEATH(
        {
            WaitGroup wg;
            WaitGroupTestPeer::counter_zero_with_waiters(wg, 1);
            wg.add(1);
        },
        "sync: WaitGroup misuse: Add called concurrently with Wait");
}

TEST(WaitGroupDeathTest, ReuseBeforeWaitReturnedAborts) {
    EXPECT_DEATH(
        {
            WaitGroup wg;
            wg.add(1);
            std::thread waiter([&] { wg.wait(); });
            wait_until_waiters(wg, 1);
            WaitGroupTestPeer::release_then_add(wg);
            waiter.join();
        },
        "sync: WaitGroup is reused before previous Wait has returned");
}

// Go's old TestWaitGroupMisuse2/3, bounded in time: two adders race a waiter
// without the rules. The best-effort checks must catch it.
TEST(WaitGroupDeathTest, RacingMisuseIsCaught) {
    EXPECT_DEATH(
        {
            WaitGroup wg;
            std::atomic<bool> stop{false};
            auto churn = [&] {
                while (!stop.load()) {
                    wg.add(1);
                    wg.done();
                }
            };
            std::thread waiter([&] {
                while (!stop.load()) wg.wait();
            });
            std::thread adder(churn);
            const auto until = std::chrono::steady_clock::now() + 20s;
            while (std::chrono::steady_clock::now() < until) {
                for (int i = 0; i < 1000; ++i) {
                    wg.add(1);
                    wg.done();
                }
            }
            stop = true;
            adder.join();
            waiter.join();
        },
        "sync: WaitGroup (misuse: Add called concurrently with Wait|is reused before previous "
        "Wait has returned)");
}

// Go's TestWaitGroupRace.
TEST(WaitGroup, RaceRounds) {
    for (int round = 0; round < 1000; ++round) {
        WaitGroup wg;
        std::atomic<int> n{0};
        wg.add(1);
        std::thread a([&] {
            n.fetch_add(1);
            wg.done();
        });
        wg.add(1);
        std::thread b([&] {
            n.fetch_add(1);
            wg.done();
        });
        wg.wait();
        ASSERT_EQ(n.load(), 2) << "Spurious wakeup from Wait";
        a.join();
        b.join();
    }
}

// Go's TestWaitGroupGo.
TEST(WaitGroup, GoRunsTheTaskAndWaitSeesIt) {
    WaitGroup wg;
    int value = 0;  // plain: wait() must publish the task's write
    wg.go([&value] { value = 1; });
    wg.wait();
    EXPECT_EQ(value, 1);
}

TEST(WaitGroup, GoManyTasks) {
    WaitGroup wg;
    std::vector<int> slots(64, 0);
    for (std::size_t i = 0; i < slots.size(); ++i) {
        wg.go([&slots, i] { slots[i] = static_cast<int>(i) + 1; });
    }
    wg.wait();
    for (std::size_t i = 0; i < slots.size(); ++i) EXPECT_EQ(slots[i], static_cast<int>(i) + 1);
}

TEST(WaitGroup, GoDestroysTheTaskBeforeDone) {
    WaitGroup wg;
    auto token = std::make_shared<int>(7);
    std::weak_ptr<int> watch = token;
    wg.go([t = std::move(token)] { (void)*t; });
    wg.wait();
    EXPECT_TRUE(watch.expired());
}

TEST(WaitGroupDeathTest, GoTaskThatThrowsTerminatesWithoutDone) {
    EXPECT_EXIT(
        {
            WaitGroup wg;
            wg.go([] { throw std::runtime_error("task failed"); });
            wg.wait();
            std::fputs("wait returned\n", stderr);
            std::_Exit(0);
        },
        testing::KilledBySignal(SIGABRT), "terminate called");
}

TEST(WaitGroup, WaitAtZeroReturnsAtOnce) {
    WaitGroup wg;
    wg.wait();
    EXPECT_TRUE(wg.wait_for(0s));
    EXPECT_TRUE(wg.wait_until(std::chrono::steady_clock::now() - 1h));
    wg.add(3);
    wg.add(-3);
    wg.wait();
}

TEST(WaitGroup, WaitForTimesOutAndLeavesTheGroupUsable) {
    WaitGroup wg;
    wg.add(1);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(wg.wait_for(30ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
    EXPECT_EQ(WaitGroupTestPeer::waiters(wg), 0u) << "a timed-out waiter stays registered";
    EXPECT_FALSE(wg.wait_for(0s));
    EXPECT_FALSE(wg.wait_until(std::chrono::system_clock::now() + 10ms));
    wg.done();
    wg.wait();
    EXPECT_TRUE(wg.wait_for(1ms));
}

TEST(WaitGroup, WaitForSucceedsWhenTheCounterReachesZero) {
    WaitGroup wg;
    wg.add(1);
    std::thread t([&] {
        wait_until_waiters(wg, 1);
        wg.done();
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(wg.wait_for(60s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);
    t.join();
}

TEST(WaitGroup, WaitUntilOnTheSystemClock) {
    WaitGroup wg;
    wg.add(1);
    std::thread t([&] {
        wait_until_waiters(wg, 1);
        wg.done();
    });
    EXPECT_TRUE(wg.wait_until(std::chrono::system_clock::now() + 60s));
    t.join();
}

TEST(WaitGroup, ManyWaitersAllReleased) {
    constexpr std::uint32_t kWaiters = 32;
    WaitGroup wg;
    wg.add(2);
    std::atomic<std::uint32_t> released{0};
    std::vector<std::thread> waiters;
    for (std::uint32_t i = 0; i < kWaiters; ++i) {
        waiters.emplace_back([&, i] {
            if (i % 2 == 0) {
                wg.wait();
            } else {
                ASSERT_TRUE(wg.wait_for(60s));
            }
            released.fetch_add(1);
        });
    }
    wait_until_waiters(wg, kWaiters);
    const std::uint32_t generation = WaitGroupTestPeer::generation(wg);
    wg.done();
    // Not released, checked without a clock: a waiter leaves wait() only
    // after a release bumps the generation (and resets the state), and the
    // only done() that may release is the next one. So every waiter is
    // still registered, the generation is the one they sleep on, and none
    // has counted itself out.
    EXPECT_EQ(WaitGroupTestPeer::state(wg), (std::uint64_t{1} << 32) | kWaiters)
        << "the first done() released the waiters";
    EXPECT_EQ(WaitGroupTestPeer::generation(wg), generation);
    EXPECT_EQ(released.load(), 0u);
    EXPECT_FALSE(wg.wait_for(5ms)) << "the group is at zero after one done() of two";
    wg.done();
    for (auto& t : waiters) t.join();
    EXPECT_EQ(released.load(), kWaiters);
}

TEST(DoneGuard, CallsDoneOnceOnScopeExit) {
    WaitGroup wg;
    wg.add(2);
    {
        DoneGuard guard(wg);
        EXPECT_FALSE(wg.wait_for(0s));
    }
    EXPECT_FALSE(wg.wait_for(0s));
    {
        DoneGuard first(wg);
        DoneGuard second(std::move(first));  // the duty moves, it is not doubled
    }
    EXPECT_TRUE(wg.wait_for(0s));
}

// A guard that failed to call done() would leave a plain wait() blocked for
// ever: these tests wait with a time limit, so that such a guard fails them.
constexpr auto kGuardPatience = 30s;

TEST(DoneGuard, CallsDoneWhenTheTaskThrows) {
    WaitGroup wg;
    wg.add(1);
    std::thread t([&] {
        try {
            DoneGuard guard(wg);
            throw std::runtime_error("early way out");
        } catch (const std::runtime_error&) {
        }
    });
    const bool done = wg.wait_for(kGuardPatience);
    t.join();
    EXPECT_TRUE(done) << "the guard did not call done() when the task threw";
    EXPECT_TRUE(wg.wait_for(0s));
}

TEST(DoneGuard, TravelsIntoAThread) {
    WaitGroup wg;
    int value = 0;
    wg.add(1);
    std::thread t([guard = DoneGuard(wg), &value] { value = 42; });
    const bool done = wg.wait_for(kGuardPatience);
    EXPECT_TRUE(done) << "the guard moved into the thread did not call done()";
    if (done) {
        EXPECT_EQ(value, 42);  // published by done(), before the join
    }
    t.join();
}

// Rounds of work on one reused group: workers take units and call done();
// waiters of three kinds (wait, short wait_for in a loop, wait_until on the
// system clock) must all return only once every unit is done.
TEST(WaitGroup, StressReuseWithMixedWaiters) {
    constexpr int kRounds = 300;
    constexpr int kUnits = 2000;
    constexpr int kWorkers = 3;
    constexpr int kWaiters = 3;
    WaitGroup wg;
    std::atomic<int> remaining{0};
    std::vector<long> done_by(kWorkers, 0);  // plain: published by done()/wait()
    std::atomic<int> failures{0};
    std::barrier sync(kWorkers + kWaiters + 1);

    auto check = [&](int round) {
        long sum = 0;
        for (long d : done_by) sum += d;
        if (sum != long{round + 1} * kUnits) failures.fetch_add(1);
    };
    std::vector<std::thread> threads;
    for (int w = 0; w < kWorkers; ++w) {
        threads.emplace_back([&, w] {
            for (int round = 0; round < kRounds; ++round) {
                sync.arrive_and_wait();
                while (remaining.fetch_sub(1) > 0) {
                    ++done_by[w];
                    wg.done();
                }
                sync.arrive_and_wait();
            }
        });
    }
    for (int k = 0; k < kWaiters; ++k) {
        threads.emplace_back([&, k] {
            for (int round = 0; round < kRounds; ++round) {
                sync.arrive_and_wait();
                if (k == 0) {
                    wg.wait();
                } else if (k == 1) {
                    while (!wg.wait_for(std::chrono::microseconds(1 + round % 50))) {
                    }
                } else {
                    while (!wg.wait_until(std::chrono::system_clock::now() + 20us)) {
                    }
                }
                check(round);
                sync.arrive_and_wait();
            }
        });
    }
    for (int round = 0; round < kRounds; ++round) {
        remaining.store(kUnits);
        wg.add(kUnits);
        sync.arrive_and_wait();
        wg.wait();
        check(round);
        sync.arrive_and_wait();
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(WaitGroupTestPeer::state(wg), 0u);
}

// Many threads add and done at once on one group that never drains until the
// end: the counter stays exact.
TEST(WaitGroup, StressContendedAddDone) {
    WaitGroup wg;
    wg.add(1);  // held until the end, so the counter never reaches zero
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 20000; ++i) {
                wg.add(2);
                wg.done();
                wg.done();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_FALSE(wg.wait_for(0s));
    wg.done();
    EXPECT_TRUE(wg.wait_for(0s));
}

}  // namespace
