// cpu_load_test.cpp: CpuLoad reads /proc/stat's format and tells a saturated
// window from an idle one.
#include "cpu_load.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "output_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using wgrun::CpuLoad;

void write_stat(const std::string& path, unsigned long user, unsigned long idle,
                unsigned long iowait = 0) {
    std::ofstream(path) << "cpu  " << user << " 0 " << user / 10 << " " << idle << " " << iowait
                        << " 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n";
}

TEST(CpuLoad, BusyWindowIsSaturatedAndIdleOneIsNot) {
    wgrun::test::TempDir dir;
    const std::string stat = dir.file("stat");
    CpuLoad load(stat, 50ms);
    const auto t0 = CpuLoad::Clock::now();
    write_stat(stat, 1000, 5000);
    EXPECT_FALSE(load.saturated(t0)) << "one sample tells nothing";
    write_stat(stat, 1100, 5002);  // 110 busy ticks, 2 idle
    EXPECT_FALSE(load.saturated(t0 + 10ms)) << "sampled at most once a window";
    EXPECT_TRUE(load.saturated(t0 + 60ms));
    write_stat(stat, 1150, 5052);  // 55 busy, 50 idle
    EXPECT_TRUE(load.saturated(t0 + 80ms)) << "the last answer within a window";
    EXPECT_FALSE(load.saturated(t0 + 120ms));
    write_stat(stat, 1250, 5052, 60);  // waiting for I/O is idle time too
    EXPECT_FALSE(load.saturated(t0 + 180ms));
}

TEST(CpuLoad, AnUnreadableOrStrangeFileIsNeverSaturated) {
    wgrun::test::TempDir dir;
    CpuLoad missing(dir.file("none"), 1ms);
    const auto t0 = CpuLoad::Clock::now();
    EXPECT_FALSE(missing.saturated(t0));
    EXPECT_FALSE(missing.saturated(t0 + 5ms));
    const std::string strange = dir.file("strange");
    std::ofstream(strange) << "intr 1 2 3\n";
    CpuLoad load(strange, 1ms);
    EXPECT_FALSE(load.saturated(t0));
    EXPECT_FALSE(load.saturated(t0 + 5ms));
}

TEST(CpuLoad, ReadsTheRealProcStat) {
    CpuLoad load;
    const auto t0 = CpuLoad::Clock::now();
    load.saturated(t0);
    load.saturated(t0 + 100ms);  // either answer; it must not crash or throw
    SUCCEED();
}

}  // namespace
