// results_tee_test.cpp: ResultsTee passes every call through to the mode it
// wraps unchanged, and saves each job's stdout, stderr, seq and status under
// DIR/<seq> (--results DIR/{#}/; GNU's naming is in results_naming_test.cpp
// and below, at the end): not for a job that never finished, not after a failed write;
// replacing only those three files of an earlier DIR/<seq>, a conflict
// being the job's problem; two tees on one DIR never in each other's way.
#include "results/results_tee.hpp"
#include "support/test_support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using wgrun::ExitStatus;
using wgrun::JobStart;
using wgrun::OutputFlow;
using wgrun::OutputMode;
using wgrun::ResultsTee;
using wgrun::Stream;

using wgrun::test::TempDir;

using wgrun::test::read_file;

void write_file(const std::string& path, std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
    ASSERT_EQ(::write(fd, content.data(), content.size()),
              static_cast<ssize_t>(content.size()));
    ::close(fd);
}

bool exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

// The names in a directory, sorted, without "." and "..".
std::vector<std::string> names_in(const std::string& path) {
    std::vector<std::string> names;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return {"<cannot open>"};
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

int open_fd_count() { return static_cast<int>(names_in("/proc/self/fd").size()); }

std::string binary_bytes(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    unsigned x = seed * 2654435761u + 1;
    for (char& c : bytes) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(x >> 16);
    }
    return bytes;
}

// An inner mode that records every call and answers as it is told.
class FakeMode : public OutputMode, public OutputFlow {
public:
    struct Log {
        std::vector<std::string> calls;
        std::vector<const std::vector<std::string>*> args;
        std::vector<const std::string*> commands;
    };
    FakeMode(Log& log, std::vector<std::pair<std::uint64_t, std::string>> problems = {})
        : log_(log), problems_(std::move(problems)) {}

    void started(const JobStart& job) override {
        log_.calls.push_back("started " + std::to_string(job.seq) + " slot " +
                             std::to_string(job.slot));
        log_.args.push_back(job.args);
        log_.commands.push_back(job.command);
    }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        log_.calls.push_back("output " + std::to_string(seq) +
                             (stream == Stream::Out ? " out " : " err ") + std::string(bytes));
    }
    std::string finished(std::uint64_t seq, const ExitStatus& status) override {
        log_.calls.push_back("finished " + std::to_string(seq) + " " + status.describe());
        for (const auto& [problem_seq, problem] : problems_) {
            if (problem_seq == seq) return problem;
        }
        return "";
    }
    OutputFlow& flow() override { return *this; }
    bool stdout_closed() const override { return closed; }

    bool closed = false;

private:
    Log& log_;
    std::vector<std::pair<std::uint64_t, std::string>> problems_;
};

JobStart job(std::uint64_t seq, std::uint64_t slot = 0) {
    JobStart start;
    start.seq = seq;
    start.slot = slot;
    return start;
}

ExitStatus exited(int code) { return {ExitStatus::Kind::Exited, code}; }
ExitStatus signaled(int signal) { return {ExitStatus::Kind::Signaled, signal}; }

class ResultsTeeTest : public testing::Test {
protected:
    std::unique_ptr<ResultsTee> make_tee(const std::string& dir,
                                         std::vector<std::pair<std::uint64_t, std::string>>
                                             problems = {}) {
        auto inner = std::make_unique<FakeMode>(log, std::move(problems));
        fake = inner.get();
        return std::make_unique<ResultsTee>(std::move(inner), dir + "/{#}/");
    }

    TempDir temp;
    FakeMode::Log log;
    FakeMode* fake = nullptr;
};

