// github_annotations_test.cpp: --ci github's decorator: the group lines
// around each job's stdout, the error line of a failed job, GitHub's
// escaping, a newline before a marker when the job's stdout ended mid-line,
// no markers for skipped jobs, only error lines without groups (-u), and
// every other call passed through unchanged. Then through the real modes.
#include "output/github_annotations.hpp"
#include "output/output_factory.hpp"
#include "support/output_test_support.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using wgrun::ExitStatus;
using wgrun::GithubAnnotations;
using wgrun::JobStart;
using wgrun::OutputFlow;
using wgrun::OutputMode;
using wgrun::Stream;

class FakeMode : public OutputMode, public OutputFlow {
public:
    explicit FakeMode(std::vector<std::string>& calls) : calls_(calls) {}
    void started(const JobStart& job) override {
        calls_.push_back("started " + std::to_string(job.seq));
    }
    void skipped(std::uint64_t seq) override { calls_.push_back("skipped " + std::to_string(seq)); }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        calls_.push_back("output " + std::to_string(seq) + (stream == Stream::Out ? " out " : " err ") +
                         std::string(bytes));
    }
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override {
        calls_.push_back("splice " + std::to_string(seq) + (stream == Stream::Out ? " out " : " err ") +
                         std::to_string(fd));
        return 42;
    }
    std::string finished(std::uint64_t seq, const ExitStatus& status) override {
        calls_.push_back("finished " + std::to_string(seq) + " " + status.describe());
        return "problem " + std::to_string(seq);
    }
    OutputFlow& flow() override { return *this; }
    bool stdout_closed() const override { return true; }
    int destination(Stream stream) const override { return stream == Stream::Out ? 7 : 8; }
    int written_fd() const override { return 9; }

private:
    std::vector<std::string>& calls_;
};

struct Job {
    Job(std::uint64_t seq, std::string cmd) : command(std::move(cmd)), start{seq, 1, &args, &command} {}
    std::vector<std::string> args;
    std::string command;
    JobStart start;
};

ExitStatus exited(int code) { return ExitStatus{ExitStatus::Kind::Exited, code}; }

TEST(GithubAnnotations, EscapesAsGithubDoes) {
    EXPECT_EQ(wgrun::github_escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
    EXPECT_EQ(wgrun::github_escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
    EXPECT_EQ(wgrun::github_escape_data("tab\there \xff"), "tab\there \xff");  // other bytes as they are
}

TEST(GithubAnnotations, GroupsEachJobsStdout) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    Job job(1, "echo hi");
    mode.started(job.start);
    mode.output(1, Stream::Out, "hi\n");
    mode.output(1, Stream::Err, "oops");  // stderr does not count for line starts
    EXPECT_EQ(mode.finished(1, exited(0)), "problem 1");
    EXPECT_EQ(calls, (std::vector<std::string>{"started 1", "output 1 out ::group::echo hi\n",
                                               "output 1 out hi\n", "output 1 err oops",
                                               "output 1 out ::endgroup::\n", "finished 1 exit 0"}));
}

TEST(GithubAnnotations, FailedJobGetsAnErrorLineAfterItsGroup) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    Job job(3, "exit 2");
    mode.started(job.start);
    mode.finished(3, exited(2));
    EXPECT_EQ(calls, (std::vector<std::string>{
                         "started 3", "output 3 out ::group::exit 2\n", "output 3 out ::endgroup::\n",
                         "output 3 out ::error title=exit 2::job 3 failed (exit 2): exit 2\n",
                         "finished 3 exit 2"}));
}

TEST(GithubAnnotations, EscapesTitlesAndMessages) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    Job job(1, "printf '100%\\n' a:b,c\nexit 1");
    mode.started(job.start);
    mode.finished(1, ExitStatus{ExitStatus::Kind::Signaled, 9});
    ASSERT_EQ(calls.size(), 5u);
    // The command's newline is shown \n, as in the reports (printable.hpp),
    // before GitHub's escaping.
    EXPECT_EQ(calls[1], "output 1 out ::group::printf '100%25\\n' a:b,c\\nexit 1\n");
    EXPECT_EQ(calls[3],
              "output 1 out ::error title=printf '100%25\\n' a%3Ab%2Cc\\nexit 1::job 1 failed "
              "(killed by SIGKILL): printf '100%25\\n' a:b,c\\nexit 1\n");
}

