// background_writer.cpp: a queue, a thread, an eventfd.
#include "output/background_writer.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "base/start_thread.hpp"

namespace wgrun {

BackgroundWriter::BackgroundWriter(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
    event_fd_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!event_fd_) throw std::system_error(errno, std::system_category(), "eventfd");
    thread_ = start_thread("the output writer thread", [this] { run(); });
}

BackgroundWriter::~BackgroundWriter() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    work_.notify_one();
    thread_.join();
}

void BackgroundWriter::deliver(std::uint64_t seq, std::unique_ptr<JobStreams> job) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return queue_.size() < capacity_; });
    queue_.emplace_back(seq, std::move(job));
    lock.unlock();
    work_.notify_one();
}

std::vector<std::pair<std::uint64_t, std::string>> BackgroundWriter::take_written() {
    std::uint64_t count;
    [[maybe_unused]] const ssize_t n = ::read(event_fd_.get(), &count, sizeof count);
    std::lock_guard lock(mutex_);
    return std::exchange(written_, {});
}

void BackgroundWriter::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_.wait(lock, [this] { return !queue_.empty() || stop_; });
        if (queue_.empty()) return;  // stop_, and nothing left to write
        // The job stays in the queue while it is written, so that deliver()
        // counts it against the capacity.
        JobStreams& job = *queue_.front().second;
        lock.unlock();
        job.go_live();  // writes what it captured
        lock.lock();
        written_.emplace_back(queue_.front().first, job.problem());
        queue_.pop_front();
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(event_fd_.get(), &one, sizeof one);
        room_.notify_one();
    }
}

}  // namespace wgrun
