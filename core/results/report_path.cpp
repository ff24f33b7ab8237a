// report_path.cpp: lstat(2) and readlink(2) along the last component's
// symlinks; statfs(2) to tell /proc's links to open files.
#include "results/report_path.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>

namespace wgrun {
namespace {

bool on_procfs(const std::string& dir) {
    struct statfs info {};
    return ::statfs(dir.c_str(), &info) == 0 && info.f_type == PROC_SUPER_MAGIC;
}

}  // namespace

std::string directory_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    std::size_t end = slash;
    while (end > 0 && path[end - 1] == '/') --end;
    return end == 0 ? "/" : path.substr(0, end);
}

int resolve_report_path(const std::string& path, ReportPath& out) {
    if (path.empty()) return ENOENT;
    if (path.back() == '/') return EISDIR;
    std::string current = path;
    for (int links = 0; links <= 40; ++links) {
        struct stat info {};
        if (::lstat(current.c_str(), &info) != 0) {
            if (errno != ENOENT) return errno;
            out = {ReportPath::Kind::Missing, current};
            return 0;
        }
        if (S_ISREG(info.st_mode)) {
            out = {ReportPath::Kind::Regular, current};
            return 0;
        }
        if (S_ISDIR(info.st_mode)) return EISDIR;
        if (!S_ISLNK(info.st_mode)) {
            out = {ReportPath::Kind::Special, current};
            return 0;
        }
        const std::string dir = directory_of(current);
        if (on_procfs(dir)) {
            // Not a path to follow but an open file ("pipe:[123]", a
            // deleted file, one in another mount namespace): open() it.
            if (::stat(current.c_str(), &info) != 0) return errno;
            if (S_ISDIR(info.st_mode)) return EISDIR;
            out = {ReportPath::Kind::OpenFile, path};
            return 0;
        }
        std::string link(static_cast<std::size_t>(info.st_size > 0 ? info.st_size : 255) + 1, '\0');
        for (;;) {
            const ssize_t n = ::readlink(current.c_str(), link.data(), link.size());
            if (n < 0) return errno;
            if (static_cast<std::size_t>(n) < link.size()) {
                link.resize(static_cast<std::size_t>(n));
                break;
            }
            link.resize(link.size() * 2);
        }
        if (link.empty()) return ENOENT;
        if (link.back() == '/') return EISDIR;
        current = link.front() == '/' ? link : dir + "/" + link;
    }
    return ELOOP;
}

int output_dir_error(const std::string& dir) {
    if (dir.empty()) return ENOENT;
    // Up from DIR to the first that exists: the one the next mkdir (or the
    // first file) goes in.
    std::string path = dir;
    for (;;) {
        struct stat info {};
        if (::stat(path.c_str(), &info) == 0) {
            if (!S_ISDIR(info.st_mode)) return ENOTDIR;
            return ::faccessat(AT_FDCWD, path.c_str(), W_OK | X_OK, AT_EACCESS) == 0 ? 0 : errno;
        }
        if (errno != ENOENT) return errno;  // ENOTDIR: a file on the way
        std::string parent = directory_of(path);
        if (parent == path) return ENOENT;
        path = std::move(parent);
    }
}

int open_in_place(const std::string& path) {
    return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
}

}  // namespace wgrun
