// unordered_output.hpp: the output modes without --keep-order: each job
// writes on its own, in the order things happen. Captured jobs (--group)
// write everything when they finish; live jobs (--ungroup, --line-buffer)
// write as their bytes come.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "output/background_writer.hpp"
#include "output/job_streams.hpp"
#include "output/output_flow.hpp"
#include "output/output_mode.hpp"

namespace wgrun {

/// How jobs' bytes are passed on.
enum class Grouping {
    /// --group, the default: each job's stdout and stderr are written whole
    /// when it ends, never mixed with another job's.
    Group,
    /// --line-buffer: jobs' output is written while they run, one whole line
    /// at a time, so a line is never split or mixed with another job's. A
    /// job's last line without newline is written when it ends. A partial
    /// line is kept in memory up to OutputBuffer::kMemoryLimit per stream,
    /// then in a spill file: a long binary "line" costs disk, not memory.
    LineBuffer,
    /// -u/--ungroup: jobs' bytes are written as soon as they arrive, so lines
    /// of different jobs may mix (even within a line, when a job writes a
    /// line in pieces). With tags the prefix is put at each line start of
    /// each job and stream as it comes: best effort, since a line that
    /// arrives in pieces may be cut by another job's bytes.
    Ungroup,
};

/// The mode is its own flow control.
class UnorderedOutput final : public OutputMode, public OutputFlow {
public:
    /// Jobs' stdout goes to `out_fd`, their stderr to `err_fd`; spill files
    /// go to `tmpdir`. With `tags` enabled every line is prefixed.
    /// `background` (Grouping::Group only): finished jobs are written by a
    /// BackgroundWriter, not by finished() itself (see
    /// OutputFlow::written_fd()), so that the event loop never waits for
    /// the reader.
    /// `guard`, if any, is told of every write to the destinations.
    UnorderedOutput(Grouping grouping, int out_fd, int err_fd, std::string tmpdir,
                    TagFormat tags = {}, bool background = false, OutputGuard* guard = nullptr);

    /// Tells `ledger` of the bytes each job holds (see output_ledger.hpp).
    void keep_ledger(OutputLedger* ledger) { shared_.ledger = ledger; }
    /// --compress: spill files hold their bytes compressed.
    void compress_spills(std::shared_ptr<const Compression> compression) {
        shared_.compression = std::move(compression);
    }
    Grouping grouping() const { return grouping_; }

    // The job events.
    void started(const JobStart& job) override;
    /// Nothing to do: no job waits for another here.
    void skipped(std::uint64_t) override {}
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;
    OutputFlow& flow() override { return *this; }

    // The flow control.
    bool stdout_closed() const override { return shared_.target.stdout_closed(); }
    void splice_without_waiting() override { shared_.target.wait_for_room(false); }
    int destination(Stream stream) const override { return shared_.target.fd(stream); }
    int written_fd() const override { return writer_ ? writer_->event_fd() : -1; }
    std::vector<std::pair<std::uint64_t, std::string>> take_written() override {
        return writer_ ? writer_->take_written() : decltype(writer_->take_written()){};
    }

private:
    Grouping grouping_;
    OutputShared shared_;
    bool live_;
    std::unordered_map<std::uint64_t, std::unique_ptr<JobStreams>> jobs_;
    std::unique_ptr<BackgroundWriter> writer_;  // last: joined before the jobs go
};

}  // namespace wgrun
