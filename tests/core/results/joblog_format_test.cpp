// joblog_format_test.cpp: a job log row holds GNU parallel's columns for
// every way a job ends (exit, signal, --timeout, not started), newlines in
// the command become NULs, and parse_joblog_row() reads rows back and names
// the column of each kind of malformed row.
#include "results/joblog_format.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using wgrun::ExitStatus;
using wgrun::JobResult;
using wgrun::JoblogFormatError;
using wgrun::parse_joblog_row;

JobResult job(std::uint64_t seq, ExitStatus status, std::string command = "true") {
    JobResult r;
    r.seq = seq;
    r.command = std::move(command);
    r.status = status;
    r.start = std::chrono::system_clock::time_point(1'700'000'000'123'456'789ns);
    r.runtime = 2'345'999us;  // GNU cuts to whole ms: 2.345
    return r;
}

TEST(JoblogFormat, HeaderIsGnuParallels) {
    EXPECT_EQ(wgrun::kJoblogHeader,
              "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n");
    EXPECT_TRUE(wgrun::is_joblog_header(
        "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"));
    EXPECT_FALSE(wgrun::is_joblog_header(
        "Seq Host Starttime JobRuntime Send Receive Exitval Signal Command"));
    EXPECT_FALSE(wgrun::is_joblog_header(""));
}

TEST(JoblogFormat, ExitedJob) {
    EXPECT_EQ(format_joblog_row(job(7, {ExitStatus::Kind::Exited, 3}, "exit 3")),
              "7\t:\t1700000000.123\t     2.345\t0\t0\t3\t0\texit 3\n");
}

TEST(JoblogFormat, StarttimeIsRoundedAndRuntimePadded) {
    JobResult r = job(1, {});
    r.start = std::chrono::system_clock::time_point(1'700'000'000'999'500'000ns);
    r.runtime = 12345s;
    EXPECT_EQ(format_joblog_row(r), "1\t:\t1700000001.000\t 12345.000\t0\t0\t0\t0\ttrue\n");
    r.runtime = 1234567s;  // wider than 10: no padding, as printf
    EXPECT_EQ(format_joblog_row(r), "1\t:\t1700000001.000\t1234567.000\t0\t0\t0\t0\ttrue\n");
    r.runtime = 0ns;
    EXPECT_EQ(format_joblog_row(r), "1\t:\t1700000001.000\t     0.000\t0\t0\t0\t0\ttrue\n");
}

TEST(JoblogFormat, SignalledJobHasExitvalZero) {
    EXPECT_EQ(format_joblog_row(job(2, {ExitStatus::Kind::Signaled, 9})),
              "2\t:\t1700000000.123\t     2.345\t0\t0\t0\t9\ttrue\n");
}

TEST(JoblogFormat, TimeoutIsMinusOneAndFifteen) {
    JobResult r = job(3, {ExitStatus::Kind::Signaled, 9});  // even when it took SIGKILL
    r.ended_by = wgrun::EndedBy::Timeout;
    EXPECT_EQ(format_joblog_row(r), "3\t:\t1700000000.123\t     2.345\t0\t0\t-1\t15\ttrue\n");
}

TEST(JoblogFormat, NotStartedIsTheShellsCode) {
    EXPECT_EQ(format_joblog_row(job(4, ExitStatus::not_started(ENOENT))),
              "4\t:\t1700000000.123\t     2.345\t0\t0\t127\t0\ttrue\n");
    EXPECT_EQ(format_joblog_row(job(4, ExitStatus::not_started(EACCES))),
              "4\t:\t1700000000.123\t     2.345\t0\t0\t126\t0\ttrue\n");
}

TEST(JoblogFormat, NewlinesInTheCommandBecomeNuls) {
    const std::string row = format_joblog_row(job(5, {}, "echo a\necho\tb\n"));
    EXPECT_EQ(row, "5\t:\t1700000000.123\t     2.345\t0\t0\t0\t0\techo a\0echo\tb\0\n"s);
    EXPECT_EQ(row.find('\n'), row.size() - 1);
}

TEST(JoblogFormat, HostIsKept) {
    JobResult r = job(6, {});
    r.host = "server1";
    EXPECT_EQ(format_joblog_row(r).substr(0, 10), "6\tserver1\t");
    r.host.clear();
    EXPECT_EQ(format_joblog_row(r).substr(0, 4), "6\t:\t");
}

