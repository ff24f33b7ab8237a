// slot_pool_test.cpp: LocalSlots hands out the lowest free slot, 1-based,
// up to its limit (0 = no limit), and gives back released slots lowest first.
#include "schedule/slot_pool.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <vector>

namespace {

using wgrun::LocalSlots;
using wgrun::SlotPool;

TEST(LocalSlots, CountsFromOneUpToTheLimit) {
    LocalSlots slots(3);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(1));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(2));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(3));
    EXPECT_EQ(slots.acquire(), std::nullopt);
    EXPECT_EQ(slots.acquire(), std::nullopt);  // still full, still no block
}

TEST(LocalSlots, LimitOfOne) {
    LocalSlots slots(1);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(1));
    EXPECT_EQ(slots.acquire(), std::nullopt);
    slots.release(1);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(1));
    EXPECT_EQ(slots.acquire(), std::nullopt);
}

TEST(LocalSlots, ZeroMeansUnlimited) {
    LocalSlots slots(0);
    for (std::uint64_t i = 1; i <= 10000; ++i) {
        const auto slot = slots.acquire();
        ASSERT_TRUE(slot.has_value()) << i;
        ASSERT_EQ(*slot, i);
    }
    slots.release(5000);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(5000));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(10001));
}

TEST(LocalSlots, ReleasedSlotIsReusedBeforeHigherOnes) {
    LocalSlots slots(4);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(slots.acquire());
    slots.release(2);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(2));
    EXPECT_EQ(slots.acquire(), std::nullopt);
}

TEST(LocalSlots, LowestFreeSlotWhateverTheReleaseOrder) {
    LocalSlots slots(5);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(slots.acquire());
    // Released high to low, then low to high: acquire always takes the lowest.
    slots.release(4);
    slots.release(2);
    slots.release(3);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(2));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(3));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(4));
    EXPECT_EQ(slots.acquire(), std::nullopt);

    slots.release(1);
    slots.release(5);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(1));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(5));
    EXPECT_EQ(slots.acquire(), std::nullopt);
}

TEST(LocalSlots, AcquireAfterReleaseAboveTheLowestFree) {
    // The lowest free slot is remembered across a release of a higher one.
    LocalSlots slots(0);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(slots.acquire());
    slots.release(2);
    slots.release(5);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(2));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(5));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(7));
}

TEST(LocalSlots, AllReleasedStartsOverAtOne) {
    LocalSlots slots(3);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(slots.acquire());
    slots.release(1);
    slots.release(2);
    slots.release(3);
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(1));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(2));
    EXPECT_EQ(slots.acquire(), std::optional<std::uint64_t>(3));
    EXPECT_EQ(slots.acquire(), std::nullopt);
}

// A model check: random acquire/release against "the lowest number not in
// use, if fewer than the limit are in use".
TEST(LocalSlots, MatchesAModelUnderRandomUse) {
    for (std::uint64_t limit : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{3},
                                std::uint64_t{8}}) {
        LocalSlots slots(limit);
        SlotPool& pool = slots;  // through the interface, as the scheduler uses it
        std::set<std::uint64_t> in_use;
        std::uint32_t state = 12345;
        auto next_random = [&state] {
            state = state * 1103515245u + 12345u;
            return (state >> 16) & 0x7fff;
        };
        for (int step = 0; step < 5000; ++step) {
            const bool do_acquire = in_use.empty() || next_random() % 3 != 0;
            if (do_acquire) {
                std::optional<std::uint64_t> expected;
                if (limit == 0 || in_use.size() < limit) {
                    std::uint64_t lowest = 1;
                    while (in_use.count(lowest) != 0) ++lowest;
                    expected = lowest;
                }
                const auto got = pool.acquire();
                ASSERT_EQ(got, expected) << "limit " << limit << " step " << step;
                if (got) in_use.insert(*got);
            } else {
                auto it = in_use.begin();
                std::advance(it, next_random() % in_use.size());
                pool.release(*it);
                in_use.erase(it);
            }
            if (limit == 0 && in_use.size() > 40) {  // keep the unlimited pool small
                pool.release(*in_use.rbegin());
                in_use.erase(std::prev(in_use.end()));
            }
        }
    }
}

}  // namespace

namespace {

TEST(LocalSlots, SignalsMoveTheLimitByOneNeverBelowOne) {
    LocalSlots slots(2);
    slots.adjust_limit(+1);
    EXPECT_EQ(slots.limit(), 3u);
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), 2u);
    EXPECT_EQ(slots.acquire(), 3u);
    slots.adjust_limit(-1);
    slots.adjust_limit(-1);
    slots.adjust_limit(-1);
    EXPECT_EQ(slots.limit(), 1u);
    // Lowering ends nothing: the three keep their slots until they end.
    EXPECT_EQ(slots.in_use(), 3u);
    EXPECT_EQ(slots.acquire(), std::nullopt);
    slots.release(1);
    slots.release(3);
    EXPECT_EQ(slots.acquire(), std::nullopt);  // 1 still runs: at the limit
    slots.release(2);
    EXPECT_EQ(slots.acquire(), 1u);
}

TEST(LocalSlots, WithNoLimitOnlyLoweringSetsOne) {
    LocalSlots slots(0);
    slots.adjust_limit(+1);
    EXPECT_EQ(slots.limit(), 0u);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(slots.acquire().has_value());
    slots.adjust_limit(-1);
    EXPECT_EQ(slots.limit(), 3u);  // one less than the jobs running now
}

TEST(LocalSlots, TheLimitIsReadAgainAsSlotsComeBackAndOnlyANewValueCounts) {
    std::optional<std::uint64_t> file = 1;
    LocalSlots slots(1, [&file] { return file; });
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), std::nullopt);
    file = 3;  // the file changes while a job runs
    EXPECT_EQ(slots.acquire(), std::nullopt);  // read only as a job ends
    slots.release(1);
    EXPECT_EQ(slots.limit(), 3u);
    slots.adjust_limit(+1);  // SIGUSR1: 4, and the unchanged file keeps it
    EXPECT_EQ(slots.acquire(), 1u);
    slots.release(1);
    EXPECT_EQ(slots.limit(), 4u);
    file = std::nullopt;  // unreadable: the limit stays
    slots.release(slots.acquire().value());
    EXPECT_EQ(slots.limit(), 4u);
    file = 2;
    slots.release(slots.acquire().value());
    EXPECT_EQ(slots.limit(), 2u);
}

}  // namespace
