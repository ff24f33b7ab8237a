// slot_pool.hpp: where job slots come from: the slot source. A local count
// today; the seam for make's jobserver tokens, --load readings and remote
// hosts' slots later. The policy only asks acquire() and release(); the event
// loop waits on ready_fd() while a start waits for a slot, so a new source
// plugs in here without touching the policy:
// - a jobserver: acquire() reads a token from the jobserver's pipe or fifo
//   (non-blocking; the first slot is the implicit one), release() writes it
//   back, ready_fd() is the read end.
// - --load: acquire() refuses while the load is above the limit, ready_fd()
//   is a timerfd that fires when the load is worth reading again.
// - remote hosts: slot numbers map to (host, slot) pairs; ready_fd() is an
//   eventfd the host connections signal when one frees up.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

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
};

/// `limit` slots on this machine; 0 means no limit.
class LocalSlots : public SlotPool {
public:
    explicit LocalSlots(std::uint64_t limit) : limit_(limit) {}
    std::optional<std::uint64_t> acquire() override;
    void release(std::uint64_t slot) override;

private:
    std::uint64_t limit_;
    std::vector<bool> taken_;  // taken_[i]: slot i + 1 is in use
    std::uint64_t in_use_ = 0;
    std::uint64_t lowest_free_ = 0;  // no free slot below this index
};

}  // namespace wgrun
