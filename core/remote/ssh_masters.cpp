// ssh_masters.cpp: ControlMaster connections, started, watched and ended.
#include "remote/ssh_masters.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>

#include "results/exit_status.hpp"

namespace wgrun {
namespace {

using namespace std::chrono_literals;

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

void pidfd_signal(int pidfd, pid_t pid, int signal) {
    if (pidfd >= 0) {
        ::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0);
    } else if (pid > 0) {
        ::kill(pid, signal);
    }
}

// True when `pidfd` says its process has ended, waiting up to `patience`.
bool ended(int pidfd, std::chrono::milliseconds patience) {
    if (pidfd < 0) return false;
    pollfd p{pidfd, POLLIN, 0};
    int ready;
    do {
        ready = ::poll(&p, 1, static_cast<int>(patience.count()));
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
}

// Appends what `fd` (non-blocking) holds now; false at its end.
bool read_some(int fd, std::string& into) {
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got > 0) {
            into.append(buffer, static_cast<std::size_t>(got));
            continue;
        }
        if (got < 0 && errno == EINTR) continue;
        return got < 0 && errno == EAGAIN;
    }
}

bool socket_answers(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) return false;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    const UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return false;
    return ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

// The last line of ssh's error output that says something.
std::string last_line(const std::string& text) {
    std::size_t end = text.size();
    while (end > 0) {
        while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
        const std::size_t start = text.rfind('\n', end == 0 ? 0 : end - 1);
        const std::size_t from = start == std::string::npos ? 0 : start + 1;
        std::string line = text.substr(from, end - from);
        if (!line.empty()) return line;
        end = from;
    }
    return {};
}

int wait_for(pid_t pid) {
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    return r == pid ? status : -1;
}

}  // namespace

SshMasters::SshMasters(Executor& spawner, std::vector<std::string> ssh, const std::string& temp_dir)
    : spawner_(spawner), ssh_(std::move(ssh)) {
    std::string pattern = temp_dir + "/wgrun-ssh.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::system_error(errno, std::system_category(), "cannot make a folder in " + temp_dir);
    }
    folder_ = pattern;
}

SshMasters::~SshMasters() { stop_all(); }

std::vector<std::string> SshMasters::client_words(const SshLogin& login,
                                                  std::uint64_t slot) const {
    std::vector<std::string> words = ssh_;
    words.insert(words.end(), {"-T", "-o", "ControlMaster=no"});
    const std::size_t masters = count(login.name());
    if (const Master* master = find(login.name(), masters > 1 ? slot % masters : 0)) {
        words.insert(words.end(), {"-S", master->socket});
    }
    if (!login.port.empty()) words.insert(words.end(), {"-p", login.port});
    if (!login.user.empty()) words.insert(words.end(), {"-l", login.user});
    words.push_back(login.host);
    return words;
}

HostLink SshMasters::host_link(const SshLogin& login, std::vector<std::string> rsync,
                               std::uint64_t slot) const {
    HostLink link;
    link.rsync = std::move(rsync);
    link.ssh = client_words(login, slot);
    link.ssh.pop_back();  // the host
    link.host = login.host;
    link.name = login.name();
    return link;
}

std::vector<std::string> SshMasters::check_words(const SshLogin& login) const {
    const Master* master = find(login.name());
    if (master == nullptr) return {"true"};
    std::vector<std::string> words = ssh_;
    words.insert(words.end(), {"-S", master->socket, "-O", "check"});
    if (!login.port.empty()) words.insert(words.end(), {"-p", login.port});
    if (!login.user.empty()) words.insert(words.end(), {"-l", login.user});
    words.push_back(login.host);
    return words;
}

SshMasters::Master* SshMasters::find(const std::string& name, std::size_t index) {
    for (Master& master : masters_) {
        if (master.index == index && master.login.name() == name) return &master;
    }
    return nullptr;
}

const SshMasters::Master* SshMasters::find(const std::string& name, std::size_t index) const {
    return const_cast<SshMasters*>(this)->find(name, index);
}

