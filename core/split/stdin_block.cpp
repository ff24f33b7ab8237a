// stdin_block.cpp: the writers of --pipe's blocks, and the hubs that share
// a stream among jobs (--round-robin, --tee).
#include "split/stdin_block.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "base/start_thread.hpp"

namespace wgrun {
namespace {

constexpr std::size_t kSpliceChunk = std::size_t{1} << 20;
constexpr std::size_t kBounceChunk = std::size_t{64} << 10;
constexpr std::uint64_t kGone = std::numeric_limits<std::uint64_t>::max();

}  // namespace

// ---- BlockWriter -------------------------------------------------------------

std::unique_ptr<StdinWriter> BlockStdin::writer(std::function<void()>) const {
    return std::make_unique<BlockWriter>(block_);
}

BlockWriter::BlockWriter(std::shared_ptr<const BlockData> block, bool with_header)
    : block_(std::move(block)) {
    if (!with_header || !block_->header || block_->header->empty()) part_ = 1;
}

StdinWriter::Step BlockWriter::write_bytes(int fd, const char* data, std::size_t size) {
    while (done_ < size) {
        const ssize_t n = ::write(fd, data + done_, size - done_);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN ? Step::Blocked : Step::Broken;
        }
        done_ += static_cast<std::uint64_t>(n);
    }
    return Step::Done;
}

StdinWriter::Step BlockWriter::splice_range(int fd) {
    const int file = block_->file->get();
    while (done_ < block_->length || bounce_at_ < bounce_.size()) {
        if (bounce_at_ < bounce_.size()) {  // bytes read but not written yet
            const ssize_t n = ::write(fd, bounce_.data() + bounce_at_, bounce_.size() - bounce_at_);
            if (n < 0) {
                if (errno == EINTR) continue;
                return errno == EAGAIN ? Step::Blocked : Step::Broken;
            }
            bounce_at_ += static_cast<std::size_t>(n);
            continue;
        }
        const std::size_t want = static_cast<std::size_t>(
            std::min<std::uint64_t>(block_->length - done_, no_splice_ ? kBounceChunk : kSpliceChunk));
        loff_t at = static_cast<loff_t>(block_->offset + done_);
        if (!no_splice_) {
            const ssize_t n = ::splice(file, &at, fd, nullptr, want, SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
            if (n > 0) {
                done_ += static_cast<std::uint64_t>(n);
                continue;
            }
            if (n == 0) return Step::Broken;  // the file is shorter now
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return Step::Blocked;
            if (errno != EINVAL && errno != ENOSYS) return Step::Broken;
            no_splice_ = true;  // a file system without splice: read and write
            continue;
        }
        bounce_.resize(want);
        const ssize_t n = ::pread(file, bounce_.data(), want, at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Step::Broken;
        bounce_.resize(static_cast<std::size_t>(n));
        bounce_at_ = 0;
        done_ += static_cast<std::uint64_t>(n);
    }
    return Step::Done;
}

StdinWriter::Step BlockWriter::write_to(int fd) {
    if (part_ == 0) {
        const Step step = write_bytes(fd, block_->header->data(), block_->header->size());
        if (step != Step::Done) return step;
        part_ = 1;
        done_ = 0;
    }
    if (part_ == 1) {
        const Step step = block_->file ? splice_range(fd)
                                       : write_bytes(fd, block_->body.data(), block_->body.size());
        if (step != Step::Done) return step;
        part_ = 2;
    }
    return Step::Done;
}

// ---- RoundRobinHub -----------------------------------------------------------

bool RoundRobinHub::push(std::shared_ptr<const BlockData> block) {
    std::vector<std::function<void()>> wake;
    {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [this] { return queue_.size() < capacity_ || readers_ == 0; });
        if (readers_ == 0) return false;
        queue_.push_back(std::move(block));
        wake.swap(waiting_);
    }
    for (const auto& w : wake) w();
    return true;
}

void RoundRobinHub::close() {
    std::vector<std::function<void()>> wake;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        wake.swap(waiting_);
    }
    for (const auto& w : wake) w();
}

void RoundRobinHub::add_reader() {
    std::lock_guard lock(mutex_);
    ++readers_;
}

void RoundRobinHub::remove_reader() {
    {
        std::lock_guard lock(mutex_);
        --readers_;
    }
    room_.notify_all();
}

std::shared_ptr<const BlockData> RoundRobinHub::pop(const std::function<void()>& wake, bool& ended) {
    std::shared_ptr<const BlockData> block;
    {
        std::lock_guard lock(mutex_);
        ended = false;
        if (queue_.empty()) {
            if (closed_) {
                ended = true;
            } else {
                waiting_.push_back(wake);
            }
            return nullptr;
        }
        block = std::move(queue_.front());
        queue_.pop_front();
    }
    room_.notify_one();
    return block;
}

namespace {

class RoundRobinWriter : public StdinWriter {
public:
    RoundRobinWriter(std::shared_ptr<RoundRobinHub> hub, std::shared_ptr<const BlockData> first,
                     std::function<void()> wake)
        : hub_(std::move(hub)), current_(std::move(first)), wake_(std::move(wake)) {}

    Step write_to(int fd) override {
        for (;;) {
            const Step step = current_.write_to(fd);
            if (step != Step::Done) return step;
            bool ended = false;
            auto next = hub_->pop(wake_, ended);
            if (!next) return ended ? Step::Done : Step::Waiting;
            current_ = BlockWriter(std::move(next), false);  // the header went with the first
        }
    }

private:
    std::shared_ptr<RoundRobinHub> hub_;
    BlockWriter current_;
    std::function<void()> wake_;
};

}  // namespace

