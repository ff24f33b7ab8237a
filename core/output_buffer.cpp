// output_buffer.cpp: memory first, then an unlinked spill file.
#include "output_buffer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "write_all.hpp"

namespace wgrun {
namespace {

// An unnamed file in `dir`: O_TMPFILE where the file system has it, else a
// named one unlinked at once.
int open_unlinked(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
    std::string name = dir + "/wgrun-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
    return fd;
}

}  // namespace

OutputBuffer::~OutputBuffer() {
    if (spill_fd_ >= 0) ::close(spill_fd_);
}

int OutputBuffer::append(std::string_view bytes) {
    if (error_ != 0) return error_;
    if (spill_fd_ < 0) {
        const std::size_t room = kMemoryLimit - memory_.size();
        const std::size_t keep = bytes.size() < room ? bytes.size() : room;
        memory_.append(bytes.data(), keep);
        bytes.remove_prefix(keep);
        if (bytes.empty()) return 0;
    }
    error_ = spill(bytes);
    return error_;
}

int OutputBuffer::spill(std::string_view bytes) {
    if (spill_fd_ < 0) {
        spill_fd_ = open_unlinked(tmpdir_);
        if (spill_fd_ < 0) return errno;
    }
    if (const int e = write_all(spill_fd_, bytes)) return e;
    spilled_ += bytes.size();
    return 0;
}

int OutputBuffer::write_to(int fd) const {
    if (const int e = write_all(fd, memory_)) return e;
    if (spilled_ == 0) return 0;
    return copy_file_to(fd, spill_fd_, 0, spilled_);
}

}  // namespace wgrun
