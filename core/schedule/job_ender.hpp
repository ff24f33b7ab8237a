// job_ender.hpp: the termination sequence (--term-seq) as a policy: a signal
// to the job's whole tree, a wait, the next signal, and so on. It only keeps
// time and says which signal is due for which job; the process set sends it
// (ProcessSet::signal(), which finds the tree). The policy forgets a job
// once it is reaped and its pipes are closed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>

#include "schedule/term_seq.hpp"

namespace wgrun {

class JobEnder {
public:
    using Clock = std::chrono::steady_clock;
    /// Sends `signal` to the whole tree of job `seq`.
    using Send = std::function<void(std::uint64_t seq, int signal)>;

    JobEnder(TermSeq sequence, Send send);

    /// Starts ending job `seq` (nothing if it is being ended already): sends
    /// the sequence's first signal, or `first_signal` instead when not 0.
    void begin(std::uint64_t seq, Clock::time_point now, int first_signal = 0);

    /// Sends every step that is due. After the last step, SIGKILL is sent
    /// again every kRepeat until the job is forgotten.
    void advance(Clock::time_point now);

    /// SIGKILL to every job being ended, at once (a second Ctrl-C).
    void kill_now(Clock::time_point now);

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

    TermSeq sequence_;
    Send send_;
    std::unordered_map<std::uint64_t, Ending> jobs_;
};

}  // namespace wgrun
