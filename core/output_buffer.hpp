// output_buffer.hpp: one stream of one job's output, kept until it is written
// out: in memory up to a limit, then in an already-unlinked temporary file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wgrun {

class OutputBuffer {
public:
    /// Bytes kept in memory per stream before spilling to disk. A job has two
    /// streams, so it holds at most 1 MiB in memory.
    static constexpr std::size_t kMemoryLimit = std::size_t{512} << 10;

    /// `tmpdir` is where spill files go (created with O_TMPFILE, or created
    /// and unlinked at once, so no name is ever left behind).
    explicit OutputBuffer(std::string tmpdir) : tmpdir_(std::move(tmpdir)) {}
    ~OutputBuffer();
    OutputBuffer(const OutputBuffer&) = delete;
    OutputBuffer& operator=(const OutputBuffer&) = delete;

    /// Keeps `bytes`. Returns 0, or the errno when they could not be kept (a
    /// full disk: ENOSPC). After a failure, later bytes are dropped and
    /// error() keeps the first errno: nothing is silently truncated.
    int append(std::string_view bytes);

    /// Writes every byte kept to `fd`. Returns 0 or an errno: positive for
    /// the destination fd, negative for a failed read of the spill file.
    int write_to(int fd) const;

    /// The first errno of append(), 0 if none.
    int error() const { return error_; }

    /// Bytes kept so far.
    std::size_t size() const { return memory_.size() + spilled_; }

private:
    int spill(std::string_view bytes);

    std::string tmpdir_;
    std::string memory_;       // the first bytes, up to kMemoryLimit
    int spill_fd_ = -1;        // the rest, in an unlinked file
    std::size_t spilled_ = 0;  // bytes in the spill file
    int error_ = 0;
};

}  // namespace wgrun
