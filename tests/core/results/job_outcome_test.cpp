// job_outcome_test.cpp: failure_type() and outcome_text() for every way a
// job can end.
#include "results/job_outcome.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>

namespace {

using wgrun::EndedBy;
using wgrun::ExitStatus;
using wgrun::failure_type;
using wgrun::JobResult;
using wgrun::outcome_text;
using Kind = ExitStatus::Kind;

JobResult job(ExitStatus status, EndedBy by = EndedBy::Nobody) {
    JobResult r;
    r.seq = 1;
    r.status = status;
    r.ended_by = by;
    return r;
}

TEST(JobOutcome, SucceededJobHasNoFailureType) {
    EXPECT_EQ(failure_type(job({Kind::Exited, 0})), "");
    EXPECT_EQ(outcome_text(job({Kind::Exited, 0})), "exit 0");
}

TEST(JobOutcome, ExitCode) {
    EXPECT_EQ(failure_type(job({Kind::Exited, 2})), "exit");
    EXPECT_EQ(outcome_text(job({Kind::Exited, 2})), "exit 2");
}

TEST(JobOutcome, Signal) {
    EXPECT_EQ(failure_type(job({Kind::Signaled, SIGKILL})), "signal");
    EXPECT_EQ(outcome_text(job({Kind::Signaled, SIGKILL})), "killed by SIGKILL");
}

TEST(JobOutcome, NotStarted) {
    EXPECT_EQ(failure_type(job(ExitStatus::not_started(ENOENT))), "not-started");
    EXPECT_EQ(outcome_text(job(ExitStatus::not_started(ENOENT))),
              "exit 127, cannot run: No such file or directory");
}

TEST(JobOutcome, Timeout) {
    JobResult r = job({Kind::Signaled, SIGTERM}, EndedBy::Timeout);
    r.timeout = std::chrono::seconds(2);
    EXPECT_EQ(failure_type(r), "timeout");
    EXPECT_EQ(outcome_text(r), "timed out after 2s");
}

TEST(JobOutcome, EndedByWgrun) {
    EXPECT_EQ(failure_type(job({Kind::Signaled, SIGTERM}, EndedBy::Halt)), "halt");
    EXPECT_EQ(outcome_text(job({Kind::Signaled, SIGTERM}, EndedBy::Halt)),
              "ended by --halt, killed by SIGTERM");
    EXPECT_EQ(failure_type(job({Kind::Exited, 0}, EndedBy::Signal)), "interrupted");
    EXPECT_EQ(outcome_text(job({Kind::Signaled, SIGINT}, EndedBy::Signal)),
              "ended by wgrun's signal, killed by SIGINT");
    EXPECT_EQ(failure_type(job({Kind::Signaled, SIGTERM}, EndedBy::ClosedStdout)), "interrupted");
}

TEST(JobOutcome, OutputProblemAndAttempts) {
    JobResult r = job({Kind::Exited, 0});
    r.problem = "output lost: No space left on device";
    EXPECT_EQ(failure_type(r), "output");
    EXPECT_EQ(outcome_text(r), "exit 0; output lost: No space left on device");
    JobResult again = job({Kind::Exited, 3});
    again.attempts = 3;
    EXPECT_EQ(outcome_text(again), "exit 3, after 3 attempts");
}

}  // namespace
