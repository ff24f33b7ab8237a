// term_seq.hpp: --term-seq, the signals that end a job and the time each
// one is given: GNU parallel's "TERM,200,TERM,100,TERM,50,KILL,25".
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

namespace wgrun {

struct TermStep {
    int signal = 0;                     // e.g. SIGTERM
    std::chrono::milliseconds wait{0};  // how long the job has to end before the next step
};

using TermSeq = std::vector<TermStep>;

/// GNU parallel's default: TERM,200,TERM,100,TERM,50,KILL,25.
TermSeq default_term_seq();

/// Parses "SIG,MS,SIG,MS,...": signal names with or without "SIG", in any
/// case ("TERM", "SIGTERM", "term"), or numbers ("15"), each followed by a
/// wait in whole milliseconds (pairs: a signal without its wait is refused,
/// "TERM" as much as "TERM,200,KILL"). At least one step; waits of more than
/// 100 days are refused, as for durations.
/// Throws std::invalid_argument naming the bad part, e.g.
/// "invalid --term-seq 'TERM,x': 'x' is not a number of milliseconds".
TermSeq parse_term_seq(std::string_view text);

/// Parses one signal name or number as above; throws std::invalid_argument
/// ("unknown signal 'FOO'") for anything else, and for 0 or numbers beyond
/// SIGRTMAX.
int parse_signal(std::string_view name);

}  // namespace wgrun