TEST_F(ResultsTeeTest, SavesEachJobsStreamsAndStatus) {
    const std::string dir = temp.file("results");
    auto tee = make_tee(dir);
    const std::string binary = binary_bytes(300000, 1) + std::string("\0\0tail\0", 7);
    tee->started(job(1, 0));
    tee->started(job(2, 1));
    tee->started(job(3, 2));
    // Interleaved as they would arrive; job 2 writes nothing at all.
    tee->output(1, Stream::Out, "hello ");
    tee->output(3, Stream::Err, std::string_view(binary).substr(0, 1000));
    tee->output(1, Stream::Err, "warning\n");
    tee->output(3, Stream::Err, std::string_view(binary).substr(1000));
    tee->output(1, Stream::Out, "world\n");
    tee->output(3, Stream::Out, std::string("\0", 1));
    EXPECT_EQ(tee->finished(2, exited(0)), "");
    EXPECT_EQ(tee->finished(1, exited(0)), "");
    EXPECT_EQ(tee->finished(3, exited(0)), "");

    EXPECT_EQ(names_in(dir), (std::vector<std::string>{"1", "2", "3"}));
    for (const char* seq : {"1", "2", "3"}) {
        EXPECT_EQ(names_in(dir + "/" + seq),
                  (std::vector<std::string>{"seq", "status", "stderr", "stdout"}));
        EXPECT_EQ(read_file(dir + "/" + seq + "/status"), "0\n");
    }
    EXPECT_EQ(read_file(dir + "/1/stdout"), "hello world\n");
    EXPECT_EQ(read_file(dir + "/1/stderr"), "warning\n");
    EXPECT_EQ(read_file(dir + "/2/stdout"), "");
    EXPECT_EQ(read_file(dir + "/2/stderr"), "");
    EXPECT_EQ(read_file(dir + "/3/stdout"), std::string("\0", 1));
    EXPECT_TRUE(read_file(dir + "/3/stderr") == binary) << "binary stderr not saved byte-exact";
}

TEST_F(ResultsTeeTest, StatusIsWhatAShellWouldShow) {
    const std::string dir = temp.file("results");
    auto tee = make_tee(dir);
    const std::vector<ExitStatus> statuses = {
        exited(0), exited(3), signaled(SIGKILL), ExitStatus::not_started(ENOENT),
        ExitStatus::not_started(EACCES), exited(255)};
    const std::vector<std::string> expected = {"0\n", "3\n", "137\n", "127\n", "126\n", "255\n"};
    for (std::uint64_t seq = 1; seq <= statuses.size(); ++seq) {
        tee->started(job(seq));
        if (statuses[seq - 1].kind == ExitStatus::Kind::NotStarted) {
            tee->output(seq, Stream::Err, "wgrun: cannot run nope\n");
        }
        EXPECT_EQ(tee->finished(seq, statuses[seq - 1]), "");
    }
    for (std::uint64_t seq = 1; seq <= statuses.size(); ++seq) {
        EXPECT_EQ(read_file(dir + "/" + std::to_string(seq) + "/status"), expected[seq - 1])
            << "job " << seq;
    }
    EXPECT_EQ(read_file(dir + "/4/stderr"), "wgrun: cannot run nope\n");
    EXPECT_EQ(read_file(dir + "/4/stdout"), "");
}

TEST_F(ResultsTeeTest, ForwardsEveryCallUnchanged) {
    auto tee = make_tee(temp.file("results"), {{2, "output lost: cannot write stdout: EPIPE"}});
    const std::vector<std::string> args = {"a b", "c"};
    const std::string command = "echo 'a b' c";
    JobStart first = job(1, 4);
    first.args = &args;
    first.command = &command;
    tee->started(first);
    tee->started(job(2, 5));
    tee->output(1, Stream::Out, std::string("x\0y", 3));
    tee->output(2, Stream::Err, "oops\n");
    tee->output(1, Stream::Out, "");
    EXPECT_EQ(tee->finished(1, signaled(SIGTERM)), "");
    EXPECT_EQ(tee->finished(2, exited(1)), "output lost: cannot write stdout: EPIPE");

    EXPECT_EQ(log.calls, (std::vector<std::string>{
                             "started 1 slot 4",
                             "started 2 slot 5",
                             std::string("output 1 out x\0y", 16),
                             "output 2 err oops\n",
                             "output 1 out ",
                             "finished 1 killed by SIGTERM",
                             "finished 2 exit 1",
                         }));
    ASSERT_EQ(log.args.size(), 2u);
    EXPECT_EQ(log.args[0], &args);
    EXPECT_EQ(log.commands[0], &command);
    EXPECT_EQ(log.args[1], nullptr);

    EXPECT_FALSE(tee->flow().stdout_closed());
    fake->closed = true;
    EXPECT_TRUE(tee->flow().stdout_closed());
}

