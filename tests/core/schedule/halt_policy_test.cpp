// halt_policy_test.cpp: the --halt grammar, and when a HaltTracker triggers
// and with which exit status, checked against GNU parallel 20221122's
// should_we_halt() and halt().
#include "schedule/halt_policy.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace {

using wgrun::ExitStatus;
using wgrun::HaltPolicy;
using wgrun::HaltTracker;
using wgrun::parse_halt;
using When = HaltPolicy::When;
using Why = HaltPolicy::Why;

const ExitStatus kOk{ExitStatus::Kind::Exited, 0};
const ExitStatus kExit3{ExitStatus::Kind::Exited, 3};
const ExitStatus kExit5{ExitStatus::Kind::Exited, 5};
const ExitStatus kKilled{ExitStatus::Kind::Signaled, SIGKILL};

// Records a successful job; true when it triggered.
bool succeed(HaltTracker& tracker) { return tracker.record(kOk, false); }
bool fail(HaltTracker& tracker, const ExitStatus& status = kExit3) {
    return tracker.record(status, true);
}

std::string error_of(const std::string& text) {
    try {
        parse_halt(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

void expect_policy(const std::string& text, When when, Why why, std::uint64_t count,
                   unsigned percent, bool is_percent) {
    const HaltPolicy policy = parse_halt(text);
    EXPECT_EQ(policy.when, when) << text;
    if (when == When::Never) return;
    EXPECT_EQ(policy.why, why) << text;
    EXPECT_EQ(policy.is_percent, is_percent) << text;
    if (is_percent) {
        EXPECT_EQ(policy.percent, percent) << text;
    } else {
        EXPECT_EQ(policy.count, count) << text;
    }
}

TEST(HaltParse, LongForms) {
    expect_policy("never", When::Never, Why::Fail, 0, 0, false);
    expect_policy("soon,fail=1", When::Soon, Why::Fail, 1, 0, false);
    expect_policy("now,fail=3", When::Now, Why::Fail, 3, 0, false);
    expect_policy("soon,success=2", When::Soon, Why::Success, 2, 0, false);
    expect_policy("now,done=10", When::Now, Why::Done, 10, 0, false);
    expect_policy("soon,fail=007", When::Soon, Why::Fail, 7, 0, false);
    expect_policy("now,fail=18446744073709551", When::Now, Why::Fail, 18446744073709551u, 0,
                  false);
}

TEST(HaltParse, Percentages) {
    expect_policy("soon,fail=20%", When::Soon, Why::Fail, 0, 20, true);
    expect_policy("now,success=1%", When::Now, Why::Success, 0, 1, true);
    expect_policy("now,done=100%", When::Now, Why::Done, 0, 100, true);
}

TEST(HaltParse, GnuShortForms) {
    expect_policy("0", When::Never, Why::Fail, 0, 0, false);
    expect_policy("1", When::Soon, Why::Fail, 1, 0, false);
    expect_policy("2", When::Now, Why::Fail, 1, 0, false);
    expect_policy("-1", When::Soon, Why::Success, 1, 0, false);
    expect_policy("-2", When::Now, Why::Success, 1, 0, false);
    expect_policy("5%", When::Soon, Why::Fail, 0, 5, true);
    expect_policy("100%", When::Soon, Why::Fail, 0, 100, true);
}

TEST(HaltParse, ErrorsNameTheTextAndTheGrammar) {
    EXPECT_EQ(error_of("soon,fail"),
              "invalid --halt 'soon,fail': expected never, or now|soon,fail|success|done=N or "
              "=N%");
    EXPECT_EQ(error_of("soon,fail=0"),
              "invalid --halt 'soon,fail=0': N must be 1 or more (expected never, or "
              "now|soon,fail|success|done=N or =N%)");
    EXPECT_EQ(error_of("101%"),
              "invalid --halt '101%': N% must be 1% to 100% (expected never, or "
              "now|soon,fail|success|done=N or =N%)");
}

TEST(HaltParse, RejectsAnythingElse) {
    for (const char* bad :
         {"", "3", "-3", "-0", "01", "never,fail=1", "never,", "soon", "now", "later,fail=1",
          "soon,fail", "soon,fail=", "soon,fail=0", "soon,fail=0%", "soon,fail=101%",
          "soon,fail=%", "soon,fail=1%%", "soon,fail=-1", "soon,fail=+1", "soon,fail=1.5",
          "soon,fail=1.5%", "soon,fail=1,2", "soon,fail=1,x", "soon,failed=1", "soon,fail=1=2",
          "soon=fail,1", "Soon,fail=1", "soon,Fail=1", "soon,fail= 1", " soon,fail=1",
          "soon,fail=99999999999999999999999", "0%", "101%", "%", "5%%", "-5%", "soon,5%",
          "now,done", "soon,,fail=1"}) {
        EXPECT_THROW(parse_halt(bad), std::invalid_argument) << "'" << bad << "'";
    }
}

TEST(HaltTracker, NeverTriggers) {
    HaltTracker tracker(parse_halt("never"));
    for (int i = 0; i < 200; ++i) EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(tracker.set_total(200));
    EXPECT_FALSE(tracker.triggered());
    EXPECT_FALSE(tracker.exit_status());
    EXPECT_EQ(tracker.when(), When::Never);
    EXPECT_EQ(tracker.final_status(200, 200), 101);
}

TEST(HaltTracker, FailCountTriggersOnTheNthFailure) {
    HaltTracker tracker(parse_halt("soon,fail=3"));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(tracker.exit_status());
    EXPECT_TRUE(fail(tracker));
    EXPECT_TRUE(tracker.triggered());
    EXPECT_EQ(tracker.when(), When::Soon);
    EXPECT_EQ(tracker.exit_status(), 3);  // the failures so far
}

TEST(HaltTracker, TriggersOnlyOnceButKeepsCounting) {
    HaltTracker tracker(parse_halt("now,fail=2"));
    EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(fail(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(tracker.set_total(10));
    EXPECT_TRUE(tracker.triggered());
    // As in GNU, the status is fixed when the policy triggers.
    EXPECT_EQ(tracker.exit_status(), 2);
}

TEST(HaltTracker, FailCountStatusIsAtMost101) {
    HaltTracker tracker(parse_halt("soon,fail=150"));
    for (int i = 0; i < 149; ++i) EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(fail(tracker));
    EXPECT_EQ(tracker.exit_status(), 101);
}

TEST(HaltTracker, FailOneGivesTheFailedJobsShellCode) {
    HaltTracker exited(parse_halt("2"));
    EXPECT_FALSE(succeed(exited));
    EXPECT_TRUE(fail(exited, kExit5));
    EXPECT_EQ(exited.exit_status(), 5);

    HaltTracker signaled(parse_halt("soon,fail=1"));
    EXPECT_TRUE(fail(signaled, kKilled));
    EXPECT_EQ(signaled.exit_status(), 128 + SIGKILL);

    HaltTracker not_started(parse_halt("soon,fail=1"));
    EXPECT_TRUE(fail(not_started, ExitStatus::not_started(ENOENT)));
    EXPECT_EQ(not_started.exit_status(), 127);
}

TEST(HaltTracker, FailedFlagDecidesNotTheStatus) {
    // A job that timed out may have exited 0 after its signal; the caller's
    // flag is what counts.
    HaltTracker tracker(parse_halt("soon,fail=2"));
    EXPECT_FALSE(tracker.record(kOk, true));
    EXPECT_TRUE(tracker.record(kOk, true));
    EXPECT_EQ(tracker.exit_status(), 2);
}

TEST(HaltTracker, SuccessCountsSucceededJobsAndGivesZero) {
    HaltTracker tracker(parse_halt("soon,success=2"));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(succeed(tracker));
    EXPECT_EQ(tracker.exit_status(), 0);
}

TEST(HaltTracker, SuccessOneGivesZero) {
    HaltTracker tracker(parse_halt("-2"));
    EXPECT_FALSE(fail(tracker, kExit5));
    EXPECT_TRUE(succeed(tracker));
    EXPECT_EQ(tracker.when(), When::Now);
    EXPECT_EQ(tracker.exit_status(), 0);
}

TEST(HaltTracker, DoneCountsEveryJobAndGivesTheFailures) {
    HaltTracker tracker(parse_halt("soon,done=3"));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_TRUE(fail(tracker));
    EXPECT_EQ(tracker.exit_status(), 2);
}

TEST(HaltTracker, DoneOneGivesTheFinishedJobsShellCode) {
    HaltTracker ok(parse_halt("soon,done=1"));
    EXPECT_TRUE(succeed(ok));
    EXPECT_EQ(ok.exit_status(), 0);

    HaltTracker failed(parse_halt("now,done=1"));
    EXPECT_TRUE(fail(failed, kKilled));
    EXPECT_EQ(failed.exit_status(), 128 + SIGKILL);
}

TEST(HaltTracker, PercentWaitsForTheTotal) {
    HaltTracker tracker(parse_halt("soon,fail=10%"));
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(tracker.triggered());
    EXPECT_EQ(tracker.final_status(5, 5), 100);
}

TEST(HaltTracker, SetTotalTriggersWhenTheCountsAlreadyReachThePercent) {
    HaltTracker tracker(parse_halt("soon,fail=10%"));
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(fail(tracker));
    for (int i = 0; i < 20; ++i) EXPECT_FALSE(succeed(tracker));
    EXPECT_TRUE(tracker.set_total(40));  // 5 of 40 >= 10%
    EXPECT_EQ(tracker.exit_status(), 13);  // ceil(100 * 5 / 40)
    EXPECT_FALSE(fail(tracker));
}

TEST(HaltTracker, SetTotalBelowThePercentLetsRecordTrigger) {
    HaltTracker tracker(parse_halt("now,fail=10%"));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(tracker.set_total(30));  // 1 of 30 < 10%
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(fail(tracker));  // 3 of 30 = 10%
    EXPECT_EQ(tracker.exit_status(), 10);
}

TEST(HaltTracker, PercentThresholdIsExact) {
    // GNU computes 100 * 0.07 = 7.000000000000001 and waits for an 8th
    // failure; the integer comparison stops at the 7th.
    HaltTracker tracker(parse_halt("soon,fail=7%"));
    EXPECT_FALSE(tracker.set_total(100));
    for (int i = 0; i < 6; ++i) EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(fail(tracker));
    EXPECT_EQ(tracker.exit_status(), 7);
}

TEST(HaltTracker, PercentStatusRoundsUp) {
    HaltTracker tracker(parse_halt("soon,fail=30%"));
    EXPECT_FALSE(tracker.set_total(7));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(fail(tracker));  // 2 of 7 is 28.6%
    EXPECT_TRUE(fail(tracker));   // 3 of 7 is 42.9%
    EXPECT_EQ(tracker.exit_status(), 43);
}

TEST(HaltTracker, PercentOfOneJobTakesTheCountOfOneRule) {
    // GNU: seq 2 | parallel --halt soon,fail=50% 'exit 3' exits 3, not 50.
    HaltTracker fail_half(parse_halt("soon,fail=50%"));
    EXPECT_FALSE(fail_half.set_total(2));
    EXPECT_TRUE(fail(fail_half, kExit3));
    EXPECT_EQ(fail_half.exit_status(), 3);

    // seq 2 | parallel --halt soon,done=50% true exits 0.
    HaltTracker done_half(parse_halt("soon,done=50%"));
    EXPECT_FALSE(done_half.set_total(2));
    EXPECT_TRUE(succeed(done_half));
    EXPECT_EQ(done_half.exit_status(), 0);

    // seq 4 | parallel --halt soon,fail=50% 'exit 3' exits 50.
    HaltTracker fail_two(parse_halt("soon,fail=50%"));
    EXPECT_FALSE(fail_two.set_total(4));
    EXPECT_FALSE(fail(fail_two, kExit3));
    EXPECT_TRUE(fail(fail_two, kExit3));
    EXPECT_EQ(fail_two.exit_status(), 50);
}

TEST(HaltTracker, LateTotalOfOneJobThresholdUsesTheFirstCountedJob) {
    HaltTracker tracker(parse_halt("soon,fail=1%"));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker, kExit5));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker, kKilled));
    EXPECT_TRUE(tracker.set_total(100));
    EXPECT_EQ(tracker.exit_status(), 5);
}

TEST(HaltTracker, SuccessPercent) {
    HaltTracker tracker(parse_halt("now,success=50%"));
    EXPECT_FALSE(tracker.set_total(6));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(succeed(tracker));
    EXPECT_EQ(tracker.exit_status(), 0);
}

TEST(HaltTracker, DonePercentGivesThePercentFailed) {
    HaltTracker tracker(parse_halt("soon,done=50%"));
    EXPECT_FALSE(tracker.set_total(8));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_FALSE(succeed(tracker));
    EXPECT_TRUE(fail(tracker));
    EXPECT_EQ(tracker.exit_status(), 25);  // 2 of 8 failed
}

TEST(HaltTracker, HundredPercentNeedsEveryJob) {
    HaltTracker tracker(parse_halt("soon,fail=100%"));
    EXPECT_FALSE(tracker.set_total(3));
    EXPECT_FALSE(fail(tracker));
    EXPECT_FALSE(fail(tracker));
    EXPECT_TRUE(fail(tracker));
    EXPECT_EQ(tracker.exit_status(), 100);
}

TEST(HaltTracker, ZeroJobsNeverTrigger) {
    HaltTracker tracker(parse_halt("soon,fail=10%"));
    EXPECT_FALSE(tracker.set_total(0));
    EXPECT_FALSE(tracker.triggered());
    EXPECT_EQ(tracker.final_status(0, 0), 0);
}

TEST(HaltTracker, FinalStatusCountsFailures) {
    HaltTracker tracker(parse_halt("soon,fail=1000"));
    EXPECT_EQ(tracker.final_status(0, 10), 0);
    EXPECT_EQ(tracker.final_status(3, 10), 3);
    EXPECT_EQ(tracker.final_status(100, 500), 100);
    EXPECT_EQ(tracker.final_status(101, 500), 101);
    EXPECT_EQ(tracker.final_status(999, 5000), 101);
}

TEST(HaltTracker, FinalStatusWithAPercentIsThePercentFailed) {
    HaltTracker tracker(parse_halt("soon,fail=90%"));
    EXPECT_EQ(tracker.final_status(0, 10), 0);
    EXPECT_EQ(tracker.final_status(1, 3), 34);
    EXPECT_EQ(tracker.final_status(2, 3), 67);
    EXPECT_EQ(tracker.final_status(1, 1000), 1);
    EXPECT_EQ(tracker.final_status(0, 0), 0);
    // GNU's halt(): any percent policy, success too.
    EXPECT_EQ(HaltTracker(parse_halt("soon,success=90%")).final_status(1, 4), 25);
}

}  // namespace
