// options.cpp: CLI11 for the options, and GNU parallel's input separators
// (::: :::: :::+ ::::+), which CLI11 does not know, split off beforehand.
// Values are checked by CLI11 validators (the core's parsers behind them),
// combinations by its excludes and needs; usage_message() puts CLI11's
// errors in wgrun's words.
#include "options.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <initializer_list>
#include <limits>
#include <string_view>

#include <sys/stat.h>

#include "completion.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options_compat.hpp"
#include "source_words.hpp"
#include "version.hpp"
#include "base/duration.hpp"
#include "base/printable.hpp"
#include "schedule/halt_policy.hpp"
#include "schedule/jobs_limit.hpp"
#include "schedule/machine_limits.hpp"
#include "schedule/term_seq.hpp"

namespace wgrun::cli {
namespace {

// The words after the first separator -> input sources, in order. A linked
// separator first (:::+ a, ::::+ f g) links to nothing, as in GNU parallel;
// the files of one ::::+ link to each other.
std::vector<SourceSpec> parse_sources(const std::vector<std::string>& words,
                                      const Separators& separators) {
    std::vector<SourceSpec> sources;
    bool args = false;
    bool linked = false;
    for (const auto& word : words) {
        if (is_separator(word, separators)) {
            linked = word.ends_with('+') && word != separators.args && word != separators.files;
            args = word == separators.args || (linked && word == separators.args + "+");
            if (args) sources.push_back({SourceSpec::Kind::Args, {}, linked});
            continue;
        }
        if (args) {
            sources.back().values.push_back(word);
        } else {  // :::: and ::::+: each file is a source of its own
            sources.push_back({SourceSpec::Kind::File, {word}, linked});
        }
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
    // The value's name only: CLI11's "Needs: --joblog" and "Excludes: -u"
    // would name other options on this option's line (each option is on one
    // line of --help; the descriptions and wgrun(1) say what goes together).
    std::string make_option_opts(const CLI::Option* option) const override {
        std::string opts = CLI::Formatter::make_option_opts(option);
        for (const char* label : {"Needs", "Excludes"}) {
            if (const auto at = opts.find(" " + get_label(label) + ":"); at != std::string::npos) {
                opts.erase(at);
            }
        }
        return opts;
    }
};

// --retries N: a whole number of attempts in all; 0 means 1, as in GNU parallel.
std::uint32_t parse_attempts(std::string_view text) {
    const bool digits = !text.empty() && text.size() <= 10 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoull(std::string(text)) > std::numeric_limits<std::uint32_t>::max()) {
        throw std::invalid_argument("invalid --retries '" + std::string(text) +
                                    "': N is a whole number of attempts in all");
    }
    const auto attempts = static_cast<std::uint32_t>(std::stoull(std::string(text)));
    return attempts == 0 ? 1 : attempts;
}

// --timeout DURATION (above 0) or N% (of the median runtime, N above 0).
struct Timeout {
    Duration after{0};
    unsigned percent = 0;
};
Timeout parse_timeout(std::string_view text) {
    Timeout timeout;
    if (!text.empty() && text.back() == '%') {
        const std::string number(text.substr(0, text.size() - 1));
        if (number.empty() || number.size() > 6 ||
            number.find_first_not_of("0123456789") != std::string::npos ||
            std::stoul(number) == 0) {
            throw std::invalid_argument("invalid --timeout '" + std::string(text) +
                                        "': N% takes a whole number above 0");
        }
        timeout.percent = static_cast<unsigned>(std::stoul(number));
        return timeout;
    }
    timeout.after = parse_duration(text);
    if (timeout.after == Duration::zero()) {
        throw std::invalid_argument("invalid --timeout '" + std::string(text) +
                                    "': it must be above 0");
    }
    return timeout;
}

// Options that go together or not at all: CLI11's excludes and needs, and
// what wgrun says when one is broken. When several are, the first here is
// said (CLI11 would name the first option it finds).
struct Rule {
    enum class Kind { Exclusive, Needs } kind;
    std::vector<std::string> options;  // Exclusive: each excludes the others;
                                       // Needs: the first needs the second
    const char* message;
};
const std::vector<Rule>& rules() {
    using K = Rule::Kind;
    static const std::vector<Rule> table{
        {K::Exclusive, {"--group", "--line-buffer", "--ungroup"},
         "choose one of --group, --line-buffer and --ungroup"},
        {K::Exclusive, {"--report", "--quiet"},
         "--report lists every job and --quiet asks for no report: give one or the other"},
        {K::Exclusive, {"--keep-order", "--ungroup"},
         "--keep-order cannot keep the order of --ungroup output"},
        {K::Exclusive, {"--resume", "--resume-failed", "--retry-failed"},
         "choose one of --resume, --resume-failed and --retry-failed"},
        {K::Needs, {"--resume", "--joblog"}, "--resume and --resume-failed require --joblog"},
        {K::Needs, {"--resume-failed", "--joblog"},
         "--resume and --resume-failed require --joblog"},
        {K::Needs, {"--retry-failed", "--joblog"}, "--retry-failed requires --joblog"},
        {K::Exclusive, {"--fail-fast", "--halt"},
         "--fail-fast is --halt now,fail=1: give one or the other"},
    };
    return table;
}

// The message of the first rule the parsed command line breaks.
std::string broken_rule(const CLI::App& app, const std::string& fallback) {
    for (const Rule& rule : rules()) {
        if (rule.kind == Rule::Kind::Exclusive) {
            const auto given = std::count_if(rule.options.begin(), rule.options.end(),
                                             [&](const std::string& o) { return app.count(o) > 0; });
            if (given > 1) return rule.message;
        } else if (app.count(rule.options[0]) > 0 && app.count(rule.options[1]) == 0) {
            return rule.message;
        }
    }
    return fallback;
}

void setup(CLI::App& app, Options& options, std::vector<std::string>& arg_files) {
    app.formatter(std::make_shared<Formatter>());
    app.description(
        "Run jobs in parallel, at most N at a time, and report every exit code.\n"
        "Jobs come from, first match wins: input sources (COMMAND is a template run once\n"
        "per input); -I -i -d -E -r -0 (the COMMAND words are a template run once per line\n"
        "of stdin); one COMMAND with a replacement string (run once per line of stdin);\n"
        "several COMMANDs (one job each; stdin is not read, and input left there is said);\n"
        "nothing (each line of stdin is a command).");
    app.footer(
        "Input sources:  ::: ARG...   :::: FILE...   :::+ ARG...   ::::+ FILE...\n"
        "  several sources make every combination; :::+ and ::::+ pair with the one before.\n"
        "Replacement strings: {} {.} {/} {//} {/.} {#} {%} {n} {n.} {n/} {n//} {n/.}\n"
        "Exit status: 0 all jobs succeeded, 1-100 that many failed, 101 more than 100\n"
        "failed, 255 wgrun's own error, 130/143 ended by SIGINT/SIGTERM; --halt changes\n"
        "it as in GNU parallel. See wgrun(1).");
    app.prefix_command();  // the first non-option word starts COMMAND
    app.set_help_flag("-h,--help", "Print this help and exit");
    app.set_version_flag("-V,--version", std::string("wgrun ") + version(),
                         "Print the version and exit");
    app.add_option("--completion", options.completion,
                   "Print the completion script for SHELL (bash, zsh or fish) and exit")
        ->check(one_of({"bash", "zsh", "fish"}))
        ->type_name("SHELL");
    app.add_option("-j,-P,--jobs", options.jobs,
                   "Run at most N jobs at once: N, 0 (no limit), N% of CPUs, +N or -N CPUs, or "
                   "FILE (its content, read again as jobs end); SIGUSR1/SIGUSR2 add/take one")
        ->check(CLI::Validator(
            [](const std::string& text) {
                try {
                    parse_jobs(text, 1);  // its message names the value, not the option
                } catch (const JobsError& e) {
                    // GNU's procfile: a name that is not a number.
                    struct stat info {};
                    if (::stat(text.c_str(), &info) == 0 && !S_ISDIR(info.st_mode)) return std::string();
                    return whole(e.what());
                }
                return std::string();
            },
            ""))
        ->type_name("N");
    app.add_flag("--jobserver", options.jobserver,
                 "Serve make's jobserver to the jobs: make inside a job shares -j's slots "
                 "(a jobserver in MAKEFLAGS is always joined)");
    app.add_option("--load", options.load,
                   "Start no job while MAX threads run or wait for disk: N, N%, +N or -N CPUs")
        ->check(parsed_by("--load", [](const std::string& text) { parse_load(text, 1); }))
        ->type_name("MAX");
    app.add_option("--memfree", options.memfree,
                   "Start no job while less than SIZE memory is available (500M, 2G); below "
                   "half of it, run the youngest job again later")
        ->check(parsed_by("--memfree", [](const std::string& text) { parse_size(text); }))
        ->type_name("SIZE");
    app.add_option("-a,--arg-file", arg_files, "Read input values from FILE, one per line (- = stdin)")
        ->type_name("FILE")
        ->expected(1)
        ->allow_extra_args(false)  // -a f cmd: cmd is the command, not a second file
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_flag("-0,--null", options.null, "Input records end at NUL, not newline");
    app.add_flag("--no-shell", options.no_shell,
                 "Split the command into words and exec it, without /bin/sh");
    app.add_flag("--dry-run,--dryrun", options.dry_run,
                 "Print the commands that would run, run nothing");
    app.add_flag("--quiet", options.quiet, "Do not report failed jobs at the end");
    app.add_flag("--report", options.report,
                 "List every job at the end: seq, status, runtime, CPU time, command");
    app.add_flag("--group", options.group, "Write each job's output whole when it ends (default)");
    app.add_flag("--line-buffer,--linebuffer,--lb", options.line_buffer,
                 "Write output while jobs run, one whole line at a time");
    app.add_flag("-u,--ungroup", options.ungroup, "Write output as it comes; lines may mix");
    app.add_flag("-k,--keep-order", options.keep_order, "Write output in job-number order");
    app.add_flag("--tag", options.tag, "Prefix each output line with the job's input and a TAB");
    app.add_option("--tagstring", options.tagstring,
                   "Prefix each output line with STR (replacement strings allowed) and a TAB")
        ->type_name("STR");
    app.add_flag("--color{always}", options.color,
                 "Colour tags and failures: WHEN is auto (default), always or never")
        ->check(one_of({"auto", "always", "never"}));
    app.add_option("--results", options.results,
                   "Also save each job's output: NAME/1/VALUE/.../stdout (GNU's naming), "
                   "NAME per job when it has {..} (DIR/{#}/: DIR/<seq>/), or one table: "
                   "NAME.csv, .tsv, .json")
        ->check(kNotEmpty)
        ->check(kFolderName)
        ->type_name("NAME");
    app.add_option("--tmpdir", options.tmpdir, "Keep output that does not fit in memory in DIR")
        ->check(kNotEmpty)
        ->type_name("DIR");
    app.add_option("--halt", options.halt,
                   "Stop early: never, or now|soon,fail|success|done=N or =N%")
        ->check(kNotEmpty)
        ->check(parsed_by("--halt", parse_halt))
        ->check(suggests({"never", "now,fail=1", "soon,fail=1", "now,success=1", "soon,success=1",
                          "now,done=1", "soon,done=1"}))
        ->type_name("WHEN");
    app.add_flag("--fail-fast", options.fail_fast, "Short for --halt now,fail=1");
    app.add_option("--retries", options.retries, "Run a failing job up to N times in all")
        ->check(kNotEmpty)
        ->check(parsed_by("--retries", parse_attempts))
        ->type_name("N");
    app.add_option("--delay", options.delay, "Wait at least DURATION between two job starts")
        ->check(kNotEmpty)
        ->check(parsed_by("--delay", parse_duration))
        ->type_name("DURATION");
    app.add_option("--timeout", options.timeout,
                   "End a job after DURATION, or N% of the median runtime so far")
        ->check(kNotEmpty)
        ->check(parsed_by("--timeout", parse_timeout))
        ->type_name("DURATION");
    app.add_option("--output-grace", options.output_grace,
                   "Once a job's process has exited, read output its background children "
                   "write until it is silent for DURATION (default 0.5s)")
        ->check(parsed_by("--output-grace", parse_duration))  // empty: the default
        ->type_name("DURATION");
    app.add_option("--term-seq,--termseq", options.term_seq,
                   "How to end a job: SIG,MS,SIG,MS,... (default TERM,200,TERM,100,TERM,50,KILL,25)")
        ->check(kNotEmpty)
        ->check(parsed_by("--term-seq", parse_term_seq))
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
        ->check(one_of({"github", "none"}))
        ->type_name("KIND");
    // Job log and resume: --joblog, --resume, --resume-failed, --retry-failed.
    app.add_option("--joblog", options.joblog,
                   "Log each job as it ends in GNU parallel's TSV; +FILE appends, - is stdout")
        ->check(kNotEmpty)
        ->check(not_value("+", "--joblog needs a file name (or - for standard output)"))
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
        ->check(not_value("-", "--junit needs a file name: the report is put in place whole at "
                               "the end"))
        ->type_name("FILE");
    add_packing_options(app, options);
    add_sources_options(app, options);
    add_replacements_options(app, options);
    add_columns_options(app, options);
    add_gnu_names_options(app, options);
    add_output_options(app, options);
    add_exec_options(app, options);
    add_remote_options(app, options);
    add_pipe_options(app, options);
    add_compat_options(app, options);
    for (const Rule& rule : rules()) {
        const auto& o = rule.options;
        if (rule.kind == Rule::Kind::Needs) {
            app.get_option(o[0])->needs(app.get_option(o[1]));
            continue;
        }
        for (std::size_t i = 0; i < o.size(); ++i) {
            for (std::size_t j = i + 1; j < o.size(); ++j) {
                app.get_option(o[i])->excludes(app.get_option(o[j]));
            }
        }
    }
}

// --halt, --fail-fast, --retries, --delay, --timeout, --output-grace and
// --term-seq into the run's rules. The validators have checked every value.
void parse_rules(Options& options) {
    RunRules& rules = options.rules;
    if (options.fail_fast) rules.halt = parse_halt("now,fail=1");
    if (!options.halt.empty()) rules.halt = parse_halt(options.halt);
    if (!options.retries.empty()) rules.attempts = parse_attempts(options.retries);
    if (!options.delay.empty()) rules.delay = parse_duration(options.delay);
    if (!options.timeout.empty()) {
        const Timeout timeout = parse_timeout(options.timeout);
        rules.timeout = timeout.after;
        rules.timeout_percent = timeout.percent;
    }
    if (!options.output_grace.empty()) rules.output_grace = parse_duration(options.output_grace);
    if (!options.term_seq.empty()) rules.term_seq = parse_term_seq(options.term_seq);
}

// What CLI11 cannot check: one option's value against another's.
void check_combinations(const Options& options) {
    const char* resuming = options.resume          ? "--resume"
                           : options.resume_failed ? "--resume-failed"
                           : options.retry_failed  ? "--retry-failed"
                                                   : nullptr;
    if (resuming != nullptr && (options.joblog == "-" || options.joblog == "+-")) {
        throw UsageError(std::string(resuming) +
                         " reads the --joblog: it must be a file, not - (standard output)");
    }
    if (!options.json.empty() && options.json == options.junit) {
        throw UsageError("--json and --junit cannot both write '" + options.json + "'");
    }
}

// "{auto,always,never}" -> "auto, always or never".
std::string listed(std::string_view set) {
    if (set.starts_with('{') && set.ends_with('}')) set = set.substr(1, set.size() - 2);
    std::vector<std::string_view> values;
    for (std::size_t start = 0;;) {
        const std::size_t comma = set.find(',', start);
        values.push_back(set.substr(start, comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += i == 0 ? "" : i + 1 == values.size() ? " or " : ", ";
        text += values[i];
    }
    return text;
}

// CLI11's messages in wgrun's words: "--jobs: At Most 1 required but
// received 2", "Could not convert: --bar = x", "--group excludes --ungroup"
// and "--ci: x not in {github,none}" say what CLI11 tried, not what the user
// should do; a validator's whole message loses the name CLI11 put in front.
// Other messages keep CLI11's text, which names the option.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e) {
    const std::string what = e.what();
    if (dynamic_cast<const CLI::ExcludesError*>(&e) != nullptr ||
        dynamic_cast<const CLI::RequiresError*>(&e) != nullptr) {
        return broken_rule(app, what);
    }
    const std::string name = what.substr(0, what.find(':'));
    if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {
        if (const auto mark = what.find(kWhole); mark != std::string::npos) {
            return what.substr(mark + 1);
        }
        // IsMember: "--ci: travis not in {github,none}".
        if (const auto set = what.rfind(" not in {");
            set != std::string::npos && what.ends_with('}')) {
            const std::size_t value = name.size() + 2;
            return name + " takes " + listed(std::string_view(what).substr(set + 8)) + ", not '" +
                   what.substr(value, set - value) + "'";
        }
        return what;
    }
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
    ParseResult result;
    Options& options = result.options;
    std::vector<std::string> arg_files;
    CLI::App app("wgrun", "wgrun");
    setup(app, options, arg_files);
    // $PARALLEL, GNU's other spellings, and GNU's options wgrun refuses by name.
    const char* parallel_env = std::getenv("PARALLEL");
    words = gnu_words(app, words, parallel_env);
    // --arg-sep and -i[R] and the like, before the words are split (source_words.hpp).
    const Separators separators = prepare_words(app, words);
    const auto first_separator =
        std::find_if(words.begin() + static_cast<std::ptrdiff_t>(separators.options_end), words.end(),
                     [&](const std::string& w) { return is_separator(w, separators); });
    std::vector<std::string> after(first_separator, words.end());
    words.erase(first_separator, words.end());

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
        // --help wins over a bad value (CLI11 checks values before it looks
        // for --help), though not over an empty one, as before these checks
        // were CLI11's. --version needs no such care: its callback comes
        // before any value's check.
        const bool bad_value = dynamic_cast<const CLI::ValidationError*>(&e) != nullptr &&
                               !std::string_view(e.what()).ends_with(kEmptyValue);
        if (bad_value && app.count("--help") > 0) {
            result.outcome = ParseOutcome::Exit;
            result.status = app.exit(CLI::CallForHelp());
            return result;
        }
        std::string message = usage_message(app, e);
        if (parallel_env != nullptr && *parallel_env != '\0' && app.count("--plain") == 0) {
            message += fmt::format(" (with $PARALLEL='{}')", parallel_env);
        }
        throw UsageError(message);
    }
    if (!options.completion.empty()) {  // the validator has checked the shell
        fmt::print("{}", completion_script(options.completion, completion_options()));
        result.outcome = ParseOutcome::Exit;
        result.status = 0;
        return result;
    }
    options.command = app.remaining();
    if (!options.command.empty() && options.command.front() == "--") {
        options.command.erase(options.command.begin());  // the command may start with '-'
    } else if (!options.command.empty() && options.command.front().size() > 1 &&
               options.command.front().front() == '-') {
        throw UsageError(unknown_option_message(options.command.front()));
    }
    check_combinations(options);
    check_packing_options(app, options);
    check_sources_options(app, options);
    check_replacements_options(app, options);
    check_columns_options(app, options);
    check_gnu_names_options(app, options);
    check_output_options(app, options);
    check_exec_options(app, options);
    check_remote_options(app, options);
    check_compat_options(app, options);
    if (const std::optional<int> status = compat_exit(options)) {  // --citation, --minversion
        result.outcome = ParseOutcome::Exit;
        result.status = *status;
        return result;
    }
    parse_rules(options);
    for (const auto& file : arg_files) {
        options.sources.push_back({SourceSpec::Kind::File, {file}, false});
    }
    for (auto& source : parse_sources(after, separators)) {
        options.sources.push_back(std::move(source));
    }
    check_pipe_options(app, options);  // the sources are known now
    return result;
}

std::vector<std::string> parser_option_names() {
    Options options;
    std::vector<std::string> arg_files;
    CLI::App app("wgrun", "wgrun");
    setup(app, options, arg_files);
    std::vector<std::string> names;
    for (const CLI::Option* option : app.get_options()) {
        // Hidden options are spellings the parser writes itself (--eof-none).
        if (option->get_group().empty()) continue;
        for (const std::string& name : option->get_snames()) names.push_back("-" + name);
        for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    }
    return names;
}

std::vector<CompletionOption> completion_options() {
    using Value = CompletionOption::Value;
    using Kind = CompletionOption::Kind;
    Options options;
    std::vector<std::string> arg_files;
    CLI::App app("wgrun", "wgrun");
    setup(app, options, arg_files);
    std::vector<CompletionOption> listed;
    for (CLI::Option* option : app.get_options()) {
        if (option->get_group().empty()) continue;  // as in parser_option_names()
        CompletionOption entry;
        for (const std::string& name : option->get_snames()) entry.names.push_back("-" + name);
        for (const std::string& name : option->get_lnames()) entry.names.push_back("--" + name);
        // A flag with a default value (--color{always}) takes one only when
        // it is attached: --color=never.
        // -l[N] (expected 0 or 1) likewise: -l2, --max-lines=2.
        entry.value = option->get_items_expected_min() > 0 ? Value::Required
                      : option->get_items_expected_max() > 0 || !option->get_fnames().empty()
                          ? Value::Optional
                          : Value::None;
        if (std::ranges::find(kAttachedValueOptions, entry.names.back()) !=
            std::end(kAttachedValueOptions)) {
            entry.value = Value::Optional;  // prepare_words() takes no next word for them
        }
        entry.value_name = option->get_type_name();
        entry.description = option->get_description();
        // The validators' names carry the values (one_of, suggests) and
        // kFolderName (option_checks.hpp).
        for (int i = 0;; ++i) {
            const CLI::Validator* validator = nullptr;
            try {
                validator = option->get_validator(i);
            } catch (const CLI::OptionNotFound&) {
                break;
            }
            const std::string name = validator->get_name();
            if (name == kCompletesDir) entry.kind = Kind::Dir;
            if (!name.starts_with(kValuesMark)) continue;
            std::string_view rest = std::string_view(name).substr(kValuesMark.size());
            while (!rest.empty()) {
                const std::size_t space = rest.find(' ');
                entry.values.emplace_back(rest.substr(0, space));
                rest = space == std::string_view::npos ? "" : rest.substr(space + 1);
            }
        }
        if (entry.value_name == "FILE") entry.kind = Kind::File;
        if (entry.value_name == "DIR") entry.kind = Kind::Dir;
        if (entry.value_name == "LOGIN") entry.kind = Kind::Host;
        if (entry.value == Value::Optional && entry.value_name.empty()) entry.value_name = "WHEN";
        listed.push_back(std::move(entry));
    }
    return listed;
}

int report_usage_error(const UsageError& error, std::FILE* out) noexcept {
    try {
        fmt::print(out, "wgrun: {}\nTry 'wgrun --help' for more information.\n",
                   printable(error.what()));
    } catch (const std::exception&) {
    }
    std::clearerr(out);
    return kUsageErrorStatus;
}

}  // namespace wgrun::cli
