// job_guardian_test.cpp: the guardian ends the watched process groups when
// its owner dies without a goodbye, and leaves them alone after one. Each
// case plays the owner in a forked process, so that the owner can die the
// way a SIGKILLed wgrun does.
#include "exec/job_guardian.hpp"
#include "support/test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

using namespace std::chrono_literals;

namespace {

// True when `pid` is gone or a zombie (killed, not yet reaped by init).
bool dead(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    const auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z';
}

bool dies_within(pid_t pid, std::chrono::milliseconds limit) {
    return wgrun::test::eventually([pid] { return dead(pid); }, limit);
}

// True when SIGTERM or SIGKILL is pending for `pid` (sent, not yet acted on).
bool ending(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    const unsigned long long term_or_kill = (1ULL << (SIGTERM - 1)) | (1ULL << (SIGKILL - 1));
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("SigPnd:", 0) == 0 || line.rfind("ShdPnd:", 0) == 0) {
            if (std::strtoull(line.c_str() + 7, nullptr, 16) & term_or_kill) return true;
        }
    }
    return false;
}

// Runs the owner in a child: it starts the guardian and a `sleep 30` in a
// group of its own (plus a grandchild in that group), watches the group,
// waits until the shell has reported the grandchild, writes the sleeps' pids
// to the pipe, then ends with a goodbye (graceful) or without one (_exit, as
// after SIGKILL). Returns the two pids.
std::pair<pid_t, pid_t> owner(bool graceful) {
    int report[2];
    EXPECT_EQ(::pipe2(report, O_CLOEXEC), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        int from_shell[2];
        if (::pipe2(from_shell, O_CLOEXEC) != 0) ::_exit(1);
        auto* guardian = new wgrun::JobGuardian;
        const pid_t job = ::fork();
        if (job == 0) {
            ::setpgid(0, 0);
            ::dup2(from_shell[1], 3);  // not close-on-exec: for the shell to report the grandchild
            ::execl("/bin/sh", "sh", "-c", "sleep 30 3>&- & echo G$! >&3; exec 3>&-; sleep 30",
                    nullptr);
            ::_exit(127);
        }
        ::close(from_shell[1]);
        ::setpgid(job, job);
        guardian->watch(job);
        char line[32];
        const int n = std::snprintf(line, sizeof line, "J%d\n", job);
        [[maybe_unused]] auto w = ::write(report[1], line, n);
        // The grandchild's line, passed on: once it is here, the grandchild
        // exists (the end of the pipe, should the shell fail, ends the wait).
        char grandchild[32];
        ssize_t got;
        while ((got = ::read(from_shell[0], grandchild, sizeof grandchild)) < 0 && errno == EINTR) {
        }
        if (got > 0) w = ::write(report[1], grandchild, static_cast<std::size_t>(got));
        if (graceful) delete guardian;
        ::_exit(0);  // no destructor when not graceful: as if SIGKILLed
    }
    ::close(report[1]);
    std::string text;
    char buffer[64];
    ssize_t n;
    while ((n = ::read(report[0], buffer, sizeof buffer)) > 0) text.append(buffer, n);
    ::close(report[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    pid_t job = 0, grandchild = 0;
    for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
        if (text[at] == 'J') job = std::atoi(text.c_str() + at + 1);
        if (text[at] == 'G') grandchild = std::atoi(text.c_str() + at + 1);
        if (text.find('\n', at) == std::string::npos) break;
    }
    return {job, grandchild};
}

TEST(JobGuardian, EndsTheWatchedGroupsWhenItsOwnerDies) {
    const auto [job, grandchild] = owner(false);
    ASSERT_GT(job, 1);
    ASSERT_GT(grandchild, 1);
    EXPECT_TRUE(dies_within(job, 5000ms));
    EXPECT_TRUE(dies_within(grandchild, 5000ms)) << "the whole group, not only the first process";
}

TEST(JobGuardian, LeavesThemAloneAfterAGoodbye) {
    const auto [job, grandchild] = owner(true);
    ASSERT_GT(job, 1);
    ASSERT_GT(grandchild, 1);
    // No time to wait: the goodbye's delete reaped the guardian before the
    // owner ended, so whatever it was to send is sent. Both are alive, with
    // no SIGTERM or SIGKILL on its way.
    EXPECT_FALSE(dead(job));
    EXPECT_FALSE(dead(grandchild));
    EXPECT_FALSE(ending(job));
    EXPECT_FALSE(ending(grandchild));
    ::kill(-job, SIGKILL);
    EXPECT_TRUE(dies_within(job, 5000ms));
}

TEST(JobGuardian, IsReapedAfterTheGoodbye) {
    pid_t pid = -1;
    {
        wgrun::JobGuardian guardian;
        pid = guardian.pid();
        ASSERT_GT(pid, 0);
    }
    errno = 0;
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD) << "no zombie left for us";
}

TEST(JobGuardian, AFarewellEndsItWithoutWaitingAndLeavesTheJobsAlone) {
    const pid_t job = ::fork();
    if (job == 0) {
        ::setpgid(0, 0);
        ::execl("/bin/sleep", "sleep", "30", nullptr);
        ::_exit(127);
    }
    ::setpgid(job, job);
    wgrun::JobGuardian guardian;
    const pid_t pid = guardian.pid();
    ASSERT_GT(pid, 0);
    guardian.watch(job);
    guardian.farewell();
    EXPECT_EQ(guardian.pid(), -1);
    EXPECT_TRUE(dies_within(pid, 5000ms)) << "the guardian ends on its own";
    EXPECT_EQ(::waitpid(pid, nullptr, 0), pid) << "left for its owner (or heir) to reap";
    EXPECT_FALSE(dead(job));
    guardian.watch(job);  // after the farewell: nothing, quietly
    ::kill(-job, SIGKILL);
    ::waitpid(job, nullptr, 0);
}

TEST(JobGuardian, WatchAndUnwatchWithoutAGuardianDoNothing) {
    // A guardian whose process is gone: sends fail quietly (no SIGPIPE).
    wgrun::JobGuardian guardian;
    ASSERT_GT(guardian.pid(), 0);
    ::kill(guardian.pid(), SIGKILL);
    ::waitpid(guardian.pid(), nullptr, 0);
    guardian.watch(12345);
    guardian.unwatch(12345);
}

}  // namespace
