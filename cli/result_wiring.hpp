// result_wiring.hpp: which result sinks a run feeds (--joblog, --json,
// --junit, --bar, --eta, --report) and which jobs it leaves out (--resume),
// made from the options. Only wiring: the sinks are their own components.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "job_skipper.hpp"
#include "options.hpp"
#include "output_guard.hpp"
#include "result_sink.hpp"

namespace wgrun::cli {

struct ResultWiring {
    std::vector<std::unique_ptr<ResultSink>> sinks;  // fed in this order
    std::unique_ptr<JobSkipper> skipper;             // null: every job runs
    std::size_t keep_tail = 0;                       // output tail the sinks need
    OutputGuard* output_guard = nullptr;             // --bar/--eta: told of job output writes
};

/// Opens what the options name (a job log to append to, ...). Throws
/// UsageError for a file it cannot open or a malformed job log.
ResultWiring wire_results(const Options& options);

}  // namespace wgrun::cli
