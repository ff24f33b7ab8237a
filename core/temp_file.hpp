// temp_file.hpp: files for output that does not fit in memory, with no name
// left behind at any moment, so that kill -9 of wgrun leaves nothing.
#pragma once

#include <string>

namespace wgrun {

/// Opens a new, nameless file for reading and writing in `dir`: O_TMPFILE
/// where the file system has it, else a named file unlinked at once.
/// O_CLOEXEC. Returns the fd, or -1 with errno set.
int open_unlinked_temp(const std::string& dir);

}  // namespace wgrun
