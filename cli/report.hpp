// report.hpp: the failure report printed after all jobs have ended.
#pragma once

#include <cstdio>
#include <string>

#include "results/result_collector.hpp"

namespace wgrun::cli {

/// When any job failed, writes one line per failed job, in job order, then a
/// count, to `to`, with "failed" in red when `colour`:
///   wgrun: job 3 failed (exit 2): false
///   wgrun: 1 of 5 jobs failed
/// Only the failures the collector kept are listed (the first 1000 by job
/// number), then "wgrun: ... and N more failed jobs (not listed)". Commands
/// and statuses are shown printable() (escaped, long commands cut).
void report_failures(const ResultCollector& results, std::FILE* to, bool colour);

}  // namespace wgrun::cli
