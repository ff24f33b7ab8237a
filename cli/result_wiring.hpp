// result_wiring.hpp: which result sinks a run feeds (--joblog, --json,
// --junit, --bar, --eta, --report) and which jobs it leaves out (--resume),
// made from the options. Only wiring: the sinks are their own components.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "input/job_feed.hpp"
#include "input/job_skipper.hpp"
#include "input/shard.hpp"
#include "options.hpp"
#include "output/output_guard.hpp"
#include "results/result_sink.hpp"

namespace wgrun::cli {

struct ResultWiring {
    std::vector<std::unique_ptr<ResultSink>> sinks;  // fed in this order
    std::unique_ptr<JobSkipper> skipper;             // null: every job runs
    std::size_t keep_tail = 0;                       // output tail the sinks need
    OutputGuard* output_guard = nullptr;             // --bar/--eta: told of job output writes
};

/// Opens what the options name (a job log to append to, ...) and checks that
/// a --results directory can take files; `temp_dir` takes what --junit keeps
/// until the end when its file is written into (a FIFO, a device). --bar and
/// --eta count `shard`'s jobs (--total-jobs N: its share of N). Throws
/// std::system_error ("--json out.jsonl: Permission denied", os_error.hpp)
/// for an output file or directory it cannot open or write.
ResultWiring wire_results(const Options& options, const std::string& temp_dir, Shard shard);

// --resume, --resume-failed, --retry-failed (job log and resume): what the
// job log says, read before any job runs and before anything is written.
struct ResumePlan {
    std::unique_ptr<JobSkipper> skipper;  // null without one of the options
    std::unique_ptr<JobFeed> retry_feed;  // --retry-failed: the jobs, instead of the command line's
};

/// Reads the --joblog file for the resume option given (a missing or empty
/// file: nothing is done yet); warns on stderr about an incomplete last line,
/// which is left out. Throws std::system_error ("--joblog run.log:
/// Permission denied") for a log it cannot read, JoblogError ("--joblog
/// run.log: line 7: Exitval is not a number: 'x'") for a malformed one.
ResumePlan read_resume(const Options& options);

}  // namespace wgrun::cli
