// process_set.hpp: the running jobs' processes, passive (as ninja's
// SubprocessSet): starts a job through the Executor, watches its two pipes
// in the loop's epoll, reads them, reaps (wait4(-1): wgrun is the child
// subreaper, so orphans are reaped and passed over too), sends a signal to
// a job's whole tree when told, and reports what happened to its Listener:
// output bytes, a full destination, an exit, both pipes closed. It decides
// nothing: when to start, retry, time out or end a job is the policy's
// (schedule/job_policy.hpp).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/unique_fd.hpp"
#include "exec/job_guardian.hpp"
#include "exec/process_tree.hpp"
#include "exec/processes.hpp"
#include "exec/spawner.hpp"
#include "exec/stdin_feeder.hpp"
#include "results/exit_status.hpp"

namespace wgrun {

class ProcessSet : public Processes {
public:
    /// Where the bytes go and who hears of the rest. Streams: 0 stdout, 1
    /// stderr. Called from drain(), reap() and detach(), in the loop's
    /// thread; a listener may call forget() from exited() and closed().
    class Listener {
    public:
        virtual ~Listener() = default;
        /// Moves bytes of job `seq`'s `stream` from `fd` itself when it can
        /// (splice): the bytes moved, 0 at end of file, -1 with errno, or
        /// kRead (read them and give them to output()), or kFull (the
        /// destination is full: stop reading this stream for now).
        virtual ssize_t splice(std::uint64_t seq, int stream, int fd) = 0;
        /// `n` bytes came from job `seq`'s `stream`: `bytes` when they were
        /// read here, empty when splice() moved them.
        virtual void output(std::uint64_t seq, int stream, std::size_t n, std::string_view bytes) = 0;
        /// splice() said kFull.
        virtual void full(std::uint64_t seq, int stream) = 0;
        /// Job `seq`'s own process has ended (its pipes may still be open).
        virtual void exited(std::uint64_t seq, const ExitStatus& status, const rusage& usage) = 0;
        /// Both of job `seq`'s pipes are closed (or detached).
        virtual void closed(std::uint64_t seq) = 0;
        /// A job's pipe (read end) was opened, and is about to be closed.
        virtual void pipe_opened(std::uint64_t seq, int fd) { (void)seq, (void)fd; }
        virtual void pipe_closing(int fd) { (void)fd; }
    };

    static constexpr ssize_t kRead = -2;
    static constexpr ssize_t kFull = -3;

    /// Watches pipes in `epoll_fd` (not owned) with tags below kTagsEnd:
    /// the loop's own tags are 0, 1 and from kTagsEnd up. `guardian`, if
    /// any, is told of each job's process group.
    ProcessSet(Executor& executor, int epoll_fd, Listener& listener,
               JobGuardian* guardian = nullptr);
    ~ProcessSet() override;
    ProcessSet(const ProcessSet&) = delete;
    ProcessSet& operator=(const ProcessSet&) = delete;

    // Processes
    int start(std::uint64_t seq, const SpawnRequest& request) override;
    void signal(std::uint64_t seq, int signal) override;
    bool room_for(std::size_t fds) override;
    bool has_unread(std::uint64_t seq) override;
    void detach(std::uint64_t seq) override;
    void forget(std::uint64_t seq) override;

    /// The epoll tag of job `seq`'s `stream` (seq >= 1).
    static constexpr std::uint64_t tag_of(std::uint64_t seq, int stream) {
        return seq * 2 + static_cast<std::uint64_t>(stream);
    }
    static constexpr bool is_pipe_tag(std::uint64_t tag) { return tag >= 2 && tag < kDetachedBit; }
    static constexpr bool owns(std::uint64_t tag) { return tag >= 2 && tag < kTagsEnd; }
    static constexpr std::uint64_t kTagsEnd = std::uint64_t{1} << 63;

    /// An epoll event with a tag it owns: reads that pipe (a few chunks,
    /// then other jobs have a turn).
    void handle(std::uint64_t tag);
    /// Reads job `seq`'s `stream` now.
    void drain(std::uint64_t seq, int stream);
    /// SIGCHLD came: reaps every child that has ended.
    void reap();

    /// Stops watching every job's `stream` (its destination is full) until
    /// resume(): each job then waits on its own pipe.
    void pause(int stream);
    void resume(int stream);

    /// Thread-safe, for giving up while the loop is stuck: SIGKILL to the
    /// whole tree of every job not forgotten.
    void kill_all() const;

    /// Closes every pipe still open (telling the listener).
    void close_all();

    bool empty() const { return procs_.empty(); }

private:
    static constexpr std::uint64_t kDetachedBit = std::uint64_t{1} << 62;

    struct Proc {
        pid_t pid = -1;
        UniqueFd fds[2];  // stdout, stderr read ends; empty once closed
        UniqueFd stdin_held;  // SpawnRequest::hold_stdin: let go of once the leader is reaped
        bool reaped = false;
    };

    void close_pipe(Proc& proc, int stream);
    void drain_detached(int fd);
    void watch(int fd, std::uint64_t tag);
    // Where a job's processes are, for signal() and kill_all(): its group,
    // its leader (0 once reaped) and its pipes' inodes.
    struct Tree {
        pid_t pgid = 0;
        pid_t leader = 0;
        JobPipes pipes;
    };
    static Tree tree_of(const Proc& proc);
    void set_tree(std::uint64_t seq, const Proc* proc);

    Executor& executor_;
    int epoll_fd_;
    Listener& listener_;
    JobGuardian* guardian_;
    std::unordered_map<std::uint64_t, Proc> procs_;  // by seq
    std::unique_ptr<StdinFeeder> feeder_;  // the jobs' stdin (SpawnRequest::stdin_data), once needed
    std::unordered_map<pid_t, std::uint64_t> by_pid_;
    bool paused_[2] = {false, false};
    std::unique_ptr<char[]> scratch_;  // kReadChunk bytes, left unwritten: no page is touched before a read
    // Pipes of finished jobs that a background child still holds: read and
    // dropped until they close, so that the child never meets EPIPE while
    // wgrun runs.
    std::unordered_map<int, UniqueFd> detached_;
    // Each job's tree, for kill_all() from another thread.
    mutable std::mutex trees_mutex_;
    std::unordered_map<std::uint64_t, Tree> trees_;
};

}  // namespace wgrun
