// joblog_writer.cpp: opening the job log and writing its rows whole.
#include "results/joblog_writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "results/joblog_format.hpp"
#include "base/os_error.hpp"
#include "base/write_all.hpp"

namespace wgrun {
namespace {

// The length of `fd` up to the end of its last newline: its size when it is
// empty or ends with one. Reads backwards from the end, 64 KiB at a time.
off_t whole_lines_length(int fd, off_t size) {
    char buffer[1 << 16];
    off_t end = size;
    while (end > 0) {
        const off_t start = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
        const ssize_t got = ::pread(fd, buffer, static_cast<std::size_t>(end - start), start);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return size;  // cannot tell: leave the file alone
        for (ssize_t i = got; i > 0; --i) {
            if (buffer[i - 1] == '\n') return start + i;
        }
        end = start;
    }
    return 0;
}

// True when `fd`, of `size` bytes, is a job log: it starts with the header,
// or it is the start of one (a run killed while writing it).
bool is_joblog(int fd, off_t size) {
    const std::size_t want =
        size < static_cast<off_t>(kJoblogHeader.size()) ? static_cast<std::size_t>(size) : kJoblogHeader.size();
    std::string head(want, '\0');
    ssize_t got;
    do {
        got = ::pread(fd, head.data(), head.size(), 0);
    } while (got < 0 && errno == EINTR);
    return got == static_cast<ssize_t>(want) && kJoblogHeader.substr(0, want) == head;
}

// flock(LOCK_EX) on `fd` for its lifetime (none for -1), so that wgrun
// processes appending to one log take turns. Where the file system has no
// locks (ENOLCK, EOPNOTSUPP...), rows are written without.
class Lock {
public:
    explicit Lock(int fd) : fd_(fd) {
        if (fd_ < 0) return;
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                fd_ = -1;
                return;
            }
        }
    }
    ~Lock() {
        if (fd_ >= 0) ::flock(fd_, LOCK_UN);
    }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

private:
    int fd_;
};

}  // namespace

std::unique_ptr<JoblogWriter> JoblogWriter::open(const std::string& path, Open how,
                                                 std::string name) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (how == Open::Append ? O_APPEND : O_TRUNC);
    // Read access too when appending, to find a torn last line (if allowed).
    UniqueFd opened;
    if (how == Open::Append) opened.reset(::open(path.c_str(), (flags & ~O_WRONLY) | O_RDWR, 0666));
    if (!opened) opened.reset(::open(path.c_str(), flags, 0666));
    if (!opened) throw_os_error(errno, name);
    const int fd = opened.get();
    std::unique_ptr<JoblogWriter> writer(new JoblogWriter(std::move(opened), fd, std::move(name)));
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw_os_error(errno, writer->name_);
    writer->regular_ = S_ISREG(info.st_mode);
    writer->locked_ = writer->regular_;
    // Under the lock: another wgrun appending to the same log has written
    // its header or its row whole, or not yet.
    const Lock lock(writer->locked_ ? fd : -1);
    if (writer->locked_ && ::fstat(fd, &info) != 0) throw_os_error(errno, writer->name_);
    off_t size = writer->regular_ ? info.st_size : 0;
    if (how == Open::Append && size > 0 && is_joblog(fd, size)) {
        const off_t whole = whole_lines_length(fd, size);
        if (whole < size) {
            if (::ftruncate(fd, whole) != 0) throw_os_error(errno, writer->name_);
            writer->cut_bytes_ = size - whole;
            size = whole;
        }
    }
    if (how == Open::Truncate || size == 0) {
        if (const int e = write_record(fd, kJoblogHeader, writer->regular_)) {
            writer->error_ = {e, writer->name_};
        }
    }
    return writer;
}

JoblogWriter::JoblogWriter(int fd, std::string name) : JoblogWriter(UniqueFd(), fd, std::move(name)) {
    write_line(std::string(kJoblogHeader));
}

JoblogWriter::JoblogWriter(UniqueFd owned, int fd, std::string name)
    : owned_(std::move(owned)), fd_(fd), name_(std::move(name)) {}

void JoblogWriter::job_ended(const JobResult& result) {
    if (!error_) write_line(format_joblog_row(result));
}

void JoblogWriter::write_line(const std::string& line) {
    if (error_) return;
    const Lock lock(locked_ ? fd_ : -1);
    if (const int e = write_record(fd_, line, regular_)) error_ = {e, name_};
}

}  // namespace wgrun
