// record_reader.cpp: chunked read(2) and memchr splitting.
//
// buffer_[start_, size) is read and not handed out yet; no delimiter lies in
// [start_, scan_), so each byte is searched once however long its record.
// Before each read the handed-out prefix is dropped, so the buffer holds the
// current record's bytes plus at most one chunk (times std::string's growth).
#include "input/record_reader.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wgrun {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

}  // namespace

RecordReader::RecordReader(int fd, char delimiter) : fd_(fd), delimiter_(delimiter) {}

std::optional<std::string> RecordReader::next() {
    for (;;) {
        if (scan_ < buffer_.size()) {
            const char* data = buffer_.data();
            const void* hit = std::memchr(data + scan_, delimiter_, buffer_.size() - scan_);
            if (hit != nullptr) {
                const auto end = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
                return take(start_, end, end + 1);
            }
            scan_ = buffer_.size();
        }
        if (eof_) {
            if (start_ == buffer_.size()) return std::nullopt;
            return take(start_, buffer_.size(), buffer_.size());  // no delimiter at the end
        }
        if (!fill()) eof_ = true;
    }
}

std::string RecordReader::take(std::size_t b, std::size_t e, std::size_t next) {
    if (e - b < kChunk) {
        std::string record(buffer_, b, e - b);
        start_ = scan_ = next;
        return record;
    }
    // A long record: hand out the buffer itself instead of copying it, and
    // keep only the unread rest (less than one chunk), which also gives the
    // long record's memory back.
    std::string rest(buffer_, next);
    buffer_.resize(e);
    buffer_.erase(0, b);
    std::string record = std::move(buffer_);
    buffer_ = std::move(rest);
    start_ = scan_ = 0;
    return record;
}

bool RecordReader::fill() {
    if (start_ > 0) {
        buffer_.erase(0, start_);
        scan_ -= start_;
        start_ = 0;
    }
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + kChunk);
    ssize_t n;
    do {
        n = ::read(fd_, buffer_.data() + old_size, kChunk);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        const int err = errno;
        buffer_.resize(old_size);
        throw std::system_error(err, std::generic_category(), "read");
    }
    buffer_.resize(old_size + static_cast<std::size_t>(n));
    return n > 0;
}

}  // namespace wgrun
