// options_test.cpp: wgrun's command line parsed from argument lists, no job
// run: every option lands in Options, every usage error has its message and
// status, --help and --version end the parse.
#include "options.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::parse_args;
using wgrun::test::usage_error_of;

using namespace std::chrono_literals;
using wgrun::HaltPolicy;
using wgrun::SourceSpec;
using wgrun::cli::kUsageErrorStatus;
using wgrun::cli::Options;
using wgrun::cli::parse;
using wgrun::cli::ParseOutcome;
using wgrun::cli::ParseResult;
using wgrun::cli::report_usage_error;
using wgrun::cli::UsageError;

std::string text_of(std::FILE* file) {
    std::rewind(file);
    std::string text;
    for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
    return text;
}

// ---- no option ---------------------------------------------------------------

TEST(Options, NothingGivenIsEveryDefault) {
    const Options o = options_of({});
    EXPECT_EQ(o.jobs, "");
    EXPECT_FALSE(o.null || o.no_shell || o.dry_run || o.quiet || o.report);
    EXPECT_FALSE(o.group || o.line_buffer || o.ungroup || o.keep_order || o.tag);
    EXPECT_EQ(o.tagstring, "");
    EXPECT_EQ(o.color, "auto");
    EXPECT_EQ(o.results, "");
    EXPECT_EQ(o.tmpdir, "");
    EXPECT_FALSE(o.fail_fast || o.bar || o.eta || o.resume || o.resume_failed || o.retry_failed);
    EXPECT_EQ(o.ci, "");
    EXPECT_EQ(o.joblog, "");
    EXPECT_EQ(o.json, "");
    EXPECT_EQ(o.junit, "");
    EXPECT_TRUE(o.command.empty());
    EXPECT_TRUE(o.sources.empty());
    EXPECT_EQ(o.rules.halt.when, HaltPolicy::When::Never);
    EXPECT_EQ(o.rules.attempts, 1u);
    EXPECT_EQ(o.rules.delay, 0ns);
    EXPECT_EQ(o.rules.timeout, 0ns);
    EXPECT_EQ(o.rules.timeout_percent, 0u);
    EXPECT_EQ(o.rules.output_grace, 500ms);
    EXPECT_EQ(o.rules.term_seq.size(), wgrun::default_term_seq().size());
}

// ---- every option, its value in Options ----------------------------------------

TEST(Options, Jobs) {
    EXPECT_EQ(options_of({"-j", "4"}).jobs, "4");
    EXPECT_EQ(options_of({"--jobs", "0"}).jobs, "0");
    EXPECT_EQ(options_of({"--jobs=50%"}).jobs, "50%");
    EXPECT_EQ(options_of({"-j", "+2"}).jobs, "+2");
    EXPECT_EQ(options_of({"-j", "-1"}).jobs, "-1");
    EXPECT_EQ(options_of({"-j8"}).jobs, "8");
}

TEST(Options, Flags) {
    EXPECT_TRUE(options_of({"-0"}).null);
    EXPECT_TRUE(options_of({"--null"}).null);
    EXPECT_TRUE(options_of({"--no-shell"}).no_shell);
    EXPECT_TRUE(options_of({"--dry-run"}).dry_run);
    EXPECT_TRUE(options_of({"--quiet"}).quiet);
    EXPECT_TRUE(options_of({"--report"}).report);
    EXPECT_TRUE(options_of({"--tag"}).tag);
    EXPECT_TRUE(options_of({"--fail-fast"}).fail_fast);
    EXPECT_TRUE(options_of({"--bar"}).bar);
    EXPECT_TRUE(options_of({"--eta"}).eta);
}

TEST(Options, ShortFlagsTogether) {
    const Options o = options_of({"-0kt", "echo"});
    EXPECT_TRUE(o.null);
    EXPECT_TRUE(o.keep_order);
    EXPECT_TRUE(o.gnu_names.print_commands);
    EXPECT_EQ(o.command, std::vector<std::string>{"echo"});
}

