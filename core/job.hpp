// job.hpp: the vocabulary of a job: its input, and its result.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "exit_status.hpp"

namespace wgrun {

/// One job before it runs: its sequence number (1-based, in input order) and
/// its input values, one per input source (or the command itself).
struct JobInput {
    std::uint64_t seq = 0;
    std::vector<std::string> args;
};

/// One job after it ended. Results travel through the ResultCollector, never
/// through the WaitGroup.
struct JobResult {
    std::uint64_t seq = 0;
    std::uint64_t slot = 0;
    std::string command;  // as shown to the user
    ExitStatus status;
    std::string problem;  // wgrun's own trouble with the job ("output lost: ..."), or empty
    std::chrono::system_clock::time_point start;
    std::chrono::steady_clock::duration runtime{};

    /// A job fails when it exits non-zero, is killed by a signal, cannot
    /// start, or its output could not be delivered.
    bool failed() const { return !status.ok() || !problem.empty(); }
};

}  // namespace wgrun
