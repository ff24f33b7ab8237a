// input_pump.cpp: a producer thread, a bounded deque and an eventfd.
#include "input/input_pump.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>

#include "base/start_thread.hpp"
#include "base/unique_fd.hpp"

namespace wgrun {

struct InputPump::State {
    std::unique_ptr<JobFeed> feed;
    std::size_t capacity = 0;
    Shard shard;
    UniqueFd event_fd;

    mutable std::mutex mutex;
    std::condition_variable room;  // signalled when the queue is half empty, or on stop
    std::deque<JobInput> queue;
    bool ended = false;    // the feed has no more
    bool stopped = false;  // the consumer is gone
    std::uint64_t produced = 0;  // inputs queued (the shard's)
    std::string error;

    void notify() const {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(event_fd.get(), &one, sizeof one);
    }

    void produce() {
        std::uint64_t seq = 0;
        for (;;) {
            std::optional<JobInput> input;
            std::string failure;
            try {
                input = feed->next_input();
            } catch (const std::exception& e) {
                failure = e.what();
            }
            ++seq;
            if (input && !shard.takes(seq)) continue;  // another shard's: not queued
            std::unique_lock lock(mutex);
            if (!input) {
                ended = true;
                error = std::move(failure);
                lock.unlock();
                notify();
                return;
            }
            if (queue.size() >= capacity) {
                // Full: sleep until it is half empty, not at every pop.
                room.wait(lock, [this] { return queue.size() <= capacity / 2 || stopped; });
            }
            if (stopped) return;
            const bool was_empty = queue.empty();
            input->seq = seq;
            queue.push_back(std::move(*input));
            ++produced;
            lock.unlock();
            if (was_empty) notify();
        }
    }
};

InputPump::InputPump(std::unique_ptr<JobFeed> feed, std::size_t capacity, Shard shard)
    : state_(std::make_shared<State>()) {
    state_->feed = std::move(feed);
    state_->shard = shard;
    state_->capacity = capacity == 0 ? 1 : capacity;
    state_->event_fd.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!state_->event_fd) throw std::system_error(errno, std::system_category(), "eventfd");
    // A feed in memory (the commands of wgrun's command line) is taken whole
    // here, moved into the queue: a thread for it would cost every start
    // more than that (its start, its wakeups).
    if (state_->feed->in_memory()) {
        state_->capacity = std::numeric_limits<std::size_t>::max();
        state_->produce();
        return;
    }
    start_thread("the input reader thread", [state = state_] { state->produce(); }).detach();
}

InputPump::~InputPump() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopped = true;
    }
    state_->room.notify_all();
}

int InputPump::event_fd() const {
    return state_->event_fd.get();
}

void InputPump::clear_event() {
    std::uint64_t drained;
    [[maybe_unused]] const ssize_t n = ::read(state_->event_fd.get(), &drained, sizeof drained);
}

std::optional<JobInput> InputPump::try_pop() {
    std::unique_lock lock(state_->mutex);
    if (state_->queue.empty()) return std::nullopt;
    JobInput input = std::move(state_->queue.front());
    state_->queue.pop_front();
    const bool half_empty = state_->queue.size() == state_->capacity / 2;
    lock.unlock();
    if (half_empty) state_->room.notify_one();
    return input;
}

bool InputPump::finished() const {
    std::lock_guard lock(state_->mutex);
    return state_->ended && state_->queue.empty();
}

std::optional<std::uint64_t> InputPump::total() const {
    std::lock_guard lock(state_->mutex);
    if (!state_->ended) return std::nullopt;
    return state_->produced;
}

std::uint64_t InputPump::read() const {
    std::lock_guard lock(state_->mutex);
    return state_->produced;
}

std::string InputPump::error() const {
    std::lock_guard lock(state_->mutex);
    return state_->error;
}

}  // namespace wgrun
