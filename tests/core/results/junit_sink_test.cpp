// junit_sink_test.cpp: JunitSink with hand-made JobResults: the document's
// counts and testcases, failures with their type, message and output tail,
// escaping of any bytes, FILE put in place only by finish() (replacing an
// earlier one) with no other file left in its directory, and errors: a
// missing directory, FILE a directory, a FILE that became a directory
// (the report is not written, nothing is left); a FIFO, a device or an
// open fd written into, a symlink followed to its target.
#include "results/junit_sink.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "base/utf8.hpp"

namespace {

using namespace std::chrono;
using namespace std::string_literals;
using wgrun::EndedBy;
using wgrun::ExitStatus;
using wgrun::JobResult;
using wgrun::JunitSink;
using wgrun::RunSummary;
using wgrun::test::read_file;
using wgrun::test::TempDir;
using Kind = ExitStatus::Kind;

JobResult job(std::uint64_t seq, ExitStatus status = {Kind::Exited, 0}) {
    JobResult r;
    r.seq = seq;
    r.slot = 1;
    r.command = "run " + std::to_string(seq);
    r.status = status;
    r.runtime = 1234567us;
    return r;
}

RunSummary summary(std::uint64_t jobs, std::uint64_t failed) {
    RunSummary run;
    run.jobs = jobs;
    run.failed = failed;
    run.exit_status = static_cast<int>(failed);
    run.start = system_clock::time_point(sys_days(year(2026) / 11 / 28) + 11h) + 5ms;
    run.end = run.start + 2500ms;
    return run;
}

// The names in `dir`, sorted, hidden ones too.
std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return names;
    while (const dirent* entry = ::readdir(d)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

class JunitSinkTest : public testing::Test {
protected:
    TempDir dir;
    std::string path = dir.file("report.xml");
};

TEST_F(JunitSinkTest, WritesTheWholeDocument) {
    JunitSink sink(path, "--junit report.xml");
    sink.job_ended(job(1));
    JobResult failed = job(2, {Kind::Exited, 2});
    failed.output_tail = "building\nerror: it broke\n";
    failed.stdout_bytes = failed.output_tail.size();
    sink.job_ended(failed);
    sink.finish(summary(2, 1));
    EXPECT_EQ(sink.error().message(), "");
    const std::string xml = read_file(path);
    const std::string expected_start =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"wgrun\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
        "time=\"2.500\">\n"
        "  <testsuite name=\"wgrun\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
        "time=\"2.500\" timestamp=\"2026-11-28T11:00:00.005Z\" hostname=\"";
    ASSERT_EQ(xml.substr(0, expected_start.size()), expected_start) << xml;
    const std::string expected_end =
        "\">\n"
        "    <properties>\n"
        "      <property name=\"wgrun.exit_status\" value=\"1\"/>\n"
        "    </properties>\n"
        "    <testcase name=\"job 1: run 1\" classname=\"wgrun\" time=\"1.235\"/>\n"
        "    <testcase name=\"job 2: run 2\" classname=\"wgrun\" time=\"1.235\">\n"
        "      <failure message=\"exit 2\" type=\"exit\">building\nerror: it broke\n</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n";
    ASSERT_GE(xml.size(), expected_end.size());
    EXPECT_EQ(xml.substr(xml.size() - expected_end.size()), expected_end) << xml;
}

TEST_F(JunitSinkTest, FailureTypesAndMessages) {
    JunitSink sink(path, "--junit report.xml");
    sink.job_ended(job(1, {Kind::Signaled, SIGKILL}));
    JobResult timed_out = job(2, {Kind::Signaled, SIGTERM});
    timed_out.ended_by = EndedBy::Timeout;
    timed_out.timeout = 2s;
    sink.job_ended(timed_out);
    sink.job_ended(job(3, ExitStatus::not_started(ENOENT)));
    RunSummary run = summary(3, 3);
    run.interrupted_by = SIGINT;
    sink.finish(run);
    const std::string xml = read_file(path);
    EXPECT_NE(xml.find("<failure message=\"killed by SIGKILL\" type=\"signal\"/>"), std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<failure message=\"timed out after 2s\" type=\"timeout\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<failure message=\"exit 127, cannot run: No such file or directory\" "
                       "type=\"not-started\"/>"),
              std::string::npos);
    EXPECT_NE(xml.find("<property name=\"wgrun.interrupted_by\" value=\"SIGINT\"/>"),
              std::string::npos);
    EXPECT_NE(xml.find("tests=\"3\" failures=\"3\""), std::string::npos);
}

// SIGHUP left jobs unstarted: the suite says so (a "+" when the rest of the
// input was never read), not only its exit status.
TEST_F(JunitSinkTest, AJobOnAnotherHostNamesItInAProperty) {
    JunitSink sink(path, "--junit report.xml");
    JobResult remote = job(1);
    remote.host = "me@h<1>";
    sink.job_ended(remote);
    JobResult failed = job(2, {Kind::Exited, 3});
    failed.host = "h2";
    sink.job_ended(failed);
    sink.job_ended(job(3));  // this machine: no property
    sink.finish(summary(3, 1));
    const std::string xml = read_file(path);
    EXPECT_NE(xml.find("time=\"1.235\">\n      <properties><property name=\"host\" "
                       "value=\"me@h&lt;1&gt;\"/></properties>\n    </testcase>\n"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<properties><property name=\"host\" value=\"h2\"/></properties>\n"
                       "      <failure message=\"exit 3\""),
              std::string::npos)
        << xml;
    EXPECT_EQ(xml.find("value=\":\""), std::string::npos) << xml;
}

TEST_F(JunitSinkTest, JobsNotStartedAreRecorded) {
    for (const bool unread : {false, true}) {
        JunitSink sink(path, "--junit report.xml");
        sink.job_ended(job(1, {Kind::Exited, 0}));
        RunSummary run = summary(1, 0);
        run.interrupted_by = SIGHUP;
        run.exit_status = 129;
        run.not_started = 8;
        run.input_unread = unread;
        sink.finish(run);
        const std::string xml = read_file(path);
        EXPECT_NE(xml.find("<property name=\"wgrun.interrupted_by\" value=\"SIGHUP\"/>"),
                  std::string::npos) << xml;
        EXPECT_NE(xml.find(std::string("<property name=\"wgrun.not_started\" value=\"8") +
                           (unread ? "+" : "") + "\"/>"),
                  std::string::npos) << xml;
    }
    JunitSink sink(path, "--junit report.xml");
    sink.finish(summary(0, 0));
    EXPECT_EQ(read_file(path).find("wgrun.not_started"), std::string::npos);
}

TEST_F(JunitSinkTest, TailSaysWhenEarlierOutputWasNotKept) {
    JunitSink sink(path, "--junit report.xml");
    JobResult failed = job(1, {Kind::Exited, 1});
    failed.output_tail = "last line\n";
    failed.stdout_bytes = 1000;
    failed.stderr_bytes = 10;
    sink.job_ended(failed);
    sink.finish(summary(1, 1));
    EXPECT_NE(read_file(path).find(
                  "type=\"exit\">[wgrun: 1000 earlier bytes of output not kept]\nlast line\n</failure>"),
              std::string::npos)
        << read_file(path);
}

TEST_F(JunitSinkTest, SkippedJobsAreCountedInTestsAndSkipped) {
    JunitSink sink(path, "--junit report.xml");
    sink.job_ended(job(4));
    RunSummary run = summary(1, 0);
    run.skipped = 3;
    sink.finish(run);
    EXPECT_NE(read_file(path).find("tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"3\""),
              std::string::npos);
}

TEST_F(JunitSinkTest, AnyBytesBecomeValidXml) {
    JunitSink sink(path, "--junit report.xml");
    JobResult odd = job(1, {Kind::Exited, 1});
    odd.command = "echo \"<a & 'b'>\"\t\x01 caf\xE9\r"s;
    odd.output_tail = "\x1b[31mred\x1b[0m \xFF </failure> ]]> \0 \r\n"s;
    sink.job_ended(odd);
    sink.finish(summary(1, 1));
    const std::string xml = read_file(path);
    EXPECT_TRUE(wgrun::is_valid_utf8(xml));
    EXPECT_NE(xml.find("name=\"job 1: echo &quot;&lt;a &amp; &apos;b&apos;&gt;&quot;&#9;\xEF\xBF\xBD "
                       "caf\xEF\xBF\xBD&#13;\""),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find(">\xEF\xBF\xBD[31mred\xEF\xBF\xBD[0m \xEF\xBF\xBD &lt;/failure&gt; ]]&gt; "
                       "\xEF\xBF\xBD &#13;\n</failure>"),
              std::string::npos)
        << xml;
}

TEST_F(JunitSinkTest, LongCommandsAreCutInTheName) {
    JunitSink sink(path, "--junit report.xml");
    JobResult long_one = job(1);
    long_one.command = std::string(JunitSink::kNameBytes - 1, 'x') + "\xC3\xA9" + "tail";
    sink.job_ended(long_one);
    sink.finish(summary(1, 0));
    const std::string xml = read_file(path);
    EXPECT_NE(xml.find("name=\"job 1: " + std::string(JunitSink::kNameBytes - 1, 'x') + "...\""),
              std::string::npos);
}

TEST_F(JunitSinkTest, FileAppearsOnlyAtFinishAndNothingElseIsLeft) {
    {
        JunitSink sink(path, "--junit report.xml");
        sink.job_ended(job(1));
        EXPECT_TRUE(names_in(dir.path()).empty()) << "a file before finish()";
        sink.finish(summary(1, 0));
    }
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"report.xml"});
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    const mode_t mask = ::umask(0);
    ::umask(mask);
    EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask);
}

