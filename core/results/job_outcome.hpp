// job_outcome.hpp: how a job ended, in words, for the formats that explain
// failures without the command line's help (JUnit XML). The final report in
// cli/ says the same things in the same words.
#pragma once

#include <string>

#include "base/job.hpp"

namespace wgrun {

/// What kind of failure ended the job, one word; empty when it did not fail:
///   "timeout"      --timeout ended it
///   "halt"         --halt now ended it
///   "interrupted"  wgrun got SIGINT or SIGTERM, or its stdout was closed
///   "not-started"  it could not be started (ExitStatus::Kind::NotStarted)
///   "signal"       it was killed by a signal
///   "exit"         it exited with a status other than 0
///   "output"       it exited 0, but its output could not be delivered
std::string failure_type(const JobResult& job);

/// How the job ended, as the final report says it: "exit 2", "killed by
/// SIGKILL", "timed out after 2s", "ended by --halt, killed by SIGTERM",
/// "exit 127, cannot run: No such file or directory"; then ", after 3
/// attempts" when it ran more than once, and "; " and JobResult::problem
/// when there is one.
std::string outcome_text(const JobResult& job);

}  // namespace wgrun
