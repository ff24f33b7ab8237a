// stdin_feeder.hpp: fills the jobs' stdin pipes (--pipe's blocks, the
// --round-robin and --tee streams) from their JobStdin, on a thread of its
// own with its own epoll: the event loop reads the jobs' output while this
// thread writes their input, and a job that reads slowly holds up neither.
// Nothing comes back: a job that stops reading (EPIPE) is the job's affair,
// its status says how it ended.
#pragma once

#include <cstdint>
#include <memory>

#include "base/job_stdin.hpp"
#include "base/unique_fd.hpp"

namespace wgrun {

class StdinFeeder {
public:
    /// Starts the thread (std::system_error when it cannot start).
    StdinFeeder();
    /// Stops the thread and closes every pipe still open.
    ~StdinFeeder();
    StdinFeeder(const StdinFeeder&) = delete;
    StdinFeeder& operator=(const StdinFeeder&) = delete;

    /// Writes `data` from its first byte into `fd` (the write end of job
    /// `seq`'s stdin, O_NONBLOCK) and closes it when all is in or the job
    /// stops reading.
    void feed(std::uint64_t seq, UniqueFd fd, const JobStdin& data);
    /// Job `seq` is gone: closes its pipe if it is still open, written or
    /// not (a background child of the job may still hold the read end).
    void drop(std::uint64_t seq);

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace wgrun