TEST_F(JunitSinkTest, EarlierFileIsReplacedWholeAtFinish) {
    {
        JunitSink first(path, "--junit report.xml");
        first.job_ended(job(1, {Kind::Exited, 1}));
        first.finish(summary(1, 1));
    }
    const std::string before = read_file(path);
    JunitSink second(path, "--junit report.xml");
    second.job_ended(job(1));
    EXPECT_EQ(read_file(path), before) << "replaced before finish()";
    second.finish(summary(1, 0));
    EXPECT_NE(read_file(path), before);
    EXPECT_NE(read_file(path).find("failures=\"0\""), std::string::npos);
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"report.xml"});
}

TEST_F(JunitSinkTest, KilledBeforeFinishLeavesNothing) {
    {
        JunitSink sink(path, "--junit report.xml");
        sink.job_ended(job(1));
    }  // never finished
    EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST_F(JunitSinkTest, MissingDirectoryOrDirectoryFileIsAnError) {
    try {
        JunitSink sink(dir.file("missing/report.xml"), "--junit missing/report.xml");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "--junit missing/report.xml: No such file or directory");
    }
    try {
        JunitSink sink(dir.path(), "--junit DIR");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "--junit DIR: Is a directory");
    }
}

TEST_F(JunitSinkTest, FailureAtFinishLeavesNoFileOfOurs) {
    JunitSink sink(path, "--junit report.xml");
    sink.job_ended(job(1));
    ASSERT_EQ(::mkdir(path.c_str(), 0777), 0);  // report.xml is now a directory
    ASSERT_EQ(::mkdir((path + "/inside").c_str(), 0777), 0);
    sink.finish(summary(1, 0));
    EXPECT_EQ(sink.error().message(), "--junit report.xml: Is a directory");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"report.xml"});
    EXPECT_EQ(names_in(path), std::vector<std::string>{"inside"});
}

