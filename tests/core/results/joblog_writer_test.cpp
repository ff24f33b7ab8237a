// joblog_writer_test.cpp: JoblogWriter writes the header and one whole row
// per job the moment it ends (nothing held back), appends without a second
// header, cuts a torn last line before appending, creates files 0666 less
// the umask, and after a write error (/dev/full, a full disk) keeps the
// first error and writes nothing more, leaving no half row behind; waits
// for the flock of another writer, and holds it only while writing.
#include "results/joblog_writer.hpp"
#include "support/test_support.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

namespace {

using wgrun::ExitStatus;
using wgrun::JobResult;
using wgrun::JoblogWriter;
using wgrun::test::read_file;
using wgrun::test::TempDir;

const std::string kHeader =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

JobResult job(std::uint64_t seq, int code = 0, std::string command = "true") {
    JobResult r;
    r.seq = seq;
    r.command = std::move(command);
    r.status = {ExitStatus::Kind::Exited, code};
    r.start = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    r.runtime = std::chrono::milliseconds(250);
    return r;
}

std::string row(std::uint64_t seq, int code = 0, const std::string& command = "true") {
    return std::to_string(seq) + "\t:\t1700000000.000\t     0.250\t0\t0\t" + std::to_string(code) +
           "\t0\t" + command + "\n";
}

void write_text(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
}

TEST(JoblogWriter, WritesEachRowAsTheJobEnds) {
    TempDir dir;
    const std::string path = dir.file("log");
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Truncate, "--joblog log");
    EXPECT_EQ(read_file(path), kHeader);  // the header before any job ends
    writer->job_ended(job(3));
    EXPECT_EQ(read_file(path), kHeader + row(3));  // in the file at once: no buffer
    writer->job_ended(job(1, 4, "exit 4"));
    EXPECT_EQ(read_file(path), kHeader + row(3) + row(1, 4, "exit 4"));  // completion order
    writer->finish({});
    EXPECT_EQ(writer->error().message(), "");
    EXPECT_EQ(writer->cut_bytes(), 0);
}

TEST(JoblogWriter, TruncateEmptiesAnOldLog) {
    TempDir dir;
    const std::string path = dir.file("log");
    write_text(path, kHeader + row(1) + row(2));
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Truncate, "--joblog log");
    writer->job_ended(job(5));
    EXPECT_EQ(read_file(path), kHeader + row(5));
}

TEST(JoblogWriter, AppendAddsRowsWithoutASecondHeader) {
    TempDir dir;
    const std::string path = dir.file("log");
    write_text(path, kHeader + row(1));
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog log");
    writer->job_ended(job(2));
    EXPECT_EQ(read_file(path), kHeader + row(1) + row(2));
}

TEST(JoblogWriter, AppendToANewOrEmptyFileWritesTheHeader) {
    TempDir dir;
    auto fresh = JoblogWriter::open(dir.file("new"), JoblogWriter::Open::Append, "--joblog new");
    fresh->job_ended(job(1));
    EXPECT_EQ(read_file(dir.file("new")), kHeader + row(1));
    write_text(dir.file("empty"), "");
    auto empty = JoblogWriter::open(dir.file("empty"), JoblogWriter::Open::Append, "x");
    EXPECT_EQ(read_file(dir.file("empty")), kHeader);
}

TEST(JoblogWriter, AppendCutsATornLastRow) {
    TempDir dir;
    const std::string path = dir.file("log");
    write_text(path, kHeader + row(1) + "2\t:\t17000");
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog log");
    EXPECT_EQ(writer->cut_bytes(), 9);
    writer->job_ended(job(2));
    EXPECT_EQ(read_file(path), kHeader + row(1) + row(2));
}

