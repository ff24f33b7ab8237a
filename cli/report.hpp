// report.hpp: the failure report printed after all jobs have ended.
#pragma once

#include <cstdio>
#include <string>

#include "result_collector.hpp"

namespace wgrun::cli {

/// How a job ended, for the report: "exit 2", "killed by SIGKILL", "timed
/// out after 2s", "ended by --halt, killed by SIGTERM", with ", after 3
/// attempts" when it ran more than once.
std::string describe_end(const JobResult& job);

/// When any job failed, writes one line per failed job, in job order, then a
/// count, to `to`, with "failed" in red when `colour`:
///   wgrun: job 3 failed (exit 2): false
///   wgrun: 1 of 5 jobs failed
void report_failures(const ResultCollector& results, std::FILE* to, bool colour);

}  // namespace wgrun::cli
