// unread_input.cpp: fstat, then the offset against the size (files) or
// FIONREAD (pipes, FIFOs, sockets).
#include "input/unread_input.hpp"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wgrun {

bool holds_unread_input(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) return false;
    if (S_ISREG(info.st_mode)) {
        const off_t offset = ::lseek(fd, 0, SEEK_CUR);
        return offset >= 0 && offset < info.st_size;
    }
    if (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode)) {
        int waiting = 0;
        return ::ioctl(fd, FIONREAD, &waiting) == 0 && waiting > 0;
    }
    return false;
}

}  // namespace wgrun