TEST_F(ResultsTeeTest, RerunReplacesOnlyItsOwnFiles) {
    const std::string dir = temp.file("results");
    ASSERT_EQ(::mkdir(dir.c_str(), 0777), 0);
    ASSERT_EQ(::mkdir((dir + "/1").c_str(), 0777), 0);
    write_file(dir + "/1/stdout", "old stdout that is longer than the new one\n");
    write_file(dir + "/1/status", "9\n");
    write_file(dir + "/1/leftover", "the user's, or an older wgrun's\n");
    ASSERT_EQ(::mkdir((dir + "/1/src").c_str(), 0777), 0);
    write_file(dir + "/1/src/main.c", "code\n");
    // What older wgruns left when killed: not ours to remove any more.
    ASSERT_EQ(::mkdir((dir + "/.3.partial").c_str(), 0777), 0);
    write_file(dir + "/.3.partial/stdout", "stale partial\n");
    write_file(dir + "/keep", "not ours\n");

    auto tee = make_tee(dir);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        tee->started(job(seq));
        tee->output(seq, Stream::Out, "new " + std::to_string(seq) + "\n");
        EXPECT_EQ(tee->finished(seq, exited(0)), "");
    }
    EXPECT_EQ(names_in(dir + "/1"),
              (std::vector<std::string>{"leftover", "seq", "src", "status", "stderr", "stdout"}));
    EXPECT_EQ(read_file(dir + "/1/leftover"), "the user's, or an older wgrun's\n");
    EXPECT_EQ(read_file(dir + "/1/src/main.c"), "code\n");
    for (const char* seq : {"2", "3"}) {
        EXPECT_EQ(names_in(dir + "/" + seq),
                  (std::vector<std::string>{"seq", "status", "stderr", "stdout"}))
            << "job " << seq;
    }
    for (const char* seq : {"1", "2", "3"}) {
        EXPECT_EQ(read_file(dir + "/" + seq + "/stdout"), std::string("new ") + seq + "\n");
        EXPECT_EQ(read_file(dir + "/" + seq + "/stderr"), "");
        EXPECT_EQ(read_file(dir + "/" + seq + "/status"), "0\n");
    }
    // Nothing of ours is left behind, and what is not ours is untouched.
    EXPECT_EQ(names_in(dir), (std::vector<std::string>{".3.partial", "1", "2", "3", "keep"}));
    EXPECT_EQ(read_file(dir + "/.3.partial/stdout"), "stale partial\n");
    EXPECT_EQ(read_file(dir + "/keep"), "not ours\n");
}

