// main.cpp: wires wgrun together. Parse the options, choose where jobs come
// from, start the scheduler on its own thread, block in wg.wait(), then report.
#include <fmt/core.h>
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <system_error>
#include <thread>

#include "column_wiring.hpp"
#include "command/column_names.hpp"
#include "command/command_builder.hpp"
#include "command/command_template.hpp"
#include "command/gnu_quote.hpp"
#include "output/command_echo.hpp"
#include "command/perl_coprocess.hpp"
#include "exec_wiring.hpp"
#include "output/github_annotations.hpp"
#include "schedule/halt_policy.hpp"
#include "output/output_factory.hpp"
#include "exec/inherited_fds.hpp"
#include "input/counted_feed.hpp"
#include "input/input_pump.hpp"
#include "input/job_feed.hpp"
#include "input/job_source.hpp"
#include "input/shuffle_feed.hpp"
#include "input/unread_input.hpp"
#include "exec/job_guardian.hpp"
#include "job_report.hpp"
#include "schedule/jobs_limit.hpp"
#include "output/output_ledger.hpp"
#include "results/exit_status.hpp"
#include "options.hpp"
#include "output/pipe_size.hpp"
#include "packing_wiring.hpp"
#include "pipe_wiring.hpp"
#include "base/printable.hpp"
#include "exec/process_tree.hpp"
#include "remote_files_wiring.hpp"
#include "remote_wiring.hpp"
#include "report.hpp"
#include "output_files_wiring.hpp"
#include "result_wiring.hpp"
#include "results/run_status.hpp"
#include "shard_wiring.hpp"
#include "results/result_collector.hpp"
#include "schedule/scheduler.hpp"
#include "schedule/slot_pool.hpp"
#include "slots_wiring.hpp"
#include "slurm_wiring.hpp"
#include "exec/srun_executor.hpp"
#include "exec/srun_guard.hpp"
#include "exec/step_canceller.hpp"
#include "exec/spawner.hpp"
#include "exec/stop_watcher.hpp"
#include "wgrun/wait_group.hpp"
#include "base/start_thread.hpp"

