// output_buffer.cpp: memory first, then an unlinked spill file.
#include "output/output_buffer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>

#include "output/splice_pipe.hpp"
#include "base/temp_file.hpp"
#include "base/write_all.hpp"

namespace wgrun {

int OutputBuffer::append(std::string_view bytes) {
    if (error_ != 0) return error_;
    if (!spill_fd_) {
        const std::size_t room = memory_.size() < kMemoryLimit ? kMemoryLimit - memory_.size() : 0;
        const std::size_t keep = bytes.size() < room ? bytes.size() : room;
        memory_.append(bytes.data(), keep);
        bytes.remove_prefix(keep);
        if (bytes.empty()) return 0;
    }
    error_ = spill(bytes);
    return error_;
}

int OutputBuffer::spill(std::string_view bytes) {
    if (!spill_fd_) {
        spill_fd_.reset(open_unlinked_temp(tmpdir_));
        if (!spill_fd_) {
            // No fd to be had: the bytes stay in memory, past the limit,
            // rather than be lost; the next append() tries the file again.
            if (errno == EMFILE || errno == ENFILE) {
                memory_.append(bytes);
                return 0;
            }
            return errno;
        }
    }
    if (const int e = write_all(spill_fd_.get(), bytes)) return e;
    spilled_ += bytes.size();
    return 0;
}

ssize_t OutputBuffer::append_from_pipe(int fd, std::size_t max) {
    if (error_ != 0 || !spill_fd_ || splice_refused_) return kCannotSplice;
    // No offset: the spill file's position moves on, as with append()'s writes.
    const ssize_t n = splice_pipe(fd, spill_fd_.get(), max);
    if (n >= 0) {
        spilled_ += static_cast<std::size_t>(n);
        return n;
    }
    if (errno == EAGAIN) return -1;
    if (splice_refused(errno)) splice_refused_ = true;
    return kCannotSplice;
}

int OutputBuffer::write_to(int fd) const {
    if (const int e = write_all(fd, memory_)) return e;
    if (spilled_ == 0) return 0;
    return copy_file_to(fd, spill_fd_.get(), 0, spilled_);
}

int OutputBuffer::read_back(const std::function<void(std::string_view)>& each) const {
    if (!memory_.empty()) each(memory_);
    std::string piece(std::min<std::size_t>(spilled_, std::size_t{64} << 10), '\0');
    for (std::size_t at = 0; at < spilled_;) {
        const ssize_t n = ::pread(spill_fd_.get(), piece.data(),
                                  std::min(piece.size(), spilled_ - at), static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return EIO;  // the file is shorter than what was kept
        each(std::string_view(piece.data(), static_cast<std::size_t>(n)));
        at += static_cast<std::size_t>(n);
    }
    return 0;
}

int OutputBuffer::last_byte() const {
    if (spilled_ == 0) return memory_.empty() ? -1 : static_cast<unsigned char>(memory_.back());
    unsigned char last = 0;
    if (::pread(spill_fd_.get(), &last, 1, static_cast<off_t>(spilled_ - 1)) != 1) return -1;
    return last;
}

}  // namespace wgrun
