// keep_order_output.hpp: -k/--keep-order, with --group or --line-buffer:
// jobs' output comes out in job-number order whatever order they finish in,
// without a head-of-line stall.
//
// The oldest job not yet written (the head) writes live: raw bytes as they
// come (--group), or whole lines (--line-buffer). Later jobs are captured
// (JobStreams, at most 1 MiB of memory each, then spill files). The first
// kKeptFinished later jobs that finish before their turn keep their buffers
// (their bytes are then copied to disk once, not twice); any more are
// parked: their captured bytes are moved to one shared ParkingFile and each
// keeps only two extents, no memory and no fd, however many wait. If parking
// fails (a full disk) a job keeps its buffers instead, which is still
// correct. When the head finishes, the following jobs that already
// finished are written whole in order, then the next unfinished job becomes
// the head: what it captured is written and it writes live from then on.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "output/job_streams.hpp"
#include "output/output_flow.hpp"
#include "output/output_mode.hpp"
#include "output/parking_file.hpp"

namespace wgrun {

/// The mode is its own flow control.
class KeepOrderOutput final : public OutputMode, public OutputFlow {
public:
    /// Jobs' stdout goes to `out_fd`, their stderr to `err_fd`; spill files
    /// and the parking file go to `tmpdir`.
    /// `guard`, if any, is told of every write to the destinations.
    KeepOrderOutput(int out_fd, int err_fd, std::string tmpdir, TagFormat tags,
                    bool line_buffered, OutputGuard* guard = nullptr);

    /// Finished jobs waiting for their turn with their buffers, at most.
    static constexpr std::size_t kKeptFinished = 8;

    /// Tells `ledger` of the bytes each job holds (see output_ledger.hpp).
    void keep_ledger(OutputLedger* ledger) { shared_.ledger = ledger; }
    /// --compress: spill files and the parking file hold their bytes
    /// compressed.
    void compress_spills(std::shared_ptr<const Compression> compression) {
        shared_.compression = compression;
        parking_.compress_with(std::move(compression));
    }
    /// Bytes in the parking file now.
    std::size_t parked_bytes() const { return parking_.parked(); }

    // The job events.
    /// Jobs must be started with consecutive numbers (the first may be any);
    /// throws std::logic_error otherwise.
    void started(const JobStart& job) override;
    /// A finished entry with nothing to write: no memory beyond the entry,
    /// none for the next ones skipped in a row (one entry stands for them
    /// all: the jobs of other shards under --shard), and none at all when
    /// no job waits (the next may have any number).
    void skipped(std::uint64_t seq) override;
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override;
    /// For the head: its own problem, or else the first problem in writing
    /// the finished jobs after it, named by job number ("output lost: job 5:
    /// cannot write stdout: ..."): those jobs' finished() calls have returned
    /// already, so the loss is reported here, not against them. For any
    /// other job: its problems so far (keeping its bytes).
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;
    OutputFlow& flow() override { return *this; }

    // The flow control.
    bool stdout_closed() const override { return shared_.target.stdout_closed(); }
    void splice_without_waiting() override { shared_.target.wait_for_room(false); }
    int destination(Stream stream) const override { return shared_.target.fd(stream); }
    /// The head, while it runs.
    std::optional<std::uint64_t> waited_for() const override {
        if (waiting_.empty() || waiting_.front().finished) return std::nullopt;
        return waiting_.front().seq;
    }

private:
    struct Entry {
        std::uint64_t seq = 0;
        std::uint64_t last = 0;               // the last number it stands for (skipped: seq ... last)
        bool skipped = false;                 // left out: nothing to write
        std::unique_ptr<JobStreams> streams;  // null once parked
        bool finished = false;
        ParkingFile::Extent out;              // parked stdout, stderr
        ParkingFile::Extent err;
    };

    Entry& entry(std::uint64_t seq);
    void park(Entry& entry);
    std::string write_parked(const Entry& entry);
    std::string advance();

    OutputShared shared_;
    ParkingFile parking_;
    std::deque<Entry> waiting_;  // every job not yet written whole; the front is the head
    std::size_t kept_finished_ = 0;  // finished entries that still have their streams
};

}  // namespace wgrun
