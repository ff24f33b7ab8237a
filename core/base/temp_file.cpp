// temp_file.cpp: O_TMPFILE, or mkostemp + unlink; staged files named by
// linkat(2) through /proc/self/fd, or created under a hidden name.
#include "base/temp_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace wgrun {
namespace {

bool lacks_tmpfile(int error) {
    return error == EOPNOTSUPP || error == EISDIR || error == EINVAL;
}

}  // namespace

int open_unlinked_temp(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || !lacks_tmpfile(errno)) return fd;
    std::string name = dir + "/wgrun-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
    return fd;
}

std::string hidden_name(const std::string& dir, const std::string& hint) {
    static std::atomic<unsigned long> counter{0};
    return dir + "/." + hint + ".wgrun-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
    if (this != &other) {
        discard();
        fd_ = std::move(other.fd_);
        dir_ = std::move(other.dir_);
        hint_ = std::move(other.hint_);
        name_ = std::move(other.name_);
        other.name_.clear();
    }
    return *this;
}

int StagedFile::open(const std::string& dir, const std::string& hint) {
    discard();
    dir_ = dir;
    hint_ = hint;
    // Without O_EXCL, so that linkat() can name it later.
    fd_.reset(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
    if (fd_) return 0;
    if (!lacks_tmpfile(errno)) return errno;
    for (int tries = 0; tries < 100; ++tries) {
        std::string name = hidden_name(dir, hint);
        fd_.reset(::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
        if (fd_) {
            name_ = std::move(name);
            return 0;
        }
        if (errno != EEXIST) return errno;
    }
    return EEXIST;
}

void StagedFile::discard() {
    fd_.reset();
    if (!name_.empty()) ::unlink(name_.c_str());
    name_.clear();
}

// Names a nameless file: through /proc/self/fd (any user), else with
// AT_EMPTY_PATH (which needs CAP_DAC_READ_SEARCH) where /proc is missing.
static int link_fd(int fd, const std::string& path) {
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) == 0) return 0;
    const int error = errno;
    if (error == ENOENT && ::linkat(fd, "", AT_FDCWD, path.c_str(), AT_EMPTY_PATH) == 0) return 0;
    return error;
}

int StagedFile::give_hidden_name() {
    if (!name_.empty()) return 0;
    if (!fd_) return EBADF;
    for (int tries = 0; tries < 100; ++tries) {
        std::string name = hidden_name(dir_, hint_);
        const int error = link_fd(fd_.get(), name);
        if (error == 0) {
            name_ = std::move(name);
            return 0;
        }
        if (error != EEXIST) return error;
    }
    return EEXIST;
}

int StagedFile::link_and_close(const std::string& path) {
    int error = 0;
    if (name_.empty()) {
        error = !fd_ ? EBADF : link_fd(fd_.get(), path);
    } else if (::link(name_.c_str(), path.c_str()) == 0) {
        ::unlink(name_.c_str());
        name_.clear();
    } else {
        error = errno;
    }
    // NFS reports late write errors at close().
    if (const int e = fd_.close(); error == 0 && e != 0) {
        ::unlink(path.c_str());
        error = e;
    }
    if (error != 0) discard();
    return error;
}

int StagedFile::replace(const std::string& path) {
    int error = give_hidden_name();
    if (const int e = fd_.close(); error == 0) error = e;
    if (error == 0 && ::rename(name_.c_str(), path.c_str()) != 0) error = errno;
    if (error == 0) {
        name_.clear();
    } else {
        discard();
    }
    return error;
}

}  // namespace wgrun