TEST(JoblogFormat, RowsReadBack) {
    JobResult r = job(42, {ExitStatus::Kind::Exited, 1}, "printf 'a\\tb'\nfalse");
    std::string row = format_joblog_row(r);
    row.pop_back();
    const auto parsed = parse_joblog_row(row);
    EXPECT_EQ(parsed.seq, 42u);
    EXPECT_EQ(parsed.host, ":");
    EXPECT_EQ(parsed.exitval, 1);
    EXPECT_EQ(parsed.signal, 0);
    EXPECT_FALSE(parsed.succeeded());
    EXPECT_EQ(parsed.command, "printf 'a\\tb'\0false"s);
}

TEST(JoblogFormat, GnuRowsParse) {
    // As GNU parallel 20221122 writes them.
    auto row = parse_joblog_row("1\t:\t1764324000.456\t     0.003\t0\t0\t0\t0\techo a");
    EXPECT_TRUE(row.succeeded());
    EXPECT_EQ(row.command, "echo a");
    row = parse_joblog_row("12\t:\t1764324000.456\t     1.004\t0\t0\t-1\t15\tsleep 9");
    EXPECT_EQ(row.seq, 12u);
    EXPECT_EQ(row.exitval, -1);
    EXPECT_EQ(row.signal, 15);
    row = parse_joblog_row("3\tuser@host\t1764324000\t0.5\t1024\t2048\t0\t0\t");  // empty command
    EXPECT_EQ(row.host, "user@host");
    EXPECT_EQ(row.command, "");
}

// The message for `line`, or "parsed".
std::string error_of(std::string_view line) {
    try {
        parse_joblog_row(line);
    } catch (const JoblogFormatError& e) {
        return e.what();
    }
    return "parsed";
}

TEST(JoblogFormat, MalformedRowsNameTheColumn) {
    EXPECT_EQ(error_of("x\t:\t1.0\t1.0\t0\t0\t0\t0\tc"), "Seq is not a positive whole number: 'x'");
    EXPECT_EQ(error_of("0\t:\t1.0\t1.0\t0\t0\t0\t0\tc"), "Seq is not a positive whole number: '0'");
    EXPECT_EQ(error_of("-3\t:\t1.0\t1.0\t0\t0\t0\t0\tc"), "Seq is not a positive whole number: '-3'");
    EXPECT_EQ(error_of("99999999999999999999\t:\t1.0\t1.0\t0\t0\t0\t0\tc"),
              "Seq is not a positive whole number: '99999999999999999999'");
    EXPECT_EQ(error_of("1\t\t1.0\t1.0\t0\t0\t0\t0\tc"), "Host is empty");
    EXPECT_EQ(error_of("1\t:\t1.0.0\t1.0\t0\t0\t0\t0\tc"), "Starttime is not a number: '1.0.0'");
    EXPECT_EQ(error_of("1\t:\t1.0\t  1.x\t0\t0\t0\t0\tc"), "JobRuntime is not a number: '  1.x'");
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t-\t0\t0\t0\tc"), "Send is not a number: '-'");
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t0\t1.5\t0\t0\tc"), "Receive is not a number: '1.5'");
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t0\t0\tx\t0\tc"), "Exitval is not a number: 'x'");
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t0\t0\t0\t \tc"), "Signal is not a number: ' '");
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t0\t0\t0\t0"),
              "expected 9 columns separated by tabs, found 8: '1\\x09:\\x091.0\\x091.0\\x090\\x090\\x090\\x090'");
    EXPECT_EQ(error_of(""), "expected 9 columns separated by tabs, found 1: ''");
}

TEST(JoblogFormat, MessagesShowBinaryBytesSafely) {
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t0\t0\t\x1b[31m\xff\t0\tc"),
              "Exitval is not a number: '\\x1b[31m\\xff'");
    EXPECT_EQ(error_of("1\t:\t1.0\t1.0\t0\t0\t" + std::string(50, 'y') + "\t0\tc"),
              "Exitval is not a number: '" + std::string(40, 'y') + "...'");
}

}  // namespace

TEST(JoblogFormat, ReceiveIsTheStdoutBytesAndAFailedExitZeroIsMinusOne) {
    JobResult r = job(6, {}, "cat big");
    r.stdout_bytes = 1048576;
    r.stderr_bytes = 7;
    EXPECT_EQ(format_joblog_row(r), "6\t:\t1700000000.123\t     2.345\t0\t1048576\t0\t0\tcat big\n");
    r.problem = "output lost: cannot write stdout: No space left on device";
    EXPECT_EQ(format_joblog_row(r), "6\t:\t1700000000.123\t     2.345\t0\t1048576\t-1\t0\tcat big\n")
        << "--resume-failed must run it again";
    r.problem.clear();
    r.ended_by = wgrun::EndedBy::Halt;
    EXPECT_EQ(format_joblog_row(r), "6\t:\t1700000000.123\t     2.345\t0\t1048576\t-1\t0\tcat big\n");
}
