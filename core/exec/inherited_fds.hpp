// inherited_fds.hpp: the fds wgrun's caller gave it for its children (open,
// without close-on-exec), found once at startup before wgrun opens any of its
// own, so that jobs get them as they would from xargs, make or sh.
#pragma once

#include <vector>

namespace wgrun {

/// Opens /dev/null on each of fds 0, 1 and 2 that is closed (stdin read-only,
/// stdout and stderr write-only), so that no fd wgrun opens later lands on
/// one of them: a closed stdout would otherwise receive the first file wgrun
/// opens (a --joblog), and jobs' output would be written into it. Call it
/// first thing in main(), before anything opens an fd. Best effort: an fd
/// that cannot be opened stays closed.
void ensure_standard_fds();

/// The fds >= 3 open in this process without FD_CLOEXEC, ascending: those the
/// caller meant its descendants to have. Read from /proc/self/fd (or, without
/// /proc, by asking fcntl() about every fd below RLIMIT_NOFILE, up to 65536).
/// Call it before wgrun opens fds of its own (every one of those is
/// close-on-exec anyway, so a later call finds the same set plus whatever
/// a library opened without O_CLOEXEC).
std::vector<int> inherited_fds();

}  // namespace wgrun
