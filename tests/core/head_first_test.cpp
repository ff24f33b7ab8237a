// head_first_test.cpp: under -k the others wait only while the head writes
// and less than one CPU is idle.
#include "head_first.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

namespace {

using namespace std::chrono_literals;
using wgrun::HeadFirst;

struct Fixture {
    std::optional<double> idle = 0.2;
    int asked = 0;
    HeadFirst first{[this](HeadFirst::Clock::time_point) {
                        ++asked;
                        return idle;
                    },
                    5ms};
    HeadFirst::Clock::time_point t0 = HeadFirst::Clock::now();
};

TEST(HeadFirst, OthersWaitWhileTheHeadWritesOnABusyMachine) {
    Fixture f;
    EXPECT_TRUE(f.first.update(1, 0, f.t0)) << "a new head counts as writing";
    EXPECT_EQ(f.first.deadline(), f.t0 + 5ms);
    EXPECT_TRUE(f.first.update(1, 100, f.t0 + 4ms));
    EXPECT_EQ(f.first.deadline(), f.t0 + 9ms);
    EXPECT_TRUE(f.first.update(1, 100, f.t0 + 8ms)) << "quiet for 4 ms only";
    EXPECT_FALSE(f.first.update(1, 100, f.t0 + 9ms)) << "quiet for 5 ms: the others are read";
    EXPECT_FALSE(f.first.deadline());
    EXPECT_TRUE(f.first.update(1, 200, f.t0 + 20ms)) << "writing again";
}

TEST(HeadFirst, AnIdleCpuOrAnUnknownLoadLetsTheOthersBeRead) {
    Fixture f;
    f.idle = 1.0;
    EXPECT_FALSE(f.first.update(1, 0, f.t0));
    EXPECT_FALSE(f.first.deadline());
    f.idle = std::nullopt;
    EXPECT_FALSE(f.first.update(1, 10, f.t0 + 1ms));
    f.idle = 0.99;
    EXPECT_TRUE(f.first.update(1, 20, f.t0 + 2ms));
}

TEST(HeadFirst, NoHeadNoWaitingAndTheLoadIsNotAskedWhenQuiet) {
    Fixture f;
    EXPECT_FALSE(f.first.update(std::nullopt, 0, f.t0));
    EXPECT_EQ(f.asked, 0);
    EXPECT_TRUE(f.first.update(3, 50, f.t0));
    EXPECT_FALSE(f.first.update(3, 50, f.t0 + 10ms));
    EXPECT_EQ(f.asked, 1) << "a quiet head needs no load reading";
    EXPECT_TRUE(f.first.update(4, 0, f.t0 + 11ms)) << "the next head, writing";
    EXPECT_FALSE(f.first.update(std::nullopt, 0, f.t0 + 12ms));
}

}  // namespace
