// run_status_test.cpp: wgrun's exit status from the run's facts, as wgrun(1)'s
// EXIT STATUS documents it (GNU parallel's rules, and the signals wgrun
// dies of), one case per rule and per precedence between them.
#include "results/run_status.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>

namespace {

using wgrun::decide_run_status;
using wgrun::HaltPolicy;
using wgrun::kOwnErrorStatus;
using wgrun::parse_halt;
using wgrun::RunFacts;
using wgrun::RunStatus;
using wgrun::status_after_finish;

RunFacts failed(std::uint64_t failed, std::uint64_t started) {
    RunFacts facts;
    facts.failed = failed;
    facts.started = started;
    return facts;
}

int status_of(const RunFacts& facts) {
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, 0);
    return decided.status;
}

TEST(RunStatus, EveryJobSucceeded) {
    const RunStatus decided = decide_run_status(failed(0, 5));
    EXPECT_EQ(decided.status, 0);
    EXPECT_EQ(decided.die_signal, 0);
    EXPECT_EQ(decided.stopped_by, 0);
    EXPECT_FALSE(decided.say_hangup_cut);
}

TEST(RunStatus, NoJobAtAll) {
    EXPECT_EQ(status_of(failed(0, 0)), 0);
}

TEST(RunStatus, TheFailuresCountUpTo100) {
    EXPECT_EQ(status_of(failed(1, 5)), 1);
    EXPECT_EQ(status_of(failed(7, 7)), 7);
    EXPECT_EQ(status_of(failed(100, 200)), 100);
}

TEST(RunStatus, MoreThan100FailuresAre101NotAWrappedCount) {
    EXPECT_EQ(status_of(failed(101, 200)), 101);
    EXPECT_EQ(status_of(failed(256, 300)), 101);
    EXPECT_EQ(status_of(failed(1000, 1000)), 101);
}

TEST(RunStatus, AHaltThatTriggeredGivesItsStatus) {
    RunFacts facts = failed(3, 10);
    facts.halt = parse_halt("now,fail=1");
    facts.halt_status = 137;  // the job that triggered it was SIGKILLed
    EXPECT_EQ(status_of(facts), 137);
    facts.halt_status = 0;  // success=1, or done=1 by a job that succeeded
    EXPECT_EQ(status_of(facts), 0);
}

TEST(RunStatus, AHaltCountThatNeverTriggeredGivesTheFailures) {
    RunFacts facts = failed(2, 10);
    facts.halt = parse_halt("soon,fail=5");
    EXPECT_EQ(status_of(facts), 2);
}

TEST(RunStatus, AHaltPercentThatNeverTriggeredGivesThePercentOfTheStartedJobs) {
    RunFacts facts = failed(1, 3);
    facts.halt = parse_halt("soon,fail=50%");
    EXPECT_EQ(status_of(facts), 34);  // 33.3%, rounded up
    facts.failed = 0;
    EXPECT_EQ(status_of(facts), 0);
}

TEST(RunStatus, HaltNeverWithAPercentIsNoPercentRule) {
    RunFacts facts = failed(1, 3);
    facts.halt = parse_halt("never");
    EXPECT_EQ(status_of(facts), 1);
}

TEST(RunStatus, OwnErrorIs255AndWinsOverFailuresAndHalt) {
    RunFacts facts = failed(3, 5);
    facts.own_error = true;
    EXPECT_EQ(status_of(facts), kOwnErrorStatus);
    EXPECT_EQ(kOwnErrorStatus, 255);
    facts.halt_status = 3;
    EXPECT_EQ(status_of(facts), 255);
}

TEST(RunStatus, InterruptedDiesOfTheSignal) {
    for (const int signal : {SIGINT, SIGTERM}) {
        RunFacts facts = failed(2, 5);
        facts.interrupted_by = signal;
        facts.own_error = true;      // loses to the signal
        facts.halt_status = 4;       // so does a halt
        facts.stdout_closed = true;  // and a closed stdout
        const RunStatus decided = decide_run_status(facts);
        EXPECT_EQ(decided.die_signal, signal);
        EXPECT_EQ(decided.status, 128 + signal);
        EXPECT_EQ(decided.stopped_by, signal);
    }
}

TEST(RunStatus, ASignalTheLoopDidNotSeeStillCounts) {
    RunFacts facts = failed(0, 5);
    facts.late_signal = SIGINT;
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, SIGINT);
    EXPECT_EQ(decided.status, 130);
    EXPECT_EQ(decided.stopped_by, SIGINT);
}

TEST(RunStatus, TheLoopsSignalWinsOverALateOne) {
    RunFacts facts = failed(0, 5);
    facts.interrupted_by = SIGTERM;
    facts.late_signal = SIGINT;
    EXPECT_EQ(decide_run_status(facts).die_signal, SIGTERM);
}

TEST(RunStatus, AClosedStdoutDiesOfSigpipe) {
    RunFacts facts = failed(1, 5);
    facts.stdout_closed = true;
    facts.own_error = true;
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, SIGPIPE);
    EXPECT_EQ(decided.status, 141);
    EXPECT_EQ(decided.stopped_by, 0);  // no signal came
}

TEST(RunStatus, AHangupThatLeftJobsUnstartedDiesOfSighup) {
    RunFacts facts = failed(0, 5);
    facts.drained_by = SIGHUP;
    facts.left_unstarted = true;
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, SIGHUP);
    EXPECT_EQ(decided.status, 129);
    EXPECT_EQ(decided.stopped_by, SIGHUP);
    EXPECT_TRUE(decided.say_hangup_cut);
}

TEST(RunStatus, AHangupThatLeftNothingUnstartedIsAnOrdinaryEnd) {
    RunFacts facts = failed(2, 5);
    facts.drained_by = SIGHUP;
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, 0);
    EXPECT_EQ(decided.status, 2);
    EXPECT_EQ(decided.stopped_by, SIGHUP);  // the summary still names it
    EXPECT_FALSE(decided.say_hangup_cut);
}

TEST(RunStatus, AClosedStdoutWinsOverAHangup) {
    RunFacts facts = failed(0, 5);
    facts.drained_by = SIGHUP;
    facts.left_unstarted = true;
    facts.stdout_closed = true;
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, SIGPIPE);
    EXPECT_TRUE(decided.say_hangup_cut);  // main dies of SIGPIPE before saying it
}

TEST(RunStatus, AnInterruptAfterAHangupSaysNothingOfTheHangup) {
    RunFacts facts = failed(0, 5);
    facts.drained_by = SIGHUP;
    facts.left_unstarted = true;
    facts.interrupted_by = SIGINT;
    const RunStatus decided = decide_run_status(facts);
    EXPECT_EQ(decided.die_signal, SIGINT);
    EXPECT_EQ(decided.stopped_by, SIGINT);
    EXPECT_FALSE(decided.say_hangup_cut);
}

TEST(RunStatus, AFailureWhileFinishingIs255) {
    const RunStatus decided = decide_run_status(failed(3, 5));
    EXPECT_EQ(status_after_finish(decided, false), 3);
    EXPECT_EQ(status_after_finish(decided, true), 255);
}

}  // namespace