// Issue 12: a value with terminal escapes or a newline reached the log raw
// (the ESC set the terminal's title; a newline forged a line).
TEST(GithubAnnotations, CommandsAreShownPrintableAndCut) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    Job job(1, "false '\x1b]0;PWNED\x07'\r\n::error::forged " + std::string(3000, 'x'));
    mode.started(job.start);
    mode.finished(1, exited(1));
    ASSERT_EQ(calls.size(), 5u);
    for (const std::string& call : calls) {
        EXPECT_EQ(call.find_first_of("\x1b\x07\r"), std::string::npos) << call;
        const auto newline = call.find('\n');
        EXPECT_TRUE(newline == std::string::npos || newline == call.size() - 1) << call;
        EXPECT_LT(call.size(), 2500u);
    }
    EXPECT_EQ(calls[1].substr(0, 69),
              "output 1 out ::group::false '\\x1b]0;PWNED\\x07'\\r\\n::error::forged xxx");
    EXPECT_NE(calls[3].find("... (3036 bytes)"), std::string::npos) << calls[3];
}

TEST(GithubAnnotations, MarkersStartALineWhenTheJobsStdoutDidNot) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    Job job(1, "printf x");
    mode.started(job.start);
    mode.output(1, Stream::Out, "x");
    mode.finished(1, exited(1));
    EXPECT_EQ(calls[3], "output 1 out \n::endgroup::\n");
    EXPECT_EQ(calls[4], "output 1 out ::error title=printf x::job 1 failed (exit 1): printf x\n");
}

TEST(GithubAnnotations, WithoutGroupsOnlyErrorLines) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), false);
    Job ok(1, "true"), bad(2, "false");
    mode.started(ok.start);
    mode.started(bad.start);
    mode.output(2, Stream::Out, "half");
    mode.finished(1, exited(0));
    mode.finished(2, exited(1));
    EXPECT_EQ(calls, (std::vector<std::string>{
                         "started 1", "started 2", "output 2 out half", "finished 1 exit 0",
                         "output 2 out \n::error title=false::job 2 failed (exit 1): false\n",
                         "finished 2 exit 1"}));
}

TEST(GithubAnnotations, SkippedJobsGetNoMarkers) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    mode.skipped(4);
    EXPECT_EQ(calls, (std::vector<std::string>{"skipped 4"}));
}

TEST(GithubAnnotations, StderrIsSplicedStdoutIsNot) {
    std::vector<std::string> calls;
    GithubAnnotations mode(std::make_unique<FakeMode>(calls), true);
    Job job(1, "cat");
    mode.started(job.start);
    EXPECT_EQ(mode.splice_from(1, Stream::Out, 5), wgrun::kCannotSplice);
    EXPECT_EQ(mode.splice_from(1, Stream::Err, 5), 42);
    EXPECT_EQ(calls.back(), "splice 1 err 5");
    EXPECT_TRUE(mode.flow().stdout_closed());
    EXPECT_EQ(mode.flow().destination(Stream::Out), 7);
    EXPECT_EQ(mode.flow().destination(Stream::Err), 8);
    EXPECT_EQ(mode.flow().written_fd(), 9);
}

// Through the real modes: the markers surround each job's stdout whole, in
// the mode's order, and the job's bytes are untouched.
std::string run_real(wgrun::OutputOptions::Mode kind, bool keep_order, bool groups = true) {
    wgrun::test::Files files;
    wgrun::OutputOptions options;
    options.mode = kind;
    options.keep_order = keep_order;
    options.tmpdir = files.spill.path();
    options.out_fd = files.out.get();
    options.err_fd = files.err.get();
    {  // the grouped mode's writer is done once the mode is gone
        GithubAnnotations mode(wgrun::make_output_mode(options), groups);
        Job one(1, "one"), two(2, "two");
        mode.started(one.start);
        mode.started(two.start);
        mode.output(2, Stream::Out, "2a\n");
        mode.output(1, Stream::Out, "1a\n1b");
        mode.output(2, Stream::Out, "2b\n");
        mode.finished(2, exited(0));
        mode.output(1, Stream::Out, "\n");
        mode.finished(1, exited(3));
    }
    return files.out_text();
}

TEST(GithubAnnotations, RealModesKeepEachGroupWhole) {
    const std::string one = "::group::one\n1a\n1b\n::endgroup::\n"
                            "::error title=one::job 1 failed (exit 3): one\n";
    const std::string two = "::group::two\n2a\n2b\n::endgroup::\n";
    using Mode = wgrun::OutputOptions::Mode;
    EXPECT_EQ(run_real(Mode::Group, false), two + one);
    EXPECT_EQ(run_real(Mode::Group, true), one + two);
    EXPECT_EQ(run_real(Mode::LineBuffer, true), one + two);
    // Where lines of jobs mix (--line-buffer without -k, -u): no groups.
    EXPECT_EQ(run_real(Mode::LineBuffer, false, false),
              "2a\n1a\n2b\n1b\n::error title=one::job 1 failed (exit 3): one\n");
    EXPECT_EQ(run_real(Mode::Ungroup, false, false),
              "2a\n1a\n1b2b\n\n::error title=one::job 1 failed (exit 3): one\n");
}

}  // namespace
