// job_ender.hpp: ends jobs by the termination sequence (--term-seq): a
// signal to the job's whole tree, a wait, the next signal, and so on. It
// only keeps time and sends signals; the scheduler tells it where each job's
// tree is and forgets a job once it is reaped and its pipes are closed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>

#include "exec/process_tree.hpp"
#include "schedule/term_seq.hpp"

namespace wgrun {

class JobEnder {
public:
    using Clock = std::chrono::steady_clock;

    /// Where a job's processes are: its process group, its leader (0 once
    /// reaped), its pipes, and the leaders of all running jobs (whose trees
    /// are theirs, not this job's).
    struct Tree {
        pid_t pgid = 0;
        pid_t leader = 0;
        JobPipes pipes;
    };
    using Locate = std::function<Tree(std::uint64_t seq)>;
    using Leaders = std::function<std::vector<pid_t>()>;

    JobEnder(TermSeq sequence, Locate locate, Leaders leaders);

    /// Starts ending job `seq` (nothing if it is being ended already): sends
    /// the sequence's first signal, or `first_signal` instead when not 0.
    void begin(std::uint64_t seq, Clock::time_point now, int first_signal = 0);

    /// Sends every step that is due. After the last step, SIGKILL is sent
    /// again every kRepeat until the job is forgotten.
    void advance(Clock::time_point now);

    /// SIGKILL to every job being ended, at once (a second Ctrl-C).
    void kill_now();

    bool ending(std::uint64_t seq) const { return jobs_.contains(seq); }
    void forget(std::uint64_t seq) { jobs_.erase(seq); }

    /// When advance() has something to do next, if anything.
    std::optional<Clock::time_point> next_due() const;

    static constexpr std::chrono::milliseconds kRepeat{500};

private:
    struct Ending {
        std::size_t step = 0;  // the step whose wait is running
        Clock::time_point due;
    };
    void send(std::uint64_t seq, int signal);

    TermSeq sequence_;
    Locate locate_;
    Leaders leaders_;
    std::unordered_map<std::uint64_t, Ending> jobs_;
};

}  // namespace wgrun
