// temp_file.hpp: files for output that does not fit in memory, with no name
// left behind at any moment, so that kill -9 of wgrun leaves nothing; and
// files written under no name that get one only once they are complete.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace wgrun {

/// Opens a new, nameless file for reading and writing in `dir`: O_TMPFILE
/// where the file system has it, else a named file unlinked at once.
/// O_CLOEXEC. Returns the fd, which the caller owns (UniqueFd), or -1 with
/// errno set.
int open_unlinked_temp(const std::string& dir);

/// A new file that is written first and named once it is complete, so that
/// no reader ever sees it half written (--junit's report, --results' files).
/// With O_TMPFILE it has no name until then: a wgrun killed meanwhile leaves
/// nothing. Where the file system lacks O_TMPFILE it is created under a
/// hidden name, DIR/.HINT.wgrun-PID-N, which a killed wgrun leaves behind.
/// Not thread-safe; movable.
class StagedFile {
public:
    StagedFile() = default;
    ~StagedFile() { discard(); }
    StagedFile(StagedFile&& other) noexcept { *this = std::move(other); }
    StagedFile& operator=(StagedFile&& other) noexcept;
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;

    /// Opens a new file for writing in `dir` (mode 0666 less the umask,
    /// O_CLOEXEC); `hint` is part of its hidden name, if it needs one.
    /// Returns 0 or an errno.
    int open(const std::string& dir, const std::string& hint);
    /// The fd to write to; -1 when not open.
    int fd() const { return fd_.get(); }

    /// Gives the file the name `path` in the same file system, which must
    /// not exist yet (EEXIST otherwise), and closes it. Returns 0 or an
    /// errno (a late write error from close() too); on failure the file is
    /// discarded.
    int link_and_close(const std::string& path);
    /// Puts the file at `path` in one rename(2), replacing what is there
    /// (a symlink itself, not its target), and closes it. Returns 0 or an
    /// errno; on failure `path` is as it was and the file is discarded.
    int replace(const std::string& path);
    /// Closes the file and removes its hidden name, if it has one.
    void discard();

private:
    int give_hidden_name();
    UniqueFd fd_;
    std::string dir_;
    std::string hint_;
    std::string name_;  // its hidden name; empty while it has none
};

/// A name for a new file or directory in `dir` that nothing else uses:
/// DIR/.HINT.wgrun-PID-N, N counting per process.
std::string hidden_name(const std::string& dir, const std::string& hint);

}  // namespace wgrun