namespace wgrun::cli {
namespace {

constexpr int kOwnError = kOwnErrorStatus;  // GNU parallel's status for the runner's own errors

// Where the jobs come from and what each one runs.
struct Plan {
    std::unique_ptr<JobFeed> feed;
    CommandTemplate command_template;
    bool stdin_unread = false;  // the Commands form: look at stdin at the end
    std::vector<std::string> column_names;  // --header's, for --tagstring's {name} too
    std::optional<PackedLimit> packed;  // -n -X ...: the commands' size limit
    StdinFile stdin_file = StdinFile::None;       // --cat, --fifo
    std::unique_ptr<TempWorkdirs> block_files;  // their folder
};

// The replacement strings the options define (wgrun(1), REPLACEMENT
// STRINGS), with a Perl interpreter that starts only if a template uses it.
TemplateSyntax template_syntax(const Options& options, std::uint64_t jobs) {
    const ReplacementsGroup& r = options.replacements;
    TemplateSyntax syntax;
    auto use = [](std::string& field, const std::string& value) {
        if (!value.empty()) field = value;
    };
    use(syntax.input, options.input.replace);  // -I R, -i, --replace
    use(syntax.no_ext, r.extension_replace);
    use(syntax.base, r.basename_replace);
    use(syntax.dir, r.dirname_replace);
    use(syntax.base_no_ext, r.basename_extension_replace);
    use(syntax.seq, r.seq_replace);
    use(syntax.slot, r.slot_replace);
    use(syntax.parens, r.parens);
    syntax.plus = r.plus;
    syntax.rpl = r.rpl;
    syntax.jobs = jobs;
    syntax.perl = std::make_shared<PerlCoprocess>();
    syntax.total = std::make_shared<JobTotal>();
    syntax.hosts = std::make_shared<SlotHosts>();  // told the hosts once they are known
    return syntax;
}

// {##}, {0#} or total_jobs() in the command, a --filter or the --tagstring:
// the run's number of jobs is needed before the first job starts.
bool needs_job_total(const Options& options, const CommandTemplate& command) {
    if (command.uses_total()) return true;
    auto names_it = [&](const std::string& text) {
        return text.find("total_jobs") != std::string::npos ||
               (options.replacements.plus && (text.find("{##}") != std::string::npos ||
                                              text.find("{0#}") != std::string::npos));
    };
    for (const std::string& filter : options.replacements.filter) {
        if (names_it(filter)) return true;
    }
    return names_it(options.tagstring);
}

std::string temp_dir(const Options& options);

// The feed of the source choose_job_source() picked (see wgrun(1), JOB
// SOURCES); --retry-failed's feed is the job log's, read beforehand.
Plan plan_jobs(const Options& options, std::unique_ptr<JobFeed> retry_feed,
               const TemplateSyntax& syntax, std::uint64_t jobs) {
    JobSourceFacts facts;
    facts.syntax = syntax;
    facts.command = options.command;
    facts.input_sources = options.sources.size();
    facts.stdin_is_terminal = ::isatty(STDIN_FILENO) == 1;
    facts.retry_failed = retry_feed != nullptr;
    facts.stdin_arguments = options.stdin_arguments;
    facts.records_per_job = options.packing.records;
    // -d/-0, -E, -r, --link (wgrun(1), Input sources).
    InputRules rules;
    rules.delimiter = options.input.delimiter;
    rules.eof = options.input.eof;
    rules.skip_blank = options.input.no_run_if_empty;
    rules.link_all = options.input.link;
    // --colsep, --csv, --header, --trim (wgrun(1), COLUMNS): the header, read
    // now, names columns in the command.
    std::optional<ColumnWiring> columns;
    if (!facts.retry_failed) columns = wire_columns(options, rules, facts.stdin_is_terminal);
    if (columns) {
        facts.command = columns->command;
        facts.input_sources = columns->sources;
        facts.columns = true;
    }
    // --pipe, --pipepart (not --tee): a job per block of the input, the
    // command words its template (pipe_wiring.hpp).
    const bool blocks = options.pipe.on && !options.pipe.tee;
    if (blocks) {
        facts.input_sources = 1;
        facts.stdin_arguments = false;
    }
    JobSourceChoice choice;
    try {
        choice = choose_job_source(facts);
    } catch (const JobSourceError& e) {
        throw UsageError(e.what());
    } catch (const TemplateError& e) {  // {-3} with 2 sources
        throw UsageError(e.what());
    }
    auto stdin_lines = [&] {
        std::vector<SourceSpec> source{{SourceSpec::Kind::File, {"-"}, false}};
        return std::make_unique<InputCombiner>(std::move(source), rules);
    };
    Plan plan;
    plan.command_template = std::move(choice.command_template);
    plan.stdin_unread = choice.stdin_unread;
    if (columns) plan.column_names = columns->names;
    if (blocks) {
        PipeWiring pipe = wire_pipe(options, jobs, temp_dir(options));
        plan.feed = std::move(pipe.feed);
        plan.stdin_file = pipe.stdin_file;
        plan.block_files = std::move(pipe.block_files);
        if (needs_job_total(options, plan.command_template)) {
            plan.feed = std::make_unique<CountedFeed>(
                std::move(plan.feed), [total = syntax.total, perl = syntax.perl](std::uint64_t n) {
                    total->set(n);
                    if (perl != nullptr) perl->set_total_jobs(n);
                });
        }
        return plan;
    }
    switch (choice.source) {
        case JobSource::JoblogFailures: plan.feed = std::move(retry_feed); break;
        case JobSource::InputSources:
            plan.feed = columns ? std::move(columns->feed)
                                : std::make_unique<CombinerFeed>(
                                      std::make_unique<InputCombiner>(options.sources, rules),
                                      false);
            break;
        case JobSource::StdinValues:
            plan.feed = with_trim(options, std::make_unique<CombinerFeed>(stdin_lines(), false));
            break;
        case JobSource::Commands: plan.feed = std::make_unique<ListFeed>(options.command); break;
        case JobSource::StdinCommands:
            // --shellquote quotes every line, an empty one too, as GNU parallel does.
            plan.feed = std::make_unique<CombinerFeed>(stdin_lines(), options.compat.shellquote == 0);
            break;
    }
    // --shard: the tasks of an array must number the jobs alike (wgrun(1),
    // Cluster arrays): --shuf's order and the packing may not depend on the
    // machine or the run.
    const bool sharded = options.input.shard.has_value();
    // --shuf: every input read first, then the jobs in a random order (one
    // fixed order under --shard).
    if (options.input.shuf && choice.source != JobSource::JoblogFailures) {
        const std::uint64_t seed =
            sharded ? ShuffleFeed::kSharedSeed : std::uint64_t{std::random_device{}()};
        plan.feed = std::make_unique<ShuffleFeed>(std::move(plan.feed), seed);
    }
    // -n -N -L -s -x -X -m --xargs: the records packed into jobs (-m and -X
    // spread a short input over the job slots, whose number may differ from
    // task to task: not under --shard).
    if (choice.source == JobSource::InputSources || choice.source == JobSource::StdinValues) {
        plan.packed = wire_packing(options, plan.command_template, plan.feed, sharded ? 0 : jobs);
    }
    // --tee: each job reads all of stdin.
    if (options.pipe.tee) plan.feed = wrap_tee(std::move(plan.feed), jobs);
    // {##}, {0#}, total_jobs(): every job read first and counted, as GNU
    // parallel does (wgrun(1), REPLACEMENT STRINGS).
    if (needs_job_total(options, plan.command_template)) {
        plan.feed = std::make_unique<CountedFeed>(
            std::move(plan.feed), [total = syntax.total, perl = syntax.perl](std::uint64_t jobs) {
                total->set(jobs);
                if (perl != nullptr) perl->set_total_jobs(jobs);
            });
    }
    return plan;
}

// Runs `print`, which writes to stderr, come what may: when stderr cannot
// be written (a full disk, a pipe nobody reads), the report is lost but
// nothing else changes: no exception ends wgrun, its exit status stands.
template <class Print>
void to_stderr(Print&& print) noexcept {
    try {
        print();
    } catch (const std::exception&) {
    }
    std::clearerr(stderr);
}

// One line on stderr, shown printable, never throwing: for the last words
// of a failing run.
void say(std::string_view line) noexcept {
    to_stderr([line] { fmt::print(stderr, "wgrun: {}\n", printable(line)); });
}

// The Commands form left standard input unread: when input waits there now,
// say so once (wgrun(1), Job sources). Never reads, never waits.
void notice_unread_stdin(const Plan& plan, const Options& options) noexcept {
    if (!plan.stdin_unread || !holds_unread_input(STDIN_FILENO)) return;
    try {
        say(unread_stdin_notice(options.command));
    } catch (const std::exception&) {  // no memory for the line: it is lost
    }
}

// The reader of our stdout went away (`wgrun ... | head -1`): the running
// jobs have been ended; end quietly the way a pipeline expects, by SIGPIPE
// (status 141 in the shell).
[[noreturn]] void die_of(int signal) {
    std::fflush(stdout);
    std::fflush(stderr);
    ::signal(signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    ::raise(signal);  // pending while blocked: delivered by the unblock
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    std::_Exit(128 + signal);
}

// --dry-run: the commands on stdout. A reader that goes away (`| head`)
// ends us as it would any command in a pipeline; any other failed write
// (a full disk, /dev/full) is wgrun's own error, said so.
// A job whose input holds a NUL is not printed (it would not run): warned
// once, and it counts as failed. With -t (`print_commands`) each command is
// on stderr too, first, as GNU parallel prints it. --shellquote: each
// command quoted `quote_times` times as GNU parallel quotes, instead of as
// it is. --shard: the shard's jobs only, with their whole-input numbers.
int dry_run(const Plan& plan, const CommandBuilder& builder, std::uint64_t jobs, Shard shard,
            const JobSkipper* skipper, bool print_commands, int quote_times) {
    std::uint64_t seq = 0;
    std::uint64_t taken = 0;  // the shard's jobs so far (--shard), for {%}
    std::uint64_t not_run = 0;
    std::uint64_t too_long = 0;
    try {
        while (auto args = plan.feed->next()) {
            ++seq;
            if (!shard.takes(seq)) continue;  // --shard: another shard's
            ++taken;
            if (skipper != nullptr && skipper->skip(seq)) continue;  // --resume and co.
            const std::uint64_t slot = jobs == 0 ? taken : (taken - 1) % jobs + 1;
            try {
                const BuiltCommand built = builder.build(JobInput{seq, std::move(*args)}, slot);
                std::string line = built.display;
                for (int i = 0; i < quote_times; ++i) line = gnu_quote(line);
                if (print_commands) {
                    std::fflush(stdout);
                    to_stderr([&] { fmt::print(stderr, "{}\n", line); });
                }
                fmt::print("{}\n", line);
            } catch (const JobSkipped&) {  // skip() or --filter: not run, not printed
            } catch (const PerlError& e) {
                ++not_run;
                std::fflush(stdout);
                fmt::print(stderr, "wgrun: job {}: {}\n", seq, printable(e.what()));
            } catch (const NulInputError& e) {
                ++not_run;
                std::fflush(stdout);
                fmt::print(stderr, "{}", e.warning());
            } catch (const CommandTooLongError& e) {  // argument packing
                ++too_long;
                std::fflush(stdout);
                fmt::print(stderr, "wgrun: {}\n", printable(e.what()));
            }
        }
        if (std::fflush(stdout) != 0) throw std::system_error(errno, std::generic_category());
    } catch (const std::system_error& e) {
        if (e.code() == std::errc::broken_pipe) die_of(SIGPIPE);
        std::clearerr(stdout);
        fmt::print(stderr, "wgrun: --dry-run: cannot write the commands to standard output: {}\n",
                   std::strerror(e.code().value()));
        return kOwnError;
    }
    if (not_run == 0) return exit_status_for_failures(too_long);
    fmt::print(stderr, "wgrun: {} of {} job{} not run: input holds a NUL byte\n", not_run, seq,
               seq == 1 ? "" : "s");
    return exit_status_for_failures(not_run + too_long);
}

// Lets wgrun hold many jobs' pipes at once (-j 1000 needs 2000 fds).
void raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// Bytes in stdout's pipe that its reader has not taken, or nothing when
// stdout is no pipe.
std::optional<std::uint64_t> stdout_backlog() {
    struct stat info {};
    int unread = 0;
    if (::fstat(STDOUT_FILENO, &info) != 0 || !S_ISFIFO(info.st_mode) ||
        ::ioctl(STDOUT_FILENO, FIONREAD, &unread) != 0) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(unread < 0 ? 0 : unread);
}

// "2999808 bytes of job 1, 3000000 bytes of job 2", the first few jobs.
std::string dropped_text(const std::vector<OutputLedger::Pending>& pending) {
    constexpr std::size_t kNamed = 8;
    std::string text;
    std::uint64_t rest_bytes = 0;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        const auto& p = pending[i];
        if (i >= kNamed) {
            rest_bytes += p.bytes;
            continue;
        }
        if (!text.empty()) text += ", ";
        text += fmt::format("{} byte{} of job {}", p.bytes, p.bytes == 1 ? "" : "s", p.seq);
    }
    if (pending.size() > kNamed) {
        text += fmt::format(" and {} bytes of {} more jobs", rest_bytes, pending.size() - kNamed);
    }
    return text;
}

// The run's summary for the sinks, ending now.
RunSummary run_summary(const ResultCollector& results, const Scheduler& scheduler,
                       const Scheduler::Unstarted& unstarted, int exit_status,
                       int interrupted_by, std::chrono::system_clock::time_point start) {
    RunSummary summary;
    summary.jobs = results.total();
    summary.failed = results.failed_count();
    summary.skipped = scheduler.skipped_jobs();
    summary.exit_status = exit_status;
    summary.interrupted_by = interrupted_by;
    summary.not_started = unstarted.jobs;
    summary.input_unread = unstarted.rest_of_input;
    summary.start = start;
    summary.end = std::chrono::system_clock::now();
    return summary;
}

// The StopWatcher gave up: a second SIGINT/SIGTERM, or a stdout that takes
// nothing. Runs on the watcher's thread while the loop may be blocked in a
// write: end every job's tree at once, say what is dropped, finish the
// sinks with what has been recorded (jobs whose output was not out yet are
// not in them), and die of the first signal. A stuck stderr or sink gets 3
// seconds, then wgrun dies all the same.
[[noreturn]] void give_up(int signal, bool second, std::mutex& ending, const OutputLedger& ledger,
                          ResultCollector& results, const Scheduler* scheduler,
                          std::chrono::system_clock::time_point run_start, SlotsWiring& slots) {
    slots.give_back();  // make's tokens, before anything else
    std::thread([signal] {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        die_of(signal);
    }).detach();
    const bool ours = ending.try_lock();  // else main is already reporting
    if (ours && scheduler != nullptr) scheduler->kill_running();
    const std::string dropped = dropped_text(ledger.pending());
    const std::string why =
        second ? fmt::format("a second {}", signal_name(signal))
               : fmt::format("stdout took no output for {} s after {}",
                             StopWatcher::kStall.count() / 1000, signal_name(signal));
    // say(): a stderr that fails must not end this thread with an exception.
    say(dropped.empty() ? fmt::format("stopping now ({})", why)
                        : fmt::format("output dropped: {} ({})", dropped, why));
    if (ours && scheduler != nullptr) {
        const Scheduler::Unstarted unstarted = scheduler->unstarted();
        results.finish(
            run_summary(results, *scheduler, unstarted, 128 + signal, signal, run_start));
        for (const std::string& error : results.sink_errors()) say(error);
    }
    die_of(signal);
}

// The stop signals that end a run (SIGINT, SIGTERM), for the StopWatcher.
sigset_t interrupt_signals(const sigset_t& stop) {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : {SIGINT, SIGTERM}) {
        if (sigismember(&stop, signal) == 1) sigaddset(&set, signal);
    }
    return set;
}

// The signals that end (SIGINT, SIGTERM) or drain (SIGHUP) a run, less those
// wgrun was started with ignored (`nohup`, a background job of a script):
// those stay ignored, as the caller meant.
sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction now {};
        if (::sigaction(signal, nullptr, &now) == 0 && now.sa_handler == SIG_IGN) continue;
        sigaddset(&set, signal);
    }
    return set;
}

