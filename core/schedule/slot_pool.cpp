// slot_pool.cpp: the lowest free slot among a local count that can move.
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
    // -j FILE: a changed file sets the limit; an unchanged one leaves what
    // SIGUSR1/SIGUSR2 made of it.
    if (reread_) {
        if (const auto limit = reread_(); limit && *limit != last_read_) {
            last_read_ = *limit;
            limit_ = *limit;
        }
    }
}

void LocalSlots::adjust_limit(int delta) {
    if (limit_ == 0) {
        if (delta < 0) limit_ = in_use_ > 1 ? in_use_ - 1 : 1;
        return;
    }
    if (delta > 0) {
        limit_ += static_cast<std::uint64_t>(delta);
    } else {
        const auto down = static_cast<std::uint64_t>(-delta);
        limit_ = limit_ > down ? limit_ - down : 1;
    }
}

}  // namespace wgrun
