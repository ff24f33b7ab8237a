// options.hpp: wgrun's command line, parsed into plain values. No CLI11
// outside options.cpp.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "input/input_sources.hpp"
#include "schedule/run_rules.hpp"

namespace wgrun::cli {

// cli/options_packing.cpp: argument packing: -n -N -L -s -x -X -m --xargs --max-replace-args.
struct PackingGroup {
};

// cli/options_sources.cpp: where input comes from: -I -i -d -E -r --arg-sep --arg-file-sep --link --shuf --process-slot-var.
struct SourcesGroup {
};

// cli/options_replacements.cpp: replacement strings: --plus, the --*replace names, --parens, --rpl, {= perl =}, --filter.
struct ReplacementsGroup {
};

// cli/options_columns.cpp: columns: --colsep, --csv, --header, --trim.
struct ColumnsGroup {
};

// cli/options_gnu_names.cpp: GNU's spellings and meanings of the options people type first: -t/--verbose, -v, -q/--quote, --progress, --total-jobs.
struct GnuNamesGroup {
};

// cli/options_output.cpp: output to files: --files, --compress, --compress-program, --results NAME as GNU names it.
struct OutputGroup {
    bool files = false;  // --files: each job's stdout in a file of its own; print its name
};

// cli/options_exec.cpp: how a job is started: --shell, --env, --nice, --workdir, --tty.
struct ExecGroup {
};

// cli/options_compat.cpp: every other GNU parallel and xargs option, named: accepted and ignored, or refused with a reason.
struct CompatGroup {
};

struct Options {
    std::string jobs;                      // -j as given; empty for the default (usable CPUs)
    bool null = false;                     // -0: records end at NUL
    bool no_shell = false;                 // exec argv directly, no /bin/sh
    bool dry_run = false;                  // print commands, run nothing
    bool quiet = false;                    // no failure report
    bool report = false;                   // -v/--report: list every job at the end
    // Output (see wgrun(1), OUTPUT).
    bool group = false;                    // --group: whole per job (the default)
    bool line_buffer = false;              // --line-buffer: whole lines as they come
    bool ungroup = false;                  // -u: bytes as they come
    bool keep_order = false;               // -k: in job-number order
    bool tag = false;                      // --tag: prefix lines with the input
    std::string tagstring;                 // --tagstring: prefix lines with this template
    std::string color = "auto";            // --color[=auto|always|never]
    std::string results;                   // --results NAME: also save outputs (GNU's naming, or a table)
    std::string tmpdir;                    // --tmpdir DIR: spill files; default $TMPDIR or /tmp
    // When things go wrong (see wgrun(1), FAILURES AND SIGNALS), parsed into
    // `rules`: --halt, --fail-fast, --retries, --delay, --timeout, --term-seq.
    std::string halt;
    bool fail_fast = false;
    std::string retries;                   // --retries N as given; empty: 1 attempt
    std::string delay;
    std::string timeout;
    std::string output_grace;
    std::string term_seq;
    RunRules rules;                        // all but stop_signals, which main sets
    // Progress and CI (see wgrun(1), PROGRESS AND CI): --bar, --eta, --ci.
    bool bar = false;                      // --bar: a progress bar on stderr (a terminal only)
    bool eta = false;                      // --eta: the same facts on one plain line
    std::string ci;                        // --ci github|none; empty: github when GITHUB_ACTIONS=true
    // Job log and resume (see wgrun(1), JOB LOG AND RESUME): --joblog,
    // --resume, --resume-failed, --retry-failed.
    std::string joblog;                    // --joblog FILE, +FILE (append) or - (stdout); empty: none
    bool resume = false;                   // --resume: leave out the Seqs the log has
    bool resume_failed = false;            // --resume-failed: leave out the Seqs that succeeded
    bool retry_failed = false;             // --retry-failed: run only the log's failed commands
    // Result formats (see wgrun(1), JSON Lines and JUnit XML).
    std::string json;                      // --json FILE|-: JSON Lines, a record per job
    std::string junit;                     // --junit FILE: JUnit XML, put in place at the end
    std::vector<std::string> command;      // the words before the first separator
    std::vector<SourceSpec> sources;       // -a files first, then ::: :::: :::+ ::::+
    // Set by an option that makes standard input's lines the arguments of
    // one command template (-n -N -L -s -x -X -m --xargs -I -i -d -E):
    // see choose_job_source().
    bool stdin_arguments = false;
    PackingGroup packing;   // cli/options_packing.cpp
    SourcesGroup input;     // cli/options_sources.cpp
    ReplacementsGroup replacements;   // cli/options_replacements.cpp
    ColumnsGroup columns;   // cli/options_columns.cpp
    GnuNamesGroup gnu_names;   // cli/options_gnu_names.cpp
    OutputGroup output;   // cli/options_output.cpp
    ExecGroup exec;   // cli/options_exec.cpp
    CompatGroup compat;   // cli/options_compat.cpp
};

/// What parse() decided.
enum class ParseOutcome {
    Run,        // options are in `options`
    Exit,       // --help or --version was printed; exit with `status`
};

struct ParseResult {
    ParseOutcome outcome = ParseOutcome::Run;
    int status = 0;
    Options options;
};

/// Thrown on a usage error; what() is the one-line message.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses argv (argv[0] is the program name). Prints --help and --version
/// itself. Throws UsageError.
ParseResult parse(int argc, const char* const* argv);

/// The exit status of a usage error: wgrun's own error (wgrun(1), EXIT STATUS).
inline constexpr int kUsageErrorStatus = 255;

/// Writes a usage error to `out` as wgrun shows it: "wgrun: MESSAGE" (shown
/// printable, on one line: it may quote what the user gave), then the hint
/// "Try 'wgrun --help' for more information.". A write that fails is lost,
/// nothing else. Returns kUsageErrorStatus.
int report_usage_error(const UsageError& error, std::FILE* out) noexcept;

}  // namespace wgrun::cli
