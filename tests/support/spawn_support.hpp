// spawn_support.hpp: reading a spawned job to its end, for the tests that
// start real jobs (the spawner's, the remote wrapper's).
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "exec/spawner.hpp"

namespace wgrun::test {

inline constexpr auto kPatience = std::chrono::seconds(30);

// What a job did: its output, its raw wait status.
struct Ended {
    std::string out;
    std::string err;
    int status = -1;
    bool timed_out = false;
};

// Reads the job's two pipes to their end (poll, up to kPatience; then kills
// the job's group), closes them and reaps the job.
inline Ended finish(const SpawnedJob& job) {
    Ended ended;
    int fds[2] = {job.stdout_fd, job.stderr_fd};
    std::string* sinks[2] = {&ended.out, &ended.err};
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (fds[0] >= 0 || fds[1] >= 0) {
        pollfd p[2];
        nfds_t n = 0;
        int which[2];
        for (int i = 0; i < 2; ++i) {
            if (fds[i] >= 0) {
                p[n] = pollfd{fds[i], POLLIN, 0};
                which[n++] = i;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ended.timed_out = true;
            ::kill(-job.pid, SIGKILL);
            break;
        }
        const int ready = ::poll(p, n, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) break;
        for (nfds_t k = 0; ready > 0 && k < n; ++k) {
            if (p[k].revents == 0) continue;
            const int i = which[k];
            char buffer[4096];
            for (;;) {
                const ssize_t got = ::read(fds[i], buffer, sizeof buffer);
                if (got > 0) {
                    sinks[i]->append(buffer, static_cast<std::size_t>(got));
                    continue;
                }
                if (got < 0 && errno == EINTR) continue;
                if (got < 0 && errno == EAGAIN) break;
                ::close(fds[i]);
                fds[i] = -1;
                break;
            }
        }
    }
    for (int fd : fds) {
        if (fd >= 0) ::close(fd);
    }
    pid_t r;
    do {
        r = ::waitpid(job.pid, &ended.status, 0);
    } while (r < 0 && errno == EINTR);
    return ended;
}

}  // namespace wgrun::test
