// record_reader.hpp: delimiter-separated records from a file descriptor,
// read in large chunks and handed out one at a time.
#pragma once

#include <optional>
#include <string>
#include <system_error>

namespace wgrun {

/// Reads records that end at `delimiter` ('\n', or '\0' for -0) from `fd`.
/// Memory holds one chunk (64 KiB) plus the current record, whatever the
/// input's size; a record may be of any length (100 MB lines included).
/// Bytes are kept exactly: a trailing '\r' stays, NULs stay in '\n' mode. A
/// last record without its delimiter is still a record; an input that ends
/// right after a delimiter has no empty record after it. The reader does not
/// own or close `fd`, and never changes its flags.
class RecordReader {
public:
    RecordReader(int fd, char delimiter);

    /// The next record, without its delimiter, or nothing at end of input.
    /// Blocks while the fd has no data. Retries EINTR.
    /// Throws std::system_error on a read error.
    std::optional<std::string> next();

private:
    friend struct RecordReaderTestPeer;  // tests check that memory stays bounded

    bool fill();  // reads one more chunk; false at end of input
    // buffer_[b, e) as a record; the unread part then starts at `next`.
    std::string take(std::size_t b, std::size_t e, std::size_t next);

    int fd_;
    char delimiter_;
    std::string buffer_;     // bytes read and not handed out yet
    std::size_t start_ = 0;  // where the unread part of buffer_ begins
    std::size_t scan_ = 0;   // buffer_[start_, scan_) holds no delimiter
    bool eof_ = false;
};

}  // namespace wgrun
