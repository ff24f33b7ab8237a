// input_pump.hpp: runs a JobFeed on a thread of its own, so that a slow stdin
// never stalls the event loop, into a bounded queue, so that memory does not
// grow with the input. It numbers the jobs, and leaves out those of other
// shards (--shard).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "base/job.hpp"
#include "input/job_feed.hpp"
#include "input/shard.hpp"

namespace wgrun {

class InputPump {
public:
    /// Starts the thread. At most `capacity` inputs wait in the queue; jobs
    /// are numbered 1, 2, ... in feed order, and only those `shard` takes
    /// are queued, with those numbers (the others are read, counted and
    /// dropped: nothing hears of them). A feed in memory
    /// (JobFeed::in_memory) is taken whole at once, with no thread and no
    /// capacity: its inputs are moved, not copied.
    InputPump(std::unique_ptr<JobFeed> feed, std::size_t capacity, Shard shard = {});
    /// Stops the thread. One blocked in a read of stdin is left to end with
    /// the process (it holds only its own state).
    ~InputPump();
    InputPump(const InputPump&) = delete;
    InputPump& operator=(const InputPump&) = delete;

    /// An eventfd that becomes readable when an input or the end arrives
    /// after try_pop() found the queue empty. clear_event() makes it
    /// unreadable again; call it when it was seen readable.
    int event_fd() const;
    void clear_event();

    /// The next input if one is queued. Never blocks.
    std::optional<JobInput> try_pop();

    /// True once the feed has ended and every input has been popped.
    bool finished() const;

    /// How many inputs there are in all, once the feed has ended (popped or
    /// not); empty before. The shard's only: its share of the feed's.
    std::optional<std::uint64_t> total() const;

    /// How many inputs the feed has given so far (popped or not), of the
    /// shard's.
    std::uint64_t read() const;

    /// Why the feed ended early (an InputError's message), or empty.
    std::string error() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace wgrun
