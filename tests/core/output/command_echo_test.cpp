// command_echo_test.cpp: -t writes each job's command to its fd as the job
// starts, guarded like job output; -v makes the command the job's first
// stdout line, so that the real modes group, order and tag it with the
// job's output.
#include "output/command_echo.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "output/output_factory.hpp"
#include "support/output_test_support.hpp"

namespace {

using wgrun::CommandEcho;
using wgrun::CommandEchoOptions;
using wgrun::ExitStatus;
using wgrun::Grouping;
using wgrun::OutputGuard;
using wgrun::OutputMode;
using wgrun::OutputOptions;
using wgrun::Stream;
using wgrun::test::Files;
using wgrun::test::TestJob;

// A guard that records its calls, for one fd.
class FakeGuard : public OutputGuard {
public:
    explicit FakeGuard(int fd) : fd_(fd) {}
    bool guards(int fd) const override { return fd == fd_; }
    void before_write(int fd) override { calls.push_back("before " + std::to_string(fd == fd_)); }
    void after_write(int fd, int last) override {
        calls.push_back("after " + std::to_string(fd == fd_) + " " + std::to_string(last));
    }
    std::vector<std::string> calls;

private:
    int fd_;
};

// A real mode (no background writer: finished() writes) in `files`, with
// CommandEcho around it.
std::unique_ptr<OutputMode> echoing(Files& files, CommandEchoOptions echo,
                                    Grouping grouping = Grouping::Group, bool keep_order = false,
                                    bool tag = false) {
    OutputOptions o;
    o.mode = grouping;
    o.keep_order = keep_order;
    o.tag = tag;
    o.tmpdir = files.spill.path();
    o.out_fd = files.out.get();
    o.err_fd = files.err.get();
    o.background = false;
    return std::make_unique<CommandEcho>(wgrun::make_output_mode(o), echo);
}

// Starts job `seq` with `command`.
void start(OutputMode& mode, TestJob& job, const std::string& command) {
    job.start.command = &command;
    mode.started(job.start);
}

TEST(CommandEcho, TPrintsTheCommandAsTheJobStarts) {
    Files files;
    CommandEchoOptions echo;
    echo.print_fd = files.err.get();
    auto mode = echoing(files, echo);
    TestJob job(1, {"a"});
    const std::string command = "echo a";
    start(*mode, job, command);
    EXPECT_EQ(files.err_text(), "echo a\n");  // now, before any output
    mode->output(1, Stream::Out, "a\n");
    mode->output(1, Stream::Err, "oops\n");
    EXPECT_EQ(mode->finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "a\n");  // not in the job's output
    EXPECT_EQ(files.err_text(), "echo a\noops\n");
}

TEST(CommandEcho, TIsGuardedLikeJobOutput) {
    Files files;
    FakeGuard guard(files.err.get());
    CommandEchoOptions echo;
    echo.print_fd = files.err.get();
    echo.guard = &guard;
    auto mode = echoing(files, echo);
    TestJob job(1);
    const std::string command = "true";
    start(*mode, job, command);
    EXPECT_EQ(guard.calls, (std::vector<std::string>{"before 1", "after 1 10"}));
}

TEST(CommandEcho, VIsTheJobsFirstStdoutLine) {
    Files files;
    CommandEchoOptions echo;
    echo.echo = true;
    auto mode = echoing(files, echo);
    TestJob one(1), two(2);
    const std::string c1 = "echo 1", c2 = "echo 2";
    start(*mode, one, c1);
    start(*mode, two, c2);
    mode->output(2, Stream::Out, "2\n");
    mode->output(1, Stream::Out, "1\n");
    EXPECT_EQ(files.out_text(), "");  // grouped: nothing before the job ends
    mode->finished(2, ExitStatus{});
    mode->finished(1, ExitStatus{});
    EXPECT_EQ(files.out_text(), "echo 2\n2\necho 1\n1\n");
    EXPECT_EQ(files.err_text(), "");
}

TEST(CommandEcho, VKeepsOrderWithK) {
    Files files;
    CommandEchoOptions echo;
    echo.echo = true;
    auto mode = echoing(files, echo, Grouping::Group, true);
    TestJob one(1), two(2);
    const std::string c1 = "echo 1", c2 = "echo 2";
    start(*mode, one, c1);
    start(*mode, two, c2);
    mode->output(2, Stream::Out, "2\n");
    mode->finished(2, ExitStatus{});
    mode->output(1, Stream::Out, "1\n");
    mode->finished(1, ExitStatus{});
    EXPECT_EQ(files.out_text(), "echo 1\n1\necho 2\n2\n");
}

TEST(CommandEcho, VIsTaggedWithTheJob) {
    Files files;
    CommandEchoOptions echo;
    echo.echo = true;
    auto mode = echoing(files, echo, Grouping::Group, false, true);
    TestJob job(1, {"x y"});
    const std::string command = "echo 'x y'";
    start(*mode, job, command);
    mode->output(1, Stream::Out, "x y\n");
    mode->finished(1, ExitStatus{});
    EXPECT_EQ(files.out_text(), "x y\techo 'x y'\nx y\tx y\n");
}

TEST(CommandEcho, VUngroupedIsWrittenAtOnce) {
    Files files;
    CommandEchoOptions echo;
    echo.echo = true;
    echo.print_fd = files.err.get();
    auto mode = echoing(files, echo, Grouping::Ungroup);
    TestJob job(1);
    const std::string command = "cmd";
    start(*mode, job, command);
    EXPECT_EQ(files.out_text(), "cmd\n");
    EXPECT_EQ(files.err_text(), "cmd\n");
    mode->finished(1, ExitStatus{});
}

TEST(CommandEcho, SkippedJobsShowNothing) {
    Files files;
    CommandEchoOptions echo;
    echo.echo = true;
    echo.print_fd = files.err.get();
    auto mode = echoing(files, echo, Grouping::Group, true);
    mode->skipped(1);
    TestJob two(2);
    const std::string c2 = "echo 2";
    start(*mode, two, c2);
    mode->finished(2, ExitStatus{});
    EXPECT_EQ(files.out_text(), "echo 2\n");
    EXPECT_EQ(files.err_text(), "echo 2\n");
}

}  // namespace
