// background_writer.hpp: writes finished jobs' captured output on a thread
// of its own, in the order the jobs were handed over, so that the event loop
// goes on draining the running jobs while a slow reader takes a finished
// job's megabytes (grouped output would otherwise stall every job for as
// long as one write-out takes).
//
// A job handed over is the writer's alone (its JobStreams and their spill
// files); the only state it shares with the event loop is the OutputTarget,
// whose stdout_closed() flag is atomic. At most `capacity` jobs wait: a full
// queue makes deliver() wait, which bounds the memory (1 MiB a job) and the
// spill fds held.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/unique_fd.hpp"
#include "output/job_streams.hpp"

namespace wgrun {

class BackgroundWriter {
public:
    explicit BackgroundWriter(std::size_t capacity = 16);
    /// Writes what is queued, then joins the thread.
    ~BackgroundWriter();
    BackgroundWriter(const BackgroundWriter&) = delete;
    BackgroundWriter& operator=(const BackgroundWriter&) = delete;

    /// Queues job `seq` (ended: JobStreams::end() was called) to be written
    /// whole, stdout then stderr. Waits while `capacity` jobs are queued.
    void deliver(std::uint64_t seq, std::unique_ptr<JobStreams> job);

    /// Readable (an eventfd) when jobs have been written since the last
    /// take_written().
    int event_fd() const { return event_fd_.get(); }

    /// The jobs written since the last call, in order: each job's number and
    /// its problem ("output lost: ...", or empty).
    std::vector<std::pair<std::uint64_t, std::string>> take_written();

private:
    void run();

    std::size_t capacity_;
    UniqueFd event_fd_;
    std::mutex mutex_;
    std::condition_variable work_;  // a job was queued, or stop
    std::condition_variable room_;  // a job left the queue
    std::deque<std::pair<std::uint64_t, std::unique_ptr<JobStreams>>> queue_;
    std::vector<std::pair<std::uint64_t, std::string>> written_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace wgrun
