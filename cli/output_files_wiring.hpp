// output_files_wiring.hpp: the output decorators that write jobs' output to
// files or hold it (--results NAME, --files, --retries), made from the
// options. Only wiring: the decorators are core/ components.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "options.hpp"
#include "output/compression.hpp"
#include "output/output_mode.hpp"

namespace wgrun::cli {

/// --results -.csv, -.tsv, -.json: the table goes to standard output and the
/// jobs' own output nowhere (as GNU does).
bool results_table_on_stdout(const Options& options);

/// An fd open on /dev/null for the run, for the jobs' output then.
int null_output_fd();

/// --compress, --compress-program P, --decompress-program D: how output kept
/// on disk is compressed (GNU's rules: P alone decompresses with "P -dc";
/// --compress alone takes GNU's first program found in $PATH); null without
/// them.
std::shared_ptr<const Compression> output_compression(const Options& options);

/// Wraps `mode` (with --ci github's decorator, if any) in: --files
/// (FilesOutput), then --results (ResultsTable or ResultsTee). Throws
/// std::system_error for a --results table file that cannot be opened,
/// UsageError for a NAME that cannot be parsed.
std::unique_ptr<OutputMode> wrap_output_files(const Options& options,
                                              std::unique_ptr<OutputMode> mode,
                                              const std::string& tmpdir,
                                              std::shared_ptr<const Compression> compression);

/// With --retries N > 1 and grouped output, wraps `mode` in
/// LastAttemptOutput, outermost, so that everything inside (-v's line too)
/// sees only the last attempt; `mode` itself otherwise.
std::unique_ptr<OutputMode> wrap_last_attempt_output(
    const Options& options, std::unique_ptr<OutputMode> mode, const std::string& tmpdir,
    std::shared_ptr<const Compression> compression);

/// Fds each running job holds for these decorators, beyond its pipes.
std::size_t output_fds_per_job(const Options& options);

}  // namespace wgrun::cli