TEST(Options, OutputModes) {
    EXPECT_TRUE(options_of({"--group"}).group);
    EXPECT_TRUE(options_of({"--line-buffer"}).line_buffer);
    EXPECT_TRUE(options_of({"--lb"}).line_buffer);
    EXPECT_TRUE(options_of({"-u"}).ungroup);
    EXPECT_TRUE(options_of({"--ungroup"}).ungroup);
    EXPECT_TRUE(options_of({"-k"}).keep_order);
    EXPECT_TRUE(options_of({"--keep-order"}).keep_order);
    const Options lb_k = options_of({"--lb", "-k"});
    EXPECT_TRUE(lb_k.line_buffer && lb_k.keep_order);
    const Options group_k = options_of({"--group", "--keep-order"});
    EXPECT_TRUE(group_k.group && group_k.keep_order);
}

TEST(Options, Tagstring) {
    EXPECT_EQ(options_of({"--tagstring", "{#}:"}).tagstring, "{#}:");
    EXPECT_EQ(options_of({"--tagstring", ""}).tagstring, "");  // no check: an empty prefix
    // "--opt=" with nothing after the '=' takes the next word, as CLI11 does.
    const Options next = options_of({"--tagstring=", "x", "echo"});
    EXPECT_EQ(next.tagstring, "x");
    EXPECT_EQ(next.command, std::vector<std::string>{"echo"});
}

TEST(Options, Color) {
    EXPECT_EQ(options_of({"--color"}).color, "always");
    EXPECT_EQ(options_of({"--color=always"}).color, "always");
    EXPECT_EQ(options_of({"--color=never"}).color, "never");
    EXPECT_EQ(options_of({"--color=auto"}).color, "auto");
    // A flag takes no separate word: "bogus" is the command.
    const Options o = options_of({"--color", "bogus"});
    EXPECT_EQ(o.color, "always");
    EXPECT_EQ(o.command, std::vector<std::string>{"bogus"});
}

TEST(Options, ColorWithAnEmptyValueIsAlways) {
    EXPECT_EQ(options_of({"--color="}).color, "always");
}

TEST(Options, ResultsAndTmpdir) {
    EXPECT_EQ(options_of({"--results", "out"}).results, "out");
    EXPECT_EQ(options_of({"--tmpdir", "/var/tmp"}).tmpdir, "/var/tmp");
}

TEST(Options, Halt) {
    const Options o = options_of({"--halt", "soon,fail=20%"});
    EXPECT_EQ(o.halt, "soon,fail=20%");
    EXPECT_EQ(o.rules.halt.when, HaltPolicy::When::Soon);
    EXPECT_EQ(o.rules.halt.why, HaltPolicy::Why::Fail);
    EXPECT_TRUE(o.rules.halt.is_percent);
    EXPECT_EQ(o.rules.halt.percent, 20u);
    const Options two = options_of({"--halt", "2"});  // GNU's short form: now,fail=1
    EXPECT_EQ(two.rules.halt.when, HaltPolicy::When::Now);
    EXPECT_EQ(two.rules.halt.count, 1u);
    EXPECT_EQ(options_of({"--halt=never"}).rules.halt.when, HaltPolicy::When::Never);
}

TEST(Options, FailFastIsHaltNowFail1) {
    const Options o = options_of({"--fail-fast"});
    EXPECT_EQ(o.rules.halt.when, HaltPolicy::When::Now);
    EXPECT_EQ(o.rules.halt.why, HaltPolicy::Why::Fail);
    EXPECT_EQ(o.rules.halt.count, 1u);
    EXPECT_FALSE(o.rules.halt.is_percent);
}

TEST(Options, Retries) {
    EXPECT_EQ(options_of({"--retries", "3"}).rules.attempts, 3u);
    EXPECT_EQ(options_of({"--retries", "3"}).retries, "3");
    EXPECT_EQ(options_of({"--retries", "0"}).rules.attempts, 1u);  // GNU: 0 means 1
    EXPECT_EQ(options_of({"--retries", "4294967295"}).rules.attempts, 4294967295u);
}

TEST(Options, Delay) {
    EXPECT_EQ(options_of({"--delay", "2.5"}).rules.delay, 2500ms);
    EXPECT_EQ(options_of({"--delay", "500ms"}).rules.delay, 500ms);
    EXPECT_EQ(options_of({"--delay", "0"}).rules.delay, 0ns);
    EXPECT_EQ(options_of({"--delay", "1s"}).delay, "1s");
}

