// packing_wiring.hpp: argument packing (-n -N -L -s -x -X -m --xargs) put
// between the record feed and the jobs, and the limit the command builder
// holds each job to.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "command/command_template.hpp"
#include "input/job_feed.hpp"
#include "options.hpp"

namespace wgrun::cli {

/// The size limit of a packed run's commands, for CommandBuilder::limit_size.
struct PackedLimit {
    std::size_t max_bytes = 0;
    std::string text;  // "-s 20", "131072 bytes (the default)", ...
};

/// With options.packing.on: sets `command_template`'s context replace (-X,
/// -N, -L), wraps `feed` (whose jobs are then records) in an ArgPacker sized
/// by the template, and returns the limit; says on stderr when -s is above
/// the limit and was capped. `jobs` is the job slots (-j; 0: no limit), for
/// GNU's spreading under -m and -X. Without packing: nothing, no change.
std::optional<PackedLimit> wire_packing(const Options& options, CommandTemplate& command_template,
                                        std::unique_ptr<JobFeed>& feed, std::uint64_t jobs);

}  // namespace wgrun::cli
