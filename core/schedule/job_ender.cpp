// job_ender.cpp: the termination sequence, step by step.
#include "schedule/job_ender.hpp"

#include <signal.h>

namespace wgrun {

JobEnder::JobEnder(TermSeq sequence, Send send)
    : sequence_(std::move(sequence)), send_(std::move(send)) {
    if (sequence_.empty()) sequence_ = default_term_seq();
}

void JobEnder::begin(std::uint64_t seq, Clock::time_point now, int first_signal) {
    if (jobs_.contains(seq)) return;
    jobs_.emplace(seq, Ending{0, now + sequence_.front().wait});
    send_(seq, first_signal != 0 ? first_signal : sequence_.front().signal);
}

void JobEnder::advance(Clock::time_point now) {
    for (auto& [seq, ending] : jobs_) {
        while (now >= ending.due) {
            if (ending.step + 1 < sequence_.size()) {
                ++ending.step;
                ending.due = now + sequence_[ending.step].wait;
                send_(seq, sequence_[ending.step].signal);
            } else {
                // The sequence is over and something of the job is left
                // (a process that was starting, or one in uninterruptible
                // sleep): keep killing it.
                ending.due = now + kRepeat;
                send_(seq, SIGKILL);
            }
        }
    }
}

void JobEnder::kill_now(Clock::time_point now) {
    for (auto& [seq, ending] : jobs_) {
        ending.step = sequence_.size();  // past the end: only repeats are left
        ending.due = now + kRepeat;
        send_(seq, SIGKILL);
    }
}

std::optional<JobEnder::Clock::time_point> JobEnder::next_due() const {
    std::optional<Clock::time_point> next;
    for (const auto& [seq, ending] : jobs_) {
        if (!next || ending.due < *next) next = ending.due;
    }
    return next;
}

}  // namespace wgrun