TEST(Options, Timeout) {
    const Options after = options_of({"--timeout", "1m"});
    EXPECT_EQ(after.timeout, "1m");
    EXPECT_EQ(after.rules.timeout, 60s);
    EXPECT_EQ(after.rules.timeout_percent, 0u);
    const Options percent = options_of({"--timeout", "200%"});
    EXPECT_EQ(percent.rules.timeout, 0ns);
    EXPECT_EQ(percent.rules.timeout_percent, 200u);
    EXPECT_EQ(options_of({"--timeout", "999999%"}).rules.timeout_percent, 999999u);
}

TEST(Options, OutputGrace) {
    EXPECT_EQ(options_of({"--output-grace", "2s"}).rules.output_grace, 2s);
    EXPECT_EQ(options_of({"--output-grace", "0"}).rules.output_grace, 0ns);
    EXPECT_EQ(options_of({"--output-grace", ""}).rules.output_grace, 500ms);  // empty: default
}

TEST(Options, TermSeq) {
    const Options o = options_of({"--term-seq", "INT,100,KILL,25"});
    EXPECT_EQ(o.term_seq, "INT,100,KILL,25");
    ASSERT_EQ(o.rules.term_seq.size(), 2u);
    EXPECT_EQ(o.rules.term_seq[0].signal, SIGINT);
    EXPECT_EQ(o.rules.term_seq[0].wait, 100ms);
    EXPECT_EQ(o.rules.term_seq[1].signal, SIGKILL);
    EXPECT_EQ(o.rules.term_seq[1].wait, 25ms);
}

TEST(Options, Ci) {
    EXPECT_EQ(options_of({"--ci", "github"}).ci, "github");
    EXPECT_EQ(options_of({"--ci=none"}).ci, "none");
}

TEST(Options, Joblog) {
    EXPECT_EQ(options_of({"--joblog", "run.log"}).joblog, "run.log");
    EXPECT_EQ(options_of({"--joblog", "+run.log"}).joblog, "+run.log");
    EXPECT_EQ(options_of({"--joblog", "-"}).joblog, "-");
    EXPECT_EQ(options_of({"--joblog", "+-"}).joblog, "+-");
}

TEST(Options, ResumeOptions) {
    EXPECT_TRUE(options_of({"--joblog", "l", "--resume"}).resume);
    EXPECT_TRUE(options_of({"--joblog", "l", "--resume-failed"}).resume_failed);
    EXPECT_TRUE(options_of({"--joblog", "+l", "--retry-failed"}).retry_failed);
}

TEST(Options, ResultFormats) {
    EXPECT_EQ(options_of({"--json", "out.jsonl"}).json, "out.jsonl");
    EXPECT_EQ(options_of({"--json", "-"}).json, "-");
    EXPECT_EQ(options_of({"--junit", "report.xml"}).junit, "report.xml");
    const Options both = options_of({"--json", "a", "--junit", "b"});
    EXPECT_EQ(both.json, "a");
    EXPECT_EQ(both.junit, "b");
}

// ---- the command and the input sources ---------------------------------------

TEST(Options, TheFirstWordThatIsNoOptionStartsTheCommand) {
    const Options o = options_of({"-j2", "echo", "-n", "--bar", "x"});
    EXPECT_EQ(o.jobs, "2");
    EXPECT_FALSE(o.bar);
    EXPECT_EQ(o.command, (std::vector<std::string>{"echo", "-n", "--bar", "x"}));
}

TEST(Options, DoubleDashLetsTheCommandStartWithADash) {
    EXPECT_EQ(options_of({"--", "-x", "y"}).command, (std::vector<std::string>{"-x", "y"}));
    EXPECT_EQ(options_of({"-k", "--", "-"}).command, std::vector<std::string>{"-"});
}

TEST(Options, ALoneDashIsACommand) {
    EXPECT_EQ(options_of({"-"}).command, std::vector<std::string>{"-"});
}

