// scheduler.hpp: the event loop that starts jobs, drains their output and
// reaps them. One thread, whatever -j is.
//
// It glues three parts, as ninja's Builder glues its CommandRunner and
// SubprocessSet: the epoll loop here (signals, the input's eventfd, the
// StopWatcher, the output mode's flow control, the slot source), a passive
// ProcessSet (exec/process_set.hpp: starts, reads, reaps, signals and
// reports) and the JobPolicy (schedule/job_policy.hpp: every decision).
//
// Completion is not collection: the policy calls wg.add(1) once per job in
// JobPolicy::accept() (its first attempt starts, or fails to) and
// wg.done() in JobPolicy::complete(), after the job's result has gone to
// the ResultCollector; main blocks in wg.wait().
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/unique_fd.hpp"
#include "command/command_builder.hpp"
#include "exec/job_guardian.hpp"
#include "exec/process_set.hpp"
#include "exec/spawner.hpp"
#include "exec/stop_watcher.hpp"
#include "input/input_pump.hpp"
#include "input/job_skipper.hpp"
#include "output/output_ledger.hpp"
#include "output/output_flow.hpp"
#include "output/output_mode.hpp"
#include "results/result_collector.hpp"
#include "schedule/halt_policy.hpp"
#include "schedule/job_policy.hpp"
#include "schedule/run_rules.hpp"
#include "schedule/slot_pool.hpp"
#include "wgrun/wait_group.hpp"

namespace wgrun {

class Scheduler : private ProcessSet::Listener {
public:
    struct Parts {
        InputPump& input;
        const CommandBuilder& builder;
        SlotPool& slots;
        Executor& executor;
        OutputMode& output;
        OutputFlow& output_flow;  // output's flow control (output.flow())
        ResultCollector& results;
        WaitGroup& wg;
        const RunRules& rules;
        JobGuardian* guardian = nullptr;  // told of each job's process group, if any
        const JobSkipper* skipper = nullptr;  // jobs left out (--resume), if any
        MachineGate* gate = nullptr;          // --load, --memfree, if any
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

    /// Requires: SIGCHLD, SIGUSR1, SIGUSR2 and rules.stop_signals are blocked
    /// in every thread of the process (the loop reads them from a signalfd,
    /// but SIGINT and SIGTERM from parts.stop when there is one), and nothing
    /// else reaps children. SIGUSR1 and SIGUSR2 move the slots' limit by one
    /// (SlotPool::adjust_limit()), as they move GNU xargs' -P.
    explicit Scheduler(Parts parts);
    ~Scheduler() override;
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Runs until the input has ended and every job is done. The caller has
    /// added one unit to the WaitGroup for the input; run() calls done() for
    /// it once the last job has been started.
    void run();

    /// After run(): the signal (SIGINT or SIGTERM) that ended the run, or 0.
    /// The caller reports, then dies of it so that its caller sees it.
    int interrupted_by() const { return policy_.interrupted_by(); }

    /// After run(): SIGHUP when one came (no job was started after it), or 0.
    int drained_by() const { return policy_.drained_by(); }

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
    std::optional<int> halt_status() const { return policy_.halt_status(); }

    /// After run(): how many jobs were started (for --halt N% at the end).
    std::uint64_t started_jobs() const { return policy_.started_jobs(); }

    /// After run(): true when the reader of stdout went away (the running
    /// jobs were ended for it), seen by a failed write or by the pipe itself.
    bool stdout_closed() const { return policy_.stdout_closed_seen(); }

    /// Thread-safe, for giving up while the loop is stuck in a write:
    /// SIGKILL to the whole tree of every job not finished yet (not to what
    /// finished jobs left behind).
    void kill_running() const;

    /// After run(): how many jobs the skipper left out.
    /// Thread-safe.
    std::uint64_t skipped_jobs() const { return policy_.skipped_jobs(); }

private:
    // The InputPump as the policy's JobQueue.
    class PumpSource : public JobQueue {
    public:
        explicit PumpSource(InputPump& pump) : pump_(pump) {}
        std::optional<JobInput> try_pop() override { return pump_.try_pop(); }
        bool finished() const override { return pump_.finished(); }
        std::optional<std::uint64_t> total() const override { return pump_.total(); }
        std::uint64_t read() const override { return pump_.read(); }

    private:
        InputPump& pump_;
    };

    // ProcessSet::Listener: what the process set reports goes to the output
    // mode (bytes, a full destination) and to the policy. With the loop's
    // flow control, these are the scheduler's only calls into OutputMode.
    ssize_t splice(std::uint64_t seq, int stream, int fd) override;
    void output(std::uint64_t seq, int stream, std::size_t n, std::string_view bytes) override;
    void full(std::uint64_t seq, int stream) override;
    void exited(std::uint64_t seq, const ExitStatus& status, const rusage& usage) override;
    void closed(std::uint64_t seq) override;
    void pipe_opened(std::uint64_t seq, int fd) override;
    void pipe_closing(int fd) override;

    void watch_reader();
    void handle_signals();
    void stop_signal();
    void park(int stream);
    void unpark(int stream);
    void watch_slots();
    int wait_ms() const;  // for epoll_wait: -1 for no limit
    void watch(int fd, std::uint64_t tag);

    Parts parts_;
    UniqueFd epoll_fd_;
    UniqueFd signal_fd_;
    UniqueFd reader_fd_;                   // a dup of stdout, when it is a pipe
    bool parked_now_[2] = {false, false};  // the destination of the stream is full
    int head_rounds_ = 0;  // rounds in a row that only the waited-for job's stdout was read
    int slots_watched_ = -1;               // the slot source's ready_fd() in the epoll set, or -1
    PumpSource source_;
    SystemClock clock_;
    ProcessSet processes_;
    JobPolicy policy_;
};

}  // namespace wgrun
