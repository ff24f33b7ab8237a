// parking_file.cpp: append with the file position, read back by offset.
#include "output/parking_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "base/temp_file.hpp"

namespace wgrun {

int ParkingFile::park(const OutputBuffer& buffer, Extent& extent) {
    const std::size_t stored = buffer.stored_size();
    extent = Extent{end_, stored, buffer.compressed() ? stored - buffer.plain_size() : 0,
                    buffer.size()};
    if (extent.length == 0) return 0;
    if (broken_) return EIO;
    if (!fd_) {
        // Not O_APPEND: sendfile() refuses to write to an O_APPEND file. We
        // are the only writer and all reads are by offset, so the file
        // position always stays at end_.
        fd_.reset(open_unlinked_temp(tmpdir_));
        if (!fd_) return errno;
    }
    if (const int e = buffer.write_stored_to(fd_.get())) {
        // Forget the part that was written: the next park() writes over it.
        // (Neither call fails on a regular file; if one did, the position
        // would be unknown, so parking stops.)
        const int fd = fd_.get();
        if (::lseek(fd, end_, SEEK_SET) != end_ || ::ftruncate(fd, end_) != 0) broken_ = true;
        return e;
    }
    end_ += static_cast<off_t>(extent.length);
    parked_ += extent.length;
    return 0;
}

std::string ParkingFile::unpack(const Extent& extent,
                                const std::function<void(std::string_view)>& each) const {
    if (extent.compressed == 0) return "";
    if (compression_ == nullptr) return "compressed output but no decompress program";
    UniqueFd part(open_unlinked_temp(tmpdir_));
    if (!part) return "cannot make a file in " + tmpdir_ + ": " + std::strerror(errno);
    // Copied with pread/write, not copy_file_to(): these bytes are not
    // output getting out, which copy_file_to() would count (output_ledger).
    off_t at = extent.offset + static_cast<off_t>(extent.length - extent.compressed);
    std::string chunk(std::min<std::size_t>(extent.compressed, std::size_t{64} << 10), '\0');
    for (std::size_t left = extent.compressed; left > 0;) {
        ssize_t n = ::pread(fd_.get(), chunk.data(), std::min(chunk.size(), left), at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            return "cannot read the parking file: " + std::string(std::strerror(n < 0 ? errno : EIO));
        }
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(part.get(), chunk.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return "cannot make a file in " + tmpdir_ + ": " + std::strerror(errno);
            done += w;
        }
        at += n;
        left -= static_cast<std::size_t>(n);
    }
    return decompress_file(compression_->decompress, part.get(), each);
}

void ParkingFile::release(const Extent& extent) {
    if (extent.length == 0 || !fd_) return;
    parked_ -= extent.length;
    if (parked_ == 0) {  // nothing waits: start over from an empty file
        if (::ftruncate(fd_.get(), 0) == 0 && ::lseek(fd_.get(), 0, SEEK_SET) == 0) end_ = 0;
        return;
    }
    // Only whole pages: the extent may have been sendfile()d to a pipe that
    // still holds references to the file's page cache, and punching a hole
    // zeroes partial pages in place (under the reader's feet), while whole
    // pages are only dropped from the file.
    static const off_t page = ::sysconf(_SC_PAGESIZE) > 0 ? ::sysconf(_SC_PAGESIZE) : 4096;
    const off_t first = (extent.offset + page - 1) / page * page;
    const off_t last = (extent.offset + static_cast<off_t>(extent.length)) / page * page;
    if (last > first) {  // best effort: it only gives disk space back early
        ::fallocate(fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, first, last - first);
    }
}

}  // namespace wgrun
