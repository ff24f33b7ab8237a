// token_slots.cpp: the implicit slot, tokens for the rest, and the pool
// topped up whenever no job runs.
#include "schedule/token_slots.hpp"

namespace wgrun {

TokenSlots::TokenSlots(Jobserver& jobserver, LocalSlots& cap,
                       std::optional<std::uint64_t> pool_size)
    : jobserver_(jobserver), cap_(cap), pool_size_(pool_size) {}

TokenSlots::~TokenSlots() { return_all(); }

std::optional<std::uint64_t> TokenSlots::acquire() {
    const std::lock_guard lock(mutex_);
    waiting_for_token_ = false;
    const auto slot = cap_.acquire();
    if (!slot) return std::nullopt;
    if (running_ > 0 && !returned_ && tokens_.size() >= running_) {
        // A token a job ended with in this round: no read.
    } else if (running_ > 0 && !returned_) {
        const auto token = jobserver_.take();
        if (!token) {
            cap_.release(*slot);
            waiting_for_token_ = true;
            return std::nullopt;
        }
        tokens_.push_back(*token);
    } else if (running_ > 0) {
        cap_.release(*slot);  // given up: nothing more starts
        return std::nullopt;
    }
    ++running_;
    return slot;
}

void TokenSlots::release(std::uint64_t slot) {
    const std::lock_guard lock(mutex_);
    cap_.release(slot);
    --running_;
}

void TokenSlots::settle() {
    const std::lock_guard lock(mutex_);
    // The implicit slot covers one running job; every other holds a token.
    while (tokens_.size() + 1 > running_ && !tokens_.empty()) {
        jobserver_.give(tokens_.back());
        tokens_.pop_back();
    }
    if (running_ == 0) top_up();
}

void TokenSlots::top_up() {
    if (!pool_size_ || returned_) return;
    const auto available = jobserver_.available();
    if (!available) return;
    for (std::size_t n = *available; n < *pool_size_; ++n) jobserver_.give('+');
    for (std::size_t n = *available; n > *pool_size_; --n) {
        if (!jobserver_.take()) break;
    }
}

int TokenSlots::ready_fd() const {
    const std::lock_guard lock(mutex_);
    return waiting_for_token_ ? jobserver_.ready_fd() : -1;
}

void TokenSlots::adjust_limit(int delta) {
    const std::lock_guard lock(mutex_);
    cap_.adjust_limit(delta);
}

void TokenSlots::return_all() {
    const std::lock_guard lock(mutex_);
    for (const unsigned char token : tokens_) jobserver_.give(token);
    tokens_.clear();
    returned_ = true;
}

std::uint64_t TokenSlots::tokens_held() const {
    const std::lock_guard lock(mutex_);
    return tokens_.size();
}

}  // namespace wgrun
