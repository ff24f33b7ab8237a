// options.cpp: CLI11 for the options, and GNU parallel's input separators
// (::: :::: :::+ ::::+), which CLI11 does not know, split off beforehand.
#include "options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <limits>
#include <string_view>

#include "base/duration.hpp"
#include "schedule/halt_policy.hpp"
#include "schedule/jobs_limit.hpp"
#include "schedule/term_seq.hpp"

#ifndef WGRUN_VERSION
#define WGRUN_VERSION "unknown"
#endif

namespace wgrun::cli {
namespace {

bool is_separator(std::string_view word) {
    return word == ":::" || word == "::::" || word == ":::+" || word == "::::+";
}

// The words after the first separator -> input sources, in order.
std::vector<SourceSpec> parse_sources(const std::vector<std::string>& words) {
    std::vector<SourceSpec> sources;
    std::string_view separator;
    for (const auto& word : words) {
        if (is_separator(word)) {
            separator = word;
            if (separator == ":::" || separator == ":::+") {
                sources.push_back({SourceSpec::Kind::Args, {}, separator == ":::+"});
            }
            continue;
        }
        if (separator == ":::" || separator == ":::+") {
            sources.back().values.push_back(word);
        } else {  // :::: and ::::+: each file is a source of its own
            sources.push_back({SourceSpec::Kind::File, {word}, separator == "::::+"});
        }
    }
    if (!sources.empty() && sources.front().linked) {
        throw UsageError("'" + words.front() + "' links to the input source before it, but there is none");
    }
    return sources;
}

// CLI11 knows nothing of COMMAND and the separators: give the real synopsis.
class Formatter : public CLI::Formatter {
    std::string make_usage(const CLI::App*, std::string) const override {
        return "Usage: wgrun [OPTIONS] [COMMAND...] "
               "[::: ARG... | :::: FILE... | :::+ ARG... | ::::+ FILE...]...\n";
    }
    // "--color{always}" is how CLI11 spells a flag with a value; show it as
    // users write it.
    std::string make_option_name(const CLI::Option* option, bool positional) const override {
        std::string name = CLI::Formatter::make_option_name(option, positional);
        if (const auto brace = name.find('{'); brace != std::string::npos) {
            name = name.substr(0, brace) + "[=WHEN]";
        }
        return name;
    }
};

// An option given an empty value: `--junit "$UNSET"` must not quietly write
// nothing. CLI11 puts the option's name and a colon in front.
const CLI::Validator kNotEmpty(
    [](const std::string& value) {
        return value.empty() ? std::string("the value is empty (an unset variable?)") : std::string();
    },
    "", "not empty");

void setup(CLI::App& app, Options& options, std::vector<std::string>& arg_files) {
    app.formatter(std::make_shared<Formatter>());
    app.description(
        "Run jobs in parallel, at most N at a time, and report every exit code.\n"
        "Jobs come from, first match wins: input sources (COMMAND is a template run once\n"
        "per input); one COMMAND with a replacement string (run once per line of stdin);\n"
        "several COMMANDs (one job each); nothing (each line of stdin is a command).");
    app.footer(
        "Input sources:  ::: ARG...   :::: FILE...   :::+ ARG...   ::::+ FILE...\n"
        "  several sources make every combination; :::+ and ::::+ pair with the one before.\n"
        "Replacement strings: {} {.} {/} {//} {/.} {#} {%} {n} {n.} {n/} {n//} {n/.}\n"
        "Exit status: 0 all jobs succeeded, 1-100 that many failed, 101 more than 100\n"
        "failed, 255 wgrun's own error, 130/143 ended by SIGINT/SIGTERM; --halt changes\n"
        "it as in GNU parallel. See wgrun(1).");
    app.prefix_command();  // the first non-option word starts COMMAND
    app.set_help_flag("-h,--help", "Print this help and exit");
    app.set_version_flag("--version", "wgrun " WGRUN_VERSION, "Print the version and exit");
    app.add_option("-j,--jobs", options.jobs,
                   "Run at most N jobs at once: N, 0 (no limit), N% of CPUs, +N or -N CPUs")
        ->type_name("N");
    app.add_option("-a,--arg-file", arg_files, "Read input values from FILE, one per line (- = stdin)")
        ->type_name("FILE")
        ->expected(1)
        ->allow_extra_args(false)  // -a f cmd: cmd is the command, not a second file
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_flag("-0,--null", options.null, "Input records end at NUL, not newline");
    app.add_flag("--no-shell", options.no_shell,
                 "Split the command into words and exec it, without /bin/sh");
    app.add_flag("--dry-run", options.dry_run, "Print the commands that would run, run nothing");
    app.add_flag("-q,--quiet", options.quiet, "Do not report failed jobs at the end");
    app.add_flag("-v,--report", options.report,
                 "List every job at the end: seq, status, runtime, CPU time, command");
    app.add_flag("--group", options.group, "Write each job's output whole when it ends (default)");
    app.add_flag("--line-buffer,--lb", options.line_buffer,
                 "Write output while jobs run, one whole line at a time");
    app.add_flag("-u,--ungroup", options.ungroup, "Write output as it comes; lines may mix");
    app.add_flag("-k,--keep-order", options.keep_order, "Write output in job-number order");
    app.add_flag("--tag", options.tag, "Prefix each output line with the job's input and a TAB");
    app.add_option("--tagstring", options.tagstring,
                   "Prefix each output line with STR (replacement strings allowed) and a TAB")
        ->type_name("STR");
    app.add_flag("--color{always}", options.color,
                 "Colour tags and failures: WHEN is auto (default), always or never");
    app.add_option("--results", options.results,
                   "Also save each job's stdout, stderr and status in DIR/<seq>/")
        ->check(kNotEmpty)
        ->type_name("DIR");
    app.add_option("--tmpdir", options.tmpdir, "Keep output that does not fit in memory in DIR")
        ->check(kNotEmpty)
        ->type_name("DIR");
    app.add_option("--halt", options.halt,
                   "Stop early: never, or now|soon,fail|success|done=N or =N%")
        ->check(kNotEmpty)
        ->type_name("WHEN");
    app.add_flag("--fail-fast", options.fail_fast, "Short for --halt now,fail=1");
    app.add_option("--retries", options.retries, "Run a failing job up to N times in all")
        ->check(kNotEmpty)
        ->type_name("N");
    app.add_option("--delay", options.delay, "Wait at least DURATION between two job starts")
        ->check(kNotEmpty)
        ->type_name("DURATION");
    app.add_option("--timeout", options.timeout,
                   "End a job after DURATION, or N% of the median runtime so far")
        ->check(kNotEmpty)
        ->type_name("DURATION");
    app.add_option("--output-grace", options.output_grace,
                   "Once a job's process has exited, read output its background children "
                   "write until it is silent for DURATION (default 0.5s)")
        ->type_name("DURATION");
    app.add_option("--term-seq", options.term_seq,
                   "How to end a job: SIG,MS,SIG,MS,... (default TERM,200,TERM,100,TERM,50,KILL,25)")
        ->check(kNotEmpty)
        ->type_name("SEQ");
    // Progress and CI: --bar, --eta, --ci.
    app.add_flag("--bar", options.bar,
                 "Show a progress bar on stderr (a terminal only): done/total, failed, time, ETA");
    app.add_flag("--eta", options.eta,
                 "Show the same facts as --bar on one plain line, redrawn in place");
    app.add_option("--ci", options.ci,
                   "github: fold each job's output in ::group:: lines and annotate failed jobs "
                   "(the default when GITHUB_ACTIONS=true); none: neither")
        ->check(kNotEmpty)
        ->type_name("KIND");
    // Job log and resume: --joblog, --resume, --resume-failed, --retry-failed.
    app.add_option("--joblog", options.joblog,
                   "Log each job as it ends in GNU parallel's TSV; +FILE appends, - is stdout")
        ->check(kNotEmpty)
        ->type_name("FILE");
    app.add_flag("--resume", options.resume, "Leave out the jobs whose Seq is in the --joblog");
    app.add_flag("--resume-failed", options.resume_failed,
                 "Leave out the jobs the --joblog has succeeded; run the failed and the unseen");
    app.add_flag("--retry-failed", options.retry_failed,
                 "Run only the --joblog's failed commands again (ignores COMMAND and inputs)");
    // Result formats: --json, --junit.
    app.add_option("--json", options.json,
                   "Write a JSON object per finished job, then a summary, to FILE (- = stdout)")
        ->check(kNotEmpty)
        ->type_name("FILE");
    app.add_option("--junit", options.junit,
                   "Write JUnit XML to FILE at the end: a testcase per job, for CI")
        ->check(kNotEmpty)
        ->type_name("FILE");
}

// --halt, --fail-fast, --retries, --delay, --timeout and --term-seq, checked
// and parsed before any job runs. The parsers' messages name the text; the
// option is put in front when they do not name it themselves.
template <class Parse>
auto parse_option(const char* option, const std::string& text, Parse parse) {
    try {
        return parse(text);
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        if (what.find(option) != std::string::npos) throw UsageError(what);
        throw UsageError(std::string(option) + ": " + what);
    }
}

// --retries N: a whole number of attempts in all; 0 means 1, as in GNU parallel.
std::uint32_t parse_attempts(const std::string& text) {
    const bool digits = !text.empty() && text.size() <= 10 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoull(text) > std::numeric_limits<std::uint32_t>::max()) {
        throw UsageError("invalid --retries '" + text + "': N is a whole number of attempts in all");
    }
    const auto attempts = static_cast<std::uint32_t>(std::stoull(text));
    return attempts == 0 ? 1 : attempts;
}

void parse_rules(Options& options) {
    RunRules& rules = options.rules;
    if (options.fail_fast && !options.halt.empty()) {
        throw UsageError("--fail-fast is --halt now,fail=1: give one or the other");
    }
    if (options.fail_fast) rules.halt = parse_halt("now,fail=1");
    if (!options.halt.empty()) rules.halt = parse_option("--halt", options.halt, parse_halt);
    if (!options.retries.empty()) rules.attempts = parse_attempts(options.retries);
    if (!options.delay.empty()) rules.delay = parse_option("--delay", options.delay, parse_duration);
    if (const std::string& t = options.timeout; !t.empty() && t.back() == '%') {
        const std::string number = t.substr(0, t.size() - 1);
        if (number.empty() || number.size() > 6 ||
            number.find_first_not_of("0123456789") != std::string::npos || std::stoul(number) == 0) {
            throw UsageError("invalid --timeout '" + t + "': N% takes a whole number above 0");
        }
        rules.timeout_percent = static_cast<unsigned>(std::stoul(number));
    } else if (!t.empty()) {
        rules.timeout = parse_option("--timeout", t, parse_duration);
        if (rules.timeout == Duration::zero()) {
            throw UsageError("invalid --timeout '" + t + "': it must be above 0");
        }
    }
    if (!options.output_grace.empty()) {
        rules.output_grace = parse_option("--output-grace", options.output_grace, parse_duration);
    }
    if (!options.term_seq.empty()) {
        rules.term_seq = parse_option("--term-seq", options.term_seq, parse_term_seq);
    }
}

// Combinations that cannot mean anything, rejected before any job runs.
void check_output_options(const Options& options) {
    if (options.color != "auto" && options.color != "always" && options.color != "never") {
        throw UsageError("--color takes auto, always or never, not '" + options.color + "'");
    }
    if (int{options.group} + int{options.line_buffer} + int{options.ungroup} > 1) {
        throw UsageError("choose one of --group, --line-buffer and --ungroup");
    }
    if (options.report && options.quiet) {
        throw UsageError("--report lists every job and --quiet asks for no report: "
                         "give one or the other");
    }
    if (options.ungroup && options.keep_order) {
        throw UsageError("--keep-order cannot keep the order of --ungroup output");
    }
    // --ci
    if (!options.ci.empty() && options.ci != "github" && options.ci != "none") {
        throw UsageError("--ci takes github or none, not '" + options.ci + "'");
    }
}

// --joblog, --resume, --resume-failed and --retry-failed.
void check_joblog_options(const Options& options, bool joblog_given) {
    if (joblog_given && (options.joblog.empty() || options.joblog == "+")) {
        throw UsageError("--joblog needs a file name (or - for standard output)");
    }
    if (int{options.resume} + int{options.resume_failed} + int{options.retry_failed} > 1) {
        throw UsageError("choose one of --resume, --resume-failed and --retry-failed");
    }
    const char* resuming = options.resume          ? "--resume"
                           : options.resume_failed ? "--resume-failed"
                           : options.retry_failed  ? "--retry-failed"
                                                   : nullptr;
    if (resuming == nullptr) return;
    if (!joblog_given) {
        throw UsageError(options.retry_failed ? "--retry-failed requires --joblog"
                                              : "--resume and --resume-failed require --joblog");
    }
    if (options.joblog == "-" || options.joblog == "+-") {
        throw UsageError(std::string(resuming) +
                         " reads the --joblog: it must be a file, not - (standard output)");
    }
}

// --json and --junit.
void check_result_formats(const Options& options) {
    if (options.junit == "-") {
        throw UsageError("--junit needs a file name: the report is put in place whole at the end");
    }
    if (!options.json.empty() && options.json == options.junit) {
        throw UsageError("--json and --junit cannot both write '" + options.json + "'");
    }
}

// CLI11's messages in wgrun's words: "--jobs: At Most 1 required but
// received 2" and "Could not convert: --bar = x" say what CLI11 tried, not
// what the user should do. Other messages keep CLI11's text, which names the
// option.
std::string usage_message(const CLI::ParseError& e) {
    const std::string what = e.what();
    const std::string name = what.substr(0, what.find(':'));
    if (what.find("At Most 1 required but received") != std::string::npos) {
        return name + " was given more than once: give it once";
    }
    if (const auto missing = what.find(": 1 required "); missing != std::string::npos &&
                                                          what.ends_with(" missing")) {
        const std::size_t type = missing + std::string_view(": 1 required ").size();
        return name + " needs a value (" + what.substr(type, what.size() - type - 8) + ")";
    }
    constexpr std::string_view kConvert = "Could not convert: ";
    if (what.starts_with(kConvert)) {  // only flags are converted by CLI11: --bar=x
        const std::string rest = what.substr(kConvert.size());
        const std::size_t equals = rest.find(" = ");
        if (equals != std::string::npos) {
            return rest.substr(0, equals) + " takes no value, not '" + rest.substr(equals + 3) + "'";
        }
    }
    return what;
}

}  // namespace

