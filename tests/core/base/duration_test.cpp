// duration_test.cpp: the --delay/--timeout duration grammar, its rounding and
// limits, and durations formatted for messages.
#include "base/duration.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace {

using namespace std::chrono_literals;
using wgrun::Duration;
using wgrun::format_duration;
using wgrun::parse_duration;

// The message parse_duration throws for `text`, or "" when it does not throw.
std::string error_of(const std::string& text) {
    try {
        parse_duration(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(DurationParse, PlainNumberIsSeconds) {
    EXPECT_EQ(parse_duration("0"), 0s);
    EXPECT_EQ(parse_duration("2"), 2s);
    EXPECT_EQ(parse_duration("0.5"), 500ms);
    EXPECT_EQ(parse_duration(".5"), 500ms);
    EXPECT_EQ(parse_duration("2."), 2s);
    EXPECT_EQ(parse_duration("2.5"), 2500ms);
    EXPECT_EQ(parse_duration("007"), 7s);
}

TEST(DurationParse, SingleUnits) {
    EXPECT_EQ(parse_duration("500ms"), 500ms);
    EXPECT_EQ(parse_duration("2s"), 2s);
    EXPECT_EQ(parse_duration("3m"), 3min);
    EXPECT_EQ(parse_duration("1h"), 1h);
    EXPECT_EQ(parse_duration("0s"), 0s);
    EXPECT_EQ(parse_duration("0ms"), 0s);
}

TEST(DurationParse, FractionsOfAnyUnit) {
    EXPECT_EQ(parse_duration("1.5m"), 90s);
    EXPECT_EQ(parse_duration("0.25h"), 15min);
    EXPECT_EQ(parse_duration("1.5ms"), 1500us);
    EXPECT_EQ(parse_duration(".5s"), 500ms);
}

TEST(DurationParse, SeveralPartsLargestFirst) {
    EXPECT_EQ(parse_duration("1m30s"), 90s);
    EXPECT_EQ(parse_duration("1h2m3.5s"), 1h + 2min + 3500ms);
    EXPECT_EQ(parse_duration("1m0.5s"), 60500ms);
    EXPECT_EQ(parse_duration("1h0m5s"), 1h + 5s);
    EXPECT_EQ(parse_duration("1h5s"), 1h + 5s);
    EXPECT_EQ(parse_duration("2s250ms"), 2250ms);
    EXPECT_EQ(parse_duration("1h1m1s1ms"), 1h + 1min + 1s + 1ms);
    EXPECT_EQ(parse_duration("1h90m"), 150min);  // a part may exceed the next unit
}

TEST(DurationParse, DecimalFractionsAreExact) {
    // 0.1 is not exact as a double; the parse must still give 100ms to the
    // nanosecond.
    EXPECT_EQ(parse_duration("0.1"), 100ms);
    EXPECT_EQ(parse_duration("0.3s"), 300ms);
    EXPECT_EQ(parse_duration("0.7m"), 42s);
    EXPECT_EQ(parse_duration("0.001h"), 3600ms);
    EXPECT_EQ(parse_duration("0.000000001"), 1ns);
}

TEST(DurationParse, RoundsToTheNearestNanosecond) {
    EXPECT_EQ(parse_duration("0.0000000004"), 0ns);
    EXPECT_EQ(parse_duration("0.0000000005"), 1ns);  // half up
    EXPECT_EQ(parse_duration("0.0000000014999"), 1ns);
    EXPECT_EQ(parse_duration("0.0000015ms"), 2ns);
    // 1e-12 h is 3.6ns.
    EXPECT_EQ(parse_duration("0.000000000001h"), 4ns);
    EXPECT_EQ(parse_duration("1.00000000000000000000000000001"), 1s);
}

TEST(DurationParse, UpToOneHundredDays) {
    EXPECT_EQ(parse_duration("2400h"), 2400h);
    EXPECT_EQ(parse_duration("8640000"), 8640000s);
    EXPECT_EQ(parse_duration("2399h59m59.999999999s"), 2400h - 1ns);
}

TEST(DurationParse, RefusesMoreThanOneHundredDays) {
    EXPECT_EQ(error_of("2401h"), "invalid duration '2401h': more than 100 days");
    EXPECT_EQ(error_of("8640000.000000001"),
              "invalid duration '8640000.000000001': more than 100 days");
    EXPECT_EQ(error_of("2400h1ms"), "invalid duration '2400h1ms': more than 100 days");
    EXPECT_EQ(error_of("99999999999999999999999999h"),
              "invalid duration '99999999999999999999999999h': more than 100 days");
    EXPECT_EQ(error_of("5124096h"), "invalid duration '5124096h': more than 100 days");
    EXPECT_EQ(error_of("2399h60m1s"),
              "invalid duration '2399h60m1s': more than 100 days");
}

TEST(DurationParse, ErrorsNameTheTextAndTheProblem) {
    EXPECT_EQ(error_of(""), "invalid duration '': empty");
    EXPECT_EQ(error_of("5x"), "invalid duration '5x': unknown unit 'x' (use ms, s, m or h)");
    EXPECT_EQ(error_of("2sec"), "invalid duration '2sec': unknown unit 'sec' (use ms, s, m or h)");
    EXPECT_EQ(error_of("-1"), "invalid duration '-1': a duration has no sign");
    EXPECT_EQ(error_of(" 2s"), "invalid duration ' 2s': spaces are not allowed");
    EXPECT_EQ(error_of("1e3"), "invalid duration '1e3': exponents are not allowed");
    EXPECT_EQ(error_of("ms"), "invalid duration 'ms': no number before 'ms'");
    EXPECT_EQ(error_of("1.5.2"), "invalid duration '1.5.2': '1.5.2' is not a number");
    EXPECT_EQ(error_of("1m30"), "invalid duration '1m30': no unit after '30' (use ms, s, m or h)");
    EXPECT_EQ(error_of("2s30m"),
              "invalid duration '2s30m': units must go from largest to smallest, each at most "
              "once ('m' comes too late)");
}

TEST(DurationParse, RejectsMalformedText) {
    for (const char* bad :
         {"", "-1", "+1", "1e3", "1E3", "1e", " 2s", "2s ", "2 s", "1m 30s", "2s30m", "2s2s",
          "1m1h", "500ms1s", "1.5.2", "ms", "s", "h", ".", "..", ".s", "1m.", "5x", "2sec",
          "2S", "1H", "1m30", "1h2", "1d", "5µs", "1_000", "0x10", "inf", "nan", "1,5",
          "2s-", "1:30", "\t1"}) {
        EXPECT_THROW(parse_duration(bad), std::invalid_argument) << "'" << bad << "'";
    }
}

TEST(DurationFormat, ZeroAndMilliseconds) {
    EXPECT_EQ(format_duration(0s), "0s");
    EXPECT_EQ(format_duration(250ms), "250ms");
    EXPECT_EQ(format_duration(1ms), "1ms");
    EXPECT_EQ(format_duration(999ms), "999ms");
}

TEST(DurationFormat, SecondsMinutesHours) {
    EXPECT_EQ(format_duration(2s), "2s");
    EXPECT_EQ(format_duration(2500ms), "2.5s");
    EXPECT_EQ(format_duration(1250ms), "1.25s");
    EXPECT_EQ(format_duration(1001ms), "1.001s");
    EXPECT_EQ(format_duration(90s), "1m30s");
    EXPECT_EQ(format_duration(60s), "1m");
    EXPECT_EQ(format_duration(60500ms), "1m0.5s");
    EXPECT_EQ(format_duration(1h), "1h");
    EXPECT_EQ(format_duration(1h + 30min), "1h30m");
    EXPECT_EQ(format_duration(1h + 5s), "1h0m5s");
    EXPECT_EQ(format_duration(1h + 250ms), "1h0m0.25s");
    EXPECT_EQ(format_duration(2400h), "2400h");
}

TEST(DurationFormat, RoundsToTheNearestMillisecond) {
    EXPECT_EQ(format_duration(499us), "0s");
    EXPECT_EQ(format_duration(500us), "1ms");
    EXPECT_EQ(format_duration(1500us), "2ms");
    EXPECT_EQ(format_duration(999500us), "1s");
    EXPECT_EQ(format_duration(59999600us), "1m");
    EXPECT_EQ(format_duration(1ns), "0s");
}

TEST(DurationFormat, NegativeDurationsHaveASign) {
    EXPECT_EQ(format_duration(-250ms), "-250ms");
    EXPECT_EQ(format_duration(-90s), "-1m30s");
    EXPECT_EQ(format_duration(Duration::min()).substr(0, 1), "-");
}

TEST(DurationFormat, ParsesBackToTheSameDuration) {
    for (const Duration d : std::initializer_list<Duration>{
             0s, 1ms, 250ms, 999ms, 1s, 1001ms, 2500ms, 59999ms, 60s, 61s, 90s, 3599999ms, 1h,
             1h + 5s, 1h + 1ms, 25h + 59min + 59999ms, 2400h}) {
        EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
    }
    for (std::int64_t ms = 0; ms < 8'640'000'000; ms = ms * 3 + 7) {
        const Duration d = std::chrono::milliseconds(ms);
        EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
    }
}

}  // namespace