// --tmpdir, else $TMPDIR, else /tmp; it must be a directory we can write in.
std::string temp_dir(const Options& options) {
    const char* env = std::getenv("TMPDIR");
    std::string dir = !options.tmpdir.empty()            ? options.tmpdir
                      : env != nullptr && *env != '\0' ? env
                                                        : "/tmp";
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
        throw UsageError(fmt::format("temporary directory '{}': {}", dir, std::strerror(errno)));
    }
    if (!S_ISDIR(info.st_mode) || ::access(dir.c_str(), W_OK | X_OK) != 0) {
        throw UsageError(fmt::format("temporary directory '{}' is not a directory we can write in",
                                     dir));
    }
    return dir;
}

// --color: always, never, or auto (a terminal, and NO_COLOR unset or empty).
bool colour_for(const std::string& when, int fd) {
    if (when == "always") return true;
    if (when == "never") return false;
    const char* no_colour = std::getenv("NO_COLOR");
    return ::isatty(fd) && (no_colour == nullptr || *no_colour == '\0');
}

// --ci: github when asked, or by default when GitHub Actions runs us.
bool ci_github(const Options& options) {
    if (!options.ci.empty()) return options.ci == "github";
    const char* actions = std::getenv("GITHUB_ACTIONS");
    return actions != nullptr && std::string_view(actions) == "true";
}

