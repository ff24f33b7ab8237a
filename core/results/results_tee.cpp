// results_tee.cpp: saving each job in its --results place: its files are
// written unnamed (StagedFile, temp_file.hpp) and named when the job ends,
// in a private staging directory renamed to the place, or one by one into
// an existing one (or beside a file place).
#include "results/results_tee.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "base/write_all.hpp"

namespace wgrun {
namespace {

// mkdir -p: creates `path` and any missing parents, each with mode 0777 less
// the umask. An existing `path` is fine, whatever it is: if it is not a
// directory the files made under it fail with ENOTDIR. Returns 0 or an errno.
int make_dirs(const std::string& path) {
    if (::mkdir(path.c_str(), 0777) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return errno;
    std::size_t end = path.find_last_of('/');
    if (end == std::string::npos) return ENOENT;
    while (end > 0 && path[end - 1] == '/') --end;  // "a//b": the parent is "a"
    if (end == 0) return ENOENT;                      // "/b": the root is there
    if (const int e = make_dirs(path.substr(0, end))) return e;
    if (::mkdir(path.c_str(), 0777) == 0 || errno == EEXIST) return 0;
    return errno;
}

// The directory that holds `path`: "a/b" -> "a", "b" -> ".", "/b" -> "/".
std::string parent_of(const std::string& path) {
    std::size_t end = path.find_last_of('/');
    if (end == std::string::npos) return ".";
    while (end > 0 && path[end - 1] == '/') --end;
    return end == 0 ? "/" : path.substr(0, end);
}

// The files of a directory place, the only names the tee ever writes or
// replaces there; status last, so that a status file says the others are
// complete. A file place P: P, P.err, P.seq, P.status.
constexpr std::array<const char*, 4> kFiles{"stdout", "stderr", "seq", "status"};
constexpr std::array<const char*, 4> kFileSuffixes{"", ".err", ".seq", ".status"};

}  // namespace

ResultsTee::ResultsTee(std::unique_ptr<OutputMode> inner, std::string name)
    : OutputDecorator(std::move(inner)), naming_(std::move(name)) {}

// Jobs that never finished: their files had no name and are gone with
// their fds (StagedFile's destructor).
ResultsTee::~ResultsTee() = default;

void ResultsTee::started(const JobStart& job) {
    OutputDecorator::started(job);
    Saving& saving = jobs_[job.seq];
    static const std::vector<std::string> no_args;
    saving.place = naming_.place(job.args != nullptr ? *job.args : no_args, job.seq, job.slot);
    saving.parent = parent_of(saving.place.path);
    saving.failed = open_job(job.seq, saving);
    if (saving.failed.error != 0) discard_files(saving);
}

// All four files are opened as the job starts, when the scheduler has made
// sure of the fds for them (output_fds_per_job): opened as it ends, seq and
// status could find none left, taken by other jobs' spill files meanwhile.
ResultsTee::Failure ResultsTee::open_job(std::uint64_t seq, Saving& job) {
    if (const int e = make_dirs(job.parent)) return {e, job.parent};
    const std::string hint = std::to_string(seq);
    if (const int e = job.out.open(job.parent, hint + ".stdout")) return {e, job.parent};
    if (const int e = job.err.open(job.parent, hint + ".stderr")) return {e, job.parent};
    if (const int e = job.seq.open(job.parent, hint + ".seq")) return {e, job.parent};
    if (const int e = job.status.open(job.parent, hint + ".status")) return {e, job.parent};
    if (const int e = write_all(job.seq.fd(), hint)) return {e, job.place.path};
    return {};
}

void ResultsTee::discard_files(Saving& job) {
    job.out.discard();
    job.err.discard();
    job.seq.discard();
    job.status.discard();
}

void ResultsTee::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    OutputDecorator::output(seq, stream, bytes);
    const auto it = jobs_.find(seq);
    if (it == jobs_.end() || bytes.empty()) return;
    Saving& job = it->second;
    if (job.failed.error != 0) return;
    const int error = write_all(stream == Stream::Out ? job.out.fd() : job.err.fd(), bytes);
    if (error != 0) {
        // Give back the fds and the disk space now; finished() reports it.
        job.failed = {error, job.place.path};
        discard_files(job);
    }
}

std::uint64_t ResultsTee::retrying(std::uint64_t seq) {
    const std::uint64_t dropped = OutputDecorator::retrying(seq);
    const auto it = jobs_.find(seq);
    if (it == jobs_.end() || it->second.failed.error != 0) return dropped;
    Saving& job = it->second;
    for (const int fd : {job.out.fd(), job.err.fd()}) {
        if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
            job.failed = {errno, job.place.path};
            discard_files(job);
            break;
        }
    }
    return dropped;
}

