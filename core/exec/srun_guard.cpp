// srun_guard.cpp: the step guard (see srun_guard.hpp): the canceller
// started apart, srun run and its stderr copied, its end passed on.
#include "exec/srun_guard.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "base/unique_fd.hpp"
#include "base/write_all.hpp"
#include "exec/srun_report.hpp"
#include "exec/step_canceller.hpp"

namespace wgrun {
namespace {

constexpr std::size_t kLongestReport = 4096;  // longer lines are no report of srun's

void say(const std::string& line) {
    [[maybe_unused]] const int ignored = write_all(STDERR_FILENO, "wgrun: " + line + "\n");
}

// In a child: every fd from `first` up closed.
void close_from(int first) {
    if (::syscall(SYS_close_range, first, ~0U, 0) == 0) return;
    const long most = ::sysconf(_SC_OPEN_MAX);
    for (long fd = first; fd < (most > 0 && most < INT_MAX ? most : 65536); ++fd) {
        ::close(static_cast<int>(fd));
    }
}

// The canceller, in a session of its own and re-parented at once (its
// parent exits), with the pipe's read end as stdin and /dev/null for the
// rest. Best effort: without it the guard still runs srun.
void start_canceller(const char* job_id, int pipe_read, const sigset_t& mask) {
    const pid_t first = ::fork();
    if (first < 0) return;
    if (first == 0) {
        ::setsid();
        if (::fork() != 0) ::_exit(0);
        if (::dup2(pipe_read, STDIN_FILENO) != STDIN_FILENO) ::_exit(127);
        const int null = ::open("/dev/null", O_RDWR);
        if (null < 0 || ::dup2(null, STDOUT_FILENO) < 0 || ::dup2(null, STDERR_FILENO) < 0) {
            ::_exit(127);
        }
        close_from(STDERR_FILENO + 1);
        ::sigprocmask(SIG_SETMASK, &mask, nullptr);
        const std::string flag(kStepCancellerFlag);
        ::execl("/proc/self/exe", "wgrun", flag.c_str(), job_id, static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status;
    while (::waitpid(first, &status, 0) < 0 && errno == EINTR) {
    }
}

// srun's stderr, copied to ours as it comes, line by line read for srun's
// report on its task.
class StderrCopy {
public:
    explicit StderrCopy(int fd) : fd_(fd) {}

    // Copies what is there now. False at the end of the stream (or an
    // error), or when nothing was there (non-blocking).
    bool copy() {
        char chunk[16384];
        const ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) return true;
        if (n <= 0) return false;
        const std::string_view bytes(chunk, static_cast<std::size_t>(n));
        // A reader of ours that went away: srun's stderr is still read, so
        // that srun never blocks on it.
        if (writable_ && write_all(STDERR_FILENO, bytes) != 0) writable_ = false;
        for (const char c : bytes) {
            if (c != '\n') {
                if (line_.size() < kLongestReport) line_ += c;
                continue;
            }
            if (auto text = srun_task_report(line_)) report_ = std::move(*text);
            line_.clear();
        }
        return true;
    }

    const std::string& report() const { return report_; }

private:
    int fd_;
    bool writable_ = true;
    std::string line_;
    std::string report_;  // the last report on task 0
};

// Copies srun's stderr until srun has exited (then what is left of it), or
// until its end when the pidfd is missing.
void copy_until_exit(StderrCopy& copy, int err_fd, int pidfd) {
    pollfd fds[2] = {{err_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
    bool err_open = true;
    while (pidfd >= 0 || err_open) {
        fds[0].fd = err_open ? err_fd : -1;
        fds[1].fd = pidfd;
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (err_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            err_open = copy.copy();
        }
        if (pidfd >= 0 && (fds[1].revents & POLLIN) != 0) {
            // srun has exited (its child may hold the pipe a moment longer):
            // what is in the pipe now, without waiting for its end.
            ::fcntl(err_fd, F_SETFL, O_NONBLOCK);
            while (err_open && copy.copy()) {
            }
            return;
        }
    }
}

// The guard's end as the task's: killed by `signal`, without a core dump
// of its own.
[[noreturn]] void die_of(int signal) {
    struct rlimit none {};
    ::setrlimit(RLIMIT_CORE, &none);
    ::signal(signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    ::raise(signal);  // pending while blocked: delivered by the unblock
    ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
    ::_exit(128 + signal);  // a signal whose default is to be ignored
}

}  // namespace

int run_srun_guard(int argc, char** argv) {
    if (argc < 4) {
        say(std::string(kSrunGuardFlag) + " JOBID SRUN [ARG...]: wgrun's own, for --slurm");
        return 255;
    }
    const char* job_id = argv[2];
    char** srun = argv + 3;

    // Every signal that can be blocked: wgrun's are srun's to act on.
    sigset_t all;
    sigset_t mask;
    sigfillset(&all);
    ::sigprocmask(SIG_SETMASK, &all, &mask);

    Pipe to_canceller;
    Pipe err;
    if (make_pipe(to_canceller) != 0 || make_pipe(err) != 0) {
        say(std::string("cannot start srun: ") + std::strerror(errno));
        return 255;
    }
    start_canceller(job_id, to_canceller.read.get(), mask);
    to_canceller.read.reset();

    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(err.write.get(), STDERR_FILENO);
        ::sigprocmask(SIG_SETMASK, &mask, nullptr);
        ::execvp(srun[0], srun);
        const int error = errno;
        const std::string line =
            std::string("wgrun: cannot run ") + srun[0] + ": " + std::strerror(error) + "\n";
        [[maybe_unused]] const int ignored = write_all(STDERR_FILENO, line);
        ::_exit(error == ENOENT ? 127 : 126);
    }
    if (child < 0) {
        say(std::string("cannot start srun: ") + std::strerror(errno));
        return 255;
    }
    err.write.reset();
    const std::string pid_line = std::to_string(child) + "\n";
    [[maybe_unused]] const int told = write_all(to_canceller.write.get(), pid_line);

    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, child, 0)));
    StderrCopy copy(err.read.get());
    copy_until_exit(copy, err.read.get(), pidfd.get());
    // srun has ended (or closed its stderr, without a pidfd): the step is
    // over; not reaped yet, so its pid cannot name another srun.
    [[maybe_unused]] const int done = write_all(to_canceller.write.get(), "done\n");
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    to_canceller.write.reset();

    if (WIFSIGNALED(status)) die_of(WTERMSIG(status));
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
    if (const auto signal = srun_task_signal(code, copy.report())) die_of(*signal);
    return code;
}

}  // namespace wgrun
