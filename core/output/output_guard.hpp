// output_guard.hpp: a hook around every write of job output to a destination
// (wgrun's stdout or stderr), for whoever shares those destinations with the
// jobs: the progress display (--bar, --eta) clears its line before job output
// reaches the terminal and keeps track of where the cursor is. Core knows
// nothing of terminals: only "before" and "after".
#pragma once

namespace wgrun {

class OutputGuard {
public:
    /// after_write()'s `last` when no byte is known to have been written.
    static constexpr int kNothingWritten = -1;

    virtual ~OutputGuard() = default;

    /// True when writes to `fd` must be guarded. OutputTarget then never
    /// splices to `fd` (the guard must see the bytes) and calls
    /// before_write() and after_write() around each write to it.
    virtual bool guards(int fd) const = 0;

    /// Bytes are about to be written to `fd`. Called from the thread that
    /// writes them (the scheduler's, or a BackgroundWriter's); that thread
    /// calls after_write() next, on every path, with no other before_write()
    /// in between. The guard may block here (hold a lock until after_write()).
    virtual void before_write(int fd) = 0;

    /// The write to `fd` is over: `last` is the last byte written (0-255),
    /// or kNothingWritten (nothing, or a failure that left it unknown).
    virtual void after_write(int fd, int last) = 0;
};

}  // namespace wgrun
