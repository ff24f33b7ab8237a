// scheduler.cpp: epoll over a SIGCHLD signalfd, the input's eventfd and every
// running job's two pipes.
#include "scheduler.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace wgrun {
namespace {

// epoll tags: a job's pipe is seq * 2 + stream (seq >= 1, so >= 2).
constexpr std::uint64_t kSignalTag = 0;
constexpr std::uint64_t kInputTag = 1;

constexpr std::size_t kReadChunk = std::size_t{256} << 10;
constexpr int kReadsPerWakeup = 4;  // then let other jobs have a turn

bool lacks_resources(int error) {
    return error == EMFILE || error == ENFILE || error == EAGAIN || error == ENOMEM;
}

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::system_category(), what);
}

}  // namespace

Scheduler::Scheduler(Parts parts) : parts_(parts), scratch_(kReadChunk) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) fail("epoll_create1");
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    signal_fd_ = ::signalfd(-1, &child, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd_ < 0) fail("signalfd");
    watch(signal_fd_, kSignalTag);
    watch(parts_.input.event_fd(), kInputTag);
}

Scheduler::~Scheduler() {
    for (auto& [seq, job] : jobs_) {
        for (int fd : job.fds) {
            if (fd >= 0) ::close(fd);
        }
    }
    if (signal_fd_ >= 0) ::close(signal_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void Scheduler::watch(int fd, std::uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl");
}

void Scheduler::run() {
    epoll_event events[64];
    for (;;) {
        if (parts_.output.stdout_closed()) stop_for_closed_stdout();
        start_jobs();
        if (!feeding_ && jobs_.empty()) return;
        const int n = ::epoll_wait(epoll_fd_, events, 64, kill_timeout_ms());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("epoll_wait");
        }
        for (int i = 0; i < n; ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (tag == kSignalTag) {
                reap();
            } else if (tag == kInputTag) {
                parts_.input.clear_event();  // start_jobs() pops whatever arrived
            } else {
                drain(tag / 2, static_cast<int>(tag % 2));
            }
        }
    }
}

// Nobody reads our output any more: start nothing, ask every running job to
// end (SIGTERM to its process group), and SIGKILL what is left a moment later.
void Scheduler::stop_for_closed_stdout() {
    if (feeding_) {
        feeding_ = false;
        deferred_.reset();
        parts_.wg.done();  // the input's unit: no more jobs will be added
    }
    const auto now = std::chrono::steady_clock::now();
    if (!kill_deadline_) {
        for (const auto& [seq, job] : jobs_) {
            if (!job.reaped) ::kill(-job.pid, SIGTERM);
        }
        kill_deadline_ = now + kGraceAfterTerm;
    } else if (now >= *kill_deadline_ && !killed_) {
        for (const auto& [seq, job] : jobs_) {
            if (!job.reaped) ::kill(-job.pid, SIGKILL);
        }
        killed_ = true;
    }
}

int Scheduler::kill_timeout_ms() const {
    if (!kill_deadline_ || killed_) return -1;
    const auto left = *kill_deadline_ - std::chrono::steady_clock::now();
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms < 0 ? 0 : static_cast<int>(ms);
}

void Scheduler::start_jobs() {
    while (feeding_) {
        const auto slot = parts_.slots.acquire();
        if (!slot) return;
        std::optional<JobInput> input = std::move(deferred_);
        deferred_.reset();
        if (!input) input = parts_.input.try_pop();
        if (!input) {
            parts_.slots.release(*slot);
            if (parts_.input.finished()) {
                feeding_ = false;
                parts_.wg.done();  // the input's unit: every job has been added
            }
            return;
        }
        if (!start(*input, *slot)) {
            parts_.slots.release(*slot);
            deferred_ = std::move(input);
            return;  // retried when a running job ends
        }
    }
}

bool Scheduler::start(const JobInput& input, std::uint64_t slot) {
    BuiltCommand built;
    try {
        built = parts_.builder.build(input, slot);
    } catch (const std::exception& e) {
        fail_to_start(input, slot, input.args.empty() ? "" : input.args.front(), EINVAL,
                      std::string("wgrun: ") + e.what() + "\n");
        return true;
    }
    parts_.wg.add(1);  // before the job starts
    SpawnedJob spawned;
    try {
        spawned = parts_.executor.spawn(built.request);
    } catch (const std::system_error& e) {
        const int error = e.code().value();
        if (lacks_resources(error) && !jobs_.empty()) {
            parts_.wg.done();  // not started after all; added again on the retry
            return false;
        }
        parts_.wg.done();
        fail_to_start(input, slot, built.display, error,
                      "wgrun: cannot run '" + built.request.argv.front() +
                          "': " + std::strerror(error) + "\n");
        return true;
    }
    Running job;
    job.seq = input.seq;
    job.slot = slot;
    job.command = std::move(built.display);
    job.pid = spawned.pid;
    job.fds[0] = spawned.stdout_fd;
    job.fds[1] = spawned.stderr_fd;
    job.start = std::chrono::system_clock::now();
    job.started = std::chrono::steady_clock::now();
    parts_.output.started(JobStart{job.seq, slot, &input.args, &job.command});
    watch(job.fds[0], job.seq * 2);
    watch(job.fds[1], job.seq * 2 + 1);
    by_pid_.emplace(job.pid, job.seq);
    jobs_.emplace(job.seq, std::move(job));
    return true;
}

// A job that never ran still has a result and a line of stderr of its own.
void Scheduler::fail_to_start(const JobInput& input, std::uint64_t slot, std::string command,
                              int error, const std::string& message) {
    parts_.wg.add(1);
    parts_.output.started(JobStart{input.seq, slot, &input.args, &command});
    parts_.output.output(input.seq, Stream::Err, message);
    JobResult result;
    result.seq = input.seq;
    result.slot = slot;
    result.command = std::move(command);
    result.status = ExitStatus::not_started(error);
    result.start = std::chrono::system_clock::now();
    result.problem = parts_.output.finished(input.seq, result.status);
    parts_.results.add(std::move(result));
    parts_.slots.release(slot);
    parts_.wg.done();
}

void Scheduler::drain(std::uint64_t seq, int which) {
    const auto it = jobs_.find(seq);
    if (it == jobs_.end()) return;
    Running& job = it->second;
    int& fd = job.fds[which];
    if (fd < 0) return;
    const Stream stream = which == 0 ? Stream::Out : Stream::Err;
    for (int reads = 0; reads < kReadsPerWakeup; ++reads) {
        // The mode moves the bytes itself when it can (splice), else they
        // are read here and handed to it.
        ssize_t n = parts_.output.splice_from(seq, stream, fd);
        if (n == kCannotSplice) {
            n = ::read(fd, scratch_.data(), scratch_.size());
            if (n > 0) {
                parts_.output.output(seq, stream,
                                     {scratch_.data(), static_cast<std::size_t>(n)});
            }
        }
        if (n > 0) continue;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        ::close(fd);  // end of file (or a broken pipe): the stream is over
        fd = -1;
        finish_if_done(job);
        return;
    }
}

void Scheduler::reap() {
    signalfd_siginfo pending[16];  // SIGCHLDs coalesce: one read clears them
    while (::read(signal_fd_, pending, sizeof pending) == sizeof pending) {
    }
    for (;;) {
        int status = 0;
        rusage usage{};
        const pid_t pid = ::wait4(-1, &status, WNOHANG, &usage);
        if (pid <= 0) return;
        const auto owner = by_pid_.find(pid);
        if (owner == by_pid_.end()) continue;  // not a job of ours
        Running& job = jobs_.at(owner->second);
        by_pid_.erase(owner);
        job.reaped = true;
        job.status = ExitStatus::from_wait_status(status);
        job.ended = std::chrono::steady_clock::now();
        finish_if_done(job);
    }
}

void Scheduler::finish_if_done(Running& job) {
    if (!job.reaped || job.fds[0] >= 0 || job.fds[1] >= 0) return;
    JobResult result;
    result.seq = job.seq;
    result.slot = job.slot;
    result.command = std::move(job.command);
    result.status = job.status;
    result.start = job.start;
    result.runtime = job.ended - job.started;
    result.problem = parts_.output.finished(job.seq, job.status);
    const std::uint64_t slot = job.slot;
    jobs_.erase(job.seq);
    parts_.results.add(std::move(result));
    parts_.slots.release(slot);
    parts_.wg.done();
}

}  // namespace wgrun
