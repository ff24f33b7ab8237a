// spawner_test.cpp: LocalSpawner starts real jobs: their stdout and stderr
// come back as non-blocking, close-on-exec pipes; stdin is /dev/null; each
// job leads its own process group, gets the request's environment on top of
// ours, inherits no other fd than those it is told to pass on, starts with the given signal mask and default
// SIGPIPE, and gets SIGTERM when the process that spawned it dies; a program
// that cannot run throws its errno (and leaves no child). The tests reap the
// jobs themselves with waitpid().
#include "exec/spawner.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "support/fd_limit_support.hpp"
#include "support/spawn_support.hpp"
#include "support/test_support.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::LocalSpawner;
using wgrun::SpawnedJob;
using wgrun::SpawnRequest;
using wgrun::test::Ended;
using wgrun::test::finish;
using Words = std::vector<std::string>;

sigset_t empty_mask() {
    sigset_t mask;
    sigemptyset(&mask);
    return mask;
}

Ended run(LocalSpawner& spawner, const SpawnRequest& request) {
    return finish(spawner.spawn(request));
}

Ended run_shell(LocalSpawner& spawner, const std::string& command, Words env = {}) {
    return run(spawner, SpawnRequest{{"/bin/sh", "-c", command}, std::move(env)});
}

Words lines_of(const std::string& text) {
    Words lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

using wgrun::test::open_fds;

// The hex mask on the `field` line ("SigBlk", "SigIgn") of a
// /proc/PID/status text.
std::string status_field(const std::string& status, const std::string& field) {
    for (const auto& line : lines_of(status)) {
        if (line.rfind(field + ":", 0) == 0) {
            std::string value = line.substr(field.size() + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            return value;
        }
    }
    return "<no " + field + ">";
}

bool mask_has(const std::string& hex, int signal) {
    const unsigned long long bits = std::strtoull(hex.c_str(), nullptr, 16);
    return (bits >> (signal - 1)) & 1;
}

// The errno that spawning `request` throws, or 0 (the job then reaped).
int spawn_error(LocalSpawner& spawner, const SpawnRequest& request) {
    try {
        finish(spawner.spawn(request));
    } catch (const std::system_error& e) {
        return e.code().value();
    }
    return 0;
}

// A temporary directory, removed with what it holds.
class ScratchDir {
public:
    ScratchDir() {
        const char* base = std::getenv("TMPDIR");
        path_ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                "/wgrun-spawner-test-XXXXXX";
        if (::mkdtemp(path_.data()) == nullptr) path_.clear();
    }
    ~ScratchDir() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

bool write_file(const std::string& path, const std::string& text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok && ::chmod(path.c_str(), mode) == 0;
}

// PATH set to `value` while it lives.
class PathSetTo {
public:
    explicit PathSetTo(const std::string& value) {
        const char* old = std::getenv("PATH");
        had_ = old != nullptr;
        if (had_) saved_ = old;
        ::setenv("PATH", value.c_str(), 1);
    }
    ~PathSetTo() {
        if (had_) {
            ::setenv("PATH", saved_.c_str(), 1);
        } else {
            ::unsetenv("PATH");
        }
    }
    PathSetTo(const PathSetTo&) = delete;
    PathSetTo& operator=(const PathSetTo&) = delete;

private:
    bool had_ = false;
    std::string saved_;
};

// Runs `body` in a forked helper process (so that what it changes, the
// subreaper flag or closed standard fds, stays there) and returns what it
// returned: "" for success, else what went wrong. The body reaps what it
// starts; the helper is killed after kPatience.
std::string in_helper(const std::function<std::string()>& body) {
    return wgrun::test::in_helper(body, wgrun::test::kPatience);
}

// SIGPIPE ignored while it lives, as it is in wgrun.
using wgrun::test::IgnoreSigpipe;

TEST(LocalSpawner, RunsAShellCommandWithItsOwnStdoutAndStderr) {
    LocalSpawner spawner(empty_mask());
    const Ended ended = run_shell(spawner, "echo out; echo err >&2; echo more; exit 3");
    ASSERT_FALSE(ended.timed_out);
    EXPECT_EQ(ended.out, "out\nmore\n");
    EXPECT_EQ(ended.err, "err\n");
    ASSERT_TRUE(WIFEXITED(ended.status));
    EXPECT_EQ(WEXITSTATUS(ended.status), 3);
}

TEST(LocalSpawner, LooksUpAProgramWithoutASlashInPath) {
    LocalSpawner spawner(empty_mask());
    const Ended ended = run(spawner, SpawnRequest{{"printf", "%s|", "a b", "$HOME", ""}, {}});
    ASSERT_FALSE(ended.timed_out);
    EXPECT_EQ(ended.out, "a b|$HOME||") << "argv words reach the program as they are";
    ASSERT_TRUE(WIFEXITED(ended.status));
    EXPECT_EQ(WEXITSTATUS(ended.status), 0);
}

TEST(LocalSpawner, BigOutputOnBothStreams) {
    LocalSpawner spawner(empty_mask());
    const Ended ended = run_shell(spawner, "head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2");
    ASSERT_FALSE(ended.timed_out);
    EXPECT_EQ(ended.out.size(), 3000000u);
    EXPECT_EQ(ended.err.size(), 2000000u);
    EXPECT_TRUE(WIFEXITED(ended.status) && WEXITSTATUS(ended.status) == 0);
}

TEST(LocalSpawner, TheReturnedFdsAreCloseOnExecAndNonBlocking) {
    LocalSpawner spawner(empty_mask());
    const SpawnedJob job = spawner.spawn(SpawnRequest{{"/bin/sh", "-c", "echo hi"}, {}});
    ASSERT_GT(job.pid, 0);
    for (int fd : {job.stdout_fd, job.stderr_fd}) {
        ASSERT_GE(fd, 0);
        EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0) << fd;
        const int flags = ::fcntl(fd, F_GETFL);
        EXPECT_NE(flags & O_NONBLOCK, 0) << fd;
        EXPECT_EQ(flags & O_ACCMODE, O_RDONLY) << "the read ends";
    }
    EXPECT_NE(job.stdout_fd, job.stderr_fd);
    const Ended ended = finish(job);
    EXPECT_EQ(ended.out, "hi\n");
}

TEST(LocalSpawner, GrowsTheJobsStdoutPipeWhenAsked) {
    LocalSpawner plain(empty_mask());
    LocalSpawner grown(empty_mask(), std::size_t{1} << 20);
    const SpawnedJob a = plain.spawn(SpawnRequest{{"/bin/sh", "-c", "true"}, {}});
    const SpawnedJob b = grown.spawn(SpawnRequest{{"/bin/sh", "-c", "true"}, {}});
    EXPECT_EQ(::fcntl(a.stdout_fd, F_GETPIPE_SZ), 64 << 10) << "Linux's default, left alone";
    EXPECT_EQ(::fcntl(b.stdout_fd, F_GETPIPE_SZ), 1 << 20);
    EXPECT_EQ(::fcntl(b.stderr_fd, F_GETPIPE_SZ), 64 << 10) << "stderr is seldom bulk";
    finish(a);
    finish(b);
}

TEST(LocalSpawner, StdinIsDevNull) {
    LocalSpawner spawner(empty_mask());
    const Ended ended = run_shell(spawner, "readlink /proc/self/fd/0; cat; echo end");
    ASSERT_FALSE(ended.timed_out) << "cat must see the end of /dev/null at once";
    EXPECT_EQ(ended.out, "/dev/null\nend\n");
}

TEST(LocalSpawner, AHeldStdinReachesItsEndOnlyWhenWgrunLetsGoOfIt) {
    LocalSpawner spawner(empty_mask());
    SpawnRequest request;
    request.argv = {"/bin/sh", "-c", "read -r line; echo read $?"};
    request.hold_stdin = true;
    const SpawnedJob job = spawner.spawn(request);
    ASSERT_GE(job.stdin_fd, 0);
    EXPECT_EQ(::fcntl(job.stdin_fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    // Still reading while wgrun holds the write end.
    std::this_thread::sleep_for(100ms);
    int status = 0;
    EXPECT_EQ(::waitpid(job.pid, &status, WNOHANG), 0);
    ::close(job.stdin_fd);
    const Ended ended = finish(job);
    EXPECT_EQ(ended.out, "read 1\n");  // the end of its input, nothing read
}

TEST(LocalSpawner, TheJobLeadsItsOwnProcessGroup) {
    LocalSpawner spawner(empty_mask());
    const SpawnedJob job = spawner.spawn(SpawnRequest{
        {"/bin/sh", "-c", "read -r pid comm state ppid pgrp rest < /proc/$$/stat; echo \"$$ $pgrp\""},
        {}});
    // Not reaped yet (a zombie at worst): its group is still known.
    EXPECT_EQ(::getpgid(job.pid), job.pid);
    EXPECT_NE(::getpgid(job.pid), ::getpgrp()) << "not in the test's group";
    const Ended ended = finish(job);
    ASSERT_FALSE(ended.timed_out);
    EXPECT_EQ(ended.out, std::to_string(job.pid) + " " + std::to_string(job.pid) + "\n");
}

TEST(LocalSpawner, TheRequestsEnvironmentIsAddedAndOverrides) {
    ASSERT_EQ(::setenv("WGRUN_SPAWNER_TEST_OVERRIDDEN", "from the parent", 1), 0);
    ASSERT_EQ(::setenv("WGRUN_SPAWNER_TEST_INHERITED", "inherited", 1), 0);
    LocalSpawner spawner(empty_mask());
    const Ended ended = run(spawner, SpawnRequest{{"env"},
                                                  {"WGRUN_SPAWNER_TEST_OVERRIDDEN=from the request",
                                                   "WGRUN_SPAWNER_TEST_ADDED=a=b c",
                                                   "WGRUN_SPAWNER_TEST_EMPTY="}});
    ::unsetenv("WGRUN_SPAWNER_TEST_OVERRIDDEN");
    ::unsetenv("WGRUN_SPAWNER_TEST_INHERITED");
    ASSERT_FALSE(ended.timed_out);
    const Words lines = lines_of(ended.out);
    auto count = [&lines](const std::string& line) {
        return std::count(lines.begin(), lines.end(), line);
    };
    auto count_prefix = [&lines](const std::string& prefix) {
        return std::count_if(lines.begin(), lines.end(),
                             [&prefix](const std::string& l) { return l.rfind(prefix, 0) == 0; });
    };
    EXPECT_EQ(count("WGRUN_SPAWNER_TEST_OVERRIDDEN=from the request"), 1);
    EXPECT_EQ(count_prefix("WGRUN_SPAWNER_TEST_OVERRIDDEN="), 1) << "replaced, not doubled";
    EXPECT_EQ(count("WGRUN_SPAWNER_TEST_ADDED=a=b c"), 1);
    EXPECT_EQ(count("WGRUN_SPAWNER_TEST_EMPTY="), 1);
    EXPECT_EQ(count("WGRUN_SPAWNER_TEST_INHERITED=inherited"), 1) << "the rest is inherited";
    EXPECT_GE(count_prefix("PATH="), 1);
}

TEST(LocalSpawner, TheParentsEnvironmentIsLeftAlone) {
    ASSERT_EQ(::setenv("WGRUN_SPAWNER_TEST_PARENT", "unchanged", 1), 0);
    LocalSpawner spawner(empty_mask());
    const Ended ended =
        run_shell(spawner, "echo \"$WGRUN_SPAWNER_TEST_PARENT\"", {"WGRUN_SPAWNER_TEST_PARENT=job"});
    EXPECT_EQ(ended.out, "job\n");
    const char* value = std::getenv("WGRUN_SPAWNER_TEST_PARENT");
    ASSERT_NE(value, nullptr);
    EXPECT_STREQ(value, "unchanged");
    ::unsetenv("WGRUN_SPAWNER_TEST_PARENT");
}

TEST(LocalSpawner, TheJobInheritsNoOtherFd) {
    // Fds of the test process that are not close-on-exec.
    const int extra_null = ::open("/dev/null", O_RDONLY);
    const int extra_dup = ::dup(1);
    int leaky_pipe[2];
    ASSERT_EQ(::pipe(leaky_pipe), 0);
    ASSERT_GE(extra_null, 0);
    ASSERT_GE(extra_dup, 0);
    LocalSpawner spawner(empty_mask());
    // Another job running meanwhile: its pipes must not reach the second one.
    const SpawnedJob other = spawner.spawn(SpawnRequest{{"/bin/sh", "-c", "sleep 1"}, {}});
    // `; :` keeps the shell from exec'ing ls: $$ is the shell, not ls.
    const Ended ended = run_shell(spawner, "ls /proc/$$/fd; :");
    const Ended other_ended = finish(other);
    ::close(extra_null);
    ::close(extra_dup);
    ::close(leaky_pipe[0]);
    ::close(leaky_pipe[1]);
    ASSERT_FALSE(ended.timed_out);
    EXPECT_EQ(lines_of(ended.out), (Words{"0", "1", "2"})) << ended.out;
    EXPECT_FALSE(other_ended.timed_out);
}

// The fds named as inherited reach the job as they are, in any order and
// with gaps between them; every other fd (another non-close-on-exec one of
// the test process, another job's pipes) is closed.
TEST(LocalSpawner, TheInheritedFdsAndNoOtherReachTheJob) {
    int fds[5];
    for (int& fd : fds) fd = ::open("/dev/null", O_RDONLY);  // not close-on-exec
    for (int fd : fds) ASSERT_GE(fd, 3);
    // Pass on the second and the fourth (a gap before, between and after).
    LocalSpawner spawner(empty_mask(), 0, {fds[3], fds[1], fds[3], 1});
    const SpawnedJob other = spawner.spawn(SpawnRequest{{"/bin/sh", "-c", "sleep 1"}, {}});
    const Ended ended = run_shell(spawner, "ls /proc/$$/fd; :");
    const Ended other_ended = finish(other);
    for (int fd : fds) ::close(fd);
    ASSERT_FALSE(ended.timed_out);
    Words expected{"0", "1", "2", std::to_string(fds[1]), std::to_string(fds[3])};
    std::sort(expected.begin(), expected.end());
    Words got = lines_of(ended.out);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected) << ended.out;
    EXPECT_FALSE(other_ended.timed_out);
}

// Out of fds, a spawn throws EMFILE before anything has run: no child to
// reap, no fd left open, and the next spawn, with fds again, works.
TEST(LocalSpawner, OutOfFdsThrowsEmfileAndStartsNothing) {
    LocalSpawner spawner(empty_mask());
    EXPECT_EQ(spawn_error(spawner, SpawnRequest{{"/bin/true"}, {}}), 0);  // the PATH search and the like done
    const std::set<int> before = open_fds();
    ScratchDir dir;
    ASSERT_FALSE(dir.path().empty());
    const std::string marker = dir.path() + "/ran";
    for (std::size_t free = 0; free < wgrun::test::kSpawnFds; ++free) {
        wgrun::test::FdLimit limit(free);
        EXPECT_EQ(spawn_error(spawner, SpawnRequest{{"/bin/sh", "-c", "touch " + marker}, {}}),
                  EMFILE)
            << free << " fds free";
    }
    EXPECT_EQ(open_fds(), before);
    int status = 0;
    EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
    EXPECT_FALSE(std::filesystem::exists(marker)) << "a job ran";
    {
        wgrun::test::FdLimit limit(wgrun::test::kSpawnFds);
        const Ended ended = run_shell(spawner, "echo ok");
        EXPECT_EQ(ended.out, "ok\n");
    }
}

TEST(LocalSpawner, TheJobStartsWithTheGivenSignalMask) {
    // The test thread blocks SIGUSR1 (as wgrun's event loop blocks signals);
    // the spawner was given an empty mask, and that is what the job gets.
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigset_t old;
    ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &usr1, &old), 0);
    Ended with_empty;
    Ended with_usr2;
    {
        LocalSpawner spawner(empty_mask());
        // grep reads its own status: no shell in between.
        with_empty = run(spawner, SpawnRequest{{"grep", "^SigBlk", "/proc/self/status"}, {}});
        sigset_t usr2;
        sigemptyset(&usr2);
        sigaddset(&usr2, SIGUSR2);
        LocalSpawner blocking(usr2);
        with_usr2 = run(blocking, SpawnRequest{{"grep", "^SigBlk", "/proc/self/status"}, {}});
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    ASSERT_FALSE(with_empty.timed_out);
    EXPECT_EQ(status_field(with_empty.out, "SigBlk"), "0000000000000000") << with_empty.out;
    ASSERT_FALSE(with_usr2.timed_out);
    const std::string blocked = status_field(with_usr2.out, "SigBlk");
    EXPECT_TRUE(mask_has(blocked, SIGUSR2)) << blocked;
    EXPECT_FALSE(mask_has(blocked, SIGUSR1)) << blocked;
}

TEST(LocalSpawner, SigpipeIsDefaultInTheJobEvenWhenTheParentIgnoresIt) {
    IgnoreSigpipe ignored;
    LocalSpawner spawner(empty_mask());
    const Ended status = run(spawner, SpawnRequest{{"grep", "^SigIgn", "/proc/self/status"}, {}});
    ASSERT_FALSE(status.timed_out);
    const std::string ignored_mask = status_field(status.out, "SigIgn");
    EXPECT_FALSE(mask_has(ignored_mask, SIGPIPE)) << ignored_mask;

    // And it acts on it: a shell that sends itself SIGPIPE dies of it.
    const Ended killed = run_shell(spawner, "kill -PIPE $$; echo survived");
    ASSERT_FALSE(killed.timed_out);
    EXPECT_EQ(killed.out, "");
    ASSERT_TRUE(WIFSIGNALED(killed.status));
    EXPECT_EQ(WTERMSIG(killed.status), SIGPIPE);
}

TEST(LocalSpawner, AMissingProgramThrowsEnoent) {
    LocalSpawner spawner(empty_mask());
    // One job first: the spawner's Boost.Asio context sets up its reactor
    // (three fds, once, for the spawner's life) at the first spawn.
    finish(spawner.spawn(SpawnRequest{{"/bin/sh", "-c", ":"}, {}}));
    const std::set<int> before = open_fds();
    try {
        spawner.spawn(SpawnRequest{{"wgrun-no-such-program-8f3a1c"}, {}});
        ADD_FAILURE() << "spawned a program that does not exist";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), ENOENT) << e.what();
    }
    try {
        spawner.spawn(SpawnRequest{{"/nonexistent/wgrun-no-such-program"}, {}});
        ADD_FAILURE() << "spawned a program that does not exist";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), ENOENT) << e.what();
    }
    EXPECT_EQ(open_fds(), before) << "the failed spawns' pipes are closed";
}

