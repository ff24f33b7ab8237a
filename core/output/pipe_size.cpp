// pipe_size.cpp: F_SETPIPE_SZ, within a budget.
#include "output/pipe_size.hpp"

#include <fcntl.h>
#include <sys/stat.h>

namespace wgrun {

std::size_t job_pipe_size(std::uint64_t jobs) {
    if (jobs == 0) return kDefaultPipe;
    std::size_t size = kBigPipe;
    while (size > kDefaultPipe && size * jobs > kJobPipeBudget) size /= 2;
    return size;
}

std::size_t grow_pipe(int fd, std::size_t size) {
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISFIFO(info.st_mode)) return 0;
    const int now = ::fcntl(fd, F_GETPIPE_SZ);
    if (now < 0) return 0;
    if (static_cast<std::size_t>(now) >= size) return static_cast<std::size_t>(now);
    const int grown = ::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(size));
    return static_cast<std::size_t>(grown > 0 ? grown : now);
}

}  // namespace wgrun