TEST(Options, InputSourcesInOrderArgFilesFirst) {
    const Options o = options_of({"-a", "f1", "-a", "f2", "echo", "{}", ":::", "a", "b",
                                  "::::", "g1", "g2", ":::+", "c", "::::+", "h"});
    EXPECT_EQ(o.command, (std::vector<std::string>{"echo", "{}"}));
    ASSERT_EQ(o.sources.size(), 7u);
    auto is = [](const SourceSpec& s, SourceSpec::Kind kind, std::vector<std::string> values,
                 bool linked) {
        return s.kind == kind && s.values == values && s.linked == linked;
    };
    using K = SourceSpec::Kind;
    EXPECT_TRUE(is(o.sources[0], K::File, {"f1"}, false));
    EXPECT_TRUE(is(o.sources[1], K::File, {"f2"}, false));
    EXPECT_TRUE(is(o.sources[2], K::Args, {"a", "b"}, false));
    EXPECT_TRUE(is(o.sources[3], K::File, {"g1"}, false));  // each :::: file is a source
    EXPECT_TRUE(is(o.sources[4], K::File, {"g2"}, false));
    EXPECT_TRUE(is(o.sources[5], K::Args, {"c"}, true));
    EXPECT_TRUE(is(o.sources[6], K::File, {"h"}, true));
}

TEST(Options, ArgFileTakesOneWordTheRestIsTheCommand) {
    const Options o = options_of({"-a", "f", "cmd", "x"});
    ASSERT_EQ(o.sources.size(), 1u);
    EXPECT_EQ(o.sources[0].values, std::vector<std::string>{"f"});
    EXPECT_EQ(o.command, (std::vector<std::string>{"cmd", "x"}));
    EXPECT_EQ(options_of({"--arg-file", "-"}).sources[0].values, std::vector<std::string>{"-"});
}

TEST(Options, SeparatorsEndTheOptions) {
    // An option-like word after ::: is a value, not an option.
    const Options o = options_of({"echo", ":::", "--bar", "-j"});
    EXPECT_FALSE(o.bar);
    ASSERT_EQ(o.sources.size(), 1u);
    EXPECT_EQ(o.sources[0].values, (std::vector<std::string>{"--bar", "-j"}));
    EXPECT_TRUE(options_of({":::", "a"}).command.empty());
    EXPECT_TRUE(options_of({"echo", ":::"}).sources[0].values.empty());
}

// ---- --help and --version ------------------------------------------------------

TEST(Options, HelpIsPrintedAndEndsTheParse) {
    for (const char* flag : {"-h", "--help"}) {
        testing::internal::CaptureStdout();
        ParseResult result;
        EXPECT_NO_THROW(result = parse_args({flag}));
        const std::string help = testing::internal::GetCapturedStdout();
        EXPECT_EQ(result.outcome, ParseOutcome::Exit);
        EXPECT_EQ(result.status, 0);
        EXPECT_NE(help.find("Usage: wgrun [OPTIONS] [COMMAND...]"), std::string::npos) << help;
        EXPECT_NE(help.find("--color[=WHEN]"), std::string::npos) << help;
        // Each option on one line: no "Excludes:" or "Needs:" naming others.
        EXPECT_EQ(help.find("Excludes"), std::string::npos) << help;
        EXPECT_EQ(help.find("Needs"), std::string::npos) << help;
        EXPECT_NE(help.find("  --ci KIND  "), std::string::npos) << help;  // no "{github,none}"
    }
}

TEST(Options, HelpWinsOverABadValueButNotOverAnEmptyOne) {
    for (std::initializer_list<std::string> args :
         {std::initializer_list<std::string>{"--help", "-j", "bogus"},
          {"-h", "--halt", "bogus"},
          {"--retries", "x", "--help"},
          {"--help", "--color=x"},
          {"--help", "--group", "-u"},
          {"--help", "--resume"},
          {"--help", "--json", "a", "--junit", "a"}}) {
        testing::internal::CaptureStdout();
        ParseResult result;
        EXPECT_NO_THROW(result = parse_args(args));
        const std::string help = testing::internal::GetCapturedStdout();
        EXPECT_EQ(result.outcome, ParseOutcome::Exit);
        EXPECT_EQ(result.status, 0);
        EXPECT_NE(help.find("Usage: wgrun"), std::string::npos);
    }
    EXPECT_EQ(usage_error_of({"--help", "--json", ""}),
              "--json: the value is empty (an unset variable?)");
}

TEST(Options, VersionIsPrintedAndEndsTheParse) {
    for (std::initializer_list<std::string> args : {std::initializer_list<std::string>{"--version"},
                                                    {"--version", "-j", "bogus"},
                                                    {"--version", "--json", ""}}) {
        testing::internal::CaptureStdout();
        ParseResult result;
        EXPECT_NO_THROW(result = parse_args(args));
        const std::string version = testing::internal::GetCapturedStdout();
        EXPECT_EQ(result.outcome, ParseOutcome::Exit);
        EXPECT_EQ(result.status, 0);
        EXPECT_EQ(version.rfind("wgrun ", 0), 0u) << version;
    }
}