TEST(LocalSpawner, AnEmptyArgvThrows) {
    LocalSpawner spawner(empty_mask());
    EXPECT_THROW(spawner.spawn(SpawnRequest{{}, {}}), std::system_error);
}

TEST(LocalSpawner, ANonExecutableFileThrowsEacces) {
    const char* base = std::getenv("TMPDIR");
    std::string path = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                       "/wgrun-spawner-test-XXXXXX";
    const int fd = ::mkstemp(path.data());
    ASSERT_GE(fd, 0);
    ::close(fd);
    ::chmod(path.c_str(), 0600);
    LocalSpawner spawner(empty_mask());
    int error = 0;
    try {
        spawner.spawn(SpawnRequest{{path}, {}});
    } catch (const std::system_error& e) {
        error = e.code().value();
    }
    ::unlink(path.c_str());
    if (::geteuid() == 0 && error == 0) {
        GTEST_SKIP() << "root may run it";
    }
    EXPECT_EQ(error, EACCES);
}

TEST(LocalSpawner, ManyJobsAtOnceLeaveNoFdBehind) {
    const std::set<int> before = open_fds();
    {
        LocalSpawner spawner(empty_mask());
        std::vector<SpawnedJob> jobs;
        for (int i = 0; i < 20; ++i) {
            jobs.push_back(spawner.spawn(SpawnRequest{
                {"/bin/sh", "-c", "echo \"$N\"; echo \"e$N\" >&2"}, {"N=" + std::to_string(i)}}));
        }
        for (int i = 0; i < 20; ++i) {
            const Ended ended = finish(jobs[static_cast<std::size_t>(i)]);
            EXPECT_EQ(ended.out, std::to_string(i) + "\n");
            EXPECT_EQ(ended.err, "e" + std::to_string(i) + "\n");
            EXPECT_TRUE(WIFEXITED(ended.status) && WEXITSTATUS(ended.status) == 0);
        }
    }
    EXPECT_EQ(open_fds(), before);
}

