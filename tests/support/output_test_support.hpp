// output_test_support.hpp: helpers for the output mode tests: temporary
// directories and files as destinations, pipes, fd counting.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "output/output_mode.hpp"

namespace wgrun::test {

class TempDir {
public:
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                              "/wgrun-output-test-XXXXXX";
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

private:
    std::string path_;
};

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void reset(int fd = -1) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

inline std::string read_file(const std::string& path) {
    std::string content;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "<cannot open>";
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return content;
}

inline std::string random_bytes(std::size_t size, std::uint32_t seed) {
    std::mt19937 engine(seed);
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = static_cast<char>(engine() & 0xff);
    return bytes;
}

// Temp files for stdout and stderr, and a spill directory.
struct Files {
    TempDir dir;
    TempDir spill;
    Fd out{::open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    Fd err{::open(dir.file("err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    std::string out_text() const { return read_file(dir.file("out")); }
    std::string err_text() const { return read_file(dir.file("err")); }
};

// The open fds of this process.
inline int open_fd_count() {
    int count = 0;
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(dir);
    return count - 1;  // the directory's own fd
}

// SIGPIPE ignored for the test's lifetime, as wgrun itself does.
class IgnoreSigpipe {
public:
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ignore, &old_);
    }
    ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    struct sigaction old_ {};
};

// A JobStart with input values that outlive it.
struct TestJob {
    explicit TestJob(std::uint64_t seq, std::vector<std::string> values = {},
                     std::uint64_t slot = 1)
        : args(std::move(values)), start{seq, slot, &args, nullptr} {}
    TestJob(const TestJob&) = delete;
    TestJob& operator=(const TestJob&) = delete;
    std::vector<std::string> args;
    JobStart start;
};

// Runs `body` in a forked helper process (for what must not touch the test
// process: a subreaper flag, closed standard fds, a death by SIGKILL) and
// returns what it returned: "" for success, else what went wrong. `before_exit`
// runs in the helper after the body (to end and reap what it started). The
// helper is killed after `patience`.
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
        pollfd p{report[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buffer[1024];
        const ssize_t got = ::read(report[0], buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(report[0]);
    int status = 0;
    while (::waitpid(helper, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        text += " (helper status " + std::to_string(status) + ")";
    }
    return text == "ok" ? "" : text;
}

}  // namespace wgrun::test
