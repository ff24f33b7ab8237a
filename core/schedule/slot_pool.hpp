// slot_pool.hpp: where job slots come from: the slot source. A local count
// (LocalSlots: -j N, -j FILE, SIGUSR1/SIGUSR2), make's jobserver tokens
// under such a count (token_slots.hpp), or hosts' slots (host_slots.hpp:
// ssh logins, Slurm nodes), where each slot names the host its job runs on. The
// policy only asks acquire() and release(); the event loop waits on
// ready_fd() while a start waits for a slot that may come from outside the
// run (a jobserver's token). The machine's load and free memory are not
// slots: the policy asks the MachineGate (machine_gate.hpp) before a start.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "results/exit_status.hpp"

namespace wgrun {

class SlotPool {
public:
    virtual ~SlotPool() = default;
    /// A free slot number (1-based, the lowest free one), or nothing when every
    /// slot is taken. Never blocks.
    virtual std::optional<std::uint64_t> acquire() = 0;
    /// Gives back a slot that acquire() returned.
    virtual void release(std::uint64_t slot) = 0;
    /// An fd that becomes readable when a slot may have come from outside
    /// the run (acquire() is then asked again), or -1 when slots come back
    /// only through release(). Watched (level-triggered) only while a start
    /// waits for a slot; acquire() must consume what made it readable, or
    /// refuse without blocking.
    virtual int ready_fd() const { return -1; }
    /// SIGUSR1 (+1) and SIGUSR2 (-1): the limit on jobs at once moves by
    /// one, never below 1. Running jobs are never ended for it.
    virtual void adjust_limit(int /*delta*/) {}
    /// The end of the loop's round: slots released during it and not taken
    /// again go back to where they came from (a jobserver's tokens), so that
    /// a job ending and the next starting in the same round cost nothing.
    virtual void settle() {}

    // --- Hosts (host_slots.hpp); a local pool has none ---------------------
    /// The host a job in `slot` runs on (the Executor's SpawnRequest::host,
    /// joblog's Host): empty for this machine.
    virtual std::string host(std::uint64_t /*slot*/) const { return {}; }
    /// The attempt in `slot` ended with `status`; asked before release().
    /// True when the host failed it (the connection, not the job): the job
    /// goes back to the queue, as an attempt only under --retries.
    virtual bool host_failed(std::uint64_t /*slot*/, const ExitStatus& /*status*/) { return false; }
    /// True when no slot will ever be free again (every host left out): the
    /// jobs still waiting fail instead of waiting forever.
    virtual bool exhausted() const { return false; }
};

/// `limit` slots on this machine; 0 means no limit.
class LocalSlots : public SlotPool {
public:
    /// Reads the limit again (-j FILE): a value, or nothing to keep the
    /// current one. Called as each slot is given back.
    using Reread = std::function<std::optional<std::uint64_t>()>;

    explicit LocalSlots(std::uint64_t limit, Reread reread = nullptr)
        : limit_(limit), reread_(std::move(reread)), last_read_(limit) {}
    std::optional<std::uint64_t> acquire() override;
    void release(std::uint64_t slot) override;
    /// With no limit (0), SIGUSR1 changes nothing and SIGUSR2 sets the
    /// limit to one less than the jobs running now (at least 1).
    void adjust_limit(int delta) override;
    std::uint64_t limit() const { return limit_; }
    std::uint64_t in_use() const { return in_use_; }

private:
    std::uint64_t limit_;
    Reread reread_;
    std::uint64_t last_read_;  // what reread_ said last: a new value only counts
    std::vector<bool> taken_;  // taken_[i]: slot i + 1 is in use
    std::uint64_t in_use_ = 0;
    std::uint64_t lowest_free_ = 0;  // no free slot below this index
};

}  // namespace wgrun
