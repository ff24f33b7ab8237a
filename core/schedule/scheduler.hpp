// scheduler.hpp: the event loop that starts jobs, drains their output and
// reaps them. One thread, whatever -j is.
//
// Completion is not collection: the scheduler calls wg.add(1) before it
// starts a job and wg.done() after the job's result has gone to the
// ResultCollector; main blocks in wg.wait().
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "command/command_builder.hpp"
#include "schedule/halt_policy.hpp"
#include "input/input_pump.hpp"
#include "exec/job_ender.hpp"
#include "exec/job_guardian.hpp"
#include "input/job_skipper.hpp"
#include "output/output_flow.hpp"
#include "output/output_ledger.hpp"
#include "output/output_mode.hpp"
#include "exec/process_tree.hpp"
#include "results/result_collector.hpp"
#include "schedule/run_rules.hpp"
#include "schedule/runtime_median.hpp"
#include "schedule/slot_pool.hpp"
#include "exec/spawner.hpp"
#include "exec/stop_watcher.hpp"
#include "wgrun/wait_group.hpp"

namespace wgrun {

class Scheduler {
public:
    struct Parts {
        InputPump& input;
        const CommandBuilder& builder;
        SlotPool& slots;
        Executor& executor;
        OutputMode& output;       // told of each job
        OutputFlow& output_flow;  // asked where the bytes go, etc. (output.flow())
        ResultCollector& results;
        WaitGroup& wg;
        const RunRules& rules;
        JobGuardian* guardian = nullptr;  // told of each job's process group, if any
        const JobSkipper* skipper = nullptr;  // jobs left out (--resume), if any
        // Keep the last keep_tail bytes of each job's output in its result
        // (JobResult::output_tail); the bytes are then read, never spliced.
        std::size_t keep_tail = 0;
        // Fds the output mode keeps open for each running job (--results: 2,
        // and 1 more while it saves the status), on top of the 2 of its pipes.
        std::size_t fds_per_job = 0;
        // Told of what the user should hear at once ("wgrun: SIGHUP: ..."),
        // from the loop's thread; may be empty.
        std::function<void(const std::string&)> notice = nullptr;
        // Reads SIGINT and SIGTERM instead of the loop, if any (so that a
        // second one is heard while the loop is blocked in a write).
        StopWatcher* stop = nullptr;
        // Told of the jobs' pipes (their unread bytes), if any.
        OutputLedger* ledger = nullptr;
    };

    /// Requires: SIGCHLD and rules.stop_signals are blocked in every thread of
    /// the process (the loop reads them from a signalfd, but SIGINT and
    /// SIGTERM from parts.stop when there is one), and nothing else reaps
    /// children.
    explicit Scheduler(Parts parts);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Runs until the input has ended and every job is done. The caller has
    /// added one unit to the WaitGroup for the input; run() calls done() for
    /// it once the last job has been started.
    void run();

    /// After run(): the signal (SIGINT or SIGTERM) that ended the run, or 0.
    /// The caller reports, then dies of it so that its caller sees it.
    int interrupted_by() const { return interrupted_by_; }

    /// After run(): SIGHUP when one came (no job was started after it), or 0.
    int drained_by() const { return drained_by_; }

    /// After run() (or from another thread, during it): the jobs that were never started because the run was
    /// stopped (SIGHUP, SIGINT, SIGTERM, --halt, a closed stdout): those read
    /// from the input but not started, and whether the input had more that
    /// was never read (its total is then unknown).
    struct Unstarted {
        std::uint64_t jobs = 0;
        bool rest_of_input = false;
    };
    Unstarted unstarted() const;

    /// After run(): the exit status --halt asks for, when it triggered.
    std::optional<int> halt_status() const { return halt_.exit_status(); }

    /// After run(): how many jobs were started (for --halt N% at the end).
    std::uint64_t started_jobs() const { return started_jobs_; }

    /// After run(): true when the reader of stdout went away (the running
    /// jobs were ended for it), seen by a failed write or by the pipe itself.
    bool stdout_closed() const { return stdout_closed_; }

    /// Thread-safe, for giving up while the loop is stuck in a write:
    /// SIGKILL to the whole tree of every job not finished yet (not to what
    /// finished jobs left behind).
    void kill_running() const;

    /// After run(): how many jobs the skipper left out.
    /// Thread-safe.
    std::uint64_t skipped_jobs() const { return skipped_jobs_.load(std::memory_order_relaxed); }

private:
    using Clock = std::chrono::steady_clock;

