// output_buffer.cpp: memory first, then an unlinked spill file.
#include "output/output_buffer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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

// Makes the spill file and, with --compress, starts the compress program
// writing to it. Returns 0 or an errno; on failure there is no file.
int OutputBuffer::open_spill_file() {
    spill_fd_.reset(open_unlinked_temp(tmpdir_));
    if (!spill_fd_) return errno;
    if (compression_ != nullptr) {
        if (const int e = compressor_.start(compression_->compress, spill_fd_.get())) {
            spill_fd_.reset();
            return e;
        }
    }
    return 0;
}

int OutputBuffer::spill(std::string_view bytes) {
    if (!spill_fd_) {
        if (const int e = open_spill_file()) {
            // No fd to be had: the bytes stay in memory, past the limit,
            // rather than be lost; the next append() tries the file again.
            if (e == EMFILE || e == ENFILE) {
                memory_.append(bytes);
                return 0;
            }
            return e;
        }
    }
    if (compression_ != nullptr) {
        if (!compressor_.running()) {  // read back already: a second stream follows
            if (const int e = compressor_.start(compression_->compress, spill_fd_.get())) return e;
        }
        if (const int e = compressor_.write(bytes)) {
            problem_ = compressor_.finish();
            if (problem_.empty()) problem_ = "'" + compression_->compress + "' stopped reading";
            return e;
        }
        if (!bytes.empty()) last_spilled_ = static_cast<unsigned char>(bytes.back());
    } else if (const int e = write_all(spill_fd_.get(), bytes)) {
        return e;
    }
    spilled_ += bytes.size();
    return 0;
}

int OutputBuffer::seal() const {
    if (!compressor_.running()) return problem_.empty() ? 0 : EIO;
    problem_ = compressor_.finish();
    return problem_.empty() ? 0 : EIO;
}

ssize_t OutputBuffer::append_from_pipe(int fd, std::size_t max) {
    if (error_ != 0 || !spill_fd_ || splice_refused_ || compression_ != nullptr) {
        return kCannotSplice;
    }
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
    if (compression_ == nullptr) return copy_file_to(fd, spill_fd_.get(), 0, spilled_);
    if (seal() != 0) return -EIO;
    int write_error = 0;
    std::string problem = decompress_file(compression_->decompress, spill_fd_.get(),
                                          [&](std::string_view piece) {
                                              if (write_error == 0) write_error = write_all(fd, piece);
                                          });
    if (write_error != 0) return write_error;
    if (!problem.empty()) {
        problem_ = std::move(problem);
        return -EIO;
    }
    return 0;
}

int OutputBuffer::read_back(const std::function<void(std::string_view)>& each) const {
    if (!memory_.empty()) each(memory_);
    if (compression_ != nullptr && spilled_ > 0) {
        if (seal() != 0) return EIO;
        std::string problem = decompress_file(compression_->decompress, spill_fd_.get(), each);
        if (problem.empty()) return 0;
        problem_ = std::move(problem);
        return EIO;
    }
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

std::size_t OutputBuffer::stored_size() const {
    if (!compressed()) return size();
    if (seal() != 0) return memory_.size();
    struct stat info {};
    if (::fstat(spill_fd_.get(), &info) != 0) return memory_.size();
    return memory_.size() + static_cast<std::size_t>(info.st_size);
}

int OutputBuffer::write_stored_to(int fd) const {
    if (!compressed()) return write_to(fd);
    if (seal() != 0) return -EIO;
    if (const int e = write_all(fd, memory_)) return e;
    return copy_file_to(fd, spill_fd_.get(), 0, stored_size() - memory_.size());
}

int OutputBuffer::last_byte() const {
    if (spilled_ == 0) return memory_.empty() ? -1 : static_cast<unsigned char>(memory_.back());
    if (compression_ != nullptr) return last_spilled_;
    unsigned char last = 0;
    if (::pread(spill_fd_.get(), &last, 1, static_cast<off_t>(spilled_ - 1)) != 1) return -1;
    return last;
}

}  // namespace wgrun
