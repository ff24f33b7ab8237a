// idle_cpus_test.cpp: IdleCpus reads /proc/stat's format and says how many
// CPUs were idle over the last window.
#include "idle_cpus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "output_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using wgrun::IdleCpus;

// user, nice 0, system = user / 10, idle, iowait, then zeros.
void write_stat(const std::string& path, unsigned long user, unsigned long idle,
                unsigned long iowait = 0) {
    std::ofstream(path) << "cpu  " << user << " 0 " << user / 10 << " " << idle << " " << iowait
                        << " 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n";
}

TEST(IdleCpus, CountsIdleCpusOverTheLastWindow) {
    wgrun::test::TempDir dir;
    const std::string stat = dir.file("stat");
    IdleCpus cpus(stat, 4, 50ms);
    const auto t0 = IdleCpus::Clock::now();
    write_stat(stat, 1000, 5000);
    EXPECT_FALSE(cpus.idle(t0)) << "one sample tells nothing";
    write_stat(stat, 1100, 5090);  // 110 busy ticks, 90 idle: 4 x 90 / 200
    EXPECT_FALSE(cpus.idle(t0 + 10ms)) << "sampled at most once a window";
    ASSERT_TRUE(cpus.idle(t0 + 60ms));
    EXPECT_DOUBLE_EQ(*cpus.idle(t0 + 60ms), 1.8);
    write_stat(stat, 1200, 5090);  // 110 busy, 0 idle
    EXPECT_DOUBLE_EQ(*cpus.idle(t0 + 80ms), 1.8) << "the last answer within a window";
    EXPECT_DOUBLE_EQ(*cpus.idle(t0 + 120ms), 0.0);
    write_stat(stat, 1200, 5090, 10);  // waiting for I/O is idle time too
    EXPECT_DOUBLE_EQ(*cpus.idle(t0 + 180ms), 4.0);
    EXPECT_DOUBLE_EQ(*cpus.idle(t0 + 240ms), 4.0) << "no tick counted: the last answer";
}

TEST(IdleCpus, AnUnreadableOrStrangeFileIsUnknown) {
    wgrun::test::TempDir dir;
    IdleCpus missing(dir.file("none"), 2, 1ms);
    const auto t0 = IdleCpus::Clock::now();
    EXPECT_FALSE(missing.idle(t0));
    EXPECT_FALSE(missing.idle(t0 + 5ms));
    const std::string strange = dir.file("strange");
    std::ofstream(strange) << "intr 1 2 3\n";
    IdleCpus cpus(strange, 2, 1ms);
    EXPECT_FALSE(cpus.idle(t0));
    EXPECT_FALSE(cpus.idle(t0 + 5ms));
}

TEST(IdleCpus, ReadsTheRealProcStat) {
    IdleCpus cpus;
    const auto t0 = IdleCpus::Clock::now();
    cpus.idle(t0);
    const auto idle = cpus.idle(t0 + 100ms);  // after real time has passed, too
    if (idle) {
        EXPECT_GE(*idle, 0.0);
        EXPECT_LE(*idle, 4096.0);
    }
}

}  // namespace
