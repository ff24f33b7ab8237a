// write_all.hpp: writing every byte to an fd that may be non-blocking, a
// pipe, a file or a terminal.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace wgrun {

/// Writes all of `data` to `fd`, retrying short writes and EINTR, and waiting
/// with poll() when the fd is non-blocking and full. Returns 0, or the errno
/// of the write that failed (EPIPE, ENOSPC, ...).
int write_all(int fd, std::string_view data);

/// Writes `record` (a line of a log: --joblog, --json) whole or not at all,
/// as far as the file allows: like write_all(), but when only part of it
/// went out before an error (a disk filling up) and `fd` is a `regular`
/// file, that part is cut off again, so that the file ends with a whole
/// record. (Cutting a file others append to is safe only under a lock.)
/// Returns 0 or the errno of the write that failed.
int write_record(int fd, std::string_view record, bool regular);

/// Waits with poll() until `fd` can take more bytes. Returns 0 or an errno.
int wait_writable(int fd);

/// Copies `length` bytes of the regular file `from`, from `offset`, to `fd`
/// with sendfile(2) (no copy through user space), falling back to read+write.
/// Returns 0 or an errno; a failed read of `from` is returned negated, so the
/// caller can tell the source (-EIO) from the destination (EPIPE).
int copy_file_to(int fd, int from, off_t offset, std::size_t length);

}  // namespace wgrun
