// process_set.cpp: starting, reading, reaping and signalling the jobs'
// processes, reported to the listener.
#include "exec/process_set.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include "exec/fd_headroom.hpp"

namespace wgrun {
namespace {

constexpr std::size_t kReadChunk = std::size_t{256} << 10;
constexpr int kReadsPerWakeup = 4;  // then let other jobs have a turn

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::system_category(), what);
}

}  // namespace

ProcessSet::ProcessSet(Executor& executor, int epoll_fd, Listener& listener,
                       JobGuardian* guardian)
    : executor_(executor),
      epoll_fd_(epoll_fd),
      listener_(listener),
      guardian_(guardian),
      scratch_(new char[kReadChunk]) {}

ProcessSet::~ProcessSet() = default;

void ProcessSet::close_all() {
    for (auto& [seq, proc] : procs_) {
        for (int stream : {0, 1}) {
            if (proc.fds[stream]) close_pipe(proc, stream);
        }
    }
    detached_.clear();
}

void ProcessSet::watch(int fd, std::uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl");
}

int ProcessSet::start(std::uint64_t seq, const SpawnRequest& request) {
    SpawnedJob spawned;
    try {
        spawned = executor_.spawn(request);
    } catch (const std::system_error& e) {
        return e.code().value() != 0 ? e.code().value() : EINVAL;
    }
    Proc proc;
    proc.pid = spawned.pid;
    proc.fds[0].reset(spawned.stdout_fd);
    proc.fds[1].reset(spawned.stderr_fd);
    if (request.stdin_data && spawned.stdin_fd >= 0) {
        if (!feeder_) feeder_ = std::make_unique<StdinFeeder>();
        feeder_->feed(seq, UniqueFd(spawned.stdin_fd), *request.stdin_data);
    } else {
        proc.stdin_held.reset(spawned.stdin_fd);
    }
    for (int stream : {0, 1}) {
        const int fd = proc.fds[stream].get();
        listener_.pipe_opened(seq, fd);
        if (!paused_[stream]) watch(fd, tag_of(seq, stream));  // else watched on resume()
    }
    by_pid_.emplace(proc.pid, seq);
    set_tree(seq, &proc);
    if (guardian_ != nullptr) guardian_->watch(proc.pid);
    procs_.emplace(seq, std::move(proc));
    return 0;
}

void ProcessSet::handle(std::uint64_t tag) {
    if (tag >= kDetachedBit) {
        drain_detached(static_cast<int>(tag - kDetachedBit));
    } else {
        drain(tag / 2, static_cast<int>(tag % 2));
    }
}

void ProcessSet::drain(std::uint64_t seq, int stream) {
    const auto it = procs_.find(seq);
    if (it == procs_.end()) return;
    Proc& proc = it->second;
    const int fd = proc.fds[stream].get();
    if (fd < 0) return;
    for (int reads = 0; reads < kReadsPerWakeup; ++reads) {
        // The listener moves the bytes itself when it can (splice), else
        // they are read here and handed to it.
        ssize_t n = listener_.splice(seq, stream, fd);
        if (n == kRead) {
            n = ::read(fd, scratch_.get(), kReadChunk);
            if (n > 0) {
                listener_.output(seq, stream, static_cast<std::size_t>(n),
                                 {scratch_.get(), static_cast<std::size_t>(n)});
                continue;
            }
        } else if (n > 0) {
            listener_.output(seq, stream, static_cast<std::size_t>(n), {});
            continue;
        }
        if (n == kFull) {
            listener_.full(seq, stream);
            return;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close_pipe(proc, stream);  // end of file (or a broken pipe): the stream is over
        if (!proc.fds[0] && !proc.fds[1]) listener_.closed(seq);  // may forget it
        return;
    }
}

void ProcessSet::close_pipe(Proc& proc, int stream) {
    listener_.pipe_closing(proc.fds[stream].get());
    proc.fds[stream].reset();
}

void ProcessSet::reap() {
    for (;;) {
        int status = 0;
        rusage usage{};
        const pid_t pid = ::wait4(-1, &status, WNOHANG, &usage);
        if (pid <= 0) return;
        const auto owner = by_pid_.find(pid);
        if (owner == by_pid_.end()) continue;  // an orphan we inherited as subreaper
        const std::uint64_t seq = owner->second;
        by_pid_.erase(owner);
        Proc& proc = procs_.at(seq);
        proc.reaped = true;
        proc.stdin_held.reset();
        if (feeder_) feeder_->drop(seq);  // what the job left unread, a child of it does not get
        set_tree(seq, &proc);  // the leader's number is free now
        listener_.exited(seq, ExitStatus::from_wait_status(status), usage);  // may forget it
    }
}

bool ProcessSet::has_unread(std::uint64_t seq) {
    const auto it = procs_.find(seq);
    if (it == procs_.end()) return false;
    for (const UniqueFd& fd : it->second.fds) {
        int unread = 0;
        if (fd && ::ioctl(fd.get(), FIONREAD, &unread) == 0 && unread > 0) return true;
    }
    return false;
}

bool ProcessSet::room_for(std::size_t fds) { return fds_available(fds); }

// The job is over but a background child holds its pipes: they stay open,
// read and dropped, until the child closes them or wgrun exits (closing
// them now would give the child SIGPIPE at its next write).
void ProcessSet::detach(std::uint64_t seq) {
    // What is in the pipes now is the job's: read it first.
    for (int stream : {0, 1}) {
        drain(seq, stream);
        if (!procs_.contains(seq)) return;  // it closed and was forgotten
    }
    Proc& proc = procs_.at(seq);
    if (!proc.fds[0] && !proc.fds[1]) return;  // closed() was reported already
    for (int stream : {0, 1}) {
        UniqueFd& fd = proc.fds[stream];
        if (!fd) continue;
        listener_.pipe_closing(fd.get());
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd.get(), nullptr);  // not watched when paused
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = kDetachedBit | static_cast<std::uint64_t>(fd.get());
        if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd.get(), &event) == 0) {
            const int raw = fd.get();
            detached_.emplace(raw, std::move(fd));
        } else {
            fd.reset();
        }
    }
    listener_.closed(seq);
}

