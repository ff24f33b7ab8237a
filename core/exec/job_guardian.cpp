// job_guardian.cpp: the guardian's messages and its loop.
#include "exec/job_guardian.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <unordered_set>
#include <utility>

#include "base/unique_fd.hpp"

namespace wgrun {
namespace {

// One message: an operation and a process group, one datagram of a
// SOCK_SEQPACKET socket pair (a pipe would raise SIGPIPE in a process that
// does not ignore it, should the guardian be gone; send() can be told not to).
struct Message {
    char op;  // '+' watch, '-' unwatch, '.' goodbye
    char pad[3];
    std::int32_t pgid;
};
static_assert(sizeof(Message) == 8);

bool groups_left(const std::unordered_set<pid_t>& groups) {
    for (pid_t pgid : groups) {
        if (::kill(-pgid, 0) == 0 || errno == EPERM) return true;
    }
    return false;
}

// The guardian's life: collect the groups until the socket ends, then end
// them if wgrun did not say goodbye.
[[noreturn]] void guard(int fd) {
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGPIPE}) ::signal(signal, SIG_IGN);
    ::prctl(PR_SET_NAME, "wgrun-guardian");
    std::unordered_set<pid_t> groups;
    bool goodbye = false;
    Message m{};
    for (;;) {
        const ssize_t n = ::read(fd, &m, sizeof m);
        if (n < 0 && errno == EINTR) continue;
        if (n != sizeof m) break;  // the end: wgrun closed its end or died
        if (m.op == '+') groups.insert(m.pgid);
        if (m.op == '-') groups.erase(m.pgid);
        if (m.op == '.') goodbye = true;
    }
    if (goodbye || groups.empty()) ::_exit(0);
    for (pid_t pgid : groups) ::kill(-pgid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (groups_left(groups) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (pid_t pgid : groups) ::kill(-pgid, SIGKILL);
    ::_exit(0);
}

}  // namespace

JobGuardian::JobGuardian() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) return;
    // The child runs no destructor: it leaves by _exit() (guard()).
    UniqueFd guardian_end(fds[0]);
    UniqueFd our_end(fds[1]);
    const pid_t pid = ::fork();
    if (pid < 0) return;
    if (pid == 0) {
        // Keep only its end, as fd 3: nothing of wgrun's is held open
        // (the reader of its stdout must see the end when wgrun ends).
        if (fds[0] != 3) {
            ::dup2(fds[0], 3);
        } else {
            ::fcntl(3, F_SETFD, 0);
        }
        const int null = ::open("/dev/null", O_RDWR);
        if (null >= 0) {
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::dup2(null, 2);
        }
        ::close_range(4, ~0U, 0);
        guard(3);
    }
    fd_ = std::move(our_end);
    pid_ = pid;
}

JobGuardian::~JobGuardian() {
    if (!fd_) return;
    send('.', 0);
    fd_.reset();
    // It exits at once on the goodbye; reap it (ECHILD if the scheduler's
    // wait4(-1) already did, had it died early).
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
}

void JobGuardian::farewell() {
    if (!fd_) return;
    send('.', 0);
    fd_.reset();
    pid_ = -1;
}

void JobGuardian::send(char op, pid_t pgid) {
    if (!fd_) return;
    Message m{};
    m.op = op;
    m.pgid = pgid;
    while (::send(fd_.get(), &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

void JobGuardian::watch(pid_t pgid) { send('+', pgid); }
void JobGuardian::unwatch(pid_t pgid) { send('-', pgid); }

}  // namespace wgrun