// A FIFO, a device or an open fd is written into, never replaced; the
// testcases then wait in the temporary directory given.
TEST_F(JunitSinkTest, OpenFdIsWrittenIntoNotReplaced) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    wgrun::test::Fd read_end(fds[0]);
    wgrun::test::Fd write_end(fds[1]);
    const std::string tmp = dir.file("tmp");
    ASSERT_EQ(::mkdir(tmp.c_str(), 0777), 0);
    {
        JunitSink sink("/proc/self/fd/" + std::to_string(fds[1]), "--junit fd", tmp);
        sink.job_ended(job(1));
        sink.finish(summary(1, 0));
        EXPECT_EQ(sink.error().message(), "");
    }
    write_end.reset();
    std::string xml;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) xml.append(buffer, n);
    EXPECT_EQ(xml.rfind("<?xml", 0), 0u) << xml;
    EXPECT_NE(xml.find("name=\"job 1: run 1\""), std::string::npos);
    EXPECT_EQ(xml.substr(xml.size() - 14), "</testsuites>\n");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"tmp"});
    EXPECT_EQ(names_in(tmp), std::vector<std::string>{});
}

TEST_F(JunitSinkTest, FifoStaysAFifo) {
    const std::string fifo = dir.file("f");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
    // A reader first, so that opening for writing does not block.
    wgrun::test::Fd reader(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    ASSERT_GE(reader.get(), 0);
    {
        JunitSink sink(fifo, "--junit f", dir.path());
        sink.job_ended(job(1, {Kind::Exited, 1}));
        sink.finish(summary(1, 1));
        EXPECT_EQ(sink.error().message(), "");
    }
    std::string xml;
    char buffer[4096];
    for (ssize_t n; (n = ::read(reader.get(), buffer, sizeof buffer)) > 0;) xml.append(buffer, n);
    EXPECT_NE(xml.find("failures=\"1\""), std::string::npos) << xml;
    struct stat info {};
    ASSERT_EQ(::lstat(fifo.c_str(), &info), 0);
    EXPECT_TRUE(S_ISFIFO(info.st_mode));
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"f"});
}

