// output_buffer.hpp: one stream of one job's output, kept until it is written
// out: in memory up to a limit, then in an already-unlinked temporary file.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/unique_fd.hpp"
#include "output/compression.hpp"

namespace wgrun {

class OutputBuffer {
public:
    /// Bytes kept in memory per stream before spilling to disk. A job has two
    /// streams, so it holds at most 1 MiB in memory.
    static constexpr std::size_t kMemoryLimit = std::size_t{512} << 10;

    /// `tmpdir` is where spill files go (created with O_TMPFILE, or created
    /// and unlinked at once, so no name is ever left behind). With a
    /// `compression` (--compress), the spill file holds what its compress
    /// program makes of the bytes, and reading them back runs its
    /// decompress program.
    explicit OutputBuffer(std::string tmpdir,
                          std::shared_ptr<const Compression> compression = nullptr)
        : tmpdir_(std::move(tmpdir)), compression_(std::move(compression)) {}
    OutputBuffer(const OutputBuffer&) = delete;
    OutputBuffer& operator=(const OutputBuffer&) = delete;

    /// Keeps `bytes`. Returns 0, or the errno when they could not be kept (a
    /// full disk: ENOSPC). When the spill file cannot be made for want of an
    /// fd (EMFILE, ENFILE), the bytes are kept in memory past kMemoryLimit
    /// instead, and a later append() tries to make the file again. After a failure, later bytes are dropped and
    /// error() keeps the first errno: nothing is silently truncated.
    int append(std::string_view bytes);

    /// Keeps up to `max` bytes spliced from the pipe `fd` (O_NONBLOCK) to
    /// the end of the spill file, once the memory part is full and the spill
    /// file exists. Returns the bytes kept, 0 at end of file, -1 with errno
    /// EAGAIN when `fd` is empty, or kCannotSplice when they must be read
    /// and given to append() instead: not spilling yet, a failure so far, or
    /// the splice failed (append() then meets the failure and records it).
    ssize_t append_from_pipe(int fd, std::size_t max);

    /// Writes every byte kept to `fd`. Returns 0 or an errno: positive for
    /// the destination fd, negative for a failed read of the spill file
    /// (-EIO when a compress or decompress program failed: problem() says
    /// how).
    int write_to(int fd) const;

    /// Gives every byte kept to `each`, in order, in pieces of at most
    /// 64 KiB. Returns 0, or the errno of a failed read of the spill file
    /// (EIO when a compress or decompress program failed: problem()).
    int read_back(const std::function<void(std::string_view)>& each) const;

    /// With --compress: the bytes as they are stored, the memory part as it
    /// is and then the spill file's compressed bytes, written to `fd` (for
    /// the parking file). Returns as write_to().
    int write_stored_to(int fd) const;
    /// The size of what write_stored_to() writes.
    std::size_t stored_size() const;
    /// Of those, the first ones, which are not compressed.
    std::size_t plain_size() const { return memory_.size(); }
    bool compressed() const { return compression_ != nullptr && spilled_ > 0; }

    /// With --compress: ends the compress program, so that the file is
    /// complete (reading does it too); a later append() starts another.
    /// Returns 0, or EIO when the program failed (problem() says how).
    int seal() const;

    /// What a compress or decompress program did wrong ("'zstd -c -1'
    /// exited with 1"), or "".
    const std::string& problem() const { return problem_; }

    /// The first errno of append(), 0 if none.
    int error() const { return error_; }

    /// The last byte kept (0-255), or -1 when none is, or it cannot be read
    /// back from the spill file.
    int last_byte() const;

    /// Bytes kept so far.
    std::size_t size() const { return memory_.size() + spilled_; }

private:
    int spill(std::string_view bytes);
    int open_spill_file();

    std::string tmpdir_;
    std::shared_ptr<const Compression> compression_;
    mutable CompressingWriter compressor_;  // running while bytes come
    mutable std::string problem_;
    int last_spilled_ = -1;  // the last byte given to the compress program
    std::string memory_;       // the first bytes, up to kMemoryLimit
    UniqueFd spill_fd_;        // the rest, in an unlinked file
    std::size_t spilled_ = 0;  // bytes in the spill file
    int error_ = 0;
    bool splice_refused_ = false;  // the spill file's file system cannot splice
};

}  // namespace wgrun
