// exit_status_test.cpp: ExitStatus decoded from real wait statuses of
// children that exit or are killed, its shell code and description, and
// signal names.
#include "results/exit_status.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

namespace {

using wgrun::ExitStatus;
using Kind = wgrun::ExitStatus::Kind;

// Waits for `pid`, retrying EINTR. Returns the raw status, or -1.
int wait_for_child(pid_t pid) {
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    return r == pid ? status : -1;
}

// The wait status of a child that calls _exit(code).
int status_of_exit(int code) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(code);
    if (pid < 0) return -1;
    return wait_for_child(pid);
}

// The wait status of a child killed by `signal`, sent by the parent once the
// child has set the signal to its default action and unblocked it (the test
// process may ignore or block it).
int status_of_kill(int signal) {
    int ready[2];
    if (::pipe(ready) != 0) return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::signal(signal, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::close(ready[0]);
        const char byte = 'r';
        if (::write(ready[1], &byte, 1) != 1) ::_exit(100);
        for (;;) ::pause();
    }
    ::close(ready[1]);
    if (pid < 0) {
        ::close(ready[0]);
        return -1;
    }
    char byte;
    ssize_t n;
    do {
        n = ::read(ready[0], &byte, 1);
    } while (n < 0 && errno == EINTR);
    ::close(ready[0]);
    ::kill(pid, signal);
    return wait_for_child(pid);
}

TEST(ExitStatus, FromExitZero) {
    const int raw = status_of_exit(0);
    ASSERT_NE(raw, -1);
    const ExitStatus status = ExitStatus::from_wait_status(raw);
    EXPECT_EQ(status.kind, Kind::Exited);
    EXPECT_EQ(status.code, 0);
    EXPECT_TRUE(status.ok());
    EXPECT_EQ(status.shell_code(), 0);
    EXPECT_EQ(status.describe(), "exit 0");
}

TEST(ExitStatus, FromExitCodes) {
    for (int code : {1, 3, 42, 126, 127, 128, 255}) {
        const int raw = status_of_exit(code);
        ASSERT_NE(raw, -1);
        const ExitStatus status = ExitStatus::from_wait_status(raw);
        EXPECT_EQ(status.kind, Kind::Exited) << code;
        EXPECT_EQ(status.code, code);
        EXPECT_FALSE(status.ok());
        EXPECT_EQ(status.shell_code(), code);
        EXPECT_EQ(status.describe(), "exit " + std::to_string(code));
    }
}

TEST(ExitStatus, ExitCodeIsTakenModulo256) {
    const int raw = status_of_exit(256 + 3);
    ASSERT_NE(raw, -1);
    const ExitStatus status = ExitStatus::from_wait_status(raw);
    EXPECT_EQ(status.kind, Kind::Exited);
    EXPECT_EQ(status.code, 3);
    EXPECT_EQ(status.describe(), "exit 3");
}

TEST(ExitStatus, FromSigkill) {
    const int raw = status_of_kill(SIGKILL);
    ASSERT_NE(raw, -1);
    const ExitStatus status = ExitStatus::from_wait_status(raw);
    EXPECT_EQ(status.kind, Kind::Signaled);
    EXPECT_EQ(status.code, SIGKILL);
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.shell_code(), 128 + 9);
    EXPECT_EQ(status.describe(), "killed by SIGKILL");
}

TEST(ExitStatus, FromSigtermAndSigint) {
    {
        const int raw = status_of_kill(SIGTERM);
        ASSERT_NE(raw, -1);
        const ExitStatus status = ExitStatus::from_wait_status(raw);
        EXPECT_EQ(status.kind, Kind::Signaled);
        EXPECT_EQ(status.code, SIGTERM);
        EXPECT_EQ(status.shell_code(), 143);
        EXPECT_EQ(status.describe(), "killed by SIGTERM");
    }
    {
        const int raw = status_of_kill(SIGINT);
        ASSERT_NE(raw, -1);
        const ExitStatus status = ExitStatus::from_wait_status(raw);
        EXPECT_EQ(status.kind, Kind::Signaled);
        EXPECT_EQ(status.code, SIGINT);
        EXPECT_EQ(status.shell_code(), 130);
        EXPECT_EQ(status.describe(), "killed by SIGINT");
    }
}

TEST(ExitStatus, FromSigpipe) {
    const int raw = status_of_kill(SIGPIPE);
    ASSERT_NE(raw, -1);
    const ExitStatus status = ExitStatus::from_wait_status(raw);
    EXPECT_EQ(status.kind, Kind::Signaled);
    EXPECT_EQ(status.shell_code(), 141);
    EXPECT_EQ(status.describe(), "killed by SIGPIPE");
}

TEST(ExitStatus, NotStartedEnoentIs127) {
    const ExitStatus status = ExitStatus::not_started(ENOENT);
    EXPECT_EQ(status.kind, Kind::NotStarted);
    EXPECT_EQ(status.code, ENOENT);
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.shell_code(), 127);
    EXPECT_EQ(status.describe(),
              std::string("exit 127, cannot run: ") + std::strerror(ENOENT));
    EXPECT_EQ(status.describe(), "exit 127, cannot run: No such file or directory");
}

TEST(ExitStatus, NotStartedOtherErrorsAre126) {
    for (int error : {EACCES, ENOEXEC, EMFILE, ENOMEM}) {
        const ExitStatus status = ExitStatus::not_started(error);
        EXPECT_FALSE(status.ok());
        EXPECT_EQ(status.shell_code(), 126) << error;
        EXPECT_EQ(status.describe(),
                  std::string("exit 126, cannot run: ") + std::strerror(error));
    }
}

TEST(ExitStatus, DefaultIsSuccess) {
    const ExitStatus status;
    EXPECT_TRUE(status.ok());
    EXPECT_EQ(status.shell_code(), 0);
    EXPECT_EQ(status.describe(), "exit 0");
}

TEST(SignalName, KnownSignals) {
    EXPECT_EQ(wgrun::signal_name(SIGHUP), "SIGHUP");
    EXPECT_EQ(wgrun::signal_name(SIGINT), "SIGINT");
    EXPECT_EQ(wgrun::signal_name(SIGKILL), "SIGKILL");
    EXPECT_EQ(wgrun::signal_name(SIGSEGV), "SIGSEGV");
    EXPECT_EQ(wgrun::signal_name(SIGPIPE), "SIGPIPE");
    EXPECT_EQ(wgrun::signal_name(SIGTERM), "SIGTERM");
    EXPECT_EQ(wgrun::signal_name(15), "SIGTERM");
    EXPECT_EQ(wgrun::signal_name(SIGUSR1), "SIGUSR1");
    EXPECT_EQ(wgrun::signal_name(SIGCHLD), "SIGCHLD");
}

TEST(SignalName, NumbersWithoutAName) {
    EXPECT_EQ(wgrun::signal_name(77), "signal 77");
    EXPECT_EQ(wgrun::signal_name(1000), "signal 1000");
    EXPECT_EQ(wgrun::signal_name(-1), "signal -1");
}

}  // namespace
