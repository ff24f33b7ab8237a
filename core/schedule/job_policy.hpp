// job_policy.hpp: what to start next and when, and what a job's end means:
// slots, --delay, --load and --memfree (the MachineGate), --resume's
// skipped jobs, the numbers --shard leaves out, fd headroom, retries (one Job
// carries its attempts), --halt now/soon, --timeout (N% of the median
// too), --term-seq's steps, a closed stdout, SIGINT/SIGTERM/SIGHUP, and
// each job's result. It does no I/O of its own: processes through
// Processes (the ProcessSet, or a fake), time through PolicyClock (the
// steady and system clocks, or a fake), jobs' inputs through JobQueue.
// The event loop (scheduler.hpp) calls tick() each round and passes on
// what the processes report (output(), exited(), closed()).
//
// The WaitGroup: wg.add(1) in accept(), when a job's first attempt starts
// (or fails to), and wg.done() in complete(), once its result has reached
// the ResultCollector. Nowhere else for jobs; the input's own unit (added
// by the caller) is given back in release_input().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include "base/job.hpp"
#include "command/command_builder.hpp"
#include "exec/processes.hpp"
#include "input/job_skipper.hpp"
#include "output/output_mode.hpp"
#include "results/result_collector.hpp"
#include "schedule/halt_policy.hpp"
#include "schedule/job_ender.hpp"
#include "schedule/machine_gate.hpp"
#include "schedule/run_rules.hpp"
#include "schedule/runtime_median.hpp"
#include "schedule/slot_pool.hpp"
#include "wgrun/wait_group.hpp"

namespace wgrun {

/// The time as the policy reads it.
class PolicyClock {
public:
    using Steady = std::chrono::steady_clock;
    using Wall = std::chrono::system_clock;
    virtual ~PolicyClock() = default;
    virtual Steady::time_point now() const = 0;   // for timeouts, --delay, term-seq steps
    virtual Wall::time_point wall() const = 0;    // for results' start and end
};

class SystemClock : public PolicyClock {
public:
    Steady::time_point now() const override { return Steady::now(); }
    Wall::time_point wall() const override { return Wall::now(); }
};

/// Where jobs' inputs come from (the InputPump). Never blocks.
class JobQueue {
public:
    virtual ~JobQueue() = default;
    virtual std::optional<JobInput> try_pop() = 0;
    virtual bool finished() const = 0;                     // nothing more will come
    virtual std::optional<std::uint64_t> total() const = 0;  // once known
    virtual std::uint64_t read() const = 0;                // inputs read so far; thread-safe
};

class JobPolicy {
public:
    using Clock = std::chrono::steady_clock;

    struct Parts {
        JobQueue& input;
        const CommandBuilder& builder;
        SlotPool& slots;
        Processes& processes;
        // Job events only: started(), skipped(), output() (a job's own error
        // line), finished(). Flow control is the loop's.
        OutputMode& output;
        ResultCollector& results;
        WaitGroup& wg;
        const RunRules& rules;
        const PolicyClock& clock;
        const JobSkipper* skipper = nullptr;
        MachineGate* gate = nullptr;   // --load, --memfree, if any
        std::size_t keep_tail = 0;     // Scheduler::Parts::keep_tail
        std::size_t fds_per_job = 0;   // Scheduler::Parts::fds_per_job
        bool written_later = false;    // the output mode acknowledges each job (written())
        std::function<void(const std::string&)> notice = nullptr;
    };

    explicit JobPolicy(Parts parts);
    JobPolicy(const JobPolicy&) = delete;
    JobPolicy& operator=(const JobPolicy&) = delete;

    // --- The loop's round ---------------------------------------------------
    /// Sends the term-seq steps due, ends jobs whose lingering is over,
    /// starts what may start, and ends the jobs past their timeout.
    void tick();
    /// True when the run is over: the input is done with and every job's
    /// result has reached the collector.
    bool over() const;
    /// When tick() has something to do next without an event (a step, a
    /// timeout, the next --delay start), or now when it stopped starting
    /// only to let the loop breathe; nothing when only events can help.
    std::optional<Clock::time_point> next_due() const;
    /// True while a start waits for a slot (the loop then watches the slot
    /// source's ready_fd(), if it has one).
    bool waiting_for_slot() const { return waiting_for_slot_; }

    // --- What the processes report ------------------------------------------
    void output(std::uint64_t seq, int stream, std::size_t n, std::string_view bytes);
    void exited(std::uint64_t seq, const ExitStatus& status, const rusage& usage);
    void closed(std::uint64_t seq);