TEST_F(ResultsTeeTest, ConflictIsTheJobsProblemAndChangesNothing) {
    const std::string dir = temp.file("results");
    ASSERT_EQ(::mkdir(dir.c_str(), 0777), 0);
    write_file(dir + "/1", "a file where job 1's directory goes\n");
    ASSERT_EQ(::mkdir((dir + "/2").c_str(), 0777), 0);
    ASSERT_EQ(::mkdir((dir + "/2/stderr").c_str(), 0777), 0);
    write_file(dir + "/2/stdout", "old\n");
    write_file(dir + "/2/status", "5\n");
    ASSERT_EQ(::mkdir((dir + "/elsewhere").c_str(), 0777), 0);
    ASSERT_EQ(::symlink("elsewhere", (dir + "/3").c_str()), 0);
    ASSERT_EQ(::mkdir((dir + "/4").c_str(), 0777), 0);
    ASSERT_EQ(::mkdir((dir + "/4/status").c_str(), 0777), 0);

    auto tee = make_tee(dir, {{4, "output lost: cannot write stdout: Broken pipe"}});
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        tee->started(job(seq));
        tee->output(seq, Stream::Out, "new\n");
    }
    EXPECT_EQ(tee->finished(1, exited(0)),
              "results not saved: " + dir + "/1: " + std::strerror(ENOTDIR));
    EXPECT_EQ(tee->finished(2, exited(0)),
              "results not saved: " + dir + "/2/stderr: " + std::strerror(EISDIR));
    EXPECT_EQ(tee->finished(3, exited(0)),
              "results not saved: " + dir + "/3: " + std::strerror(ENOTDIR));
    EXPECT_EQ(tee->finished(4, exited(0)),
              "output lost: cannot write stdout: Broken pipe; results not saved: " + dir +
                  "/4/status: " + std::strerror(EISDIR));
    EXPECT_EQ(read_file(dir + "/1"), "a file where job 1's directory goes\n");
    EXPECT_EQ(read_file(dir + "/2/stdout"), "old\n");
    EXPECT_EQ(read_file(dir + "/2/status"), "5\n");
    EXPECT_EQ(names_in(dir + "/2/stderr"), std::vector<std::string>{});
    EXPECT_EQ(names_in(dir + "/elsewhere"), std::vector<std::string>{});
    EXPECT_EQ(names_in(dir + "/4"), std::vector<std::string>{"status"});
    EXPECT_EQ(names_in(dir), (std::vector<std::string>{"1", "2", "3", "4", "elsewhere"}));
}

// Two wgrun processes saving to one DIR at once, interleaved in one thread:
// neither takes the other's files away; the later one's files win.
TEST_F(ResultsTeeTest, TwoTeesOnOneDirBothSaveEveryJob) {
    const std::string dir = temp.file("results");
    FakeMode::Log other_log;
    ResultsTee other(std::make_unique<FakeMode>(other_log), dir + "/{#}/");
    auto tee = make_tee(dir);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        tee->started(job(seq));
        other.started(job(seq));
        tee->output(seq, Stream::Out, "first\n");
        other.output(seq, Stream::Out, "second\n");
    }
    EXPECT_EQ(tee->finished(1, exited(0)), "");
    EXPECT_EQ(other.finished(1, exited(1)), "");
    EXPECT_EQ(other.finished(2, exited(1)), "");
    EXPECT_EQ(tee->finished(2, exited(0)), "");
    EXPECT_EQ(tee->finished(3, exited(0)), "");
    EXPECT_EQ(other.finished(3, exited(1)), "");
    EXPECT_EQ(read_file(dir + "/1/stdout") + read_file(dir + "/1/status"), "second\n1\n");
    EXPECT_EQ(read_file(dir + "/2/stdout") + read_file(dir + "/2/status"), "first\n0\n");
    EXPECT_EQ(read_file(dir + "/3/stdout") + read_file(dir + "/3/status"), "second\n1\n");
    EXPECT_EQ(names_in(dir), (std::vector<std::string>{"1", "2", "3"}));
}

// The files of running jobs, as /proc/self/fd shows them: nameless files in
// `dir` ("DIR/#123 (deleted)"), or hidden ones where there is no O_TMPFILE.
std::vector<int> running_files(const std::string& dir) {
    std::vector<int> fds;
    for (const std::string& name : names_in("/proc/self/fd")) {
        std::error_code ignored;
        const std::string target =
            std::filesystem::read_symlink("/proc/self/fd/" + name, ignored).string();
        if (target.rfind(dir + "/", 0) == 0) fds.push_back(std::stoi(name));
    }
    return fds;
}