// A program name without '/' is found as execvp() finds it: the first
// executable regular file of that name along PATH, skipping a directory and a
// file without execute permission of the same name in earlier entries.
TEST(LocalSpawner, PathSearchSkipsWhatCannotBeRun) {
    const char* base = std::getenv("TMPDIR");
    std::string root = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                       "/wgrun-spawner-path-XXXXXX";
    ASSERT_NE(::mkdtemp(root.data()), nullptr);
    const std::string name = "wgrun-spawner-test-program";
    std::filesystem::create_directories(root + "/a/" + name);  // a directory
    std::filesystem::create_directories(root + "/b");
    std::filesystem::create_directories(root + "/c");
    auto write_script = [](const std::string& path, const std::string& text, mode_t mode) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0) return false;
        const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        ::close(fd);
        return ok && ::chmod(path.c_str(), mode) == 0;
    };
    ASSERT_TRUE(write_script(root + "/b/" + name, "#!/bin/sh\necho from b\n", 0644));  // not executable
    ASSERT_TRUE(write_script(root + "/c/" + name, "#!/bin/sh\necho from c \"$@\"\n", 0755));

    const char* old_path = std::getenv("PATH");
    const std::string saved = old_path != nullptr ? old_path : "";
    const std::string path = root + "/a:" + root + "/b:" + root + "/c:" + saved;
    ASSERT_EQ(::setenv("PATH", path.c_str(), 1), 0);
    Ended first;
    Ended second;
    {
        LocalSpawner spawner(empty_mask());
        first = run(spawner, SpawnRequest{{name, "x"}, {}});
        second = run(spawner, SpawnRequest{{name, "y"}, {}});  // a second time, same answer
    }
    if (old_path != nullptr) {
        ::setenv("PATH", saved.c_str(), 1);
    } else {
        ::unsetenv("PATH");
    }
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);

    ASSERT_FALSE(first.timed_out);
    EXPECT_EQ(first.out, "from c x\n") << first.err;
    EXPECT_EQ(second.out, "from c y\n") << second.err;
}