void ProcessSet::drain_detached(int fd) {
    for (int reads = 0; reads < kReadsPerWakeup; ++reads) {
        const ssize_t n = ::read(fd, scratch_.get(), kReadChunk);
        if (n > 0) continue;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        detached_.erase(fd);  // closes it
        return;
    }
}

void ProcessSet::forget(std::uint64_t seq) {
    const auto it = procs_.find(seq);
    if (it == procs_.end()) return;
    set_tree(seq, nullptr);
    if (guardian_ != nullptr) guardian_->unwatch(it->second.pid);
    for (int stream : {0, 1}) {
        if (it->second.fds[stream]) close_pipe(it->second, stream);
    }
    procs_.erase(it);
}

void ProcessSet::pause(int stream) {
    paused_[stream] = true;
    for (auto& [seq, proc] : procs_) {
        if (proc.fds[stream]) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, proc.fds[stream].get(), nullptr);
    }
}

void ProcessSet::resume(int stream) {
    paused_[stream] = false;
    for (auto& [seq, proc] : procs_) {
        if (proc.fds[stream]) watch(proc.fds[stream].get(), tag_of(seq, stream));
    }
}

// The job's process tree as signal() and kill_all() find it. The pipes'
// inodes are read when asked: a read end we still hold is one some process
// may still write to; a closed one has no writer left to find (0).
ProcessSet::Tree ProcessSet::tree_of(const Proc& proc) {
    const JobPipes pipes{proc.fds[0] ? pipe_inode(proc.fds[0].get()) : 0,
                         proc.fds[1] ? pipe_inode(proc.fds[1].get()) : 0};
    return Tree{proc.pid, proc.reaped ? 0 : proc.pid, pipes};
}

void ProcessSet::set_tree(std::uint64_t seq, const Proc* proc) {
    std::lock_guard lock(trees_mutex_);
    if (proc == nullptr) {
        trees_.erase(seq);
        return;
    }
    trees_[seq] = tree_of(*proc);
}

void ProcessSet::signal(std::uint64_t seq, int signal) {
    const auto it = procs_.find(seq);
    if (it == procs_.end()) return;
    std::vector<pid_t> leaders;
    leaders.reserve(procs_.size());
    for (const auto& [other, proc] : procs_) {
        if (!proc.reaped) leaders.push_back(proc.pid);
    }
    const Tree tree = tree_of(it->second);
    signal_job_tree(tree.pgid, tree.leader, leaders, tree.pipes, signal);
}

void ProcessSet::kill_all() const {
    std::lock_guard lock(trees_mutex_);
    std::vector<pid_t> leaders;
    for (const auto& [seq, tree] : trees_) {
        if (tree.leader != 0) leaders.push_back(tree.leader);
    }
    for (const auto& [seq, tree] : trees_) {
        signal_job_tree(tree.pgid, tree.leader, leaders, tree.pipes, SIGKILL);
    }
}

}  // namespace wgrun