TEST_F(ResultsTeeTest, UnfinishedJobLeavesNothing) {
    const std::string dir = temp.file("results");
    {
        auto tee = make_tee(dir);
        tee->started(job(1));
        tee->started(job(2));
        tee->output(1, Stream::Out, "done\n");
        tee->output(2, Stream::Out, "half of it");
        EXPECT_EQ(tee->finished(1, exited(0)), "");
        // Written through while it runs, not held back in memory.
        // (stdout, stderr, seq and the status still to be written)
        std::vector<std::string> contents;
        for (const int fd : running_files(dir)) {
            contents.push_back(read_file("/proc/self/fd/" + std::to_string(fd)));
        }
        std::sort(contents.begin(), contents.end());
        EXPECT_EQ(contents, (std::vector<std::string>{"", "", "2", "half of it"}));
    }  // wgrun ends (or is killed) with job 2 still running
    EXPECT_EQ(names_in(dir), (std::vector<std::string>{"1"}));

    auto tee = make_tee(dir);
    tee->started(job(2));
    tee->output(2, Stream::Out, "all of it\n");
    EXPECT_EQ(tee->finished(2, exited(0)), "");
    EXPECT_EQ(names_in(dir), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(read_file(dir + "/2/stdout"), "all of it\n");
}

TEST_F(ResultsTeeTest, CreatesMissingParentsAndTakesTrailingSlashes) {
    const std::string dir = temp.file("a/b//c");
    auto tee = make_tee(dir + "/");
    tee->started(job(7));
    tee->output(7, Stream::Err, "e");
    EXPECT_EQ(tee->finished(7, exited(3)), "");
    EXPECT_EQ(read_file(temp.file("a/b/c/7/stderr")), "e");
    EXPECT_EQ(read_file(temp.file("a/b/c/7/status")), "3\n");
}

// Four, as output_fds_per_job() counts them: stdout, stderr, seq, status.
TEST_F(ResultsTeeTest, KeepsFourFdsPerRunningJobAndNoneAfter) {
    const std::string dir = temp.file("results");
    auto tee = make_tee(dir);
    const int before = open_fd_count();
    for (std::uint64_t seq = 1; seq <= 5; ++seq) tee->started(job(seq));
    EXPECT_EQ(open_fd_count(), before + 20);
    for (std::uint64_t seq = 1; seq <= 5; ++seq) {
        tee->output(seq, Stream::Out, "x");
        EXPECT_EQ(tee->finished(seq, exited(0)), "");
    }
    EXPECT_EQ(open_fd_count(), before);
    // And they are not inherited by the jobs.
    tee->started(job(6));
    const std::vector<int> ours = running_files(dir);
    EXPECT_EQ(ours.size(), 4u);
    for (const int fd : ours) EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0) << fd;
    EXPECT_EQ(tee->finished(6, exited(0)), "");
}

// The fds a job's results need are all taken as it starts: when other
// jobs' spill files have used up every fd by the time it ends (TSan's run
// of hardening_fds_test.sh met this), its results are still saved.
TEST_F(ResultsTeeTest, AJobEndingWithNoFdLeftIsStillSaved) {
    const std::string dir = temp.file("results");
    auto tee = make_tee(dir);
    tee->started(job(1));
    tee->output(1, Stream::Out, "out");
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    std::vector<wgrun::UniqueFd> filler;
    rlimit low = saved;
    low.rlim_cur = static_cast<rlim_t>(open_fd_count() + 8);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    for (;;) {  // every fd below the limit taken
        wgrun::UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        if (!fd) break;
        filler.push_back(std::move(fd));
    }
    const std::string problem = tee->finished(1, exited(3));
    filler.clear();
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
    EXPECT_EQ(problem, "");
    EXPECT_EQ(read_file(dir + "/1/stdout"), "out");
    EXPECT_EQ(read_file(dir + "/1/seq"), "1");
    EXPECT_EQ(read_file(dir + "/1/status"), "3\n");
}