ParseResult parse(int argc, const char* const* argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    const auto first_separator = std::find_if(words.begin(), words.end(),
                                              [](const std::string& w) { return is_separator(w); });
    std::vector<std::string> after(first_separator, words.end());
    words.erase(first_separator, words.end());

    ParseResult result;
    Options& options = result.options;
    std::vector<std::string> arg_files;
    CLI::App app("wgrun", "wgrun");
    setup(app, options, arg_files);
    try {
        std::reverse(words.begin(), words.end());  // CLI11 2.1 takes them reversed
        app.parse(words);
    } catch (const CLI::CallForHelp& e) {
        result.outcome = ParseOutcome::Exit;
        result.status = app.exit(e);
        return result;
    } catch (const CLI::CallForVersion& e) {
        result.outcome = ParseOutcome::Exit;
        result.status = app.exit(e);
        return result;
    } catch (const CLI::ParseError& e) {
        throw UsageError(usage_message(e));
    }
    options.command = app.remaining();
    if (!options.command.empty() && options.command.front() == "--") {
        options.command.erase(options.command.begin());  // the command may start with '-'
    } else if (!options.command.empty() && options.command.front().size() > 1 &&
               options.command.front().front() == '-') {
        throw UsageError("unknown option '" + options.command.front() + "'");
    }
    if (app.count("--jobs") > 0) {
        try {
            parse_jobs(options.jobs, 1);  // reject a bad form before anything runs
        } catch (const JobsError& e) {
            throw UsageError(e.what());
        }
    }
    check_output_options(options);
    check_joblog_options(options, app.count("--joblog") > 0);
    parse_rules(options);
    check_result_formats(options);
    for (const auto& file : arg_files) {
        options.sources.push_back({SourceSpec::Kind::File, {file}, false});
    }
    for (auto& source : parse_sources(after)) options.sources.push_back(std::move(source));
    return result;
}

}  // namespace wgrun::cli
