// rfc3339_test.cpp: UTC timestamps with milliseconds (rounded down, before
// the epoch too), and durations in seconds rounded to the millisecond.
#include "base/rfc3339.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace {

using namespace std::chrono;
using wgrun::rfc3339_utc_ms;
using wgrun::seconds_ms;

system_clock::time_point at(int y, unsigned m, unsigned d, hours h, minutes mi, seconds s,
                            nanoseconds extra = {}) {
    return system_clock::time_point(sys_days(year(y) / month(m) / day(d)) + h + mi + s) +
           duration_cast<system_clock::duration>(extra);
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
    EXPECT_EQ(rfc3339_utc_ms(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(rfc3339_utc_ms(at(2026, 11, 28, 11h, 10min, 57s, 123ms)),
              "2026-11-28T11:10:57.123Z");
    EXPECT_EQ(rfc3339_utc_ms(at(2000, 2, 29, 23h, 59min, 59s, 5ms)), "2000-02-29T23:59:59.005Z");
}

TEST(Rfc3339, RoundsDown) {
    EXPECT_EQ(rfc3339_utc_ms(at(2026, 1, 2, 3h, 4min, 5s, 999999us)), "2026-01-02T03:04:05.999Z");
    EXPECT_EQ(rfc3339_utc_ms(system_clock::time_point{} - 1us), "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, SecondsRoundToTheNearestMillisecond) {
    EXPECT_DOUBLE_EQ(seconds_ms(0ns), 0.0);
    EXPECT_DOUBLE_EQ(seconds_ms(123456us), 0.123);
    EXPECT_DOUBLE_EQ(seconds_ms(123500us), 0.124);
    EXPECT_DOUBLE_EQ(seconds_ms(90s), 90.0);
}

}  // namespace
