// job_ender.cpp: the termination sequence, step by step.
#include "exec/job_ender.hpp"

#include <signal.h>

namespace wgrun {

JobEnder::JobEnder(TermSeq sequence, Locate locate, Leaders leaders)
    : sequence_(std::move(sequence)), locate_(std::move(locate)), leaders_(std::move(leaders)) {
    if (sequence_.empty()) sequence_ = default_term_seq();
}

void JobEnder::send(std::uint64_t seq, int signal) {
    const Tree tree = locate_(seq);
    signal_job_tree(tree.pgid, tree.leader, leaders_(), tree.pipes, signal);
}

void JobEnder::begin(std::uint64_t seq, Clock::time_point now, int first_signal) {
    if (jobs_.contains(seq)) return;
    jobs_.emplace(seq, Ending{0, now + sequence_.front().wait});
    send(seq, first_signal != 0 ? first_signal : sequence_.front().signal);
}

void JobEnder::advance(Clock::time_point now) {
    for (auto& [seq, ending] : jobs_) {
        while (now >= ending.due) {
            if (ending.step + 1 < sequence_.size()) {
                ++ending.step;
                ending.due = now + sequence_[ending.step].wait;
                send(seq, sequence_[ending.step].signal);
            } else {
                // The sequence is over and something of the job is left
                // (a process that was starting, or one in uninterruptible
                // sleep): keep killing it.
                ending.due = now + kRepeat;
                send(seq, SIGKILL);
            }
        }
    }
}

void JobEnder::kill_now() {
    const auto now = Clock::now();
    for (auto& [seq, ending] : jobs_) {
        ending.step = sequence_.size();  // past the end: only repeats are left
        ending.due = now + kRepeat;
        send(seq, SIGKILL);
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