std::size_t SshMasters::count(const std::string& name) const {
    return static_cast<std::size_t>(std::count_if(
        masters_.begin(), masters_.end(), [&](const Master& m) { return m.login.name() == name; }));
}

void SshMasters::widen(const SshLogin& login, std::uint64_t slots, bool wait) {
    if (login.local()) return;
    const std::size_t wanted = (slots + kSessionsPerMaster - 1) / kSessionsPerMaster;
    const std::size_t first = masters_.size();
    for (std::size_t index = count(login.name()); index < wanted; ++index) {
        Master master;
        master.login = login;
        master.index = index;
        master.socket = folder_ + "/" + std::to_string(next_socket_++);
        master.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        spawn(master);
        masters_.push_back(std::move(master));
    }
    while (wait) {
        bool waiting = false;
        for (std::size_t i = first; i < masters_.size(); ++i) waiting = !settle(masters_[i]) || waiting;
        if (!waiting) break;
        std::this_thread::sleep_for(10ms);
    }
}

void SshMasters::spawn(Master& master) {
    const SshLogin& login = master.login;
    SpawnRequest request;
    request.argv = ssh_;
    // A host that goes silent (the network down, no RST) is found out in
    // about 30 s rather than TCP's minutes; --ssh's own -o options come
    // first and win.
    request.argv.insert(request.argv.end(),
                        {"-M", "-N", "-T", "-S", master.socket, "-o", "ControlMaster=yes", "-o",
                         "ControlPersist=no", "-o", "ServerAliveInterval=10", "-o",
                         "ServerAliveCountMax=3"});
    if (!login.port.empty()) request.argv.insert(request.argv.end(), {"-p", login.port});
    if (!login.user.empty()) request.argv.insert(request.argv.end(), {"-l", login.user});
    request.argv.push_back(login.host);
    try {
        const SpawnedJob job = spawner_.spawn(request);
        master.pid = job.pid;
        master.out.reset(job.stdout_fd);
        master.err.reset(job.stderr_fd);
        master.pidfd.reset(pidfd_open(job.pid));
    } catch (const std::system_error& e) {
        master.error = "cannot run " + request.argv.front() + ": " + e.code().message();
    }
}

std::vector<std::string> SshMasters::start(const std::vector<SshLogin>& logins,
                                           std::chrono::nanoseconds delay,
                                           std::chrono::seconds patience) {
    bool first = true;
    for (const SshLogin& login : logins) {
        if (login.local() || find(login.name()) != nullptr) continue;
        if (!first && delay > 0ns) std::this_thread::sleep_for(delay);
        first = false;
        Master master;
        master.login = login;
        master.socket = folder_ + "/" + std::to_string(next_socket_++);
        master.deadline = std::chrono::steady_clock::now() + patience;
        spawn(master);
        masters_.push_back(std::move(master));
    }
    for (;;) {
        bool waiting = false;
        for (Master& master : masters_) waiting = !settle(master) || waiting;
        if (!waiting) break;
        std::this_thread::sleep_for(10ms);
    }
    std::vector<std::string> errors;
    for (const SshLogin& login : logins) {
        const Master* master = login.local() ? nullptr : find(login.name());
        errors.push_back(master == nullptr || master->up ? std::string() : master->error);
    }
    return errors;
}

void SshMasters::launch(const SshLogin& login) {
    Master* known = find(login.name());
    if (known != nullptr && known->pid > 0 && !ended(known->pidfd.get(), 0ms)) return;
    Master master;
    master.login = login;
    master.socket = folder_ + "/" + std::to_string(next_socket_++);
    master.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    master.told = false;
    spawn(master);
    if (known != nullptr) {
        // The ended one goes (reaped by the run already, or now).
        if (known->pid > 0) ::waitpid(known->pid, nullptr, WNOHANG);
        *known = std::move(master);
    } else {
        masters_.push_back(std::move(master));
    }
}

