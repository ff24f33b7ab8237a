// head_first.cpp: the others wait while the head writes on a busy machine.
#include "head_first.hpp"

#include <utility>

namespace wgrun {

HeadFirst::HeadFirst(IdleCpusFn idle_cpus, Clock::duration quiet)
    : idle_cpus_(std::move(idle_cpus)), quiet_(quiet) {}

bool HeadFirst::update(std::optional<std::uint64_t> head, std::uint64_t head_bytes,
                       Clock::time_point now) {
    if (!head) {
        head_.reset();
        return waiting_ = false;
    }
    if (head != head_ || head_bytes != bytes_) {
        // A new head counts as writing: its pipe has most likely filled
        // while it waited for its turn.
        head_ = head;
        bytes_ = head_bytes;
        last_write_ = now;
    }
    if (now - last_write_ >= quiet_) return waiting_ = false;
    const std::optional<double> idle = idle_cpus_(now);
    return waiting_ = idle && *idle < 1.0;
}

std::optional<HeadFirst::Clock::time_point> HeadFirst::deadline() const {
    if (!waiting_) return std::nullopt;
    return last_write_ + quiet_;
}

}  // namespace wgrun
