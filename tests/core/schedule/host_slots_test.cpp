// host_slots_test.cpp: slots on named hosts: spread by share, unique numbers,
// a failing host left out, hosts added and removed (--slf edited).
#include "schedule/host_slots.hpp"

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace {

using wgrun::ExitStatus;
using wgrun::HostSlots;

ExitStatus exit_code(int code) { return ExitStatus::from_wait_status(W_EXITCODE(code, 0)); }

bool lost_on_255(const std::string&, const ExitStatus& status) { return status == exit_code(255); }

std::map<std::string, int> take_all(HostSlots& slots, std::vector<std::uint64_t>* numbers = nullptr) {
    std::map<std::string, int> per_host;
    while (const auto slot = slots.acquire()) {
        ++per_host[slots.host(*slot)];
        if (numbers != nullptr) numbers->push_back(*slot);
    }
    return per_host;
}

TEST(HostSlots, EachHostGivesItsOwnNumberOfSlotsWithNumbersUniqueAcrossHosts) {
    HostSlots slots({{"a", 2}, {"b", 3}, {":", 1}}, lost_on_255);
    std::vector<std::uint64_t> numbers;
    EXPECT_EQ(take_all(slots, &numbers), (std::map<std::string, int>{{"a", 2}, {"b", 3}, {":", 1}}));
    std::sort(numbers.begin(), numbers.end());
    EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
    EXPECT_FALSE(slots.exhausted());
}

TEST(HostSlots, AJobGoesToTheHostWithTheSmallestShareInUse) {
    HostSlots slots({{"a", 1}, {"b", 4}}, lost_on_255);
    EXPECT_EQ(slots.host(*slots.acquire()), "a");  // both empty: the first
    EXPECT_EQ(slots.host(*slots.acquire()), "b");  // a is full (1/1)
    EXPECT_EQ(slots.host(*slots.acquire()), "b");
    const auto a_slot = 1u;
    slots.release(a_slot);
    EXPECT_EQ(slots.host(*slots.acquire()), "a");  // 0/1 beats 2/4
}

TEST(HostSlots, AHostIsLeftOutAfterFailuresInARowAndASuccessStartsTheCountAgain) {
    std::vector<std::string> notices;
    HostSlots slots({{"a", 1}, {"b", 1}}, lost_on_255,
                    [&](const std::string& line) { notices.push_back(line); }, 2);
    const std::uint64_t a = *slots.acquire();
    ASSERT_EQ(slots.host(a), "a");
    EXPECT_TRUE(slots.host_failed(a, exit_code(255)));
    EXPECT_FALSE(slots.host_failed(a, exit_code(1)));  // the job's own failure: count reset
    EXPECT_TRUE(slots.host_failed(a, exit_code(255)));
    EXPECT_TRUE(notices.empty());
    EXPECT_TRUE(slots.host_failed(a, exit_code(255)));
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_EQ(notices[0], "wgrun: host a left out after 2 failures in a row\n");
    slots.release(a);
    EXPECT_EQ(take_all(slots), (std::map<std::string, int>{{"b", 1}}));
    EXPECT_EQ(slots.usable(), (std::vector<std::string>{"b"}));
    EXPECT_FALSE(slots.exhausted());
}

TEST(HostSlots, AHostThatJustFailedComesLast) {
    HostSlots slots({{"a", 2}, {"b", 2}}, lost_on_255);
    const std::uint64_t a = *slots.acquire();
    ASSERT_EQ(slots.host(a), "a");
    EXPECT_TRUE(slots.host_failed(a, exit_code(255)));
    slots.release(a);
    EXPECT_EQ(slots.host(*slots.acquire()), "b");  // a is empty, but just failed
    EXPECT_EQ(slots.host(*slots.acquire()), "b");
    EXPECT_EQ(slots.host(*slots.acquire()), "a");  // b is full
    EXPECT_FALSE(slots.host_failed(a, exit_code(0)));  // a success clears it
}

TEST(HostSlots, WithEveryHostLeftOutNoSlotWillEverComeAgain) {
    HostSlots slots({{"a", 1}}, lost_on_255, nullptr, 1);
    const std::uint64_t a = *slots.acquire();
    EXPECT_TRUE(slots.host_failed(a, exit_code(255)));
    slots.release(a);
    EXPECT_FALSE(slots.acquire());
    EXPECT_TRUE(slots.exhausted());
}

TEST(HostSlots, AHostRemovedTakesNoNewJobsAndOneAddedDoes) {
    HostSlots slots({{"a", 1}, {"b", 1}}, lost_on_255);
    const std::uint64_t first = *slots.acquire();
    slots.remove("a");
    slots.release(first);
    EXPECT_EQ(take_all(slots), (std::map<std::string, int>{{"b", 1}}));
    slots.add({"c", 2});
    EXPECT_EQ(take_all(slots), (std::map<std::string, int>{{"c", 2}}));
    slots.add({"a", 3});  // back, with more slots than before
    EXPECT_EQ(take_all(slots), (std::map<std::string, int>{{"a", 3}}));
    EXPECT_EQ(slots.usable(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(HostSlots, ALocalPoolNamesNoHostAndNeverFailsOne) {
    wgrun::LocalSlots local(2);
    const std::uint64_t slot = *local.acquire();
    EXPECT_EQ(local.host(slot), "");
    EXPECT_FALSE(local.host_failed(slot, exit_code(255)));
    EXPECT_FALSE(local.exhausted());
}

}  // namespace
