// parking_file.hpp: one shared, already-unlinked temporary file where
// --keep-order parks the output of jobs that finished before their turn, so
// that a finished job waiting to be written holds no memory and no fd: only
// the place of its bytes (an Extent per stream).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/unique_fd.hpp"
#include "output/output_buffer.hpp"

namespace wgrun {

class ParkingFile {
public:
    /// Where a parked stream's bytes are in the file.
    struct Extent {
        off_t offset = 0;
        std::size_t length = 0;
        /// With --compress, the last `compressed` bytes of the extent are
        /// the compress program's (read them with unpack()); the first
        /// length - compressed are the bytes themselves.
        std::size_t compressed = 0;
        std::size_t original = 0;  // the bytes the extent stands for
    };

    /// The file is made in `tmpdir` on the first park(). Buffers are parked
    /// as they are stored: with --compress, what was spilled is compressed
    /// (compress_with() says how to read it back).
    explicit ParkingFile(std::string tmpdir) : tmpdir_(std::move(tmpdir)) {}
    void compress_with(std::shared_ptr<const Compression> compression) {
        compression_ = std::move(compression);
    }
    ParkingFile(const ParkingFile&) = delete;
    ParkingFile& operator=(const ParkingFile&) = delete;

    /// Appends every byte `buffer` kept (memory with write(), its spill file
    /// with sendfile(), no copy through user space) and sets `extent`.
    /// Returns 0, or an errno when the file cannot be made or written
    /// (negative: the spill file could not be read); then nothing was
    /// parked and `buffer` is still whole.
    int park(const OutputBuffer& buffer, Extent& extent);

    /// The file, for reading parked extents back (copy_file_to); -1 before
    /// the first park().
    int fd() const { return fd_.get(); }

    /// Gives the bytes of the extent's compressed part, decompressed, to
    /// `each`: the part is copied to a file of its own (a decompress
    /// program reads to the end of its input). Returns "" or what failed.
    std::string unpack(const Extent& extent,
                       const std::function<void(std::string_view)>& each) const;

    /// The extent's bytes are no longer needed: the disk space of its whole
    /// pages is given back (a hole is punched, best effort), and the file is
    /// emptied when no parked bytes are left. Bytes copied out of the file to
    /// a pipe with sendfile() stay intact even though the pipe may still
    /// refer to the file's pages.
    void release(const Extent& extent);

    /// Bytes parked and not yet released.
    std::size_t parked() const { return parked_; }

private:
    std::string tmpdir_;
    std::shared_ptr<const Compression> compression_;
    UniqueFd fd_;
    off_t end_ = 0;            // where the next park() writes (the file position)
    std::size_t parked_ = 0;
    bool broken_ = false;      // the file position was lost: park() fails
};

}  // namespace wgrun