TEST_F(JunitSinkTest, DeviceIsWrittenInto) {
    JunitSink sink("/dev/null", "--junit /dev/null", dir.path());
    sink.job_ended(job(1));
    sink.finish(summary(1, 0));
    EXPECT_EQ(sink.error().message(), "");
    struct stat info {};
    ASSERT_EQ(::lstat("/dev/null", &info), 0);
    EXPECT_TRUE(S_ISCHR(info.st_mode));
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{});
}

TEST_F(JunitSinkTest, SymlinkStaysAndItsTargetGetsTheReport) {
    ASSERT_EQ(::mkdir(dir.file("sub").c_str(), 0777), 0);
    ASSERT_EQ(::symlink("sub/t.xml", path.c_str()), 0);
    {
        JunitSink sink(path, "--junit report.xml");
        sink.job_ended(job(1));
        sink.finish(summary(1, 0));
        EXPECT_EQ(sink.error().message(), "");
    }
    struct stat info {};
    ASSERT_EQ(::lstat(path.c_str(), &info), 0);
    EXPECT_TRUE(S_ISLNK(info.st_mode));
    EXPECT_NE(read_file(dir.file("sub/t.xml")).find("tests=\"1\""), std::string::npos);
    EXPECT_EQ(names_in(dir.file("sub")), std::vector<std::string>{"t.xml"});
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"report.xml", "sub"}));
}

TEST_F(JunitSinkTest, ManyJobsStreamToTheFile) {
    JunitSink sink(path, "--junit report.xml");
    for (std::uint64_t seq = 1; seq <= 20000; ++seq) {
        sink.job_ended(job(seq, {Kind::Exited, seq % 10 == 0 ? 1 : 0}));
    }
    sink.finish(summary(20000, 2000));
    const std::string xml = read_file(path);
    EXPECT_NE(xml.find("tests=\"20000\" failures=\"2000\""), std::string::npos);
    EXPECT_NE(xml.find("name=\"job 20000: run 20000\""), std::string::npos);
    EXPECT_EQ(xml.substr(xml.size() - 14), "</testsuites>\n");
}

}  // namespace
