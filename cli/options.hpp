// options.hpp: wgrun's command line, parsed into plain values. No CLI11
// outside options.cpp.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "input/input_sources.hpp"
#include "input/shard.hpp"
#include "schedule/run_rules.hpp"

namespace wgrun::cli {

// cli/options_packing.cpp: argument packing: -n -N -L -s -x -X -m --xargs --max-replace-args.
struct PackingGroup {
    // As given (empty: not given).
    std::string max_args;          // -n/--max-args N
    std::string max_replace_args;  // -N/--max-replace-args N
    std::string max_lines_L;       // -L N
    std::string max_lines;         // -l[N]/--max-lines[=N]
    std::string max_chars;         // -s/--max-chars N
    bool exit = false;             // -x/--exit
    bool context_replace = false;  // -X
    bool m = false;                // -m
    bool xargs = false;            // --xargs
    // Decided by check_packing_options:
    bool on = false;               // any of them: records are packed into jobs
    std::size_t records = 0;       // records per job at most; 0: as many as fit
    std::size_t chars = 0;         // -s N; 0: the default
    bool context = false;          // context replace: -X, -N, -L/-l (not with -m or --xargs)
    bool spread = false;           // -m, -X: GNU's spreading of a short input over the slots
    bool lines = false;            // -L/-l: GNU's line continuation
};

// cli/options_sources.cpp: where input comes from: -I -i -d -E -r --arg-sep --arg-file-sep --link --shuf --shard --process-slot-var.
struct SourcesGroup {
    std::string replace;            // -I R, -i[R], --replace[=R]: R stands for {}; empty: not given
    std::string delimiter_text;     // -d/--delimiter as given
    char delimiter = '\n';          // where records end: -d, else NUL with -0, else newline
    std::string eof;                // -E STR, -e[STR], --eof[=STR]: a line equal to it ends input
    bool no_run_if_empty = false;   // -r: blank records are skipped
    std::string arg_sep = ":::";    // --arg-sep: instead of ::: (and :::+)
    std::string arg_file_sep = "::::";  // --arg-file-sep: instead of :::: (and ::::+)
    bool link = false;              // --link/--xapply: zip every source, shorter ones wrap
    bool shuf = false;              // --shuf: read all input, run the jobs in random order
    std::string shard_text;         // --shard K/N, auto or auto/N as given; empty: not given
    std::optional<ShardSpec> shard;  // --shard read: this run takes only shard K of N
    std::string process_slot_var;   // --process-slot-var NAME: NAME=slot-1 in each job
};

// cli/options_replacements.cpp: replacement strings: --plus, the --*replace names, --parens, --rpl, {= perl =}, --filter.
struct ReplacementsGroup {
    bool plus = false;                     // --plus: GNU's --plus strings
    std::string extension_replace;         // --extensionreplace/--er STR, for {.}; empty: {.}
    std::string basename_replace;          // --basenamereplace/--bnr STR, for {/}
    std::string dirname_replace;           // --dirnamereplace/--dnr STR, for {//}
    std::string basename_extension_replace;  // --basenameextensionreplace/--bner STR, for {/.}
    std::string seq_replace;               // --seqreplace STR, for {#}
    std::string slot_replace;              // --slotreplace STR, for {%}
    std::string parens;                    // --parens OPENCLOSE; empty: {==}
    std::vector<std::string> rpl;          // --rpl 'TAG PERL', in order
    std::vector<std::string> filter;       // --filter PERL: run a job only when all are true
};

// cli/options_columns.cpp: columns: --colsep, --csv, --header, --trim.
struct ColumnsGroup {
    bool has_colsep = false;  // -C/--colsep given (it may be empty)
    std::string colsep;       // -C/--colsep REGEX: split each value into columns
    bool csv = false;         // --csv: the values are CSV records (--colsep: the separator)
    bool has_header = false;  // --header given
    std::string header;       // --header :|REGEX (the first record names the columns) or 0
    std::string trim;         // --trim n|l|r|lr|rl; empty: lr with --colsep, else n (GNU's)
};

// cli/options_gnu_names.cpp: GNU's spellings and meanings of the options people type first: -t/--verbose, -v, -q/--quote, --progress, --total-jobs.
struct GnuNamesGroup {
    bool print_commands = false;           // -t/--verbose: each command on stderr as it starts
    int echo_count = 0;                    // -v, as often as given (GNU's -v -v is -v here)
    bool silent = false;                   // --silent: undoes -v
    bool echo_commands = false;            // -v without --silent: each command first in its output
    bool quote = false;                    // -q/--quote: each command word quoted for the shell
                                           // (`command` then holds the words shell-quoted)
    bool progress = false;                 // --progress: GNU's name; the --eta line here
    std::string total_jobs_text;           // --total-jobs/--total N as given
    std::optional<std::uint64_t> total_jobs;  // the total for --eta/--bar until the input ends
};

// cli/options_output.cpp: output to files: --files, --compress, --compress-program, --results NAME as GNU names it.
struct OutputGroup {
    bool files = false;  // --files: each job's stdout in a file of its own; print its name
    bool compress = false;           // --compress: output kept on disk is compressed
    std::string compress_program;    // --compress-program P (implies --compress)
    std::string decompress_program;  // --decompress-program D (default: "P -dc")
};

// cli/options_exec.cpp: how a job is started: --shell, --env, --nice, --workdir, --tty, --slurm.
struct ExecGroup {
    std::string shell;               // --shell PATH: jobs run under it (else GNU's rule: job_shell.hpp)
    std::vector<std::string> env;    // --env NAME[,NAME...], each occurrence as given
    std::optional<int> nice;         // --nice N: the jobs' niceness (absolute, as GNU)
    std::string workdir;             // --wd/--workdir DIR: each job starts there; "...": a fresh temp folder
    bool tty = false;                // --tty: stdin is the terminal; implies -j1 -u unless given otherwise
    bool slurm = false;              // --slurm: each job a Slurm job step (srun) in wgrun's allocation
};

// cli/options_remote.cpp: jobs on other computers over ssh: -S/--sshlogin, --slf/--sshloginfile, --ssh, --sshdelay, --filter-hosts.
struct RemoteGroup {
    std::vector<std::string> sshlogin;      // -S LOGIN[,LOGIN...], each occurrence as given
    std::vector<std::string> sshloginfile;  // --slf FILE, each occurrence
    std::string ssh;                        // --ssh CMD; empty: $PARALLEL_SSH, else ssh
    std::string sshdelay;                   // --sshdelay DURATION as given
    bool filter_hosts = false;              // --filter-hosts: leave out hosts that do not answer
    bool controlmaster = false;             // -M: accepted and ignored (always one per host)
    // Files for remote jobs (cli/remote_files_wiring.hpp):
    std::vector<std::string> transferfile;  // --transferfile/--tf FILE, each occurrence
    bool transfer = false;                  // --transfer: --tf {}
    std::vector<std::string> return_files;  // --return FILE, each occurrence
    bool cleanup = false;                   // --cleanup: remove them from the host afterwards
    std::vector<std::string> trc;           // --trc FILE: --return FILE --cleanup (and --tf {})
    std::vector<std::string> basefile;      // --basefile/--bf FILE, each occurrence
    std::string rsync_opts;                 // --rsync-opts OPTS; empty: $PARALLEL_RSYNC_OPTS, else -rlDzR
};

// cli/options_pipe.cpp: splitting input among jobs: --pipe, --pipepart, --block, --recstart,
// --recend, --regexp, --rrs, --round-robin, --tee, --cat, --fifo (with -N, -0, --header).
struct PipeGroup {
    bool pipe = false;            // --pipe/--spreadstdin
    bool pipepart = false;        // --pipepart: -a FILE split by offsets
    std::string block;            // --block SIZE as given; empty: 1M (--pipepart: -10)
    std::string recstart;         // --recstart as given (has_recstart)
    std::string recend;           // --recend as given (has_recend)
    bool regexp = false;          // --regexp: both are regular expressions
    bool remove_rec_sep = false;  // --rrs
    bool round_robin = false;     // --round-robin
    bool tee = false;             // --tee
    bool cat = false;             // --cat
    bool fifo = false;            // --fifo
    // Set by check_pipe_options:
    bool on = false;              // --pipe or --pipepart
    bool has_recstart = false;
    bool has_recend = false;
    std::int64_t block_size = 0;  // bytes; -N: N blocks per job slot; 0: the default
    std::size_t records = 0;      // -N (or -n) with --pipe: records per job
    std::string header;           // --header's value with --pipe (has_header)
    bool has_header = false;
};

// cli/options_compat.cpp: every other GNU parallel and xargs option, named: accepted and ignored, or refused with a reason.
struct CompatGroup {
    bool will_cite = false;       // --will-cite, --no-notice...: accepted and ignored
    bool gnu = false;             // --gnu: accepted and ignored
    bool citation = false;        // --citation, --bibtex: say there is no notice, exit 0
    int shellquote = 0;           // --shellquote, once or more: print each command quoted so often
    std::string minversion;       // --minversion VERSION: print 20221122, exit 0 or 255
    bool plain = false;           // --plain: $PARALLEL ignored
    bool no_keep_order = false;   // --no-keep-order: undo -k
};

struct Options {
    std::string jobs;                      // -j as given (N or a FILE); empty for the default (usable CPUs)
    bool jobserver = false;                // --jobserver: serve make's jobserver to the jobs
    std::string load;                      // --load MAX as given; empty for none
    std::string memfree;                   // --memfree SIZE as given; empty for none
    bool null = false;                     // -0: records end at NUL
    bool no_shell = false;                 // exec argv directly, no /bin/sh
    bool dry_run = false;                  // print commands, run nothing
    bool quiet = false;                    // --quiet: no failure report
    bool report = false;                   // --report: list every job at the end
    // Output (see wgrun(1), OUTPUT).
    bool group = false;                    // --group: whole per job (the default)
    bool line_buffer = false;              // --line-buffer: whole lines as they come
    bool ungroup = false;                  // -u: bytes as they come
    bool keep_order = false;               // -k: in job-number order
    bool tag = false;                      // --tag: prefix lines with the input
    std::string tagstring;                 // --tagstring: prefix lines with this template
    std::string completion;                // --completion SHELL: print its script and exit
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
    // one command template (-n -N -L -s -x -X -m --xargs -I -i -d -E, and
    // -e -r -0): see choose_job_source().
    bool stdin_arguments = false;
    PackingGroup packing;   // cli/options_packing.cpp
    SourcesGroup input;     // cli/options_sources.cpp
    ReplacementsGroup replacements;   // cli/options_replacements.cpp
    ColumnsGroup columns;   // cli/options_columns.cpp
    GnuNamesGroup gnu_names;   // cli/options_gnu_names.cpp
    OutputGroup output;   // cli/options_output.cpp
    ExecGroup exec;   // cli/options_exec.cpp
    RemoteGroup remote;   // cli/options_remote.cpp
    PipeGroup pipe;       // cli/options_pipe.cpp
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