// ---- usage errors: message and status -------------------------------------------

TEST(UsageErrors, AreReportedWithTheHintAndStatus255) {
    std::FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(report_usage_error(UsageError("--ci takes github or none, not '\x1b]0;x\x07'"), out),
              255);
    EXPECT_EQ(text_of(out),
              "wgrun: --ci takes github or none, not '\\x1b]0;x\\x07'\n"
              "Try 'wgrun --help' for more information.\n");
    std::fclose(out);
    EXPECT_EQ(kUsageErrorStatus, 255);
}

TEST(UsageErrors, UnknownOptions) {
    EXPECT_EQ(usage_error_of({"--bogus"}), "unknown option '--bogus'");
    EXPECT_EQ(usage_error_of({"-Z"}), "unknown option '-Z'");
    EXPECT_EQ(usage_error_of({"-Z-unknown"}), "unknown option '-Z-unknown'");  // -x is xargs' now
    EXPECT_EQ(usage_error_of({"-j", "2", "--bogus", "echo"}), "unknown option '--bogus'");
}

TEST(UsageErrors, Jobs) {
    const std::string forms = "expected N, N%, +N or -N with N a whole number";
    for (const char* bad : {"abc", "", "1.5", "5x", "5%%", "-x"}) {
        EXPECT_EQ(usage_error_of({"-j", bad}),
                  std::string("invalid jobs value '") + bad + "': " + forms);
    }
    EXPECT_EQ(usage_error_of({"--jobs=-x"}), "invalid jobs value '-x': " + forms);
    EXPECT_EQ(usage_error_of({"-j", "2000000"}), "invalid jobs value '2000000': more than 1000000");
    EXPECT_EQ(usage_error_of({"-j"}), "--jobs needs a value (N)");
    EXPECT_EQ(usage_error_of({"-j", "2", "-j", "3"}),
              "--jobs was given more than once: give it once");
}

TEST(UsageErrors, ValuesAreNeededWhereTaken) {
    EXPECT_EQ(usage_error_of({"-a"}), "--arg-file needs a value (FILE)");
    EXPECT_EQ(usage_error_of({"--tagstring"}), "--tagstring needs a value (STR)");
    EXPECT_EQ(usage_error_of({"--halt"}), "--halt needs a value (WHEN)");
    EXPECT_EQ(usage_error_of({"--json"}), "--json needs a value (FILE)");
    EXPECT_EQ(usage_error_of({"--term-seq"}), "--term-seq needs a value (SEQ)");
}

TEST(UsageErrors, FlagsTakeNoValue) {
    EXPECT_EQ(usage_error_of({"--bar=x"}), "--bar takes no value, not 'x'");
    EXPECT_EQ(usage_error_of({"--tag=x"}), "--tag takes no value, not 'x'");
    // CLI11 takes a boolean word after '=' as the flag's value.
    EXPECT_TRUE(options_of({"--tag=1"}).tag);
    EXPECT_FALSE(options_of({"--tag=0"}).tag);
}

TEST(UsageErrors, GivenTwice) {
    EXPECT_EQ(usage_error_of({"--json", "a", "--json", "b"}),
              "--json was given more than once: give it once");
    EXPECT_EQ(usage_error_of({"--halt", "never", "--halt", "2"}),
              "--halt was given more than once: give it once");
}

TEST(UsageErrors, EmptyValues) {
    for (const char* option : {"--json", "--junit", "--results", "--tmpdir", "--halt", "--delay",
                               "--timeout", "--term-seq", "--ci", "--retries", "--joblog"}) {
        EXPECT_EQ(usage_error_of({option, ""}),
                  std::string(option) + ": the value is empty (an unset variable?)");
    }
}

TEST(UsageErrors, Color) {
    EXPECT_EQ(usage_error_of({"--color=bogus"}),
              "--color takes auto, always or never, not 'bogus'");
    EXPECT_EQ(usage_error_of({"--color=Always"}),
              "--color takes auto, always or never, not 'Always'");
}

TEST(UsageErrors, Ci) {
    EXPECT_EQ(usage_error_of({"--ci", "travis"}), "--ci takes github or none, not 'travis'");
    EXPECT_EQ(usage_error_of({"--ci", "a not in {b}"}),
              "--ci takes github or none, not 'a not in {b}'");
}

