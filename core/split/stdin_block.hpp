// stdin_block.hpp: what --pipe's jobs read on stdin. A block is a header
// (--header's lines, shared by every block) and a body: bytes in memory
// (read from a pipe) or a range of a file (--pipepart, or stdin a regular
// file), which goes into the job's pipe with splice(2), never through
// wgrun's memory. --round-robin's jobs read block after block from a
// RoundRobinHub; --tee's jobs each read the whole stream from a TeeHub.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/job_stdin.hpp"
#include "base/unique_fd.hpp"

namespace wgrun {

/// One block's bytes: `header`, then `body` or `length` bytes of `file` from
/// `offset`.
struct BlockData {
    std::shared_ptr<const std::string> header;  // may be null
    std::string body;
    std::shared_ptr<const UniqueFd> file;  // a range of it instead of body, when set
    std::uint64_t offset = 0;
    std::uint64_t length = 0;

    std::uint64_t size() const {
        return (header ? header->size() : 0) + (file ? length : body.size());
    }
};

/// A job's stdin: one block. Each attempt reads it from the start.
class BlockStdin : public JobStdin {
public:
    explicit BlockStdin(std::shared_ptr<const BlockData> block) : block_(std::move(block)) {}
    std::unique_ptr<StdinWriter> writer(std::function<void()> wake) const override;

private:
    std::shared_ptr<const BlockData> block_;
};

/// Moves one block into a pipe: write(2) from memory, splice(2) from a file
/// (pread(2) and write(2) where the file cannot be spliced).
class BlockWriter : public StdinWriter {
public:
    /// `with_header`: false leaves the block's header out.
    explicit BlockWriter(std::shared_ptr<const BlockData> block, bool with_header = true);
    Step write_to(int fd) override;

private:
    Step write_bytes(int fd, const char* data, std::size_t size);
    Step splice_range(int fd);

    std::shared_ptr<const BlockData> block_;
    int part_ = 0;            // 0: header, 1: body, 2: done
    std::uint64_t done_ = 0;  // bytes of the current part written
    std::string bounce_;      // a file's bytes read, not yet written (no splice)
    std::size_t bounce_at_ = 0;
    bool no_splice_ = false;
};

/// --round-robin: the blocks after the first few, handed to whichever job
/// has written its last block first. Bounded: push() blocks while
/// `capacity` blocks wait.
class RoundRobinHub {
public:
    explicit RoundRobinHub(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
    /// Waits for room, then queues `block`: false (the block dropped) when no
    /// job is left to read it.
    bool push(std::shared_ptr<const BlockData> block);
    /// No more blocks will come.
    void close();

    // For the jobs' stdin:
    void add_reader();
    void remove_reader();
    /// The next block, or null: `ended` then says whether none will come
    /// (else `wake` is called once one may have).
    std::shared_ptr<const BlockData> pop(const std::function<void()>& wake, bool& ended);

private:
    std::mutex mutex_;
    std::condition_variable room_;
    std::deque<std::shared_ptr<const BlockData>> queue_;
    std::vector<std::function<void()>> waiting_;
    std::size_t capacity_;
    std::size_t readers_ = 0;
    bool closed_ = false;
};

/// A --round-robin job's stdin: its first block (with the header), then
/// blocks from the hub (without), until the hub is closed and empty.
class RoundRobinStdin : public JobStdin {
public:
    RoundRobinStdin(std::shared_ptr<RoundRobinHub> hub, std::shared_ptr<const BlockData> first);
    ~RoundRobinStdin() override;
    std::unique_ptr<StdinWriter> writer(std::function<void()> wake) const override;

private:
    std::shared_ptr<RoundRobinHub> hub_;
    std::shared_ptr<const BlockData> first_;
};

/// --tee: a thread reads `fd` in chunks that every one of `readers` jobs
/// reads whole; a chunk is freed once all have written it, and reading
/// waits while `limit` bytes are held (the slowest job sets the pace).
/// Reading starts once every reader has its writer (or is gone), so that
/// none misses the first bytes.
class TeeHub : public std::enable_shared_from_this<TeeHub> {
public:
    /// Starts the reading thread, which holds the hub until the stream ends
    /// or every reader is gone (it is left to end with the process when
    /// blocked in a read then, as the InputPump's).
    static std::shared_ptr<TeeHub> start(int fd, std::size_t readers, std::size_t limit);
    TeeHub(int fd, std::size_t readers, std::size_t limit);  // start() only
    TeeHub(const TeeHub&) = delete;
    TeeHub& operator=(const TeeHub&) = delete;

    /// A reader's writer starts (its cursor: chunk 0); false when reading
    /// has begun (a retry: the start of the stream is gone).
    bool attach(std::size_t reader);
    /// Reader `reader` will not read (any more).
    void detach(std::size_t reader);
    /// Chunk `index`, or null: `ended` then says whether the stream is over
    /// (else `wake` is called once it may be there).
    std::shared_ptr<const std::string> chunk(std::size_t reader, std::uint64_t index,
                                             const std::function<void()>& wake, bool& ended);
    /// Reader `reader` has written chunk `index - 1`: its cursor is `index`.
    void advance(std::size_t reader, std::uint64_t index);

private:
    void read_loop();
    void release_chunks();  // under mutex_

    int fd_;
    std::size_t limit_;
    std::mutex mutex_;
    std::condition_variable room_;
    std::deque<std::shared_ptr<const std::string>> chunks_;
    std::uint64_t first_index_ = 0;  // index of chunks_.front()
    std::size_t held_ = 0;           // bytes in chunks_
    std::vector<std::uint64_t> cursors_;  // per reader; kGone once detached
    std::vector<bool> attached_;
    std::size_t unattached_;
    std::vector<std::function<void()>> waiting_;
    bool ended_ = false;
};

/// A --tee job's stdin: the whole stream, through the hub.
class TeeStdin : public JobStdin {
public:
    TeeStdin(std::shared_ptr<TeeHub> hub, std::size_t reader)
        : hub_(std::move(hub)), reader_(reader) {}
    ~TeeStdin() override { hub_->detach(reader_); }
    std::unique_ptr<StdinWriter> writer(std::function<void()> wake) const override;

private:
    std::shared_ptr<TeeHub> hub_;
    std::size_t reader_;
};

}  // namespace wgrun
