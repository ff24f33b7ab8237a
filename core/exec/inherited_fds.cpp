// inherited_fds.cpp: /dev/null on closed standard fds; /proc/self/fd scanned
// for fds without close-on-exec.
#include "exec/inherited_fds.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "base/unique_fd.hpp"

namespace wgrun {
namespace {

// Open without close-on-exec: the caller wants its children to have it.
bool passed_on(int fd) {
    const int flags = ::fcntl(fd, F_GETFD);
    return flags >= 0 && (flags & FD_CLOEXEC) == 0;
}

}  // namespace

void ensure_standard_fds() {
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
        if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
        // The lowest free fd: `fd` itself, since the ones below it are open.
        const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
        if (opened >= 0 && opened != fd) {  // cannot happen; never leave it elsewhere
            const UniqueFd elsewhere(opened);
            ::dup2(elsewhere.get(), fd);
        }
    }
}

std::vector<int> inherited_fds() {
    std::vector<int> fds;
    if (DIR* dir = ::opendir("/proc/self/fd")) {  // its own fd is close-on-exec
        while (const dirent* entry = ::readdir(dir)) {
            char* end = nullptr;
            const long fd = std::strtol(entry->d_name, &end, 10);
            if (end == entry->d_name || *end != '\0' || fd <= STDERR_FILENO) continue;
            if (passed_on(static_cast<int>(fd))) fds.push_back(static_cast<int>(fd));
        }
        ::closedir(dir);
        std::sort(fds.begin(), fds.end());
        return fds;
    }
    rlimit files{};
    rlim_t limit = ::getrlimit(RLIMIT_NOFILE, &files) == 0 ? files.rlim_cur : 1024;
    if (limit > 65536) limit = 65536;
    for (int fd = STDERR_FILENO + 1; static_cast<rlim_t>(fd) < limit; ++fd) {
        if (passed_on(fd)) fds.push_back(fd);
    }
    return fds;
}

}  // namespace wgrun
