// output_mode.hpp: what happens to the bytes jobs write. Every mode (grouped,
// keep-order, line-buffered, ungrouped, with or without tags) is one
// OutputMode; --ci github and --results decorate any of them
// (output_decorator.hpp). A mode hears of jobs here; the event loop's flow
// control (where the bytes go, whether the reader is gone, ...) is apart, in
// the OutputFlow the mode hands out.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "output/output_flow.hpp"
#include "output/splice_pipe.hpp"
#include "output/stream.hpp"
#include "results/exit_status.hpp"

namespace wgrun {

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
    /// Job `seq` is left out of this run (--resume, or another shard's under
    /// --shard): in place of started() and finished(), so that the numbers
    /// still come in order. By default a job with no output.
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
    /// errno set (EAGAIN: nothing to read now), kDestinationFull (see
    /// OutputFlow::splice_without_waiting()), or kCannotSplice when the
    /// bytes must be read and given to output() instead (the default). Any
    /// failure to deliver is kCannotSplice too, so that output() meets it and
    /// reports it as it always does.
    virtual ssize_t splice_from(std::uint64_t, Stream, int) { return kCannotSplice; }
    /// Job `seq`'s attempt failed and its next attempt has just started
    /// (--retries): GNU writes only the last attempt's output. Returns the
    /// bytes of the attempts so far the mode dropped; by default none (the
    /// output stays, as under -u and --line-buffer, where it is out
    /// already). The job's next output() calls are the new attempt's. A
    /// retry that never starts (the run stops) brings no call: the job then
    /// finishes with the output of the attempt that did run.
    virtual std::uint64_t retrying(std::uint64_t) { return 0; }
    /// Returns why the job's output was not delivered whole ("output lost:
    /// ..."), or an empty string when all of it was (or will be, for a job
    /// whose turn has not come under --keep-order, or one written later, see
    /// OutputFlow::written_fd()).
    virtual std::string finished(std::uint64_t seq, const ExitStatus& status) = 0;
    /// The flow control of this mode, for the event loop alone; it lives as
    /// long as the mode.
    virtual OutputFlow& flow() = 0;
};

}  // namespace wgrun
