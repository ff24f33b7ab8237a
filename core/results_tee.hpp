// results_tee.hpp: --results DIR. A decorator around any output mode that
// also saves each job's stdout, stderr and exit status under DIR/<seq>/,
// written atomically: DIR/<seq> appears whole or not at all.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "output_mode.hpp"

namespace wgrun {

/// Forwards every call to `inner` unchanged and saves each job to
///   DIR/<seq>/stdout   the job's stdout, byte for byte
///   DIR/<seq>/stderr   the job's stderr, byte for byte
///   DIR/<seq>/status   ExitStatus::shell_code() and a newline ("0\n", "137\n")
/// While a job runs its files live in the hidden DIR/.<seq>.partial (written
/// through, no buffering; two open fds per running job); finished() renames
/// the whole directory to DIR/<seq> in one step, replacing one left by an
/// earlier run. A job that never finishes (wgrun killed) leaves only the
/// dot-named partial directory, which a later run replaces.
///
/// Failures (a full disk, no permission, DIR is a file) never throw: the
/// job's finished() returns "results not saved: DIR/<seq>: <strerror>"
/// (after the inner problem and "; " when there is one), and the partial
/// directory is removed, so no incomplete DIR/<seq> is ever visible.
class ResultsTee : public OutputMode {
public:
    /// DIR is created (with its parents, mode 0777 less the umask) as jobs
    /// start, if missing.
    ResultsTee(std::unique_ptr<OutputMode> inner, std::string dir);
    ~ResultsTee() override;
    ResultsTee(const ResultsTee&) = delete;
    ResultsTee& operator=(const ResultsTee&) = delete;

    void started(const JobStart& job) override;
    /// Passed on: a job left out keeps what an earlier run saved for it.
    void skipped(std::uint64_t seq) override { inner_->skipped(seq); }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    /// Never: the tee needs the bytes itself, so they are read and output().
    ssize_t splice_from(std::uint64_t, Stream, int) override { return kCannotSplice; }
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;
    bool stdout_closed() const override { return inner_->stdout_closed(); }
    int written_fd() const override { return inner_->written_fd(); }
    void splice_without_waiting() override { inner_->splice_without_waiting(); }
    int destination(Stream stream) const override { return inner_->destination(stream); }
    std::optional<std::uint64_t> waited_for() const override { return inner_->waited_for(); }
    std::vector<std::pair<std::uint64_t, std::string>> take_written() override {
        return inner_->take_written();
    }

private:
    struct Saving {
        int out = -1;
        int err = -1;
        int error = 0;              // the first errno; later bytes are dropped
        bool have_partial = false;  // DIR/.<seq>.partial was created by us
    };

    std::string partial_path(std::uint64_t seq) const;
    std::string final_path(std::uint64_t seq) const;
    int open_job(std::uint64_t seq, Saving& job);
    int commit(std::uint64_t seq, const ExitStatus& status, Saving& job);
    static int close_files(Saving& job);

    std::unique_ptr<OutputMode> inner_;
    std::string dir_;
    std::unordered_map<std::uint64_t, Saving> jobs_;
};

}  // namespace wgrun
