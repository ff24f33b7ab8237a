// test_support.hpp: the helpers every kind of unit test uses, kept once:
// temporary directories, owned fds, whole files, random bytes, SIGPIPE
// ignored, this process's open fds, a forked helper process, and a polled
// wait with a deadline. Topic helpers build on it: output_test_support.hpp
// (destinations and jobs for the output modes), fd_limit_support.hpp (a
// lowered RLIMIT_NOFILE).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/unique_fd.hpp"

namespace wgrun::test {

/// An owned fd in a test: the one owned-fd type of core/, by a short name.
using Fd = wgrun::UniqueFd;

/// The names in directory `dir`, less . and .., sorted.
inline std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code error;
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
         it.increment(error)) {
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
public:
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                              "/wgrun-test-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    /// What the directory holds now (names, sorted).
    std::vector<std::string> entries() const { return names_in(path_); }

private:
    std::string path_;
};

/// The whole content of the file `path`, or nothing when it cannot be opened.
inline std::optional<std::string> try_read_file(const std::string& path) {
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string content;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return content;
}

/// The whole content of the file `path`; "<cannot open>" when it cannot be
/// opened (so that a missing file differs from an empty one).
inline std::string read_file(const std::string& path) {
    return try_read_file(path).value_or("<cannot open>");
}

/// `size` bytes from a generator seeded with `seed`: every byte value, the
/// same bytes for the same seed.
inline std::string random_bytes(std::size_t size, std::uint32_t seed) {
    std::mt19937 engine(seed);
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = static_cast<char>(engine() & 0xff);
    return bytes;
}

/// SIGPIPE ignored while it lives, as it is in wgrun.
class IgnoreSigpipe {
public:
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        ::sigaction(SIGPIPE, &ignore, &old_);
    }
    ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    struct sigaction old_ {};
};

/// The fds open in this process now.
inline std::set<int> open_fds() {
    std::set<int> fds;
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return fds;
    const int own = ::dirfd(dir);
    while (const dirent* entry = ::readdir(dir)) {
        char* end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end != entry->d_name && *end == '\0' && fd != own) fds.insert(static_cast<int>(fd));
    }
    ::closedir(dir);
    return fds;
}

/// The fds open in this process now, each with what it leads to (the target
/// of /proc/self/fd/N: a path, "pipe:[123]", "/dir/#45 (deleted)"...; "?"
/// when it cannot be read).
inline std::map<int, std::string> open_fd_targets() {
    std::map<int, std::string> fds;
    for (const int fd : open_fds()) {
        char target[4096];
        const std::string link = "/proc/self/fd/" + std::to_string(fd);
        const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
        fds[fd] = n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "?";
    }
    return fds;
}

/// How many fds are open in this process now.
inline int open_fd_count() { return static_cast<int>(open_fds().size()); }

/// Polls `done` (every 5 ms) until it holds, for at most `patience`; whether
/// it came to hold. For events a test cannot be told of directly.
template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

/// The system call that thread `tid` of this process is blocked in now, by
/// number (SYS_read...), from /proc/self/task/TID/syscall; -1 when the
/// thread is running, blocked outside a system call, or gone.
inline long blocked_syscall(pid_t tid) {
    const auto text = try_read_file("/proc/self/task/" + std::to_string(tid) + "/syscall");
    if (!text || text->empty() || (*text)[0] < '0' || (*text)[0] > '9') return -1;
    return std::strtol(text->c_str(), nullptr, 10);
}

/// Waits until thread `tid` of this process is blocked in one of the system
/// calls `calls` (SYS_ numbers), for at most `patience`; whether it came to
/// be. What a test waits for before it acts on a thread that must be
/// waiting (a signal for a blocked read, a reader for a blocked writer),
/// instead of sleeping and hoping.
inline bool blocked_in(pid_t tid, std::initializer_list<long> calls,
                       std::chrono::milliseconds patience) {
    return eventually(
        [&] {
            const long call = blocked_syscall(tid);
            return std::find(calls.begin(), calls.end(), call) != calls.end();
        },
        patience);
}

/// Runs `body` in a forked helper process (for what must not touch the test
/// process: a subreaper flag, closed standard fds, a death by SIGKILL) and
/// returns what it returned: "" for success, else what went wrong.
/// `before_exit` runs in the helper after the body (to end and reap what it
/// started). The helper is killed after `patience`.
inline std::string in_helper(const std::function<std::string()>& body,
                             std::chrono::milliseconds patience,
                             const std::function<void()>& before_exit = {}) {
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    const pid_t helper = ::fork();
    if (helper < 0) return std::string("fork: ") + std::strerror(errno);
    if (helper == 0) {
        ::close(report[0]);
        std::string result;
        try {
            result = body();
        } catch (const std::exception& e) {
            result = std::string("exception: ") + e.what();
        }
        if (before_exit) before_exit();
        if (result.empty()) result = "ok";
        const ssize_t written = ::write(report[1], result.data(), result.size());
        ::_exit(written == static_cast<ssize_t>(result.size()) ? 0 : 1);
    }
    const Fd from_helper(report[0]);
    ::close(report[1]);
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            text += " (helper timed out)";
            ::kill(helper, SIGKILL);
            break;
        }
        pollfd p{from_helper.get(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buffer[1024];
        const ssize_t got = ::read(from_helper.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    int status = 0;
    while (::waitpid(helper, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        text += " (helper status " + std::to_string(status) + ")";
    }
    return text == "ok" ? "" : text;
}

}  // namespace wgrun::test
