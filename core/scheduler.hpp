// scheduler.hpp: the event loop that starts jobs, drains their output and
// reaps them. One thread, whatever -j is.
//
// Completion is not collection: the scheduler calls wg.add(1) before it
// starts a job and wg.done() after the job's result has gone to the
// ResultCollector; main blocks in wg.wait().
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "command_builder.hpp"
#include "input_pump.hpp"
#include "output_mode.hpp"
#include "result_collector.hpp"
#include "slot_pool.hpp"
#include "spawner.hpp"
#include "wgrun/wait_group.hpp"

namespace wgrun {

class Scheduler {
public:
    struct Parts {
        InputPump& input;
        const CommandBuilder& builder;
        SlotPool& slots;
        Executor& executor;
        OutputMode& output;
        ResultCollector& results;
        WaitGroup& wg;
    };

    /// Requires: SIGCHLD is blocked in every thread of the process (the loop
    /// reads it from a signalfd), and nothing else reaps children.
    explicit Scheduler(Parts parts);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Runs until the input has ended and every job is done. The caller has
    /// added one unit to the WaitGroup for the input; run() calls done() for
    /// it once the last job has been started.
    void run();

private:
    struct Running {
        std::uint64_t seq = 0;
        std::uint64_t slot = 0;
        std::string command;
        pid_t pid = -1;
        int fds[2] = {-1, -1};  // stdout, stderr read ends; -1 once closed
        bool reaped = false;
        ExitStatus status;
        std::chrono::system_clock::time_point start;
        std::chrono::steady_clock::time_point started, ended;
    };

    void stop_for_closed_stdout();
    int kill_timeout_ms() const;  // for epoll_wait: -1 when no kill is pending
    void start_jobs();
    // Starts one job; false when it must wait for resources (fds, processes).
    bool start(const JobInput& input, std::uint64_t slot);
    void fail_to_start(const JobInput& input, std::uint64_t slot, std::string command,
                       int error, const std::string& message);
    void drain(std::uint64_t seq, int which);
    void reap();
    void finish_if_done(Running& job);
    void watch(int fd, std::uint64_t tag);

    Parts parts_;
    int epoll_fd_ = -1;
    int signal_fd_ = -1;
    bool feeding_ = true;                 // the input unit is still held
    std::optional<JobInput> deferred_;    // waits for resources to free up
    std::unordered_map<std::uint64_t, Running> jobs_;  // by seq
    std::unordered_map<pid_t, std::uint64_t> by_pid_;
    std::vector<char> scratch_;
    // Set once stdout is closed: when the running jobs get SIGKILL.
    std::optional<std::chrono::steady_clock::time_point> kill_deadline_;
    bool killed_ = false;
    static constexpr std::chrono::milliseconds kGraceAfterTerm{500};
};

}  // namespace wgrun