std::unique_ptr<OutputMode> make_output(const Options& options, OutputGuard* guard,
                                        OutputLedger* ledger, const TemplateSyntax& syntax,
                                        const std::vector<std::string>& column_names) {
    OutputOptions out;
    out.mode = options.ungroup       ? OutputOptions::Mode::Ungroup
               : options.line_buffer ? OutputOptions::Mode::LineBuffer
                                     : OutputOptions::Mode::Group;
    out.keep_order = options.keep_order;
    out.tag = options.tag;
    out.tagstring = name_columns(options.tagstring, column_names);
    out.tagstring_syntax = syntax;
    out.colour_out = colour_for(options.color, STDOUT_FILENO);
    out.colour_err = colour_for(options.color, STDERR_FILENO);
    out.tmpdir = temp_dir(options);
    out.out_fd = STDOUT_FILENO;
    out.err_fd = STDERR_FILENO;
    if (results_table_on_stdout(options)) out.out_fd = out.err_fd = null_output_fd();
    out.guard = guard;  // --bar, --eta
    out.ledger = ledger;
    out.compression = output_compression(options);  // --compress
    // --json - and --joblog -: their records are written by the event loop
    // between jobs' output, so the event loop writes the grouped output too.
    out.background = options.json != "-" && options.joblog != "-" && options.joblog != "+-";
    // -t: its lines go to stderr from the event loop as jobs start, so the
    // event loop writes the grouped output too (never inside a job's).
    if (options.gnu_names.print_commands) out.background = false;
    std::unique_ptr<OutputMode> mode = make_output_mode(out);
    // --ci github: inside --results' tee, which saves the jobs' bytes alone;
    // no groups where lines of jobs mix (-u, --line-buffer without -k).
    if (ci_github(options)) {
        const bool mixed = options.ungroup || (options.line_buffer && !options.keep_order);
        mode = std::make_unique<GithubAnnotations>(std::move(mode), !mixed);
    }
    // --files, --results (output_files_wiring.hpp)
    mode = wrap_output_files(options, std::move(mode), out.tmpdir, out.compression);
    // -t and -v: outside --results, so that it saves the -v line as the
    // job's stdout, as GNU parallel does.
    if (options.gnu_names.print_commands || options.gnu_names.echo_commands) {
        CommandEchoOptions echo;
        echo.print_fd = options.gnu_names.print_commands ? STDERR_FILENO : -1;
        echo.guard = guard;
        echo.echo = options.gnu_names.echo_commands;
        mode = std::make_unique<CommandEcho>(std::move(mode), echo);
    }
    // --retries: only the last attempt's output, -v's line with it.
    return wrap_last_attempt_output(options, std::move(mode), out.tmpdir, out.compression);
}