TEST_F(ResultsTeeTest, DirThatIsAFileIsAProblemNotACrash) {
    const std::string dir = temp.file("results");
    write_file(dir, "I am a file\n");
    auto tee = make_tee(dir, {{2, "output lost: cannot write stdout: Broken pipe"}});
    tee->started(job(1));
    tee->started(job(2));
    tee->output(1, Stream::Out, "bytes\n");
    tee->output(2, Stream::Err, "more\n");
    EXPECT_EQ(tee->finished(1, exited(0)),
              "results not saved: " + dir + ": " + std::strerror(ENOTDIR));
    EXPECT_EQ(tee->finished(2, exited(0)),
              "output lost: cannot write stdout: Broken pipe; results not saved: " + dir +
                  ": " + std::strerror(ENOTDIR));
    // The inner mode still saw everything.
    EXPECT_EQ(log.calls.size(), 6u);
    EXPECT_EQ(read_file(dir), "I am a file\n");
}

// Run in a child process, which drops root's rights first (root writes
// anywhere); it reports by its exit code.
TEST_F(ResultsTeeTest, UnwritableDirIsAProblem) {
    const std::string dir = temp.file("results");
    ASSERT_EQ(::mkdir(dir.c_str(), 0555), 0);
    ASSERT_EQ(::chmod(temp.path().c_str(), 0755), 0);
    const std::string expected = "results not saved: " + dir + ": " + std::strerror(EACCES);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
        FakeMode::Log child_log;
        ResultsTee tee(std::make_unique<FakeMode>(child_log), dir + "/{#}/");
        tee.started(job(1));
        tee.output(1, Stream::Out, "x");
        if (tee.finished(1, exited(0)) != expected) ::_exit(11);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child died with status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "10: cannot drop root, 11: wrong problem (want \"" << expected << "\")";
    EXPECT_EQ(names_in(dir), std::vector<std::string>{});
}

// A full disk, without mounting one: a child process with a 1 KiB file size
// limit (and SIGXFSZ ignored, so write() fails with EFBIG instead of killing
// it) writes 10 KB through the tee. It reports by its exit code.
TEST_F(ResultsTeeTest, FailedWriteIsAProblemAndLeavesNoJobDirectory) {
    const std::string dir = temp.file("results");
    const std::string expected =
        "results not saved: " + dir + "/2: " + std::strerror(EFBIG);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
        const rlimit limit{1024, 1024};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
        if (std::signal(SIGXFSZ, SIG_IGN) == SIG_ERR) ::_exit(11);
        FakeMode::Log child_log;
        ResultsTee tee(std::make_unique<FakeMode>(child_log), dir + "/{#}/");
        tee.started(job(1));
        tee.output(1, Stream::Out, "small\n");
        if (!tee.finished(1, exited(0)).empty()) ::_exit(12);
        tee.started(job(2));
        const std::string chunk(1000, 'z');
        for (int i = 0; i < 10; ++i) tee.output(2, i % 2 ? Stream::Out : Stream::Err, chunk);
        if (tee.finished(2, exited(0)) != expected) ::_exit(13);
        if (child_log.calls.size() != 15) ::_exit(14);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child died with status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "10: setrlimit, 11: signal, 12: job 1 failed, 13: wrong problem (want \""
        << expected << "\"), 14: calls not forwarded";
    EXPECT_EQ(read_file(dir + "/1/stdout"), "small\n");
    EXPECT_FALSE(exists(dir + "/2"));
    EXPECT_EQ(names_in(dir), std::vector<std::string>{"1"});
}

}  // namespace

// --- GNU's naming: NAME/1/VALUE1/2/VALUE2/, and a per-job file NAME ---------

