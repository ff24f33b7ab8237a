// report_path.hpp: what a report file named on the command line (--junit,
// --json) is, so that it is written the right way: a regular file may be
// replaced, a FIFO, a device or an open file descriptor is written into;
// and whether a directory for results (--results) can take files.
#pragma once

#include <string>

namespace wgrun {

struct ReportPath {
    enum class Kind {
        Missing,   // nothing there yet: a new file goes at `target`
        Regular,   // a regular file at `target`
        Special,   // a FIFO, a character or block device, a socket: write into it
        OpenFile,  // /dev/stdout, /dev/fd/N, /proc/PID/fd/N (a link in /proc to
                   // an open file): write into it, at its end
    };
    Kind kind = Kind::Missing;
    /// The path with the symlinks of its last component followed, one after
    /// the other (the symlinks themselves stay): for Missing and Regular
    /// the name to create or replace. For OpenFile, the path as given.
    std::string target;
};

/// Looks at `path`, following symlinks (at most 40) but not through a
/// link in /proc. Returns 0 or an errno: EISDIR for a directory (or a path
/// that ends with '/'), ELOOP, or what lstat(2) or readlink(2) said.
int resolve_report_path(const std::string& path, ReportPath& out);

/// Opens an existing Special or OpenFile path to write into: O_WRONLY,
/// O_APPEND (an open regular file gets the report after what it holds),
/// O_CLOEXEC. Blocks until a FIFO has a reader. Returns the fd, or -1 with
/// errno set.
int open_in_place(const std::string& path);

/// The directory part of `path`: "." for "x", "/" for "/x".
std::string directory_of(const std::string& path);

/// Whether `dir` can take new files, once created with its missing parents
/// (--results DIR): 0, or the errno that making them would meet. ENOTDIR
/// when DIR, or the first of its parents that exists, is no directory;
/// EACCES or EROFS when that one cannot take entries; what stat(2) said
/// otherwise. Creates nothing.
int output_dir_error(const std::string& dir);

}  // namespace wgrun