// A program name without '/' that PATH has only as files that cannot be run
// fails as execvp() fails: EACCES when one was found, ENOENT when none.
TEST(LocalSpawner, APathSearchThatFindsOnlyFilesThatCannotRunThrowsEacces) {
    ScratchDir dir;
    ASSERT_FALSE(dir.path().empty());
    const std::string name = "wgrun-spawner-test-program";
    ASSERT_TRUE(write_file(dir.path() + "/" + name, "#!/bin/sh\necho ran\n", 0644));
    std::filesystem::create_directories(dir.path() + "/sub/" + name);  // a directory
    int plain_file = 0;
    int directory = 0;
    int missing = 0;
    {
        PathSetTo path(dir.path());
        LocalSpawner spawner(empty_mask());
        plain_file = spawn_error(spawner, SpawnRequest{{name}, {}});
    }
    {
        PathSetTo path(dir.path() + "/sub");
        LocalSpawner spawner(empty_mask());
        directory = spawn_error(spawner, SpawnRequest{{name}, {}});
        missing = spawn_error(spawner, SpawnRequest{{"wgrun-no-such-program-8f3a1c"}, {}});
    }
    EXPECT_EQ(plain_file, EACCES);
    EXPECT_EQ(directory, EACCES);
    EXPECT_EQ(missing, ENOENT);
}

