// options_pipe.cpp: splitting input among jobs (wgrun(1), Splitting input
// (--pipe)): --pipe, --pipepart, --block, --recstart, --recend, --regexp,
// --rrs, --round-robin, --tee, --cat, --fifo; and what -N, -n, -0 and
// --header mean under them. The values are checked here; cli/pipe_wiring
// turns them into the splitting stage.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"
#include "schedule/machine_limits.hpp"
#include "split/block_splitter.hpp"
#include "split/record_format.hpp"

namespace wgrun::cli {
namespace {

// --block SIZE: GNU's units; -N (N blocks per job slot) too.
std::int64_t parse_block(const std::string& text) {
    if (text.starts_with('-')) {
        const auto count = parse_size(text.substr(1), "--block -N's");
        if (count > (std::uint64_t{1} << 40)) throw std::invalid_argument("--block " + text + ": too many blocks");
        return -static_cast<std::int64_t>(count);
    }
    const std::uint64_t size = parse_size(text, "--block");
    if (size > (std::uint64_t{1} << 31) - 1) {
        throw std::invalid_argument("--block " + text + ": at most 2G-1 bytes (GNU's limit too)");
    }
    return static_cast<std::int64_t>(size);
}

}  // namespace

void add_pipe_options(CLI::App& app, Options& options) {
    PipeGroup& pipe = options.pipe;
    app.add_flag("--pipe,--spreadstdin", pipe.pipe,
                 "Split stdin into blocks (--block) at record ends and give each block to a "
                 "job on its stdin");
    app.add_flag("--pipepart,--pipe-part", pipe.pipepart,
                 "Like --pipe, for the file of -a FILE: each job reads its part of the file "
                 "(found by offsets) directly");
    app.add_option("--block,--block-size,--blocksize", pipe.block,
                   "Blocks of about SIZE bytes (K M G: powers of 1024, k m g: of 1000; default "
                   "1M); -N: N blocks per job slot (--pipepart's default is -10)")
        ->check(kNotEmpty)
        ->check(parsed_by("--block", parse_block))
        ->allow_extra_args(false)
        ->type_name("SIZE");
    app.add_option("--recstart", pipe.recstart,
                   "Records start with STR (\\n \\t \\0 escapes; a regular expression with "
                   "--regexp); default: no start string")
        ->type_name("STR");
    app.add_option("--recend", pipe.recend,
                   "Records end with STR (default \\n; '' with --pipe: cut anywhere, for binary "
                   "data)")
        ->type_name("STR");
    app.add_flag("--regexp,--regex", pipe.regexp,
                 "--recstart and --recend are Perl-style regular expressions");
    app.add_flag("--remove-rec-sep,--removerecsep,--rrs", pipe.remove_rec_sep,
                 "Take --recend and --recstart out of the blocks the jobs get");
    app.add_flag("--round-robin,--roundrobin,--round", pipe.round_robin,
                 "Start only -j jobs and hand them the blocks in turn (a job reads many blocks)");
    app.add_flag("--tee", pipe.tee,
                 "Give all of stdin to every job (the jobs from ::: values); -j defaults to 0");
    app.add_flag("--cat", pipe.cat,
                 "{} is a temporary file holding the job's block (removed when the job ends)");
    app.add_flag("--fifo", pipe.fifo, "{} is a named pipe the job's block is written to");
}

void check_pipe_options(const CLI::App& app, Options& options) {
    PipeGroup& pipe = options.pipe;
    pipe.has_recstart = app.count("--recstart") > 0;
    pipe.has_recend = app.count("--recend") > 0;
    // GNU: --cat and --fifo imply --pipe (unless --pipepart).
    if ((pipe.cat || pipe.fifo) && !pipe.pipepart) pipe.pipe = true;
    pipe.on = pipe.pipe || pipe.pipepart;
    if (!pipe.on) {
        const std::pair<bool, const char*> needing[] = {
            {!pipe.block.empty(), "--block"},      {pipe.has_recstart, "--recstart"},
            {pipe.has_recend, "--recend"},         {pipe.regexp, "--regexp"},
            {pipe.remove_rec_sep, "--rrs"},        {pipe.round_robin, "--round-robin"},
            {pipe.tee, "--tee"}};
        for (const auto& [given, name] : needing) {
            if (given) throw UsageError(std::string(name) + " needs --pipe or --pipepart");
        }
        return;
    }
    if (options.command.empty()) {
        throw UsageError("--pipe and --pipepart need a command to give the blocks to (such as "
                         "wc -l or cat)");
    }
    if (pipe.cat && pipe.fifo) throw UsageError("--cat and --fifo cannot be used together: give one");
    if (pipe.round_robin && (pipe.cat || pipe.fifo)) {
        throw UsageError("--round-robin cannot be used with --cat or --fifo (a job reads many blocks)");
    }
    if (pipe.tee && pipe.round_robin) throw UsageError("--tee and --round-robin cannot be used together");
    if (pipe.tee && pipe.pipepart) {
        throw UsageError("--tee with --pipepart: not yet; give the file on stdin: --pipe --tee < FILE");
    }
    if (pipe.tee && (pipe.cat || pipe.fifo)) throw UsageError("--tee cannot be used with --cat or --fifo");
    if (!pipe.block.empty()) pipe.block_size = parse_block(pipe.block);
    // What the other groups took for stdin's arguments is --pipe's here.
    PackingGroup& p = options.packing;
    if (!p.max_lines_L.empty() || !p.max_lines.empty() || !p.max_chars.empty() || p.exit ||
        p.context_replace || p.m || p.xargs) {
        throw UsageError("with --pipe, -N N gives the records per job; -L, -l, -s, -x, -X, -m and "
                         "--xargs do not apply");
    }
    if (p.on) pipe.records = p.records;
    if (pipe.pipepart && pipe.records > 0) {
        throw UsageError("-N with --pipepart: the parts are found by offsets, not by counting "
                         "records (GNU refuses it too); use --pipe -N N < FILE");
    }
    p = PackingGroup{};
    if (app.count("--header") > 0) {
        pipe.has_header = true;
        pipe.header = options.columns.header;
        try {
            parse_header_rule(pipe.header);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    }
    options.columns.has_header = false;
    if (options.columns.has_colsep || options.columns.csv) {
        throw UsageError("--colsep and --csv split input values into columns: not with --pipe");
    }
    if (options.null && !pipe.has_recend) {
        pipe.has_recend = true;
        pipe.recend = std::string(1, '\0');  // escapes are applied later: a NUL stays one
    }
    try {
        RecordFormat check(pipe.has_recstart ? std::optional(pipe.recstart) : std::nullopt,
                           pipe.has_recend ? std::optional(pipe.recend) : std::nullopt, pipe.regexp);
    } catch (const RecordFormatError& e) {
        throw UsageError(e.what());
    }
    options.stdin_arguments = false;
    // Where the jobs' input comes from.
    if (pipe.pipepart) {
        if (options.sources.empty() || options.sources.front().kind != SourceSpec::Kind::File ||
            options.sources.front().values.front() == "-") {
            throw UsageError("--pipepart splits a file: give it with -a FILE (stdin: use --pipe)");
        }
        if (options.sources.size() > 1) {
            throw UsageError("--pipepart takes one file (-a FILE) and no other input source");
        }
    } else if (pipe.tee) {
        if (options.sources.empty()) {
            throw UsageError("--tee gives all of stdin to each job: give the jobs' values with :::");
        }
        for (const SourceSpec& source : options.sources) {
            for (const std::string& value : source.values) {
                if (source.kind == SourceSpec::Kind::File && value == "-") {
                    throw UsageError("--tee gives stdin to the jobs: it cannot also be an input source");
                }
            }
        }
        if (options.jobs.empty()) options.jobs = "0";  // all at once (GNU's default too)
        if (!options.retries.empty() && options.retries != "0" && options.retries != "1") {
            throw UsageError("--retries cannot be used with --tee: stdin is read once, as the "
                             "jobs read it, and not kept for a job's second attempt");
        }
    } else if (!options.sources.empty()) {
        throw UsageError("--pipe takes the jobs' input from stdin: input sources (:::, ::::, -a) "
                         "go with --tee, or -a FILE with --pipepart");
    }
    // Not yet with --pipe.
    const std::pair<bool, const char*> refused[] = {
        {!options.remote.sshlogin.empty() || !options.remote.sshloginfile.empty(), "-S/--slf hosts"},
        {options.exec.slurm, "--slurm"},
        {options.exec.tty, "--tty"},
        {options.input.shuf, "--shuf"},
        {options.retry_failed, "--retry-failed"}};
    for (const auto& [given, name] : refused) {
        if (given) throw UsageError(std::string(name) + " cannot be used with --pipe or --pipepart");
    }
}

}  // namespace wgrun::cli
