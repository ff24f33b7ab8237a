// compression.hpp: --compress: output kept on disk (spill files, the
// parking file, --files' files) is compressed by an outside program, GNU
// parallel's --compress-program, and read back through its
// --decompress-program. Each runs as `sh -c PROGRAM`, reading stdin and
// writing stdout, with wgrun's stderr for its own messages.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

#include "base/unique_fd.hpp"

namespace wgrun {

struct Compression {
    std::string compress;    // stdin -> compressed stdout
    std::string decompress;  // compressed stdin -> stdout
};

/// GNU parallel 20221122's pick for --compress: the first of pzstd lbzip2
/// pbzip2 zstd pixz lz4 pigz lzop plzip lzip gzip lrz pxz bzip2 lzma xz
/// clzip found in `path` (a $PATH), as "P -c -1" and "P -dc"; "cat" and
/// "cat" when none is there.
Compression default_compression(std::string_view path);

/// A compress program writing to a file: start(), write() as often as
/// needed, finish(). The file's fd must stay open until finish().
class CompressingWriter {
public:
    CompressingWriter() = default;
    /// Ends the program as finish() does, its outcome unread.
    ~CompressingWriter() { finish(); }
    CompressingWriter(const CompressingWriter&) = delete;
    CompressingWriter& operator=(const CompressingWriter&) = delete;

    /// Starts `sh -c compress` with stdout `file` (written at its offset)
    /// and stdin a pipe from us. Returns 0 or an errno (EMFILE: no fd for
    /// the pipes; the spawn's own error).
    int start(const std::string& compress, int file);
    bool running() const { return static_cast<bool>(input_); }

    /// Gives `bytes` to the program, waiting while it is busy. Returns 0 or
    /// an errno (EPIPE: the program is gone).
    int write(std::string_view bytes);

    /// Ends the program's input and waits for it to end. Returns "" when it
    /// exited 0, else what went wrong ("'CMD' exited with 1", "'CMD' was
    /// killed by signal 9"). Once finished, it can start() again.
    std::string finish();

private:
    std::string command_;
    UniqueFd input_;   // its stdin
    UniqueFd status_;  // where its shell writes the exit status at the end
    UniqueFd pidfd_;   // to reap it, whoever else waits for children
};

/// Runs `sh -c decompress` with stdin the file `file` from its first byte
/// (through a description of its own: `file`'s offset does not move) and
/// gives what it writes to `each`, in pieces. Returns "" or what went
/// wrong (as finish()); `each` may have had part of the bytes then.
std::string decompress_file(const std::string& decompress, int file,
                            const std::function<void(std::string_view)>& each);

}  // namespace wgrun
