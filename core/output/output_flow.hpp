// output_flow.hpp: what the event loop asks of the output, apart from the
// job events it tells it (output_mode.hpp): where the bytes go (so that it
// waits for room there instead of in a write), whether the reader of stdout
// is gone, which job's pipe to read first, and when output written on a
// thread of the mode's own is out. Only the event loop uses it; an output
// mode hands out its own (OutputMode::flow()), and a decorator hands out
// its inner mode's unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "output/stream.hpp"

namespace wgrun {

/// All calls come from the event loop's thread.
class OutputFlow {
public:
    virtual ~OutputFlow() = default;

    /// True once a write to wgrun's own stdout failed with EPIPE: the reader
    /// is gone. The mode then drops stdout bytes quietly; the event loop
    /// stops starting jobs and ends the running ones.
    virtual bool stdout_closed() const = 0;

    /// The fd a stream's bytes go to, or -1 when the mode does not say.
    virtual int destination(Stream) const { return -1; }

    /// After this call, OutputMode::splice_from() no longer waits for a full
    /// destination: it returns kDestinationFull, and the caller waits for
    /// destination(stream) to become writable (so that an event loop can go
    /// on with other jobs meanwhile).
    virtual void splice_without_waiting() {}

    /// The job whose stdout the reader waits for (--keep-order's head), if
    /// any. While it has bytes to read, the others' stdout may wait in their
    /// pipes: copying them to spill files then would only take CPU time from
    /// the head and the reader.
    virtual std::optional<std::uint64_t> waited_for() const { return std::nullopt; }

    /// Delivery later. A mode that writes finished jobs' output on a thread
    /// of its own returns an fd here that becomes readable when
    /// take_written() has news (-1: the mode writes in finished() itself).
    /// Its finished() then returns only the problems it knows at once, and
    /// take_written() gives each job's write problems ("" when none) once its
    /// output is out; the event loop counts a job as done only then.
    virtual int written_fd() const { return -1; }
    virtual std::vector<std::pair<std::uint64_t, std::string>> take_written() { return {}; }
};

}  // namespace wgrun
