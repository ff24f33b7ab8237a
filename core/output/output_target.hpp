// output_target.hpp: the two destinations every output mode writes to (the
// jobs' stdout and stderr go to their own fds), and what a failed write is
// called. Once the reader of stdout is gone (EPIPE), stdout bytes are
// dropped quietly.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include "output/output_buffer.hpp"
#include "output/output_guard.hpp"
#include "output/output_mode.hpp"

namespace wgrun {

class OutputTarget {
public:
    /// With a `guard`, every write to a destination it guards() is told to
    /// it (before and after), and such a destination is never spliced to.
    OutputTarget(int out_fd, int err_fd, OutputGuard* guard = nullptr)
        : out_fd_(out_fd), err_fd_(err_fd), guard_(guard) {}

    int fd(Stream stream) const { return stream == Stream::Out ? out_fd_ : err_fd_; }

    /// True once a write to stdout failed with EPIPE.
    bool stdout_closed() const { return stdout_closed_.load(std::memory_order_relaxed); }

    /// Each writes to the destination of `stream` and returns 0 or an errno:
    /// positive for the destination, negative for a failed read of a file
    /// (a spill file, the parking file). EPIPE on stdout sets
    /// stdout_closed() and returns 0; after that, stdout bytes are dropped
    /// and 0 is returned.
    int write(Stream stream, std::string_view bytes);
    /// Everything `buffer` kept (not its append error(): the caller's).
    int write(Stream stream, const OutputBuffer& buffer);
    /// `length` bytes of the regular file `from` at `offset`.
    int copy(Stream stream, int from, off_t offset, std::size_t length);

    /// Up to `max` bytes from the pipe `from` (O_NONBLOCK), spliced to the
    /// destination of `stream`: the bytes moved, 0 at end of file, -1 with
    /// errno EAGAIN when `from` is empty, or kCannotSplice when they must be
    /// read and written instead: stdout is closed (they are dropped), the
    /// destination refuses splice(2) (then every later call says so), or the
    /// splice failed (EPIPE, ENOSPC: the write meets the failure and reports
    /// it as usual). Never drops or loses a byte itself.
    /// After wait_for_room(false), a full destination makes it return
    /// kDestinationFull instead of waiting.
    ssize_t splice_from(Stream stream, int from, std::size_t max);
    void wait_for_room(bool wait) { wait_for_room_ = wait; }

private:
    bool dropped(Stream stream) const { return stream == Stream::Out && stdout_closed(); }
    int settle(Stream stream, int error);
    OutputGuard* guard_for(Stream stream) const;

    int out_fd_;
    int err_fd_;
    OutputGuard* guard_;  // null: nobody shares the destinations
    // Set by whichever thread writes stdout (see background_writer.hpp),
    // read by the event loop: a flag with no data behind it.
    std::atomic<bool> stdout_closed_{false};
    bool splice_refused_[2] = {false, false};  // by stream: stdout, stderr
    bool wait_for_room_ = true;
};

/// "output lost: <what>: <strerror(|error|)>".
std::string output_lost(std::string_view what, int error);

/// The problem for an error returned by OutputTarget: "output lost: cannot
/// write stdout: ..." (or stderr), or "... cannot read the spill file: ..."
/// for a negative one.
std::string write_lost(Stream stream, int error);

}  // namespace wgrun