namespace {

JobStart job_with(std::uint64_t seq, const std::vector<std::string>& args) {
    JobStart start = job(seq);
    start.args = &args;
    return start;
}

}  // namespace

TEST_F(ResultsTeeTest, PlainNameNestsEachSourcesValue) {
    const std::string dir = temp.file("name");
    auto inner = std::make_unique<FakeMode>(log);
    ResultsTee tee(std::move(inner), dir);
    const std::vector<std::string> first{"a", "d/e"};
    const std::vector<std::string> second{"..", ""};
    tee.started(job_with(1, first));
    tee.started(job_with(2, second));
    tee.output(1, Stream::Out, "one\n");
    tee.output(2, Stream::Err, "two\n");
    EXPECT_EQ(tee.finished(1, exited(0)), "");
    EXPECT_EQ(tee.finished(2, exited(4)), "");
    EXPECT_EQ(names_in(dir + "/1/a/2/d\\_e"),
              (std::vector<std::string>{"seq", "status", "stderr", "stdout"}));
    EXPECT_EQ(read_file(dir + "/1/a/2/d\\_e/stdout"), "one\n");
    EXPECT_EQ(read_file(dir + "/1/a/2/d\\_e/seq"), "1");
    // ".." and "" stay inside NAME (GNU would write to NAME itself).
    EXPECT_EQ(read_file(dir + "/1/\\../2/\\/stderr"), "two\n");
    EXPECT_EQ(read_file(dir + "/1/\\../2/\\/status"), "4\n");
    EXPECT_EQ(names_in(dir), std::vector<std::string>{"1"});
    EXPECT_EQ(names_in(dir + "/1"), (std::vector<std::string>{"\\..", "a"}));
}

TEST_F(ResultsTeeTest, TemplatedNameWithoutSlashIsTheStdoutFile) {
    const std::string dir = temp.file("out");
    ResultsTee tee(std::make_unique<FakeMode>(log), dir + "/sub/{1}");
    const std::vector<std::string> args{"x"};
    tee.started(job_with(3, args));
    tee.output(3, Stream::Out, "o");
    tee.output(3, Stream::Err, "e");
    EXPECT_EQ(tee.finished(3, signaled(9)), "");
    EXPECT_EQ(names_in(dir + "/sub"),
              (std::vector<std::string>{"x", "x.err", "x.seq", "x.status"}));
    EXPECT_EQ(read_file(dir + "/sub/x"), "o");
    EXPECT_EQ(read_file(dir + "/sub/x.err"), "e");
    EXPECT_EQ(read_file(dir + "/sub/x.seq"), "3");
    EXPECT_EQ(read_file(dir + "/sub/x.status"), "137\n");
    // A second run replaces the four files.
    ResultsTee again(std::make_unique<FakeMode>(log), dir + "/sub/{1}");
    again.started(job_with(1, args));
    again.output(1, Stream::Out, "new");
    EXPECT_EQ(again.finished(1, exited(0)), "");
    EXPECT_EQ(read_file(dir + "/sub/x") + read_file(dir + "/sub/x.err") +
                  read_file(dir + "/sub/x.seq"),
              "new1");
}

// Under -u and --line-buffer the inner mode has written a retried attempt's
// bytes; the saved files still hold only the last attempt's (as GNU's).
TEST_F(ResultsTeeTest, ARetriedAttemptsFilesStartAgain) {
    const std::string dir = temp.file("r");
    auto tee = make_tee(dir);
    tee->started(job(1));
    tee->output(1, Stream::Out, "first attempt\n");
    tee->output(1, Stream::Err, "first err\n");
    EXPECT_EQ(tee->retrying(1), 0u);  // the inner mode's count: it wrote them
    tee->output(1, Stream::Out, "second\n");
    EXPECT_EQ(tee->finished(1, exited(0)), "");
    EXPECT_EQ(read_file(dir + "/1/stdout"), "second\n");
    EXPECT_EQ(read_file(dir + "/1/stderr"), "");
}
