// base_files.cpp: base files sent to each host, and removed at the end.
#include "remote/base_files.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "base/unique_fd.hpp"
#include "remote/transfer_script.hpp"

namespace wgrun {
namespace {

struct Ran {
    bool ok = false;
    std::string err;
};

// Starts every request, reads their stderr (and drops their stdout) to the
// end, at most `patience` (then kills what is left), and reaps them.
std::vector<Ran> run_all(Executor& spawner, const std::vector<SpawnRequest>& requests,
                         std::chrono::seconds patience) {
    std::vector<Ran> ran(requests.size());
    std::vector<SpawnedJob> jobs(requests.size());
    std::vector<UniqueFd> fds;       // 2 per job: stdout, stderr
    for (std::size_t i = 0; i < requests.size(); ++i) {
        try {
            jobs[i] = spawner.spawn(requests[i]);
        } catch (const std::system_error& e) {
            ran[i].err = "cannot run " + requests[i].argv.front() + ": " + e.code().message();
            jobs[i].pid = -1;
        }
        fds.emplace_back(jobs[i].stdout_fd);
        fds.emplace_back(jobs[i].stderr_fd);
    }
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        std::vector<pollfd> polled;
        std::vector<std::size_t> which;
        for (std::size_t f = 0; f < fds.size(); ++f) {
            if (!fds[f]) continue;
            polled.push_back({fds[f].get(), POLLIN, 0});
            which.push_back(f);
        }
        if (polled.empty()) break;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        const int ready = ::poll(polled.data(), polled.size(), static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) break;
        for (std::size_t k = 0; ready > 0 && k < polled.size(); ++k) {
            if (polled[k].revents == 0) continue;
            const std::size_t f = which[k];
            char buffer[4096];
            const ssize_t got = ::read(fds[f].get(), buffer, sizeof buffer);
            if (got > 0) {
                if (f % 2 == 1) ran[f / 2].err.append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                fds[f].reset();
            }
        }
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i].pid <= 0) continue;
        if (fds[2 * i] || fds[2 * i + 1]) {
            ::kill(-jobs[i].pid, SIGKILL);
            ran[i].err += "\nwgrun: no end after " + std::to_string(patience.count()) + " s";
        }
        int status = 0;
        pid_t r;
        do {
            r = ::waitpid(jobs[i].pid, &status, 0);
        } while (r < 0 && errno == EINTR);
        ran[i].ok = r == jobs[i].pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                    !(fds[2 * i] || fds[2 * i + 1]);
    }
    return ran;
}

// "wgrun: cannot send ... (rsync: exit N): rsync's first line".
std::string why(const std::string& err) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < err.size()) {
        std::size_t end = err.find('\n', start);
        if (end == std::string::npos) end = err.size();
        if (end > start) lines.push_back(err.substr(start, end - start));
        start = end + 1;
    }
    if (lines.empty()) return "it failed";
    std::string text = lines.back();
    if (text.starts_with("wgrun: ")) text.erase(0, 7);
    if (lines.size() > 1) text += ": " + lines.front();
    return text;
}

}  // namespace

BaseFiles::BaseFiles(Executor& spawner, const SshMasters& masters, std::vector<std::string> files,
                     RemoteFolder folder, std::vector<std::string> rsync)
    : spawner_(spawner),
      masters_(masters),
      files_(std::move(files)),
      folder_(std::move(folder)),
      rsync_(std::move(rsync)) {}

std::vector<std::string> BaseFiles::send(const std::vector<SshLogin>& logins) {
    std::vector<SpawnRequest> requests;
    std::vector<std::size_t> remote;  // index in logins of each request
    for (std::size_t i = 0; i < logins.size(); ++i) {
        if (logins[i].local()) continue;
        SpawnRequest request;
        request.argv = transfer_script(masters_.check_words(logins[i]),
                                       send_steps(masters_.host_link(logins[i], rsync_), folder_, files_));
        requests.push_back(std::move(request));
        remote.push_back(i);
    }
    std::vector<std::string> errors(logins.size());
    for (const std::string& file : files_) {
        if (::access(file.c_str(), R_OK) != 0) {
            for (const std::size_t i : remote) errors[i] = "'" + file + "' cannot be read";
            return errors;
        }
    }
    const std::vector<Ran> ran = run_all(spawner_, requests, std::chrono::hours(24));
    for (std::size_t k = 0; k < ran.size(); ++k) {
        const std::size_t i = remote[k];
        if (ran[k].ok) {
            sent_.push_back(logins[i]);
        } else {
            errors[i] = why(ran[k].err);
        }
    }
    return errors;
}

void BaseFiles::remove(int patience_seconds) noexcept {
    try {
        std::vector<SpawnRequest> requests;
        for (const SshLogin& login : sent_) {
            for (FileStep& step : cleanup_steps(masters_.host_link(login, rsync_), folder_, files_, false)) {
                SpawnRequest request;
                request.argv = std::move(step.argv);
                requests.push_back(std::move(request));
            }
        }
        sent_.clear();
        run_all(spawner_, requests, std::chrono::seconds(patience_seconds));
    } catch (const std::exception&) {
        // Best effort: the run's result stands.
    }
}

}  // namespace wgrun