TEST(LocalSpawner, AnExecutableFileThatIsNoProgramThrowsEnoexec) {
    ScratchDir dir;
    ASSERT_FALSE(dir.path().empty());
    const std::string path = dir.path() + "/not-a-program";
    ASSERT_TRUE(write_file(path, std::string("\x7f" "ELF but not really\n", 20), 0755));
    LocalSpawner spawner(empty_mask());
    EXPECT_EQ(spawn_error(spawner, SpawnRequest{{path}, {}}), ENOEXEC);
    EXPECT_EQ(spawn_error(spawner, SpawnRequest{{dir.path()}, {}}), EACCES) << "a directory";
}

// A program that fails to start is the spawner's to reap: no zombie is left
// for the scheduler, which knows no job by that pid.
TEST(LocalSpawner, AFailedStartLeavesNoChild) {
    ScratchDir dir;
    ASSERT_FALSE(dir.path().empty());
    const std::string path = dir.path() + "/not-a-program";
    ASSERT_TRUE(write_file(path, "just text\n", 0755));
    LocalSpawner spawner(empty_mask());
    EXPECT_EQ(spawn_error(spawner, SpawnRequest{{path}, {}}), ENOEXEC);
    EXPECT_EQ(spawn_error(spawner, SpawnRequest{{"/nonexistent/program"}, {}}), ENOENT);
    int status = 0;
    EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
}

