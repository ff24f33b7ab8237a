// slots_wiring.hpp: where job slots come from, made from the options and the
// environment: -j N or -j FILE (LocalSlots), make's jobserver named in
// MAKEFLAGS (joined) or --jobserver (served to the jobs), and --load and
// --memfree (the MachineGate). Only wiring: the parts are core's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "options.hpp"
#include "schedule/jobserver.hpp"
#include "schedule/machine_gate.hpp"
#include "schedule/machine_gauge.hpp"
#include "schedule/slot_pool.hpp"
#include "schedule/token_slots.hpp"

namespace wgrun::cli {

/// The limit on jobs at once as the run starts: -j's value, or its FILE's
/// (GNU's procfile), or the usable CPUs; 0 for no limit. Throws UsageError
/// for a FILE that cannot be read or does not hold a -j value.
std::uint64_t jobs_at_start(const Options& options, unsigned cpus);

struct SlotsWiring {
    std::unique_ptr<LocalSlots> local;     // -j: the count, always
    std::unique_ptr<Jobserver> jobserver;  // joined or served (where `tokens` finds it)
    std::unique_ptr<TokenSlots> tokens;    // over `local`, with a jobserver
    std::unique_ptr<MachineGauge> gauge;   // --load, --memfree
    std::unique_ptr<MachineGate> gate;     // --load, --memfree; null without
    std::vector<int> pass_on;              // fds jobs get besides the inherited (--jobserver's pipe)

    SlotPool& pool() { return tokens ? static_cast<SlotPool&>(*tokens) : *local; }
    /// The run is given up: every token back now. Thread-safe.
    void give_back() {
        if (tokens) tokens->return_all();
    }
};

/// Wires the slots for a run whose limit is `jobs` (jobs_at_start()).
/// `inherited`: the fds wgrun's caller passed on (inherited_fds()). A
/// jobserver in MAKEFLAGS that cannot be used is one warning line on stderr
/// and the run goes on with `fallback_jobs` (the CPU count, or -j's).
/// --jobserver sets MAKEFLAGS in wgrun's environment, for the jobs: call it
/// before any thread starts. Throws UsageError (--jobserver with no limit).
SlotsWiring wire_slots(const Options& options, unsigned cpus, std::uint64_t jobs,
                       const std::vector<int>& inherited);

}  // namespace wgrun::cli
