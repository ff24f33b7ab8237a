// results_tee.hpp: --results DIR. A decorator around any output mode that
// also saves each job's stdout, stderr and exit status under DIR/<seq>/,
// never touching anything else there.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "output/output_decorator.hpp"
#include "base/temp_file.hpp"

namespace wgrun {

/// Passes every call on to `inner` unchanged and saves each job to
///   DIR/<seq>/stdout   the job's stdout, byte for byte
///   DIR/<seq>/stderr   the job's stderr, byte for byte
///   DIR/<seq>/status   ExitStatus::shell_code() and a newline ("0\n", "137\n")
/// While a job runs its stdout and stderr are nameless files in DIR
/// (StagedFile, temp_file.hpp; written through, no buffering; two open fds
/// per running job): a job that never finishes (wgrun killed) leaves
/// nothing. finished() writes the status and names the three files in a new
/// staging directory DIR/.<seq>.wgrun-PID-N, which it renames to DIR/<seq>
/// when there is no DIR/<seq> (RENAME_NOREPLACE): the directory appears
/// whole. When there is one (an earlier run's, or the user's), it must be a
/// directory (not a symlink) where stdout, stderr and status are not
/// directories: the old status is removed, then the three files are renamed
/// into it one by one, status last; nothing else in DIR/<seq> is touched.
/// Each file's name belongs to this process only until the rename, so two
/// wgrun processes saving to one DIR at once never get in each other's way:
/// each seq ends up with all three files, the later rename's winning.
///
/// Failures (a full disk, no permission, DIR or DIR/<seq> is a file,
/// DIR/<seq>/stdout is a directory) never throw: the job's finished()
/// returns "results not saved: PATH: <strerror>" naming the path at fault
/// (after the inner problem and "; " when there is one), and the job's
/// files are dropped.
class ResultsTee : public OutputDecorator {
public:
    /// DIR is created (with its parents, mode 0777 less the umask) as jobs
    /// start, if missing. So are DIR/<seq> and its files, as jobs end.
    ResultsTee(std::unique_ptr<OutputMode> inner, std::string dir);
    ~ResultsTee() override;
    ResultsTee(const ResultsTee&) = delete;
    ResultsTee& operator=(const ResultsTee&) = delete;

    void started(const JobStart& job) override;
    // skipped() is passed on: a job left out keeps what an earlier run saved for it.
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    /// Never: the tee needs the bytes itself, so they are read and output().
    ssize_t splice_from(std::uint64_t, Stream, int) override { return kCannotSplice; }
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;

private:
    struct Failure {
        int error = 0;     // an errno, or 0
        std::string path;  // what it is about
    };
    struct Saving {
        StagedFile out;
        StagedFile err;
        Failure failed;  // the first failure; later bytes are dropped
    };

    std::string final_path(std::uint64_t seq) const;
    Failure open_job(std::uint64_t seq, Saving& job);
    Failure commit(std::uint64_t seq, const ExitStatus& status, Saving& job);

    std::string dir_;
    std::unordered_map<std::uint64_t, Saving> jobs_;
};

}  // namespace wgrun