    // --- What the rest of the run reports -----------------------------------
    void input_arrived();  // the input has news (maybe its total)
    /// The output mode has written these jobs' output (with its problems).
    void written(std::vector<std::pair<std::uint64_t, std::string>> jobs);
    void interrupt(int signal);  // SIGINT, SIGTERM: end every job
    void hangup(int signal);     // SIGHUP: start nothing more
    void kill_now();             // asked again: SIGKILL now
    void stdout_closed();        // nobody reads our stdout any more

    // --- After (or during) the run -------------------------------------------
    int interrupted_by() const { return interrupted_by_; }
    int drained_by() const { return drained_by_; }
    bool stdout_closed_seen() const { return stdout_closed_; }
    bool starting() const { return starting_; }
    std::optional<int> halt_status() const { return halt_.exit_status(); }
    std::uint64_t started_jobs() const { return started_jobs_; }
    std::uint64_t skipped_jobs() const { return skipped_jobs_.load(std::memory_order_relaxed); }
    std::size_t running() const { return running_.size(); }
    /// Thread-safe: jobs read but never started, and whether the input's
    /// total is unknown.
    std::uint64_t unstarted_jobs() const;

private:
    // One job, from its acceptance to its result, across its attempts.
    struct Job {
        JobInput input;                 // kept for a retry
        std::uint32_t attempts_done = 0;
        JobResult result;               // the attempts so far (counts, CPU, first start)
        // The current attempt:
        std::uint64_t slot = 0;
        std::string host;               // the slot's (SlotPool::host()); empty: this machine
        std::string command;
        bool reaped = false;
        bool pipes_open = true;
        ExitStatus status;
        rusage usage{};
        Clock::time_point started, ended, last_output;
        std::chrono::system_clock::time_point end;
        std::uint64_t bytes[2] = {0, 0};
        std::string tail;
        EndedBy ended_by = EndedBy::Nobody;
        std::chrono::nanoseconds timeout{0};
    };

    void start_jobs();
    std::optional<Job> next_job();
    bool start(Job& job, std::uint64_t slot);
    void accept(Job& job, std::uint64_t slot, const std::string& command);
    void fail_to_start(Job& job, std::uint64_t slot, std::string command, int error,
                       const std::string& message);
    void pass_over(std::uint64_t seq);
    bool skip(const JobInput& input);
    void keep_tail(Job& job, std::string_view bytes) const;
    void finish_if_done(Job& job);
    void finish_job(JobResult result, bool ran);
    void complete(JobResult result);
    void stop_feeding();
    void release_input();
    void learn_total();
    void apply_halt();
    void end_all(EndedBy why, int first_signal);
    std::optional<std::chrono::nanoseconds> current_timeout() const;
    void check_timeouts(Clock::time_point now);
    void check_lingering(Clock::time_point now);
    void check_memory(Clock::time_point now);

    Parts parts_;
    JobEnder ender_;
    HaltTracker halt_;
    RuntimeMedian median_;                 // of the successful jobs, for --timeout N%
    std::unordered_map<std::uint64_t, Job> running_;  // started, by seq
    std::optional<Job> deferred_;          // waits for resources (fds, processes) to free up
    std::deque<Job> retries_;              // failed jobs to run again, first
    // Ended jobs whose output the mode is still writing (written()).
    std::unordered_map<std::uint64_t, JobResult> unwritten_;
    bool feeding_ = true;                  // the input's unit is still held
    bool starting_ = true;                 // jobs may still be started
    bool more_to_start_ = false;           // start_jobs() stopped after kStartsPerRound
    bool waiting_for_slot_ = false;
    bool waiting_for_machine_ = false;     // --load or --memfree holds starts back
    bool shedding_ = false;                // a job is being ended for --memfree
    bool total_known_ = false;             // the input's total went to halt_
    int interrupted_by_ = 0;
    int drained_by_ = 0;
    bool stdout_closed_ = false;
    std::uint64_t started_jobs_ = 0;
    std::atomic<std::uint64_t> skipped_jobs_{0};
    std::atomic<std::uint64_t> popped_{0};     // inputs taken from the source (skipped ones too)
    std::uint64_t next_seq_ = 1;               // the number the next input popped should have
    std::atomic<std::uint64_t> abandoned_{0};  // popped, waiting for resources, never started
    std::optional<Clock::time_point> last_start_;    // for --delay
    std::optional<Clock::time_point> next_timeout_;  // the next --timeout to check
    // Reaped jobs whose pipes are still open (a background child holds
    // them): read until silent for rules.output_grace.
    std::unordered_set<std::uint64_t> lingering_;
    std::optional<Clock::time_point> next_linger_;
};

}  // namespace wgrun
