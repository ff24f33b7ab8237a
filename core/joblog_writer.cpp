// joblog_writer.cpp: opening the job log and writing its rows whole.
#include "joblog_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "joblog_format.hpp"
#include "write_all.hpp"

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

}  // namespace

std::unique_ptr<JoblogWriter> JoblogWriter::open(const std::string& path, Open how,
                                                 std::string name) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (how == Open::Append ? O_APPEND : O_TRUNC);
    // Read access too when appending, to find a torn last line (if allowed).
    int fd = -1;
    if (how == Open::Append) fd = ::open(path.c_str(), (flags & ~O_WRONLY) | O_RDWR, 0666);
    if (fd < 0) fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), name);
    std::unique_ptr<JoblogWriter> writer(new JoblogWriter(fd, true, std::move(name)));
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw std::system_error(errno, std::generic_category(), writer->name_);
    writer->regular_ = S_ISREG(info.st_mode);
    off_t size = writer->regular_ ? info.st_size : 0;
    if (how == Open::Append && size > 0 && is_joblog(fd, size)) {
        const off_t whole = whole_lines_length(fd, size);
        if (whole < size) {
            if (::ftruncate(fd, whole) != 0) {
                throw std::system_error(errno, std::generic_category(), writer->name_);
            }
            writer->cut_bytes_ = size - whole;
            size = whole;
        }
    }
    if (how == Open::Truncate || size == 0) writer->write_line(std::string(kJoblogHeader));
    return writer;
}

JoblogWriter::JoblogWriter(int fd, std::string name) : JoblogWriter(fd, false, std::move(name)) {
    write_line(std::string(kJoblogHeader));
}

JoblogWriter::JoblogWriter(int fd, bool owned, std::string name)
    : fd_(fd), owned_(owned), name_(std::move(name)) {}

JoblogWriter::~JoblogWriter() {
    if (owned_) ::close(fd_);
}

void JoblogWriter::job_ended(const JobResult& result) {
    if (error_.empty()) write_line(format_joblog_row(result));
}

void JoblogWriter::write_line(const std::string& line) {
    if (!error_.empty()) return;
    // One write(2) for the whole line; only a pipe or a terminal, or a disk
    // filling up, takes part of it.
    std::size_t written = 0;
    int error = 0;
    for (;;) {
        const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
            if (written == line.size()) return;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            if ((error = wait_writable(fd_)) != 0) break;
            continue;
        }
        error = n < 0 ? errno : EIO;
        break;
    }
    if (written > 0 && regular_) {
        // Take back the half row, so that the log stays well formed.
        const off_t now = ::lseek(fd_, 0, SEEK_CUR);
        if (now >= static_cast<off_t>(written)) {
            while (::ftruncate(fd_, now - static_cast<off_t>(written)) != 0 && errno == EINTR) {
            }
        }
    }
    error_ = name_ + ": " + std::strerror(error);
}

}  // namespace wgrun
