// results_tee.hpp: --results NAME (not a table: results_table.hpp). A
// decorator around any output mode that also saves each job's stdout,
// stderr, number and exit status where ResultsNaming puts it (GNU's
// NAME/1/VALUE/..., or a per-job NAME such as DIR/{#}/), never touching
// anything else there.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "output/output_decorator.hpp"
#include "base/temp_file.hpp"
#include "results/results_naming.hpp"

namespace wgrun {

/// Passes every call on to `inner` unchanged and saves each job, in its
/// place P (results_naming.hpp), to
///   P/stdout   the job's stdout, byte for byte
///   P/stderr   the job's stderr, byte for byte
///   P/seq      the job's number, no newline (as GNU writes it)
///   P/status   ExitStatus::shell_code() and a newline ("0\n", "137\n"): wgrun's own
/// or, when P is a file (a templated NAME not ending in '/'), to P, P.err,
/// P.seq and P.status. The parent of P (PARENT) is created as the job
/// starts (with its parents, mode 0777 less the umask).
/// While a job runs its stdout and stderr are nameless files in PARENT
/// (StagedFile, temp_file.hpp; written through, no buffering; two open fds
/// per running job): a job that never finishes (wgrun killed) leaves
/// nothing. A directory P: finished() writes seq and status and names the
/// four files in a new staging directory PARENT/.<seq>.wgrun-PID-N, which it
/// renames to P when there is no P (RENAME_NOREPLACE): the directory appears
/// whole. When there is one (an earlier run's, or the user's), it must be a
/// directory (not a symlink) where our four names are not directories: the
/// old status is removed, then the four files are renamed into it one by
/// one, status last; nothing else in P is touched. A file P: each of the
/// four is put in place by one rename(2), status last.
/// Each file's name belongs to this process only until the rename, so two
/// wgrun processes saving to one place at once never get in each other's
/// way: each job ends up with all its files, the later rename's winning.
///
/// Failures (a full disk, no permission, PARENT or P is a file,
/// P/stdout is a directory) never throw: the job's finished()
/// returns "results not saved: PATH: <strerror>" naming the path at fault
/// (after the inner problem and "; " when there is one), and the job's
/// files are dropped.
class ResultsTee : public OutputDecorator {
public:
    /// `name` is --results' NAME (see ResultsNaming): "DIR/{#}/" saves job
    /// N in DIR/N/. Throws TemplateError for a NAME that cannot be parsed.
    ResultsTee(std::unique_ptr<OutputMode> inner, std::string name);
    ~ResultsTee() override;
    ResultsTee(const ResultsTee&) = delete;
    ResultsTee& operator=(const ResultsTee&) = delete;

    void started(const JobStart& job) override;
    // skipped() is passed on: a job left out keeps what an earlier run saved for it.
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    /// Never: the tee needs the bytes itself, so they are read and output().
    ssize_t splice_from(std::uint64_t, Stream, int) override { return kCannotSplice; }
    /// A retried attempt: the files start again (as GNU's do), also under
    /// -u and --line-buffer, where the inner mode has written the bytes.
    std::uint64_t retrying(std::uint64_t seq) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;

private:
    struct Failure {
        int error = 0;     // an errno, or 0
        std::string path;  // what it is about
    };
    struct Saving {
        ResultsPlace place;
        std::string parent;  // where the files are staged: P's directory
        StagedFile out;
        StagedFile err;
        StagedFile seq;     // written as the job starts
        StagedFile status;  // written as it ends
        Failure failed;  // the first failure; later bytes are dropped
    };

    Failure open_job(std::uint64_t seq, Saving& job);
    static void discard_files(Saving& job);
    Failure commit(std::uint64_t seq, const ExitStatus& status, Saving& job);
    Failure commit_directory(std::uint64_t seq, Saving& job);
    Failure commit_file(Saving& job);

    ResultsNaming naming_;
    std::unordered_map<std::uint64_t, Saving> jobs_;
};

}  // namespace wgrun
