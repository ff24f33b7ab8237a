// json_lines_sink_test.cpp: JsonLinesSink with hand-made JobResults: every
// field and its JSON type, the null cases (a signal, a job that could not
// start, no interruption), valid JSON from invalid UTF-8 and control
// characters, one whole line per job as it ends (read from a pipe at once),
// the summary last, and write errors (/dev/full, a closed pipe) kept as the
// first error with nothing written after; on a full disk, whole lines only;
// an open fd appended to.
#include "results/json_lines_sink.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "base/utf8.hpp"

namespace {

namespace json = boost::json;
using namespace std::chrono;
using namespace std::string_literals;
using wgrun::EndedBy;
using wgrun::ExitStatus;
using wgrun::JobResult;
using wgrun::JsonLinesSink;
using wgrun::RunSummary;
using wgrun::test::Fd;
using wgrun::test::IgnoreSigpipe;
using wgrun::test::read_file;
using wgrun::test::TempDir;
using Kind = ExitStatus::Kind;

const system_clock::time_point kStart =
    system_clock::time_point(sys_days(year(2026) / 11 / 28) + 11h + 10min + 57s) + 123ms;

JobResult sample(std::uint64_t seq) {
    JobResult r;
    r.seq = seq;
    r.slot = 2;
    r.command = "echo " + std::to_string(seq);
    r.args = {std::to_string(seq), "b c"};
    r.status = {Kind::Exited, 0};
    r.start = kStart;
    r.end = kStart + 1500ms;
    r.runtime = 1500400us;
    r.attempts = 1;
    r.user_cpu = 250ms;
    r.system_cpu = 10ms;
    r.max_rss_kb = 3456;
    r.stdout_bytes = 12;
    r.stderr_bytes = 3;
    r.dropped_output_bytes = 7;
    return r;
}

std::vector<json::object> lines_of(const std::string& text) {
    std::vector<json::object> records;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) records.push_back(json::parse(line).as_object());
    return records;
}

class JsonLinesSinkTest : public testing::Test {
protected:
    TempDir dir;
    std::string path = dir.file("out.jsonl");
    std::string text() const { return read_file(path); }
};

TEST_F(JsonLinesSinkTest, JobRecordHasEveryFieldWithItsType) {
    {
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        sink->job_ended(sample(7));
    }
    const std::string written = text();
    ASSERT_FALSE(written.empty());
    EXPECT_EQ(written.back(), '\n');
    const auto records = lines_of(written);
    ASSERT_EQ(records.size(), 1u);
    const json::object& r = records[0];
    EXPECT_EQ(r.size(), 21u) << written;
    EXPECT_EQ(r.at("v").as_int64(), 1);
    EXPECT_EQ(r.at("type").as_string(), "job");
    EXPECT_EQ(r.at("seq").to_number<int>(), 7);
    EXPECT_EQ(r.at("slot").to_number<int>(), 2);
    EXPECT_EQ(r.at("host").as_string(), ":");
    EXPECT_EQ(r.at("command").as_string(), "echo 7");
    ASSERT_TRUE(r.at("args").is_array());
    EXPECT_EQ(r.at("args").as_array(), (json::array{"7", "b c"}));
    EXPECT_EQ(r.at("start").as_string(), "2026-11-28T11:10:57.123Z");
    EXPECT_EQ(r.at("end").as_string(), "2026-11-28T11:10:58.623Z");
    EXPECT_DOUBLE_EQ(r.at("runtime_s").to_number<double>(), 1.5);
    EXPECT_EQ(r.at("exit").to_number<int>(), 0);
    EXPECT_TRUE(r.at("signal").is_null());
    EXPECT_EQ(r.at("timed_out").as_bool(), false);
    EXPECT_EQ(r.at("attempts").to_number<int>(), 1);
    EXPECT_DOUBLE_EQ(r.at("user_s").to_number<double>(), 0.25);
    EXPECT_DOUBLE_EQ(r.at("sys_s").to_number<double>(), 0.01);
    EXPECT_EQ(r.at("max_rss_kb").to_number<int>(), 3456);
    EXPECT_EQ(r.at("stdout_bytes").to_number<int>(), 12);
    EXPECT_EQ(r.at("stderr_bytes").to_number<int>(), 3);
    EXPECT_EQ(r.at("dropped_output_bytes").to_number<int>(), 7);
    EXPECT_EQ(r.at("failed").as_bool(), false);
}

