// pipe_size.hpp: bigger pipes for bulk output, within a budget.
//
// A 64 KiB pipe (Linux's default) makes a writer and its reader take turns
// every 64 KiB: two context switches and a splice per 16 pages. A 1 MiB pipe
// cuts that sixteenfold. Pipe memory is charged to the user, though, and once
// a user's pipes add up to /proc/sys/fs/pipe-user-pages-soft (64 MiB by
// default) the kernel gives that user's new pipes two pages only, the jobs'
// own pipelines included. So wgrun keeps the pipes it enlarges for jobs under
// kJobPipeBudget in all, whatever -j is.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wgrun {

inline constexpr std::size_t kBigPipe = std::size_t{1} << 20;          // 1 MiB
inline constexpr std::size_t kJobPipeBudget = std::size_t{16} << 20;   // 16 MiB in all
inline constexpr std::size_t kDefaultPipe = std::size_t{64} << 10;     // Linux's default

/// The size to give each job's stdout pipe when at most `jobs` run at once
/// (0: no limit): kBigPipe shared out under kJobPipeBudget, a power of two,
/// never below kDefaultPipe (which means: leave the pipe as it is).
std::size_t job_pipe_size(std::uint64_t jobs);

/// Grows the pipe `fd` to `size` bytes when it is a pipe (or FIFO) smaller
/// than that. Best effort: returns the pipe's size afterwards, or 0 when `fd`
/// is not a pipe or its size cannot be read; a refusal (EPERM over the user's
/// limits, EBUSY) leaves the pipe as it was.
std::size_t grow_pipe(int fd, std::size_t size);

}  // namespace wgrun
