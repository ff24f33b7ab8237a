// results_tee.cpp: saving each job under DIR/<seq>, atomically, by building
// it in DIR/.<seq>.partial and renaming it into place.
#include "results_tee.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "write_all.hpp"

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

// rm -rf, quietly: for stale partial or old directories and failed jobs.
void remove_tree(const std::string& path) {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

int close_fd(int& fd) {
    if (fd < 0) return 0;
    const int rc = ::close(fd);
    fd = -1;
    // On Linux the fd is gone even when close() says EINTR.
    return rc == 0 || errno == EINTR ? 0 : errno;
}

// A new file in a directory of our own: -1 and errno on failure.
int create_file(const std::string& path) {
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
}

}  // namespace

ResultsTee::ResultsTee(std::unique_ptr<OutputMode> inner, std::string dir)
    : inner_(std::move(inner)), dir_(std::move(dir)) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
    if (dir_.empty()) dir_ = ".";
}

ResultsTee::~ResultsTee() {
    // Jobs that never finished keep their hidden partial directories.
    for (auto& [seq, job] : jobs_) close_files(job);
}

std::string ResultsTee::partial_path(std::uint64_t seq) const {
    return dir_ + "/." + std::to_string(seq) + ".partial";
}

std::string ResultsTee::final_path(std::uint64_t seq) const {
    return dir_ + "/" + std::to_string(seq);
}

int ResultsTee::close_files(Saving& job) {
    const int out_error = close_fd(job.out);
    const int err_error = close_fd(job.err);
    return out_error != 0 ? out_error : err_error;
}

void ResultsTee::started(const JobStart& job) {
    inner_->started(job);
    Saving& saving = jobs_[job.seq];
    saving.error = open_job(job.seq, saving);
    if (saving.error != 0) {
        close_files(saving);
        if (saving.have_partial) remove_tree(partial_path(job.seq));
        saving.have_partial = false;
    }
}

int ResultsTee::open_job(std::uint64_t seq, Saving& job) {
    if (const int e = make_dirs(dir_)) return e;
    const std::string partial = partial_path(seq);
    if (::mkdir(partial.c_str(), 0777) != 0) {
        if (errno != EEXIST) return errno;
        remove_tree(partial);  // left by an earlier run that was killed
        if (::mkdir(partial.c_str(), 0777) != 0) return errno;
    }
    job.have_partial = true;
    job.out = create_file(partial + "/stdout");
    if (job.out < 0) return errno;
    job.err = create_file(partial + "/stderr");
    if (job.err < 0) return errno;
    return 0;
}

void ResultsTee::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    inner_->output(seq, stream, bytes);
    const auto it = jobs_.find(seq);
    if (it == jobs_.end() || bytes.empty()) return;
    Saving& job = it->second;
    if (job.error != 0) return;
    job.error = write_all(stream == Stream::Out ? job.out : job.err, bytes);
    if (job.error != 0) {
        // Give back the fds and the disk space now; finished() reports it.
        close_files(job);
        remove_tree(partial_path(seq));
        job.have_partial = false;
    }
}

std::string ResultsTee::finished(std::uint64_t seq, const ExitStatus& status) {
    std::string problem = inner_->finished(seq, status);
    const auto node = jobs_.extract(seq);
    if (node.empty()) return problem;  // never started: nothing to save
    Saving job = node.mapped();
    int error = job.error;
    if (error == 0) error = commit(seq, status, job);
    if (error != 0) {
        close_files(job);
        if (job.have_partial) remove_tree(partial_path(seq));
        if (!problem.empty()) problem += "; ";
        problem += "results not saved: " + final_path(seq) + ": " + std::strerror(error);
    }
    return problem;
}

// Closes the job's files, writes its status and renames the partial directory
// to DIR/<seq>. Returns 0 or an errno; on failure DIR/<seq> is untouched.
int ResultsTee::commit(std::uint64_t seq, const ExitStatus& status, Saving& job) {
    // close() reports late write errors on some filesystems (NFS quota).
    if (const int e = close_files(job)) return e;
    const std::string partial = partial_path(seq);
    int status_fd = create_file(partial + "/status");
    if (status_fd < 0) return errno;
    const int write_error = write_all(status_fd, std::to_string(status.shell_code()) + "\n");
    const int close_error = close_fd(status_fd);
    if (write_error != 0) return write_error;
    if (close_error != 0) return close_error;

    const std::string target = final_path(seq);
    if (::rename(partial.c_str(), target.c_str()) == 0) return 0;
    if (errno != EEXIST && errno != ENOTEMPTY && errno != ENOTDIR && errno != EISDIR) {
        return errno;
    }
    // DIR/<seq> is left by an earlier run. Swap the two in one step where the
    // filesystem can; the old one is then at the partial name, to delete
    // (with any DIR/.<seq>.old a killed run left below).
    const std::string old = dir_ + "/." + std::to_string(seq) + ".old";
    if (::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        remove_tree(partial);
        remove_tree(old);
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) return errno;
    // Otherwise move the old one aside first: DIR/<seq> is briefly missing,
    // but never a mix of the two runs.
    remove_tree(old);
    if (::rename(target.c_str(), old.c_str()) != 0) return errno;
    if (::rename(partial.c_str(), target.c_str()) != 0) {
        const int e = errno;
        ::rename(old.c_str(), target.c_str());  // put the earlier run's back
        return e;
    }
    remove_tree(old);
    return 0;
}

}  // namespace wgrun