TEST(UsageErrors, OutputModesThatExcludeEachOther) {
    const std::string one_mode = "choose one of --group, --line-buffer and --ungroup";
    EXPECT_EQ(usage_error_of({"--group", "--ungroup"}), one_mode);
    EXPECT_EQ(usage_error_of({"--lb", "-u"}), one_mode);
    EXPECT_EQ(usage_error_of({"--line-buffer", "--ungroup"}), one_mode);
    EXPECT_EQ(usage_error_of({"--group", "--lb"}), one_mode);
    EXPECT_EQ(usage_error_of({"--group", "--line-buffer", "--ungroup"}), one_mode);
    EXPECT_EQ(usage_error_of({"-k", "-u"}),
              "--keep-order cannot keep the order of --ungroup output");
    EXPECT_EQ(usage_error_of({"-u", "--keep-order"}),
              "--keep-order cannot keep the order of --ungroup output");
}

TEST(UsageErrors, ReportAndQuiet) {
    const std::string message =
        "--report lists every job and --quiet asks for no report: give one or the other";
    EXPECT_EQ(usage_error_of({"--report", "--quiet"}), message);
    EXPECT_EQ(usage_error_of({"--quiet", "--report"}), message);
}

TEST(UsageErrors, Halt) {
    const std::string grammar = "expected never, or now|soon,fail|success|done=N or =N%";
    EXPECT_EQ(usage_error_of({"--fail-fast", "--halt", "now,fail=1"}),
              "--fail-fast is --halt now,fail=1: give one or the other");
    EXPECT_EQ(usage_error_of({"--halt", "bogus"}), "invalid --halt 'bogus': " + grammar);
    EXPECT_EQ(usage_error_of({"--halt", "now,fail=0"}),
              "invalid --halt 'now,fail=0': N must be 1 or more (" + grammar + ")");
    EXPECT_EQ(usage_error_of({"--halt", "now,fail=101%"}),
              "invalid --halt 'now,fail=101%': N% must be 1% to 100% (" + grammar + ")");
    for (const char* bad : {"soon", "later,fail=1", "now,fail", "now,oops=1", "now,fail=1,x"}) {
        EXPECT_EQ(usage_error_of({"--halt", bad}).rfind(std::string("invalid --halt '") + bad, 0),
                  0u)
            << bad;
    }
}

TEST(UsageErrors, Retries) {
    for (const char* bad : {"-1", "abc", "99999999999", "4294967296", "1.5", "+2"}) {
        EXPECT_EQ(
            usage_error_of({"--retries", bad}),
            std::string("invalid --retries '") + bad + "': N is a whole number of attempts in all");
    }
}

TEST(UsageErrors, Durations) {
    EXPECT_EQ(usage_error_of({"--delay", "abc"}),
              "--delay: invalid duration 'abc': no number before 'abc'");
    EXPECT_EQ(usage_error_of({"--delay", "-1"}),
              "--delay: invalid duration '-1': a duration has no sign");
    EXPECT_EQ(usage_error_of({"--timeout", "abc"}),
              "--timeout: invalid duration 'abc': no number before 'abc'");
    EXPECT_EQ(usage_error_of({"--output-grace", "abc"}),
              "--output-grace: invalid duration 'abc': no number before 'abc'");
}

TEST(UsageErrors, Timeout) {
    EXPECT_EQ(usage_error_of({"--timeout", "0"}), "invalid --timeout '0': it must be above 0");
    EXPECT_EQ(usage_error_of({"--timeout", "0s"}), "invalid --timeout '0s': it must be above 0");
    for (const char* bad : {"0%", "5x%", "%", "1234567%", "-5%"}) {
        EXPECT_EQ(usage_error_of({"--timeout", bad}),
                  std::string("invalid --timeout '") + bad + "': N% takes a whole number above 0");
    }
}

TEST(UsageErrors, TermSeq) {
    const std::string pairs = "give SIG,MS pairs, e.g. TERM,200,KILL,25";
    EXPECT_EQ(usage_error_of({"--term-seq", "TERM"}),
              "invalid --term-seq 'TERM': 'TERM' has no wait after it: " + pairs);
    EXPECT_EQ(usage_error_of({"--term-seq", "INT,100,KILL"}),
              "invalid --term-seq 'INT,100,KILL': 'KILL' has no wait after it: " + pairs);
    EXPECT_EQ(usage_error_of({"--term-seq", "FOO,100"}),
              "invalid --term-seq 'FOO,100': unknown signal 'FOO'");
}