    struct Running {
        std::uint64_t seq = 0;
        std::uint64_t slot = 0;
        std::string command;
        std::vector<std::string> args;  // kept for a retry
        pid_t pid = -1;
        int fds[2] = {-1, -1};  // stdout, stderr read ends; -1 once closed
        bool reaped = false;
        ExitStatus status;
        rusage usage{};
        std::chrono::system_clock::time_point start;  // of the first attempt
        std::chrono::system_clock::time_point end;    // of this attempt, on the wall clock
        Clock::time_point started, ended;             // of this attempt
        Clock::time_point last_output;                // when bytes last came
        std::uint64_t bytes[2] = {0, 0};              // read from stdout, stderr
        std::string tail;                             // the last output, with keep_tail
        EndedBy ended_by = EndedBy::Nobody;
        std::chrono::nanoseconds timeout{0};
    };

    // A job between two attempts: the result of its last attempt (with the
    // attempts so far, their start and their resources).
    struct Attempts {
        JobResult last;
    };

    void watch_reader();
    void reader_gone();
    void handle_signals();
    void interrupt(int signal);
    void close_pipe(int& fd);
    void stop_feeding();
    void apply_halt();
    void learn_total();
    void end_all(EndedBy why, int first_signal);
    void stop_for_closed_stdout();
    void check_timeouts(Clock::time_point now);
    void check_lingering(Clock::time_point now);
    void detach_pipes(Running& job);
    void drain_detached(int fd);
    static JobEnder::Tree tree_of(const Running& job);
    void set_tree(std::uint64_t seq, const Running* job);
    std::optional<std::chrono::nanoseconds> current_timeout() const;
    int wait_ms(Clock::time_point now) const;  // for epoll_wait: -1 for no limit
    void start_jobs();
    // Starts one job; false when it must wait for resources (fds, processes).
    bool start(const JobInput& input, std::uint64_t slot);
    void fail_to_start(const JobInput& input, std::uint64_t slot, std::string command,
                       int error, const std::string& message);
    void drain(std::uint64_t seq, int which);
    void keep_tail(Running& job, std::string_view bytes) const;
    bool skip(const JobInput& input);
    void park(Running& job, int which);
    void unpark(int stream);
    void reap();
    void finish_if_done(Running& job);
    void finish_job(JobResult result, bool ran);
    void written();
    void complete(JobResult result);
    void watch(int fd, std::uint64_t tag);

    Parts parts_;
    int epoll_fd_ = -1;
    int signal_fd_ = -1;
    int reader_fd_ = -1;                  // a dup of stdout, when it is a pipe
    bool feeding_ = true;                 // the input unit is still held
    bool starting_ = true;                // jobs may still be started
    bool more_to_start_ = false;          // start_jobs() stopped after kStartsPerRound
    std::optional<JobInput> deferred_;    // waits for resources to free up
    std::deque<JobInput> retries_;        // failed jobs to run again, first
    std::unordered_map<std::uint64_t, Attempts> attempts_;  // jobs retried, by seq
    // Ended jobs whose output the mode is still writing (OutputFlow::written_fd()).
    std::unordered_map<std::uint64_t, JobResult> unwritten_;
    // Jobs whose stdout (0) or stderr (1) waits for room at its destination.
    std::vector<std::uint64_t> parked_[2];
    bool parked_now_[2] = {false, false};  // the destination of the stream is full
    int head_rounds_ = 0;  // rounds in a row that only the waited-for job's stdout was read
    std::unordered_map<std::uint64_t, Running> jobs_;  // by seq
    std::unordered_map<pid_t, std::uint64_t> by_pid_;
    std::unique_ptr<char[]> scratch_;  // kReadChunk bytes, left unwritten: no page is touched before a read
    JobEnder ender_;
    HaltTracker halt_;
    RuntimeMedian median_;                // of the successful jobs, for --timeout N%
    EndedBy stopping_ = EndedBy::Nobody;  // why the running jobs are being ended
    int interrupted_by_ = 0;
    int drained_by_ = 0;
    // Read by unstarted(), which is thread-safe:
    std::atomic<std::uint64_t> popped_{0};     // inputs taken from the pump (skipped ones too)
    std::atomic<std::uint64_t> abandoned_{0};  // popped, waiting for resources, never started
    bool stdout_closed_ = false;
    std::uint64_t started_jobs_ = 0;
    std::atomic<std::uint64_t> skipped_jobs_{0};
    bool total_known_ = false;            // the input's total went to halt_
    std::optional<Clock::time_point> last_start_;  // for --delay
    std::optional<Clock::time_point> next_timeout_;  // the next --timeout to check
    // Reaped jobs whose pipes are still open (a background child holds
    // them): read until silent for rules.output_grace.
    std::unordered_set<std::uint64_t> lingering_;
    std::optional<Clock::time_point> next_linger_;  // the next one to check
    // Pipes of finished jobs that a background child still holds: read and
    // dropped until they close, so that the child never meets EPIPE while
    // wgrun runs.
    std::unordered_set<int> detached_;
    // Each unfinished job's tree, for kill_running() from another thread.
    mutable std::mutex trees_mutex_;
    std::unordered_map<std::uint64_t, JobEnder::Tree> trees_;
};

}  // namespace wgrun
