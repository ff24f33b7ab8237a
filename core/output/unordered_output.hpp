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
#include "output/output_mode.hpp"

namespace wgrun {

class UnorderedOutput : public OutputMode {
public:
    /// Jobs' stdout goes to `out_fd`, their stderr to `err_fd`; spill files
    /// go to `tmpdir`. `live`: write bytes as they come (else when the job
    /// finishes); `line_buffered`: whole lines only.
    /// `background` (captured jobs only): finished jobs are written by a
    /// BackgroundWriter, not by finished() itself.
    /// `guard`, if any, is told of every write to the destinations.
    UnorderedOutput(int out_fd, int err_fd, std::string tmpdir, TagFormat tags, bool live,
                    bool line_buffered, bool background = false, OutputGuard* guard = nullptr);

    /// Tells `ledger` of the bytes each job holds (see output_ledger.hpp).
    void keep_ledger(OutputLedger* ledger) { shared_.ledger = ledger; }

    void started(const JobStart& job) override;
    /// Nothing to do: no job waits for another here.
    void skipped(std::uint64_t) override {}
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;
    bool stdout_closed() const override { return shared_.target.stdout_closed(); }
    void splice_without_waiting() override { shared_.target.wait_for_room(false); }
    int destination(Stream stream) const override { return shared_.target.fd(stream); }
    int written_fd() const override { return writer_ ? writer_->event_fd() : -1; }
    std::vector<std::pair<std::uint64_t, std::string>> take_written() override {
        return writer_ ? writer_->take_written() : decltype(writer_->take_written()){};
    }

private:
    OutputShared shared_;
    bool live_;
    std::unordered_map<std::uint64_t, std::unique_ptr<JobStreams>> jobs_;
    std::unique_ptr<BackgroundWriter> writer_;  // last: joined before the jobs go
};

}  // namespace wgrun