TEST_F(JsonLinesSinkTest, SignalledJobHasNullExitAndTheSignalName) {
    JobResult killed = sample(1);
    killed.status = {Kind::Signaled, SIGKILL};
    JobResult timed_out = sample(2);
    timed_out.status = {Kind::Signaled, SIGTERM};
    timed_out.ended_by = EndedBy::Timeout;
    timed_out.timeout = 2s;
    timed_out.attempts = 3;
    {
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        sink->job_ended(killed);
        sink->job_ended(timed_out);
    }
    const auto records = lines_of(text());
    ASSERT_EQ(records.size(), 2u);
    EXPECT_TRUE(records[0].at("exit").is_null());
    EXPECT_EQ(records[0].at("signal").as_string(), "SIGKILL");
    EXPECT_EQ(records[0].at("timed_out").as_bool(), false);
    EXPECT_EQ(records[0].at("failed").as_bool(), true);
    EXPECT_TRUE(records[1].at("exit").is_null());
    EXPECT_EQ(records[1].at("signal").as_string(), "SIGTERM");
    EXPECT_EQ(records[1].at("timed_out").as_bool(), true);
    EXPECT_EQ(records[1].at("attempts").to_number<int>(), 3);
    EXPECT_EQ(records[1].at("failed").as_bool(), true);
}

TEST_F(JsonLinesSinkTest, JobThatCouldNotStartHasItsShellCode) {
    JobResult missing = sample(1);
    missing.status = ExitStatus::not_started(ENOENT);
    JobResult denied = sample(2);
    denied.status = ExitStatus::not_started(EACCES);
    JobResult exited = sample(3);
    exited.status = {Kind::Exited, 3};
    JobResult lost = sample(4);
    lost.problem = "output lost: No space left on device";
    {
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        for (const auto& r : {missing, denied, exited, lost}) sink->job_ended(r);
    }
    const auto records = lines_of(text());
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[0].at("exit").to_number<int>(), 127);
    EXPECT_TRUE(records[0].at("signal").is_null());
    EXPECT_EQ(records[0].at("failed").as_bool(), true);
    EXPECT_EQ(records[1].at("exit").to_number<int>(), 126);
    EXPECT_EQ(records[2].at("exit").to_number<int>(), 3);
    EXPECT_EQ(records[2].at("failed").as_bool(), true);
    EXPECT_EQ(records[3].at("exit").to_number<int>(), 0);
    EXPECT_EQ(records[3].at("failed").as_bool(), true);
}

TEST_F(JsonLinesSinkTest, AnyBytesGiveValidJson) {
    JobResult odd = sample(1);
    odd.command = "printf '\x01\t\"\\\\' caf\xE9 \xC0\x80 \xED\xA0\x80 \0end"s;
    odd.args = {"caf\xE9"s, "nl\nnul\0x"s, "\xF0\x9F\x98\x80"s};
    {
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        sink->job_ended(odd);
    }
    const std::string written = text();
    EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 1) << "one line per record";
    EXPECT_TRUE(wgrun::is_valid_utf8(written)) << written;
    const auto records = lines_of(written);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].at("command").as_string(),
              "printf '\x01\t\"\\\\' caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \0end"s);
    const json::array& args = records[0].at("args").as_array();
    ASSERT_EQ(args.size(), 3u);
    EXPECT_EQ(args[0].as_string(), "caf\xEF\xBF\xBD");
    EXPECT_EQ(args[1].as_string(), "nl\nnul\0x"s);
    EXPECT_EQ(args[2].as_string(), "\xF0\x9F\x98\x80");
}

TEST_F(JsonLinesSinkTest, SummaryComesLast) {
    RunSummary run;
    run.jobs = 5;
    run.failed = 2;
    run.skipped = 1;
    run.exit_status = 2;
    run.start = kStart;
    run.end = kStart + 61s + 5ms;
    RunSummary interrupted = run;
    interrupted.interrupted_by = SIGINT;
    interrupted.exit_status = 130;
    RunSummary hung_up = run;  // SIGHUP with 7 jobs read but not started
    hung_up.interrupted_by = SIGHUP;
    hung_up.exit_status = 129;
    hung_up.not_started = 7;
    hung_up.input_unread = true;
    for (const RunSummary& summary : {run, interrupted, hung_up}) {
        {
            auto sink = JsonLinesSink::create(path, "--json out.jsonl");
            sink->job_ended(sample(1));
            sink->finish(summary);
            EXPECT_EQ(sink->error().message(), "");
        }
        const auto records = lines_of(text());
        ASSERT_EQ(records.size(), 2u);
        EXPECT_EQ(records[0].at("type").as_string(), "job");
        const json::object& s = records[1];
        EXPECT_EQ(s.size(), 12u);
        EXPECT_EQ(s.at("v").as_int64(), 1);
        EXPECT_EQ(s.at("type").as_string(), "summary");
        EXPECT_EQ(s.at("jobs").to_number<int>(), 5);
        EXPECT_EQ(s.at("failed").to_number<int>(), 2);
        EXPECT_EQ(s.at("skipped").to_number<int>(), 1);
        EXPECT_EQ(s.at("exit_status").to_number<int>(), summary.exit_status);
        if (summary.interrupted_by == 0) {
            EXPECT_TRUE(s.at("interrupted_by").is_null());
        } else {
            EXPECT_EQ(s.at("interrupted_by").as_string(), wgrun::signal_name(summary.interrupted_by));
        }
        EXPECT_EQ(s.at("not_started").to_number<std::uint64_t>(), summary.not_started);
        EXPECT_EQ(s.at("input_unread").as_bool(), summary.input_unread);
        EXPECT_EQ(s.at("start").as_string(), "2026-11-28T11:10:57.123Z");
        EXPECT_EQ(s.at("end").as_string(), "2026-11-28T11:11:58.128Z");
        EXPECT_DOUBLE_EQ(s.at("runtime_s").to_number<double>(), 61.005);
    }
}