RoundRobinStdin::RoundRobinStdin(std::shared_ptr<RoundRobinHub> hub,
                                 std::shared_ptr<const BlockData> first)
    : hub_(std::move(hub)), first_(std::move(first)) {
    hub_->add_reader();
}

RoundRobinStdin::~RoundRobinStdin() {
    hub_->remove_reader();
}

std::unique_ptr<StdinWriter> RoundRobinStdin::writer(std::function<void()> wake) const {
    return std::make_unique<RoundRobinWriter>(hub_, first_, std::move(wake));
}

// ---- TeeHub ------------------------------------------------------------------

TeeHub::TeeHub(int fd, std::size_t readers, std::size_t limit)
    : fd_(fd), limit_(limit), cursors_(readers, 0), attached_(readers, false), unattached_(readers) {}

std::shared_ptr<TeeHub> TeeHub::start(int fd, std::size_t readers, std::size_t limit) {
    auto hub = std::make_shared<TeeHub>(fd, readers, limit);
    start_thread("the --tee reader thread", [hub] { hub->read_loop(); }).detach();
    return hub;
}

bool TeeHub::attach(std::size_t reader) {
    {
        std::lock_guard lock(mutex_);
        if (reader >= cursors_.size() || attached_[reader] || cursors_[reader] == kGone) return false;
        attached_[reader] = true;
        --unattached_;
    }
    room_.notify_all();
    return true;
}

void TeeHub::detach(std::size_t reader) {
    {
        std::lock_guard lock(mutex_);
        if (reader >= cursors_.size() || cursors_[reader] == kGone) return;
        if (!attached_[reader]) --unattached_;
        cursors_[reader] = kGone;
        release_chunks();
    }
    room_.notify_all();
}

void TeeHub::release_chunks() {
    std::uint64_t slowest = kGone;
    for (const std::uint64_t cursor : cursors_) slowest = std::min(slowest, cursor);
    while (!chunks_.empty() && first_index_ < slowest) {
        held_ -= chunks_.front()->size();
        chunks_.pop_front();
        ++first_index_;
    }
}

std::shared_ptr<const std::string> TeeHub::chunk(std::size_t, std::uint64_t index,
                                                 const std::function<void()>& wake, bool& ended) {
    std::lock_guard lock(mutex_);
    ended = false;
    if (index >= first_index_ && index - first_index_ < chunks_.size()) {
        return chunks_[index - first_index_];
    }
    if (ended_) {
        ended = true;
    } else {
        waiting_.push_back(wake);
    }
    return nullptr;
}

void TeeHub::advance(std::size_t reader, std::uint64_t index) {
    {
        std::lock_guard lock(mutex_);
        if (cursors_[reader] == kGone) return;
        cursors_[reader] = index;
        release_chunks();
    }
    room_.notify_all();
}

void TeeHub::read_loop() {
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            const auto anyone = [this] {
                return std::any_of(cursors_.begin(), cursors_.end(),
                                   [](std::uint64_t cursor) { return cursor != kGone; });
            };
            room_.wait(lock, [&] { return !anyone() || (unattached_ == 0 && held_ < limit_); });
            if (!anyone()) return;  // nobody reads: stop reading
        }
        auto chunk = std::make_shared<std::string>(kChunk, '\0');
        ssize_t n;
        do {
            n = ::read(fd_, chunk->data(), kChunk);
        } while (n < 0 && errno == EINTR);
        std::vector<std::function<void()>> wake;
        {
            std::lock_guard lock(mutex_);
            if (n <= 0) {
                ended_ = true;  // end of file, or a read error: the jobs get end-of-file
            } else {
                chunk->resize(static_cast<std::size_t>(n));
                held_ += chunk->size();
                chunks_.push_back(std::move(chunk));
            }
            wake.swap(waiting_);
        }
        for (const auto& w : wake) w();
        if (n <= 0) return;
    }
}

namespace {

class TeeWriter : public StdinWriter {
public:
    TeeWriter(std::shared_ptr<TeeHub> hub, std::size_t reader, std::function<void()> wake)
        : hub_(std::move(hub)), reader_(reader), wake_(std::move(wake)) {
        broken_ = !hub_->attach(reader_);
    }
    // Dropped (its job ended) before the end: the others go on without it.
    ~TeeWriter() override { hub_->detach(reader_); }

    Step write_to(int fd) override {
        if (broken_) return Step::Broken;
        for (;;) {
            if (!chunk_) {
                bool ended = false;
                chunk_ = hub_->chunk(reader_, index_, wake_, ended);
                if (!chunk_) return ended ? Step::Done : Step::Waiting;
                at_ = 0;
            }
            while (at_ < chunk_->size()) {
                const ssize_t n = ::write(fd, chunk_->data() + at_, chunk_->size() - at_);
                if (n < 0) {
                    if (errno == EINTR) continue;
                    if (errno == EAGAIN) return Step::Blocked;
                    hub_->detach(reader_);  // it reads no more: hold nothing back for it
                    return Step::Broken;
                }
                at_ += static_cast<std::size_t>(n);
            }
            chunk_.reset();
            hub_->advance(reader_, ++index_);
        }
    }

private:
    std::shared_ptr<TeeHub> hub_;
    std::size_t reader_;
    std::function<void()> wake_;
    std::shared_ptr<const std::string> chunk_;
    std::size_t at_ = 0;
    std::uint64_t index_ = 0;
    bool broken_ = false;
};

}  // namespace

std::unique_ptr<StdinWriter> TeeStdin::writer(std::function<void()> wake) const {
    return std::make_unique<TeeWriter>(hub_, reader_, std::move(wake));
}

}  // namespace wgrun
