// progress_text_test.cpp: the words of --bar and --eta for given counts,
// widths and times: the total unknown (no ETA), the ETA from the pace so
// far, the width limit (never wraps), and the bar's fill.
#include "results/progress_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using namespace std::chrono_literals;
using wgrun::format_clock;
using wgrun::progress_bar;
using wgrun::progress_line;
using wgrun::ProgressFacts;
using wgrun::time_left;

ProgressFacts facts(std::uint64_t done, std::optional<std::uint64_t> total,
                    std::chrono::steady_clock::duration elapsed, std::uint64_t failed = 0,
                    std::uint64_t running = 0) {
    ProgressFacts f;
    f.done = done;
    f.total = total;
    f.elapsed = elapsed;
    f.failed = failed;
    f.running = running;
    return f;
}

TEST(ProgressText, ClockIsMinutesSecondsThenHours) {
    EXPECT_EQ(format_clock(0s), "0:00");
    EXPECT_EQ(format_clock(5s), "0:05");
    EXPECT_EQ(format_clock(5999ms), "0:05");  // rounded down
    EXPECT_EQ(format_clock(754s), "12:34");
    EXPECT_EQ(format_clock(3723s), "1:02:03");
    EXPECT_EQ(format_clock(100h), "100:00:00");
    EXPECT_EQ(format_clock(-3s), "0:00");
}

TEST(ProgressText, TimeLeftIsThePaceSoFarTimesTheJobsLeft) {
    // 3 jobs in 6 s: 2 s a job, 7 left: 14 s.
    EXPECT_EQ(time_left(facts(3, 10, 6s)), 14s);
    // Rounded up: 1 job in 1.5 s, 1 left.
    EXPECT_EQ(time_left(facts(1, 2, 1500ms)), 2s);
}

TEST(ProgressText, NoTimeLeftWithoutATotalAPaceOrJobsLeft) {
    EXPECT_EQ(time_left(facts(3, std::nullopt, 6s)), std::nullopt);  // input still streams
    EXPECT_EQ(time_left(facts(0, 10, 6s)), std::nullopt);            // no pace yet
    EXPECT_EQ(time_left(facts(10, 10, 6s)), std::nullopt);           // all done
    ProgressFacts over = facts(3, 10, 6s);
    over.over = true;
    EXPECT_EQ(time_left(over), std::nullopt);  // the final line has none
}

TEST(ProgressText, LineWithTotalHasEta) {
    EXPECT_EQ(progress_line(facts(3, 10, 6s, 1, 2), 200),
              "3/10 done, 1 failed, 2 running, 0:06 elapsed, ETA 0:14");
}

TEST(ProgressText, LineWithoutTotalHasTheCountSoFarAndNoEta) {
    EXPECT_EQ(progress_line(facts(3, std::nullopt, 6s, 0, 2), 200),
              "3/? done, 0 failed, 2 running, 0:06 elapsed");
}

TEST(ProgressText, LineIsCutBelowTheWidth) {
    const std::string line = progress_line(facts(3, 10, 6s, 1, 2), 20);
    EXPECT_EQ(line, "3/10 done, 1 failed");
    EXPECT_EQ(line.size(), 19u);
    EXPECT_EQ(progress_line(facts(3, 10, 6s), 1), "");
    EXPECT_EQ(progress_line(facts(3, 10, 6s), 0), "");
}

TEST(ProgressText, BarFillsInProportion) {
    // 80 columns: the facts take 41, "[] " 3, the bar the 35 left of 79.
    EXPECT_EQ(progress_bar(facts(3, 10, 6s, 1, 2), 80),
              "[##########.........................] 3/10 30% 1 failed 2 running 0:06 "
              "ETA 0:14");
    // Wider: the bar stops at 40.
    EXPECT_EQ(progress_bar(facts(10, 10, 6s), 80),
              "[########################################] 10/10 100% 0 failed 0 running 0:06");
    EXPECT_EQ(progress_bar(facts(0, 0, 0s), 80).substr(0, 3), "[##");  // nothing to do: full
}

TEST(ProgressText, BarWithoutTotalIsEmptyWithTheCountSoFar) {
    const std::string bar = progress_bar(facts(3, std::nullopt, 6s, 0, 2), 80);
    EXPECT_EQ(bar, "[" + std::string(40, '.') + "] 3/? 0 failed 2 running 0:06");
    EXPECT_EQ(bar.find("ETA"), std::string::npos);
}

TEST(ProgressText, BarShrinksWithTheWidthAndNeverWraps) {
    for (std::size_t width = 0; width <= 100; ++width) {
        const std::string bar = progress_bar(facts(3, 10, 6s, 1, 2), width);
        EXPECT_LE(bar.size(), width == 0 ? 0 : width - 1) << "width " << width;
    }
    // Room for a bar of 10 and the facts: the bar is 10.
    const std::string facts_text = "3/10 30% 1 failed 2 running 0:06 ETA 0:14";
    const std::string narrow = progress_bar(facts(3, 10, 6s, 1, 2), facts_text.size() + 14);
    EXPECT_EQ(narrow, "[###.......] " + facts_text);
    // No room for a bar: the facts alone, cut.
    EXPECT_EQ(progress_bar(facts(3, 10, 6s, 1, 2), 20), facts_text.substr(0, 19));
}

TEST(ProgressText, OverflowingCountsStayInTheBar) {
    // More done than the total (never expected): a full bar, 100%.
    const std::string bar = progress_bar(facts(12, 10, 6s), 80);
    EXPECT_NE(bar.find("[########################################] 12/10 100%"),
              std::string::npos)
        << bar;
}

}  // namespace
