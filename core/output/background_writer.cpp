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
}

BackgroundWriter::~BackgroundWriter() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    work_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void BackgroundWriter::deliver(std::uint64_t seq, std::unique_ptr<JobStreams> job) {
    // A job that holds no bytes, with none ahead of it, is done here: the
    // thread starts only with the first job that has something to write, so
    // a run of jobs that write nothing (`wgrun true`) starts none. When the
    // system refuses the thread (ulimit -u), every job is written here, in
    // order, on the caller's thread: slower behind a slow reader, nothing
    // lost.
    {
        std::lock_guard lock(mutex_);
        if (!inline_ && !(queue_.empty() && job->holds_nothing()) && !thread_.joinable()) {
            try {
                thread_ = start_thread("the output writer thread", [this] { run(); });
            } catch (const std::system_error&) {
                inline_ = true;
            }
        }
        if (!thread_.joinable() || (queue_.empty() && job->holds_nothing())) {
            job->go_live();
            note_written(seq, job->problem());
            return;
        }
    }
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return queue_.size() < capacity_; });
    queue_.emplace_back(seq, std::move(job));
    lock.unlock();
    work_.notify_one();
}

void BackgroundWriter::note_written(std::uint64_t seq, std::string problem) {
    written_.emplace_back(seq, std::move(problem));
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_.get(), &one, sizeof one);
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
        note_written(queue_.front().first, job.problem());
        queue_.pop_front();
        room_.notify_one();
    }
}

}  // namespace wgrun
