// run_status.cpp: GNU parallel's exit status rules, and wgrun's signals.
#include "results/run_status.hpp"

#include <csignal>

namespace wgrun {

RunStatus decide_run_status(const RunFacts& facts) {
    RunStatus decided;
    // A signal the loop had no time to see (it came as the last job ended)
    // still counts.
    const int interrupted = facts.interrupted_by != 0 ? facts.interrupted_by : facts.late_signal;
    const bool hangup_cut = facts.drained_by != 0 && facts.left_unstarted;
    decided.stopped_by = interrupted != 0 ? interrupted : facts.drained_by;
    decided.say_hangup_cut = hangup_cut && interrupted == 0;
    decided.die_signal = interrupted != 0      ? interrupted
                         : facts.stdout_closed ? SIGPIPE
                         : hangup_cut          ? SIGHUP
                                               : 0;
    if (decided.die_signal != 0) {
        decided.status = 128 + decided.die_signal;
    } else if (facts.own_error) {
        decided.status = kOwnErrorStatus;
    } else if (facts.halt_status) {
        decided.status = *facts.halt_status;
    } else {
        decided.status = HaltTracker(facts.halt).final_status(facts.failed, facts.started);
    }
    return decided;
}

int status_after_finish(const RunStatus& decided, bool finish_failed) {
    return finish_failed ? kOwnErrorStatus : decided.status;
}

}  // namespace wgrun