// Each job has PR_SET_PDEATHSIG = SIGTERM: when the process that spawned it
// dies (wgrun killed with SIGKILL), the job gets SIGTERM. A helper process
// (a subreaper, so that the orphaned job comes back to it to be reaped and
// its end seen) forks the spawning process and kills it.
TEST(LocalSpawner, AJobGetsSigtermWhenTheProcessThatSpawnedItIsKilled) {
    const std::string report = in_helper([]() -> std::string {
        if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            return std::string("subreaper: ") + std::strerror(errno);
        }
        int channel[2];
        if (::pipe2(channel, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
        const pid_t parent = ::fork();
        if (parent < 0) return std::string("fork: ") + std::strerror(errno);
        if (parent == 0) {
            ::close(channel[0]);
            pid_t pid = -1;
            try {
                LocalSpawner spawner(empty_mask());
                pid = spawner.spawn(SpawnRequest{{"sleep", "100"}, {}}).pid;
            } catch (const std::exception&) {
            }
            if (::write(channel[1], &pid, sizeof pid) != sizeof pid) ::_exit(1);
            for (;;) ::pause();  // until killed
        }
        ::close(channel[1]);
        pid_t job = -1;
        pollfd p{channel[0], POLLIN, 0};
        const bool told = ::poll(&p, 1, 10000) == 1 && ::read(channel[0], &job, sizeof job) == sizeof job;
        ::close(channel[0]);
        ::kill(parent, SIGKILL);
        int status = 0;
        while (::waitpid(parent, &status, 0) < 0 && errno == EINTR) {
        }
        if (!told || job <= 0) return "the job did not start";

        // The job comes to us once its parent is gone: wait for its end.
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            const pid_t got = ::waitpid(job, &status, WNOHANG);
            if (got == job) break;
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(job, SIGKILL);
                while (::waitpid(job, &status, 0) < 0 && errno == EINTR) {
                }
                return "the job outlived its parent by 10 s";
            }
            std::this_thread::sleep_for(5ms);  // ECHILD too, until it is re-parented
        }
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) {
            return "the job ended with status " + std::to_string(status) + ", not SIGTERM";
        }
        return "";
    });
    EXPECT_EQ(report, "");
}

// wgrun started with its standard fds closed: the spawner's own fds (the
// pipes, /dev/null) may then be 0, 1 or 2, and jobs must still get /dev/null
// and their pipes there, and no other fd.
TEST(LocalSpawner, JobsGetTheirStdioWhenWgrunsOwnIsClosed) {
    const std::string report = in_helper([]() -> std::string {
        ::close(0);
        ::close(1);
        ::close(2);
        LocalSpawner spawner(empty_mask());
        std::string problems;
        for (int round = 0; round < 3; ++round) {
            const SpawnedJob job = spawner.spawn(SpawnRequest{
                {"/bin/sh", "-c", "readlink /proc/$$/fd/0; cat; echo err >&2; ls /proc/$$/fd; :"},
                {}});
            const Ended ended = finish(job);
            const std::string expected_out = "/dev/null\n0\n1\n2\n";
            if (ended.timed_out || ended.out != expected_out || ended.err != "err\n") {
                problems += " round " + std::to_string(round) + " (job fds " +
                            std::to_string(job.stdout_fd) + "," + std::to_string(job.stderr_fd) +
                            "): out [" + ended.out + "] err [" + ended.err + "]";
            }
        }
        return problems;
    });
    EXPECT_EQ(report, "");
}

}  // namespace
