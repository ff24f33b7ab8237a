// job_stdin.hpp: what a job reads on its standard input when wgrun gives it
// one (--pipe's blocks, --round-robin's stream, --tee's copy): a source of
// bytes that a writer moves into the job's stdin pipe, one writer per
// attempt, so that a retried job reads the same bytes again. Without one a
// job's stdin is /dev/null.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace wgrun {

/// One attempt's progress through its bytes. Used by one thread (the
/// StdinFeeder's); never blocks.
class StdinWriter {
public:
    enum class Step {
        Done,     // everything is in: close the pipe
        Blocked,  // the pipe is full: call again when it is writable
        Waiting,  // no bytes to give yet (a shared stream): call again after wake()
        Broken,   // the reader is gone (EPIPE) or a read failed: close the pipe
    };
    virtual ~StdinWriter() = default;
    /// Moves what it can into `fd` (non-blocking), without blocking.
    virtual Step write_to(int fd) = 0;
};

class JobStdin {
public:
    virtual ~JobStdin() = default;
    /// A writer from the first byte. `wake` may be called from any thread
    /// when a Waiting writer may go on; it outlives the writer.
    virtual std::unique_ptr<StdinWriter> writer(std::function<void()> wake) const = 0;
};

}  // namespace wgrun