int run(const Options& options, const sigset_t& child_sigmask, std::vector<int> inherited) {
    // --shard: the jobs this run takes; auto reads an array task's
    // variables and says which (shard_wiring.hpp).
    const Shard shard = choose_shard(options, stderr);
    // --resume, --resume-failed, --retry-failed: the job log is read first;
    // --retry-failed's jobs are its failed commands, not the command line's.
    ResumePlan resume = read_resume(options);
    // -S, --slf: the logins, read (and checked) before anything runs.
    const std::vector<SshLogin> logins = read_logins(options);
    const unsigned cpus = usable_cpus();  // reads affinity and cgroup files: once
    // --slurm: the allocation's nodes give the slots, srun starts the jobs
    // (slurm_wiring.hpp); -j is per node there.
    std::optional<SlurmWiring> slurm;
    if (options.exec.slurm) slurm = wire_slurm(options);
    const std::uint64_t jobs =
        slurm ? slurm->jobs : jobs_at_start(options, cpus);  // -j N, -j FILE, the CPUs
    const TemplateSyntax syntax = template_syntax(options, jobs);
    Plan plan = plan_jobs(options, std::move(resume.retry_feed), syntax, jobs);
    // Shell commands that need no shell run directly (wgrun(1), Running
    // jobs); the others under the shell: --shell, $PARALLEL_SHELL, bash
    // when started from bash, else /bin/sh (exec_wiring.hpp).
    const bool printing_only = options.dry_run || options.compat.shellquote > 0;
    ExecWiring exec =
        wire_exec(options, syntax, printing_only ? "" : temp_dir(options), printing_only);
    CommandBuilder builder(plan.command_template, !options.no_shell, std::move(exec.direct),
                           options.gnu_names.quote);
    // --transferfile, --return: each remote job's files (remote_files_wiring.hpp).
    wire_file_templates(options, syntax, exec.setup);
    if (!logins.empty() && exec.setup.workdir_template) {
        throw UsageError("--workdir with replacement strings is for jobs on this machine: on -S "
                         "hosts give a folder (or ...), and cd in the command");
    }
    exec.setup.stdin_file = plan.stdin_file;  // --cat, --fifo
    builder.set_setup(std::move(exec.setup));
    builder.set_process_slot_var(options.input.process_slot_var);
    if (plan.packed) builder.limit_size(plan.packed->max_bytes, plan.packed->text);
    if (!options.replacements.filter.empty()) {  // --filter (wgrun(1), REPLACEMENT STRINGS)
        std::vector<CommandTemplate> filters;
        try {
            for (const std::string& filter : options.replacements.filter) {
                filters.push_back(CommandTemplate::parse(filter, syntax));
            }
        } catch (const TemplateError& e) {
            throw UsageError(std::string("--filter: ") + e.what());
        }
        builder.set_filters(std::move(filters), syntax.perl);
    }
    if (printing_only) {
        const int status = dry_run(plan, builder, jobs, shard, resume.skipper.get(),
                                   options.gnu_names.print_commands, options.compat.shellquote);
        notice_unread_stdin(plan, options);
        return status;
    }
    ResultWiring wiring = wire_results(options, temp_dir(options), shard);
    if (resume.skipper) wiring.skipper = std::move(resume.skipper);
    // --workdir ...: each job's folder goes when the job ends; the rest at
    // the run's end, however it ends (TempWorkdirs::finish).
    if (exec.temp_workdirs) wiring.sinks.push_back(std::move(exec.temp_workdirs));
    // --cat, --fifo: each job's file likewise.
    if (plan.block_files) wiring.sinks.push_back(std::move(plan.block_files));

    // Orphaned descendants of the jobs come to us, to be found, ended and reaped.
    become_subreaper();
    // Ends the jobs should wgrun be SIGKILLed; forked before any thread.
    JobGuardian guardian;
    // -j, make's jobserver (joined from MAKEFLAGS, or served: MAKEFLAGS is
    // set for the jobs here, before any thread), --load, --memfree.
    SlotsWiring slots = wire_slots(options, cpus, jobs, inherited);
    inherited.insert(inherited.end(), slots.pass_on.begin(), slots.pass_on.end());
    // From here on the scheduler's signalfd reads the stop signals; they are
    // blocked before any thread starts (the output's writer, the pump, the
    // loop), so that every thread has them blocked.
    RunRules rules = options.rules;
    rules.stop_signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &rules.stop_signals, nullptr);
    OutputLedger ledger;  // what each job's output holds, for a give-up
    std::unique_ptr<OutputMode> output =
        make_output(options, wiring.output_guard, &ledger, syntax, plan.column_names);
    raise_fd_limit();
    // Bulk output moves in 1 MiB turns instead of 64 KiB ones (pipe_size.hpp).
    grow_pipe(STDOUT_FILENO, kBigPipe);
    LocalSpawner spawner(child_sigmask, job_pipe_size(jobs), std::move(inherited));
    // -S, --slf: one connection per host, from this thread (it outlives the
    // run: the masters get SIGTERM should wgrun die), then the hosts' slots.
    RemoteWiring remote;
    if (!logins.empty()) {
        remote = wire_remote(options, logins, spawner, cpus, temp_dir(options),
                             [](const std::string& line) { fmt::print(stderr, "{}", line); });
    }
    std::optional<SrunExecutor> srun;  // --slurm: each job a step, started through `spawner`
    if (slurm) srun.emplace(spawner, slurm->srun);
    Executor& executor = remote ? static_cast<Executor&>(*remote.executor)
                         : srun ? static_cast<Executor&>(*srun)
                                : static_cast<Executor&>(spawner);
    SlotPool& pool = remote  ? remote.pool()
                     : slurm ? static_cast<SlotPool&>(*slurm->slots)
                             : slots.pool();
    if (remote || slurm) {  // {host} and {sshlogin}: the slot's, as the pool names it
        syntax.hosts->set([&pool](std::uint64_t slot) {
            SlotHost host;
            host.login = pool.host(slot);
            if (host.login.empty()) return SlotHost{};
            try {
                host.host = parse_login(host.login).host;
            } catch (const LoginError&) {
                host.host = host.login;
            }
            return host;
        });
    }
    ResultCollector results;
    for (auto& sink : wiring.sinks) results.add_sink(*sink);
    // --report: every job, listed at the end instead of the failures only.
    std::unique_ptr<JobReport> report;
    if (options.report) {
        report = std::make_unique<JobReport>(temp_dir(options));
        results.add_sink(*report);
    }
    WaitGroup wg;
    // --pipe: a block read ahead at most (memory stays about -j blocks).
    InputPump input(std::move(plan.feed), options.pipe.on ? 1 : 256, shard);  // numbers the jobs, keeps the shard's
    // --results holds each running job's stdout and stderr files open, and
    // opens its seq and status files as it ends; --files a file per job;
    // --retries spill files: fds a start must leave free.
    const std::size_t fds_per_job = output_fds_per_job(options) + (remote ? 1 : 0);  // + ssh's stdin
    const auto run_start = std::chrono::system_clock::now();
    // Whoever ends the run takes it: main once the loop is over, or the
    // StopWatcher giving up while the loop (or the output's writer) is
    // stuck in a write. It is never released: the run ends once.
    static std::mutex ending;
    std::atomic<const Scheduler*> running{nullptr};  // set below, for the give-up
    std::optional<StopWatcher> stop;
    if (sigset_t interrupts = interrupt_signals(rules.stop_signals); !sigisemptyset(&interrupts)) {
        StopWatcher::Hooks hooks;
        hooks.backlog = stdout_backlog;
        hooks.pending = [&ledger] { return !ledger.pending().empty(); };
        hooks.progress = bytes_out;
        hooks.give_up = [&](int signal, bool second) {
            give_up(signal, second, ending, ledger, results, running.load(), run_start, slots);
        };
        stop.emplace(interrupts, std::move(hooks));
    }
    Scheduler scheduler({input, builder, pool, executor, *output, output->flow(), results,
                         wg, rules, &guardian, wiring.skipper.get(), slots.gate.get(),
                         wiring.keep_tail, fds_per_job,
                         [](const std::string& notice) { fmt::print(stderr, "{}", notice); },
                         stop ? &*stop : nullptr, &ledger});
    running.store(&scheduler);

    wg.add(1);  // the input: held until every job has been added
    std::thread loop = start_thread("the scheduler thread", [&scheduler, &slots] {
        try {
            scheduler.run();
        } catch (const std::exception& e) {
            slots.give_back();  // make's tokens, before anything else
            say(std::string("internal error: ") + e.what());
            std::fflush(stderr);
            std::_Exit(kOwnError);
        }
    });
    wg.wait();
    loop.join();
    remote.stop();  // the hosts' connections
    ending.lock();  // a give-up from now on only dies (see give_up())
    // Every job has ended: the guardian may go, and wgrun need not wait for it.
    guardian.farewell();

    // The reader of our stdout went away, or Ctrl-C or SIGTERM: the jobs are
    // gone; wgrun dies of the same signal once it has reported, so that the
    // calling shell or `set -e` script stops too. SIGHUP that left jobs
    // unstarted: wgrun dies of it too, once the running jobs have finished
    // (GNU parallel exits 0: a script could not tell the work is
    // incomplete). See decide_run_status().
    RunFacts facts;
    facts.interrupted_by = scheduler.interrupted_by();
    facts.late_signal = stop ? stop->signal() : 0;
    const Scheduler::Unstarted unstarted = scheduler.unstarted();
    const std::string input_error = input.error();
    std::vector<std::string> sink_errors = results.sink_errors();
    facts.drained_by = scheduler.drained_by();
    facts.left_unstarted = unstarted.jobs > 0 || unstarted.rest_of_input;
    facts.stdout_closed = output->flow().stdout_closed() || scheduler.stdout_closed();
    facts.own_error = !input_error.empty() || !sink_errors.empty();
    facts.halt_status = scheduler.halt_status();
    facts.halt = rules.halt;
    facts.failed = results.failed_count();
    facts.started = scheduler.started_jobs();
    const RunStatus decided = decide_run_status(facts);
    const int die_signal = decided.die_signal;
    // The progress display clears its line here.
    results.finish(
        run_summary(results, scheduler, unstarted, decided.status, decided.stopped_by, run_start));

    if (die_signal == SIGPIPE) die_of(SIGPIPE);
    to_stderr([&] {
        if (report) {
            report->print(stderr, colour_for(options.color, STDERR_FILENO));
        } else if (!options.quiet) {
            report_failures(results, stderr, colour_for(options.color, STDERR_FILENO));
        }
    });
    if (!input_error.empty()) say(input_error);
    // Errors met while finishing (a full disk under --junit) count too.
    sink_errors = results.sink_errors();
    for (const std::string& error : sink_errors) say(error);
    if (decided.say_hangup_cut) {
        fmt::print(stderr, "wgrun: SIGHUP: {} job{} {}not started{}\n", unstarted.jobs,
                   unstarted.jobs == 1 ? "" : "s", unstarted.rest_of_input ? "read but " : "",
                   unstarted.rest_of_input ? ", and the rest of the input was not read" : "");
    }
    if (die_signal != 0) die_of(die_signal);
    notice_unread_stdin(plan, options);
    return status_after_finish(decided, !sink_errors.empty());
}

}  // namespace
}  // namespace wgrun::cli

