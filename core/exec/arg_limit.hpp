// arg_limit.hpp: how long a command line exec() takes here: ARG_MAX less
// the environment the jobs get, less a margin (wgrun(1), ARGUMENT PACKING).
#pragma once

#include <cstddef>

namespace wgrun {

/// Linux's limit on one argv (or environment) string, its NUL included:
/// MAX_ARG_STRLEN, 32 pages of 4 KiB. A shell command is one string (the
/// argument of sh -c), so it is a shell command's limit too.
inline constexpr std::size_t kMaxArgString = 32 * 4096;

/// The margin left below ARG_MAX: POSIX's 2048 bytes of headroom, and 2048
/// more for the variables wgrun adds to each job's environment (WGRUN_SEQ,
/// WGRUN_SLOT, PARALLEL_SEQ, PARALLEL_JOBSLOT, PWD, ...).
inline constexpr std::size_t kArgMargin = 4096;

struct ArgLimit {
    std::size_t arg_max = 0;      // sysconf(_SC_ARG_MAX)
    std::size_t environment = 0;  // the environment's strings, NULs and pointers
    std::size_t usable = 0;       // arg_max - environment - kArgMargin (0 if below)
};

/// The limit for a job started with the environment `env` (a null-ended
/// array, as `environ`).
ArgLimit arg_limit(const char* const* env);

}  // namespace wgrun
