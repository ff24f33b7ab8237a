// slot_pool.hpp: where job slots come from. A local count today; the seam for
// make jobserver tokens and remote hosts' slots later.
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