TEST(JoblogWriter, AppendCutsATornRowLongerThanItsReadBuffer) {
    TempDir dir;
    const std::string path = dir.file("log");
    const std::string torn = "2\t:\t1.0\t1.0\t0\t0\t0\t0\t" + std::string(200'000, 'x');
    write_text(path, kHeader + row(1) + torn);
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog log");
    EXPECT_EQ(writer->cut_bytes(), static_cast<off_t>(torn.size()));
    EXPECT_EQ(read_file(path), kHeader + row(1));
}

TEST(JoblogWriter, AppendCutsATornHeaderAndWritesItWhole) {
    TempDir dir;
    const std::string path = dir.file("log");
    write_text(path, "Seq\tHost\tStart");
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog log");
    EXPECT_EQ(writer->cut_bytes(), 14);
    writer->job_ended(job(1));
    EXPECT_EQ(read_file(path), kHeader + row(1));
}

TEST(JoblogWriter, AppendLeavesAFileThatIsNotAJobLogAlone) {
    TempDir dir;
    const std::string path = dir.file("notes");
    write_text(path, "my notes\nno newline");
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog notes");
    EXPECT_EQ(writer->cut_bytes(), 0);
    writer->job_ended(job(1));
    EXPECT_EQ(read_file(path), "my notes\nno newline" + row(1));
}

TEST(JoblogWriter, NewFileIsCreatedWithTheUmask) {
    TempDir dir;
    const mode_t old = ::umask(027);
    auto writer = JoblogWriter::open(dir.file("log"), JoblogWriter::Open::Truncate, "x");
    ::umask(old);
    struct stat info {};
    ASSERT_EQ(::stat(dir.file("log").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640u);
}

TEST(JoblogWriter, CannotOpenThrowsWithTheName) {
    TempDir dir;
    try {
        JoblogWriter::open(dir.file("no/such/dir/log"), JoblogWriter::Open::Truncate,
                           "--joblog no/such/dir/log");
        FAIL() << "opened";
    } catch (const std::system_error& e) {
        EXPECT_EQ(std::string(e.what()), "--joblog no/such/dir/log: No such file or directory");
    }
}

TEST(JoblogWriter, DevFullKeepsTheFirstErrorAndWritesNoMore) {
    auto writer = JoblogWriter::open("/dev/full", JoblogWriter::Open::Truncate, "--joblog /dev/full");
    EXPECT_EQ(writer->error().message(), "--joblog /dev/full: No space left on device");
    writer->job_ended(job(1));
    writer->job_ended(job(2));
    EXPECT_EQ(writer->error().message(), "--joblog /dev/full: No space left on device");
}

TEST(JoblogWriter, StandardOutputStyleFdIsNotClosed) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    {
        JoblogWriter writer(pipe_fds[1], "--joblog -");
        writer.job_ended(job(1));
    }
    EXPECT_EQ(::fcntl(pipe_fds[1], F_GETFD), FD_CLOEXEC);  // still open
    ::close(pipe_fds[1]);
    std::string got;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) got.append(buffer, n);
    ::close(pipe_fds[0]);
    EXPECT_EQ(got, kHeader + row(1));
}

TEST(JoblogWriter, ClosedPipeIsAnError) {
    wgrun::test::IgnoreSigpipe ignore;
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    ::close(pipe_fds[0]);
    JoblogWriter writer(pipe_fds[1], "--joblog -");
    EXPECT_EQ(writer.error().message(), "--joblog -: Broken pipe");
    ::close(pipe_fds[1]);
}

// Another process appending to the log holds the lock (flock on its own
// open file): the writer waits for it before it looks at the file.
TEST(JoblogWriter, AppendWaitsForTheLockOfAnotherWriter) {
    TempDir dir;
    const std::string path = dir.file("log");
    write_text(path, "");
    const int other = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(other, 0);
    ASSERT_EQ(::flock(other, LOCK_EX), 0);
    std::atomic<bool> done{false};
    std::atomic<pid_t> tid{0};
    std::thread appender([&] {
        tid.store(::gettid());
        auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog log");
        writer->job_ended(job(1));
        done = true;
    });
    // Once the appender waits in flock(2) (or has wrongly finished without
    // it), the other writer puts its header in, as one would, then lets go.
    const bool waited = wgrun::test::eventually(
        [&] {
            return done.load() ||
                   (tid.load() != 0 && wgrun::test::blocked_syscall(tid.load()) == SYS_flock);
        },
        std::chrono::seconds(30));
    EXPECT_TRUE(waited) << "the appender neither waited for the lock nor finished";
    EXPECT_FALSE(done.load()) << "wrote without the lock";
    ASSERT_EQ(::write(other, kHeader.data(), kHeader.size()), static_cast<ssize_t>(kHeader.size()));
    ASSERT_EQ(::flock(other, LOCK_UN), 0);
    appender.join();
    ::close(other);
    EXPECT_EQ(read_file(path), kHeader + row(1));  // one header: the first writer's
}

TEST(JoblogWriter, LockIsHeldOnlyWhileWriting) {
    TempDir dir;
    const std::string path = dir.file("log");
    auto writer = JoblogWriter::open(path, JoblogWriter::Open::Append, "--joblog log");
    const int other = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(other, 0);
    EXPECT_EQ(::flock(other, LOCK_EX | LOCK_NB), 0) << "the lock is still held after open";
    ::flock(other, LOCK_UN);
    writer->job_ended(job(1));
    EXPECT_EQ(::flock(other, LOCK_EX | LOCK_NB), 0) << "the lock is still held after a row";
    ::close(other);
}

// A full filesystem: a row that fits only in part is taken back whole. Runs
// in a child with its own mount namespace (needs root or user namespaces).
TEST(JoblogWriter, FullDiskLeavesNoHalfRow) {
    TempDir dir;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::unshare(CLONE_NEWNS | (::geteuid() == 0 ? 0 : CLONE_NEWUSER)) != 0) ::_exit(77);
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
        if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=8k") != 0) ::_exit(77);
        const std::string path = dir.file("log");
        auto writer = JoblogWriter::open(path, JoblogWriter::Open::Truncate, "--joblog log");
        std::uint64_t seq = 0;
        while (writer->error().message().empty() && seq < 10'000) writer->job_ended(job(++seq, 0, std::string(900, 'c')));
        if (writer->error().message() != "--joblog log: No space left on device") ::_exit(1);
        const std::string text = read_file(path);
        // Whole rows only: the header and seq - 1 rows.
        std::string expected = kHeader;
        for (std::uint64_t s = 1; s < seq; ++s) expected += row(s, 0, std::string(900, 'c'));
        ::_exit(text == expected ? 0 : 2);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot mount a small tmpfs here";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: wrong error, 2: not whole rows";
}

}  // namespace