std::vector<std::pair<std::string, std::string>> SshMasters::started() {
    std::vector<std::pair<std::string, std::string>> done;
    for (Master& master : masters_) {
        if (master.told || !settle(master)) continue;
        master.told = true;
        done.emplace_back(master.login.name(), master.up ? std::string() : master.error);
    }
    return done;
}

// Up once its socket answers; failed once it has ended (its last line of
// error) or its time is up (ended then).
bool SshMasters::settle(Master& master) {
    if (master.up || !master.error.empty() || master.pid < 0) return true;
    if (ended(master.pidfd.get(), 0ms) || master.pidfd.get() < 0) {
        int status = 0;
        if (::waitpid(master.pid, &status, WNOHANG) == master.pid || master.pidfd.get() >= 0) {
            std::string text;
            read_some(master.err.get(), text);
            master.error = last_line(text);
            if (master.error.empty()) {
                master.error = "ssh " + ExitStatus::from_wait_status(status).describe();
            }
            master.pid = -1;
            return true;
        }
    }
    if (socket_answers(master.socket)) {
        master.up = true;
        return true;
    }
    if (std::chrono::steady_clock::now() < master.deadline) return false;
    master.error = "not logged in before the time was up";
    pidfd_signal(master.pidfd.get(), master.pid, SIGKILL);
    ::waitpid(master.pid, nullptr, 0);
    master.pid = -1;
    return true;
}

std::optional<std::string> SshMasters::run(const SshLogin& login, const std::string& remote) {
    SpawnRequest request;
    request.argv = client_words(login);
    request.argv.push_back(remote);
    SpawnedJob job;
    try {
        job = spawner_.spawn(request);
    } catch (const std::system_error&) {
        return std::nullopt;
    }
    UniqueFd out(job.stdout_fd);
    UniqueFd err(job.stderr_fd);
    std::string text;
    std::string ignored;
    bool open[2] = {true, true};
    while (open[0] || open[1]) {
        pollfd p[2] = {{open[0] ? out.get() : -1, POLLIN, 0}, {open[1] ? err.get() : -1, POLLIN, 0}};
        if (::poll(p, 2, 30000) <= 0 && errno != EINTR) break;
        if (open[0] && p[0].revents != 0) open[0] = read_some(out.get(), text);
        if (open[1] && p[1].revents != 0) open[1] = read_some(err.get(), ignored);
    }
    if (open[0] || open[1]) ::kill(-job.pid, SIGKILL);
    const int status = wait_for(job.pid);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    return text;
}

std::optional<unsigned> SshMasters::cpus(const SshLogin& login) {
    const auto text = run(login, "nproc 2>/dev/null || getconf _NPROCESSORS_ONLN");
    if (!text) return std::nullopt;
    unsigned count = 0;
    const char* end = text->data() + text->size();
    const auto [stop, error] = std::from_chars(text->data(), end, count);
    if (error != std::errc() || count == 0 || (stop != end && *stop != '\n')) return std::nullopt;
    return count;
}

bool SshMasters::alive(const std::string& name, std::chrono::milliseconds patience) const {
    const Master* master = find(name);
    if (master == nullptr) return true;
    if (!master->up || master->pid < 0) return false;
    return !ended(master->pidfd.get(), patience);
}

void SshMasters::stop_all() noexcept {
    for (Master& master : masters_) {
        if (master.pid > 0) pidfd_signal(master.pidfd.get(), master.pid, SIGTERM);
    }
    for (Master& master : masters_) {
        if (master.pid <= 0) continue;
        if (!ended(master.pidfd.get(), 2000ms)) {
            pidfd_signal(master.pidfd.get(), master.pid, SIGKILL);
        }
        // Reaped by the run's ProcessSet already when it ended during the
        // run (ECHILD): nothing to wait for then.
        int status = 0;
        while (::waitpid(master.pid, &status, 0) < 0 && errno == EINTR) {
        }
        master.pid = -1;
    }
    masters_.clear();
    if (!folder_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
}

}  // namespace wgrun
