// slot_pool.cpp: the lowest free slot among a local count.
#include "schedule/slot_pool.hpp"

namespace wgrun {

std::optional<std::uint64_t> LocalSlots::acquire() {
    if (limit_ != 0 && in_use_ >= limit_) return std::nullopt;
    std::uint64_t i = lowest_free_;
    while (i < taken_.size() && taken_[i]) ++i;
    if (i == taken_.size()) taken_.push_back(false);
    taken_[i] = true;
    ++in_use_;
    lowest_free_ = i + 1;
    return i + 1;
}

void LocalSlots::release(std::uint64_t slot) {
    const std::uint64_t i = slot - 1;
    taken_[i] = false;
    --in_use_;
    if (i < lowest_free_) lowest_free_ = i;
}

}  // namespace wgrun
