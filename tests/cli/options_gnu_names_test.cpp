// options_gnu_names_test.cpp: GNU parallel's spellings and meanings of the
// options people type first: -P --dryrun --linebuffer --termseq (names of
// wgrun's options), -t/--verbose, -v and --silent, -q/--quote (and the
// failure report's switches, which moved to --quiet and --report),
// --progress, --total-jobs/--total.
#include "options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::parse_args;
using wgrun::test::usage_error_of;

using wgrun::cli::Options;

// ---- GNU's names of wgrun's options ------------------------------------------

TEST(GnuNames, CapitalPIsJobs) {
    EXPECT_EQ(options_of({"-P", "4"}).jobs, "4");
    EXPECT_EQ(options_of({"-P4"}).jobs, "4");
    EXPECT_EQ(options_of({"-P", "+2"}).jobs, "+2");
    EXPECT_EQ(usage_error_of({"-P", "x"}),
              "invalid jobs value 'x': expected N, N%, +N or -N with N a whole number");
    EXPECT_EQ(usage_error_of({"-P", "2", "-j", "3"}),
              "--jobs was given more than once: give it once");
}

TEST(GnuNames, DryrunLinebufferTermseq) {
    EXPECT_TRUE(options_of({"--dryrun"}).dry_run);
    EXPECT_TRUE(options_of({"--linebuffer"}).line_buffer);
    EXPECT_EQ(options_of({"--termseq", "INT,100,KILL,25"}).term_seq, "INT,100,KILL,25");
    EXPECT_EQ(options_of({"--termseq", "INT,100,KILL,25"}).rules.term_seq.size(), 2u);
    EXPECT_EQ(usage_error_of({"--linebuffer", "-u"}),
              "choose one of --group, --line-buffer and --ungroup");
    EXPECT_EQ(usage_error_of({"--termseq", ""}),
              "--term-seq: the value is empty (an unset variable?)");
}

// ---- -t/--verbose --------------------------------------------------------------

TEST(GnuNames, TIsVerbose) {
    EXPECT_FALSE(options_of({}).gnu_names.print_commands);
    EXPECT_TRUE(options_of({"-t"}).gnu_names.print_commands);
    EXPECT_TRUE(options_of({"--verbose"}).gnu_names.print_commands);
    EXPECT_FALSE(options_of({"-t"}).gnu_names.echo_commands);
    const Options o = options_of({"-tk", "echo"});
    EXPECT_TRUE(o.gnu_names.print_commands);
    EXPECT_TRUE(o.keep_order);
}

// ---- -v and --silent ------------------------------------------------------------

TEST(GnuNames, VEchoesTheCommand) {
    EXPECT_FALSE(options_of({}).gnu_names.echo_commands);
    const Options o = options_of({"-v"});
    EXPECT_TRUE(o.gnu_names.echo_commands);
    EXPECT_FALSE(o.report);  // -v is no longer --report
    EXPECT_TRUE(options_of({"-v", "-v"}).gnu_names.echo_commands);  // GNU's -v -v
    EXPECT_TRUE(options_of({"-vk"}).gnu_names.echo_commands);
}

TEST(GnuNames, SilentUndoesV) {
    EXPECT_FALSE(options_of({"-v", "--silent"}).gnu_names.echo_commands);
    EXPECT_FALSE(options_of({"--silent", "-v"}).gnu_names.echo_commands);
    EXPECT_FALSE(options_of({"--silent"}).gnu_names.echo_commands);
    EXPECT_TRUE(options_of({"-t", "--silent"}).gnu_names.print_commands);  // as GNU: -v only
}

TEST(GnuNames, VGoesWithReport) {
    const Options o = options_of({"-v", "--report"});
    EXPECT_TRUE(o.gnu_names.echo_commands);
    EXPECT_TRUE(o.report);
}

// ---- -q/--quote -----------------------------------------------------------------

TEST(GnuNames, QQuotesEachCommandWord) {
    const Options o = options_of({"-q", "perl", "-e", "print \"@ARGV\\n\"", ":::", "a"});
    EXPECT_TRUE(o.gnu_names.quote);
    EXPECT_FALSE(o.quiet);  // -q is no longer --quiet
    EXPECT_EQ(o.command, (std::vector<std::string>{"perl", "-e", "'print \"@ARGV\\n\"'"}));
    EXPECT_TRUE(o.stdin_arguments);
}

TEST(GnuNames, QuoteKeepsReplacementStringsInTheirWord) {
    const Options o =
        options_of({"--quote", "echo", "a {} b", "it's", "", "$HOME", ":::", "x"});
    EXPECT_EQ(o.command,
              (std::vector<std::string>{"echo", "'a {} b'", "'it'\\''s'", "''", "'$HOME'"}));
}

TEST(GnuNames, QWithoutACommandChangesNothing) {
    const Options o = options_of({"-q"});
    EXPECT_TRUE(o.gnu_names.quote);
    EXPECT_TRUE(o.command.empty());
    EXPECT_FALSE(o.stdin_arguments);
}

TEST(GnuNames, QuietAndReportAreLongOnly) {
    EXPECT_TRUE(options_of({"--quiet"}).quiet);
    EXPECT_TRUE(options_of({"--report"}).report);
    EXPECT_EQ(usage_error_of({"--quiet", "--report"}),
              "--report lists every job and --quiet asks for no report: give one or the other");
    const Options o = options_of({"-q", "-v", "--quiet"});  // GNU's -q -v with wgrun's --quiet
    EXPECT_TRUE(o.quiet);
    EXPECT_TRUE(o.gnu_names.quote);
    EXPECT_TRUE(o.gnu_names.echo_commands);
}

// ---- --progress, --total-jobs ----------------------------------------------------

TEST(GnuNames, ProgressIsEta) {
    const Options o = options_of({"--progress"});
    EXPECT_TRUE(o.gnu_names.progress);
    EXPECT_TRUE(o.eta);
    EXPECT_FALSE(o.bar);
    EXPECT_FALSE(options_of({}).eta);
}

TEST(GnuNames, TotalJobs) {
    EXPECT_FALSE(options_of({}).gnu_names.total_jobs.has_value());
    EXPECT_EQ(options_of({"--total-jobs", "100"}).gnu_names.total_jobs, 100u);
    EXPECT_EQ(options_of({"--total", "7"}).gnu_names.total_jobs, 7u);
    EXPECT_EQ(options_of({"--total-jobs=0"}).gnu_names.total_jobs, 0u);
}

TEST(GnuNames, TotalJobsMustBeAWholeNumber) {
    for (const char* bad : {"x", "-1", "1.5", "10k", "99999999999999999999"}) {
        EXPECT_EQ(usage_error_of({"--total-jobs", bad}),
                  std::string("invalid --total-jobs '") + bad + "': N is a whole number of jobs");
    }
    EXPECT_EQ(usage_error_of({"--total-jobs", ""}),
              "--total-jobs: the value is empty (an unset variable?)");
    EXPECT_EQ(usage_error_of({"--total-jobs"}), "--total-jobs needs a value (N)");
}

}  // namespace