int main(int argc, char** argv) {
    using namespace wgrun::cli;
    // --slurm's step guard and step canceller: wgrun's binary in a hidden
    // mode of its own (exec/srun_guard.hpp), before anything is set up.
    if (argc >= 2 && argv[1] == wgrun::kSrunGuardFlag) return wgrun::run_srun_guard(argc, argv);
    if (argc >= 2 && argv[1] == wgrun::kStepCancellerFlag) {
        return wgrun::run_step_canceller(argc, argv);
    }
    // First, before anything opens an fd: a closed stdin, stdout or stderr
    // gets /dev/null, so that none of wgrun's own files lands there (a closed
    // stdout would have received the --joblog file, and the jobs' output
    // with it); then the fds our caller left open for its children, which
    // jobs get too. Every fd wgrun opens itself is close-on-exec.
    wgrun::ensure_standard_fds();
    // One malloc arena for every thread: each thread of wgrun (the input
    // pump, the stop watcher, the output's writer, the event loop) would
    // otherwise map and set up an arena of its own as it first allocates,
    // which a one-job run pays for at start and at exit; wgrun's threads
    // allocate little, and rarely at once.
    ::mallopt(M_ARENA_MAX, 1);
    std::vector<int> inherited = wgrun::inherited_fds();
    // Before any thread: SIGCHLD is read from a signalfd by the scheduler, so
    // it must be blocked everywhere; jobs get the mask we were started with.
    sigset_t child_sigmask;
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGCHLD);
    // SIGUSR1 and SIGUSR2 move -j by one (read by the scheduler too); before
    // the loop reads them they wait, blocked, rather than end wgrun.
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &blocked, &child_sigmask);
    ::signal(SIGCHLD, SIG_DFL);  // an inherited SIG_IGN would reap our children for us
    ::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error to handle, not a death

    try {
        ParseResult parsed = parse(argc, argv);
        if (parsed.outcome == ParseOutcome::Exit) return parsed.status;
        return run(parsed.options, child_sigmask, std::move(inherited));
    } catch (const UsageError& e) {
        return report_usage_error(e, stderr);
    } catch (const std::exception& e) {
        say(e.what());
    }
    return kOwnError;
}