std::string ResultsTee::finished(std::uint64_t seq, const ExitStatus& status) {
    std::string problem = OutputDecorator::finished(seq, status);
    auto node = jobs_.extract(seq);
    if (node.empty()) return problem;  // never started: nothing to save
    Saving& job = node.mapped();
    Failure failed = job.failed;
    if (failed.error == 0) failed = commit(seq, status, job);
    if (failed.error != 0) {
        if (!problem.empty()) problem += "; ";
        problem += "results not saved: " + failed.path + ": " + std::strerror(failed.error);
    }
    return problem;
}

// Writes status, then puts the four files in place.
ResultsTee::Failure ResultsTee::commit(std::uint64_t seq, const ExitStatus& status,
                                       Saving& job) {
    if (const int e = write_all(job.status.fd(), std::to_string(status.shell_code()) + "\n")) {
        return {e, job.place.path};
    }
    return job.place.directory ? commit_directory(seq, job) : commit_file(job);
}

// A file place P: P, P.err, P.seq, P.status, each replaced in one rename.
ResultsTee::Failure ResultsTee::commit_file(Saving& job) {
    std::array<StagedFile*, 4> files{&job.out, &job.err, &job.seq, &job.status};
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string path = job.place.path + kFileSuffixes[i];
        if (const int e = files[i]->replace(path)) return {e, path};
    }
    return {};
}

// Names the four files in a new staging directory PARENT/.<seq>.wgrun-PID-N,
// and renames that to P when there is none; else moves them one by one into
// P, replacing only its stdout, stderr, seq and status. On failure nothing
// of P is changed, except when the failure comes while moving files one by
// one, and no file of ours is left.
ResultsTee::Failure ResultsTee::commit_directory(std::uint64_t seq, Saving& job) {
    const std::string& target = job.place.path;
    std::string stage;
    for (int tries = 0;; ++tries) {
        stage = hidden_name(job.parent, std::to_string(seq));
        if (::mkdir(stage.c_str(), 0777) == 0) break;
        if (errno != EEXIST || tries == 100) return {errno, target};
    }
    std::array<StagedFile*, 4> files{&job.out, &job.err, &job.seq, &job.status};
    std::size_t named = 0;
    int error = 0;
    for (; named < files.size() && error == 0; ++named) {
        error = files[named]->link_and_close(stage + "/" + kFiles[named]);
    }
    if (error != 0) --named;  // the one that failed has no name
    // Takes the staging directory away again: only the names we made.
    const auto clean_up = [&](std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) ::unlink((stage + "/" + kFiles[i]).c_str());
        ::rmdir(stage.c_str());
    };
    if (error != 0) {
        clean_up(named);
        return {error, target};
    }

    // P missing: the whole directory appears in one step.
    if (::renameat2(AT_FDCWD, stage.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
        return {};
    }
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
        // No RENAME_NOREPLACE here: rename(2) alone, unless something is there.
        struct stat info {};
        if (::lstat(target.c_str(), &info) != 0 && errno == ENOENT &&
            ::rename(stage.c_str(), target.c_str()) == 0) {
            return {};
        }
    } else if (errno != EEXIST && errno != EBUSY) {
        const int e = errno;
        clean_up(kFiles.size());
        return {e, target};
    }

    // P exists: it must be a directory (not a symlink to one), and our
    // four names in it anything but directories; then each file replaces
    // its own name only.
    Failure failed;
    struct stat info {};
    if (::lstat(target.c_str(), &info) != 0) {
        failed = {errno, target};
    } else if (!S_ISDIR(info.st_mode)) {
        failed = {ENOTDIR, target};
    }
    for (const char* name : kFiles) {
        if (failed.error != 0) break;
        const std::string path = target + "/" + name;
        if (::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) failed = {EISDIR, path};
    }
    if (failed.error == 0) {
        // The old status goes first: no new stdout beside an old status.
        const std::string old_status = target + "/status";
        if (::unlink(old_status.c_str()) != 0 && errno != ENOENT) failed = {errno, old_status};
    }
    std::size_t moved = 0;
    for (; moved < kFiles.size() && failed.error == 0; ++moved) {
        const std::string path = target + "/" + kFiles[moved];
        if (::rename((stage + "/" + kFiles[moved]).c_str(), path.c_str()) != 0) {
            failed = {errno, path};
            break;
        }
    }
    // The names not moved, and the staging directory.
    for (std::size_t i = moved; i < kFiles.size(); ++i) {
        ::unlink((stage + "/" + kFiles[i]).c_str());
    }
    ::rmdir(stage.c_str());
    return failed;
}

}  // namespace wgrun
