// machine_gate_test.cpp: --load and --memfree through a fake gauge and a
// fake clock: starts held back while the machine is busy or short of
// memory, readings kept for a while but taken again after each start, when
// to ask again, and when a job should be given back.
#include "schedule/machine_gate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using wgrun::MachineGate;
using wgrun::MachineLimits;

class FakeGauge : public wgrun::MachineGauge {
public:
    std::optional<unsigned> busy = 0;
    std::optional<std::uint64_t> available = std::uint64_t{1} << 40;
    int busy_reads = 0;
    int memory_reads = 0;
    std::optional<unsigned> busy_threads() override {
        ++busy_reads;
        return busy;
    }
    std::optional<std::uint64_t> mem_available() override {
        ++memory_reads;
        return available;
    }
};

const MachineGate::Clock::time_point t0{std::chrono::hours(100)};

TEST(MachineGate, WithoutLimitsItNeverReads) {
    FakeGauge gauge;
    MachineGate gate({}, gauge);
    EXPECT_TRUE(gate.may_start(t0));
    EXPECT_FALSE(gate.shed(t0));
    EXPECT_EQ(gate.next_check(true), std::nullopt);
    EXPECT_EQ(gauge.busy_reads + gauge.memory_reads, 0);
}

TEST(MachineGate, LoadAtOrAboveTheLimitHoldsStartsBack) {
    FakeGauge gauge;
    MachineLimits limits;
    limits.load = 2;
    MachineGate gate(limits, gauge);
    gauge.busy = 1;
    EXPECT_TRUE(gate.may_start(t0));
    gate.started();
    gauge.busy = 2;  // at the limit: no
    EXPECT_FALSE(gate.may_start(t0 + 1ms));
    EXPECT_EQ(gate.holding_back(), "2 threads running, --load 2");
    EXPECT_EQ(gate.next_check(false), t0 + 1ms + MachineGate::kRecheck);
    gauge.busy = 1;
    EXPECT_FALSE(gate.may_start(t0 + 50ms));  // the reading still counts
    EXPECT_TRUE(gate.may_start(t0 + 1ms + MachineGate::kRecheck));
    EXPECT_EQ(gate.next_check(false), std::nullopt);
}

TEST(MachineGate, EveryStartIsFollowedByAFreshReading) {
    FakeGauge gauge;
    MachineLimits limits;
    limits.load = 1.5;
    MachineGate gate(limits, gauge);
    EXPECT_TRUE(gate.may_start(t0));
    EXPECT_TRUE(gate.may_start(t0));  // no start between: the same reading
    EXPECT_EQ(gauge.busy_reads, 1);
    gate.started();
    gauge.busy = 2;  // the job just started pushed it over: at most one does
    EXPECT_FALSE(gate.may_start(t0));
    EXPECT_EQ(gauge.busy_reads, 2);
}

TEST(MachineGate, MemoryBelowMemfreeHoldsStartsBackAndBelowHalfSheds) {
    FakeGauge gauge;
    MachineLimits limits;
    limits.memfree = 1000;
    MachineGate gate(limits, gauge);
    gauge.available = 1000;
    EXPECT_TRUE(gate.may_start(t0));
    EXPECT_FALSE(gate.shed(t0));
    gate.started();
    gauge.available = 999;
    EXPECT_FALSE(gate.may_start(t0 + 1ms));
    EXPECT_EQ(gate.holding_back(), "999 bytes available, --memfree 1000");
    EXPECT_FALSE(gate.shed(t0 + 2ms));  // read 1 ms ago: 999 is not below half
    gauge.available = 499;
    EXPECT_FALSE(gate.shed(t0 + 2ms));  // not read again before kMemoryWatch
    EXPECT_TRUE(gate.shed(t0 + 1ms + MachineGate::kMemoryWatch));
    EXPECT_EQ(gate.last_available(), 499u);
    gauge.available = 500;
    EXPECT_FALSE(gate.shed(t0 + 1ms + 2 * MachineGate::kMemoryWatch));
}

TEST(MachineGate, WhileJobsRunUnderMemfreeItAsksToBeWokenForShedding) {
    FakeGauge gauge;
    MachineLimits limits;
    limits.memfree = 1000;
    MachineGate gate(limits, gauge);
    EXPECT_TRUE(gate.may_start(t0));
    EXPECT_EQ(gate.next_check(true), t0 + MachineGate::kMemoryWatch);
    EXPECT_EQ(gate.next_check(false), std::nullopt);
    MachineLimits load_only;
    load_only.load = 4;
    MachineGate load_gate(load_only, gauge);
    EXPECT_TRUE(load_gate.may_start(t0));
    EXPECT_EQ(load_gate.next_check(true), std::nullopt);  // --load alone sheds nothing
}

TEST(MachineGate, AReadingThatCannotBeMadeIsWarnedOnceAndLeftAside) {
    FakeGauge gauge;
    gauge.busy = std::nullopt;
    gauge.available = std::nullopt;
    MachineLimits limits;
    limits.load = 1;
    limits.memfree = 1000;
    std::vector<std::string> warnings;
    MachineGate gate(limits, gauge, [&](const std::string& w) { warnings.push_back(w); });
    EXPECT_TRUE(gate.may_start(t0));
    gate.started();
    EXPECT_TRUE(gate.may_start(t0 + 1s));
    EXPECT_FALSE(gate.shed(t0 + 2s));
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[0].find("--load"), std::string::npos);
    EXPECT_NE(warnings[1].find("--memfree"), std::string::npos);
}

TEST(MachineLimits, LoadTakesTheGrammarOfJobs) {
    EXPECT_EQ(wgrun::parse_load("3", 8), 3);
    EXPECT_EQ(wgrun::parse_load("1.5", 8), 1.5);
    EXPECT_EQ(wgrun::parse_load("50%", 8), 4);
    EXPECT_EQ(wgrun::parse_load("100%", 2), 2);
    EXPECT_EQ(wgrun::parse_load("+2", 8), 10);
    EXPECT_EQ(wgrun::parse_load("-2", 8), 6);
    for (const char* bad : {"", "0", "-8", "x", "1e3", "5%%", "1..2", "+", "%"}) {
        EXPECT_THROW(wgrun::parse_load(bad, 8), wgrun::LimitError) << bad;
    }
}

TEST(MachineLimits, SizeTakesGnuUnits) {
    EXPECT_EQ(wgrun::parse_size("512"), 512u);
    EXPECT_EQ(wgrun::parse_size("1K"), 1024u);
    EXPECT_EQ(wgrun::parse_size("500M"), 500u << 20);
    EXPECT_EQ(wgrun::parse_size("2G"), 2ull << 30);
    EXPECT_EQ(wgrun::parse_size("1.5G"), 3ull << 29);
    EXPECT_EQ(wgrun::parse_size("1T"), 1ull << 40);
    EXPECT_EQ(wgrun::parse_size("1k"), 1000u);
    EXPECT_EQ(wgrun::parse_size("2g"), 2000000000u);
    EXPECT_EQ(wgrun::parse_size("1Ki"), 1024u);
    EXPECT_EQ(wgrun::parse_size("1gi"), 1ull << 30);
    for (const char* bad : {"", "0", "M", "1X", "-1G", "1GG", "0.1", "1 G", "99999999P"}) {
        EXPECT_THROW(wgrun::parse_size(bad), wgrun::LimitError) << bad;
    }
    try {
        wgrun::parse_size("lots");
    } catch (const wgrun::LimitError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid --memfree value 'lots': expected a size such as 500M, 2G or 1.5G");
    }
}

}  // namespace
