// pipe_wiring.hpp: --pipe, --pipepart, --round-robin, --tee, --cat and
// --fifo into the splitting stage (core/split/): the feed whose jobs read
// blocks of the input on stdin (wgrun(1), Splitting input (--pipe)).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "command/job_setup.hpp"
#include "exec/temp_workdirs.hpp"
#include "input/job_feed.hpp"
#include "options.hpp"

namespace wgrun::cli {

struct PipeWiring {
    std::unique_ptr<JobFeed> feed;
    StdinFile stdin_file = StdinFile::None;        // --cat, --fifo
    std::unique_ptr<TempWorkdirs> block_files;  // their folder: job N's file is ROOT/N
};

/// The blocks' feed of --pipe or --pipepart (not --tee: wrap_tee()).
/// `jobs` is the job slots (-j; 0: no limit), for --block -N and
/// --round-robin; `temp_dir` is where --cat/--fifo's folder goes. Throws
/// UsageError for what cannot be split (a bad --pipepart file, --block -N
/// on a pipe).
PipeWiring wire_pipe(const Options& options, std::uint64_t jobs, const std::string& temp_dir);

/// --tee: each job of `feed` reads all of stdin. `jobs` as above.
std::unique_ptr<JobFeed> wrap_tee(std::unique_ptr<JobFeed> feed, std::uint64_t jobs);

}  // namespace wgrun::cli