// No buffer: each record is in the pipe, whole, as soon as job_ended returns.
TEST_F(JsonLinesSinkTest, EachRecordIsOutWholeWhenTheJobEnds) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    JsonLinesSink sink(write_end.get(), false, "--json -");
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        sink.job_ended(sample(seq));
        char buffer[4096];
        const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
        ASSERT_GT(n, 0);
        const std::string line(buffer, static_cast<std::size_t>(n));
        ASSERT_EQ(line.back(), '\n');
        EXPECT_EQ(json::parse(line).as_object().at("seq").to_number<std::uint64_t>(), seq);
    }
}

TEST_F(JsonLinesSinkTest, FullDiskIsTheFirstErrorAndStopsWriting) {
    JsonLinesSink sink(::open("/dev/full", O_WRONLY | O_CLOEXEC), true, "--json /dev/full");
    sink.job_ended(sample(1));
    EXPECT_EQ(sink.error().message(), "--json /dev/full: No space left on device");
    sink.job_ended(sample(2));
    sink.finish(RunSummary{});
    EXPECT_EQ(sink.error().message(), "--json /dev/full: No space left on device");
}

TEST_F(JsonLinesSinkTest, ClosedPipeIsAnErrorAndNothingMoreIsWritten) {
    IgnoreSigpipe ignore;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    ::close(fds[0]);
    Fd write_end(fds[1]);
    JsonLinesSink sink(write_end.get(), false, "--json -");
    sink.job_ended(sample(1));
    EXPECT_EQ(sink.error().message(), "--json -: Broken pipe");
    sink.finish(RunSummary{});
    EXPECT_EQ(sink.error().message(), "--json -: Broken pipe");
}

// A full filesystem: a line that fits only in part is taken back whole.
// Runs in a child with its own mount namespace (needs root or user
// namespaces).
TEST_F(JsonLinesSinkTest, FullDiskLeavesWholeLinesOnly) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::unshare(CLONE_NEWNS | (::geteuid() == 0 ? 0 : CLONE_NEWUSER)) != 0) ::_exit(77);
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
        if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=8k") != 0) ::_exit(77);
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        std::uint64_t seq = 0;
        JobResult big = sample(1);
        big.command = std::string(700, 'c');
        while (sink->error().message().empty() && seq < 10'000) {
            big.seq = ++seq;
            sink->job_ended(big);
        }
        if (sink->error().message() != "--json out.jsonl: No space left on device") ::_exit(1);
        const std::string written = read_file(path);
        if (written.empty() || written.back() != '\n') ::_exit(2);
        try {
            if (lines_of(written).size() != seq - 1) ::_exit(3);
        } catch (...) {
            ::_exit(4);
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot mount a small tmpfs here";
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "1: wrong error, 2: no newline at the end, 3: not seq - 1 lines, 4: not JSON";
}

// An open fd (/proc/self/fd/N) is written at its end, not emptied.
TEST_F(JsonLinesSinkTest, OpenFdIsAppendedTo) {
    {
        Fd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
        ASSERT_GE(file.get(), 0);
        ASSERT_EQ(::write(file.get(), "job output\n", 11), 11);
        auto sink = JsonLinesSink::create("/proc/self/fd/" + std::to_string(file.get()), "--json fd");
        sink->job_ended(sample(1));
    }
    const std::string text = read_file(path);
    ASSERT_EQ(text.rfind("job output\n{", 0), 0u) << text;
}

TEST_F(JsonLinesSinkTest, CreateFailsWithTheLabelAndTheReason) {
    try {
        JsonLinesSink::create(dir.file("missing/out.jsonl"), "--json missing/out.jsonl");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "--json missing/out.jsonl: No such file or directory");
    }
}

TEST_F(JsonLinesSinkTest, CreateEmptiesAnEarlierFile) {
    {
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        for (std::uint64_t seq = 1; seq <= 5; ++seq) sink->job_ended(sample(seq));
    }
    {
        auto sink = JsonLinesSink::create(path, "--json out.jsonl");
        sink->job_ended(sample(9));
    }
    const auto records = lines_of(text());
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].at("seq").to_number<int>(), 9);
}

}  // namespace
