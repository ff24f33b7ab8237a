// output_mode.hpp: what happens to the bytes jobs write. Every mode (grouped,
// keep-order, line-buffered, ungrouped, with or without tags) is one
// OutputMode; --results adds a tee around any of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "results/exit_status.hpp"
#include "output/splice_pipe.hpp"

namespace wgrun {

enum class Stream { Out, Err };

/// What an output mode is told of a job as it starts.
struct JobStart {
    std::uint64_t seq = 0;
    std::uint64_t slot = 0;
    const std::vector<std::string>* args = nullptr;  // the input values (or the command)
    const std::string* command = nullptr;            // as shown to the user
};

/// The scheduler's calls for each job, in this order: started(), any number
/// of output() (or splice_from()) calls as bytes arrive from either stream,
/// then finished() once both streams are closed and the job has ended. Every
/// job number from 1 up is started exactly once, in increasing order (a job
/// that cannot start is still started, given its error message on
/// Stream::Err, and finished). All calls come from the scheduler's thread.
class OutputMode {
public:
    virtual ~OutputMode() = default;
    virtual void started(const JobStart& job) = 0;
    /// Job `seq` is left out of this run (--resume): in place of started()
    /// and finished(), so that the numbers still come in order. By default
    /// a job with no output.
    virtual void skipped(std::uint64_t seq) {
        static const std::vector<std::string> no_args;
        static const std::string no_command;
        started(JobStart{seq, 0, &no_args, &no_command});
        finished(seq, ExitStatus{});
    }
    virtual void output(std::uint64_t seq, Stream stream, std::string_view bytes) = 0;
    /// The fast path of output(): moves bytes of job `seq`'s `stream` straight
    /// from `fd` (the job's pipe, O_NONBLOCK) to where they go, without
    /// copying them through user space, when the mode would pass them on
    /// untouched. Returns the bytes moved (> 0), 0 at end of file, -1 with
    /// errno set (EAGAIN: nothing to read now), or kCannotSplice when the
    /// bytes must be read and given to output() instead (the default). Any
    /// failure to deliver is kCannotSplice too, so that output() meets it and
    /// reports it as it always does.
    virtual ssize_t splice_from(std::uint64_t, Stream, int) { return kCannotSplice; }
    /// After this call, splice_from() no longer waits for a full
    /// destination: it returns kDestinationFull, and the caller waits for
    /// destination(stream) to become writable (so that an event loop can go
    /// on with other jobs meanwhile).
    virtual void splice_without_waiting() {}
    /// The fd a stream's bytes go to, or -1 when the mode does not say.
    virtual int destination(Stream) const { return -1; }
    /// The job whose stdout the reader waits for (--keep-order's head), if
    /// any. While it has bytes to read, the others' stdout may wait in their
    /// pipes: copying them to spill files then would only take CPU time from
    /// the head and the reader.
    virtual std::optional<std::uint64_t> waited_for() const { return std::nullopt; }
    /// Returns why the job's output was not delivered whole ("output lost:
    /// ..."), or an empty string when all of it was (or will be, for a job
    /// whose turn has not come under --keep-order).
    virtual std::string finished(std::uint64_t seq, const ExitStatus& status) = 0;
    /// True once a write to wgrun's own stdout failed with EPIPE: the reader
    /// is gone. The mode then drops stdout bytes quietly; the scheduler stops
    /// starting jobs and ends the running ones.
    virtual bool stdout_closed() const = 0;
    /// Delivery later. A mode that writes finished jobs' output on a thread
    /// of its own returns an fd here that becomes readable when
    /// take_written() has news (-1: the mode writes in finished() itself).
    /// Its finished() then returns only the problems it knows at once, and
    /// take_written() gives each job's write problems ("" when none) once its
    /// output is out; the scheduler counts a job as done only then.
    virtual int written_fd() const { return -1; }
    virtual std::vector<std::pair<std::uint64_t, std::string>> take_written() { return {}; }
};

}  // namespace wgrun