TEST(UsageErrors, Joblog) {
    EXPECT_EQ(usage_error_of({"--joblog", "+"}),
              "--joblog needs a file name (or - for standard output)");
    EXPECT_EQ(usage_error_of({"--resume"}), "--resume and --resume-failed require --joblog");
    EXPECT_EQ(usage_error_of({"--resume-failed"}), "--resume and --resume-failed require --joblog");
    EXPECT_EQ(usage_error_of({"--retry-failed"}), "--retry-failed requires --joblog");
    EXPECT_EQ(usage_error_of({"--joblog", "-", "--resume"}),
              "--resume reads the --joblog: it must be a file, not - (standard output)");
    EXPECT_EQ(usage_error_of({"--joblog", "+-", "--resume-failed"}),
              "--resume-failed reads the --joblog: it must be a file, not - (standard output)");
    EXPECT_EQ(usage_error_of({"--joblog", "-", "--retry-failed"}),
              "--retry-failed reads the --joblog: it must be a file, not - (standard output)");
    const std::string one = "choose one of --resume, --resume-failed and --retry-failed";
    EXPECT_EQ(usage_error_of({"--joblog", "x", "--resume", "--resume-failed"}), one);
    EXPECT_EQ(usage_error_of({"--joblog", "x", "--resume", "--retry-failed"}), one);
    EXPECT_EQ(usage_error_of({"--joblog", "x", "--resume-failed", "--retry-failed"}), one);
}

TEST(UsageErrors, ResultFormats) {
    EXPECT_EQ(usage_error_of({"--junit", "-"}),
              "--junit needs a file name: the report is put in place whole at the end");
    EXPECT_EQ(usage_error_of({"--json", "-", "--junit", "-"}),
              "--junit needs a file name: the report is put in place whole at the end");
    EXPECT_EQ(usage_error_of({"--json", "a", "--junit", "a"}),
              "--json and --junit cannot both write 'a'");
}

// Several errors at once: one is said. A bad value comes first (CLI11
// checks values before combinations); of the combinations, the first in
// wgrun's order (output modes, report, keep order, resume, joblog, halt).
TEST(UsageErrors, SeveralAtOnce) {
    EXPECT_EQ(usage_error_of({"--resume", "--resume-failed"}),
              "choose one of --resume, --resume-failed and --retry-failed");
    EXPECT_EQ(usage_error_of({"-k", "-u", "--group"}),
              "choose one of --group, --line-buffer and --ungroup");
    EXPECT_EQ(usage_error_of({"--quiet", "--report", "-k", "-u"}),
              "--report lists every job and --quiet asks for no report: give one or the other");
    EXPECT_EQ(usage_error_of({"--fail-fast", "--halt", "2", "--resume"}),
              "--resume and --resume-failed require --joblog");
    EXPECT_EQ(usage_error_of({"--joblog", "+", "--resume"}),
              "--joblog needs a file name (or - for standard output)");
    EXPECT_EQ(usage_error_of({"--color=x", "--group", "-u"}),
              "--color takes auto, always or never, not 'x'");
    EXPECT_EQ(usage_error_of({"--halt", "bogus", "--fail-fast"}).rfind("invalid --halt 'bogus'", 0),
              0u);
    EXPECT_EQ(usage_error_of({"--json", "a", "--junit", "a", "--group", "-u"}),
              "choose one of --group, --line-buffer and --ungroup");
}

// Changed with issue 14: a linked separator first was a usage error; GNU
// parallel accepts it (it links to nothing; ::::+'s files link to each other).
TEST(UsageErrors, LinkedSourceWithNothingBeforeIsAccepted) {
    const Options args = options_of({":::+", "a"});
    ASSERT_EQ(args.sources.size(), 1u);
    EXPECT_TRUE(args.sources[0].linked);
    const Options files = options_of({"echo", "::::+", "f"});
    ASSERT_EQ(files.sources.size(), 1u);
    EXPECT_EQ(files.sources[0].kind, SourceSpec::Kind::File);
}

}  // namespace
