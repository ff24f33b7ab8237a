// run_rules.hpp: the rules a run follows when things go wrong: --halt,
// --retries, --delay, --timeout and --term-seq, and which signals to wgrun
// end the run.
#pragma once

#include <signal.h>

#include <cstdint>

#include "base/duration.hpp"
#include "schedule/halt_policy.hpp"
#include "schedule/term_seq.hpp"

namespace wgrun {

struct RunRules {
    HaltPolicy halt;                        // --halt (never by default)
    std::uint32_t attempts = 1;             // --retries: runs of a failing job in all
    Duration delay{0};                      // --delay: least time between two starts
    Duration timeout{0};                    // --timeout DURATION (0: none)
    unsigned timeout_percent = 0;           // --timeout N%: of the median runtime (0: none)
    TermSeq term_seq = default_term_seq();  // --term-seq
    // --output-grace: once a job's own process has exited, its output is
    // read while it keeps coming, until it has been silent this long (a
    // background child that kept stdout open); then the job is over.
    Duration output_grace = std::chrono::milliseconds(500);
    // The signals the event loop reads (from a signalfd): SIGINT and SIGTERM
    // end the run, SIGHUP drains it. A signal wgrun was started with ignored
    // is left out, and stays ignored. They must be blocked in every thread.
    sigset_t stop_signals{};
};

}  // namespace wgrun
