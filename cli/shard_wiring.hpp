// shard_wiring.hpp: the shard this run takes (--shard): K/N as given, or
// this array task's from the environment (auto, auto/N), said on stderr.
#pragma once

#include <cstdio>

#include "input/shard.hpp"
#include "options.hpp"

namespace wgrun::cli {

/// Without --shard, 1/1 (every job). With --shard K/N, K/N. With auto or
/// auto/N, the shard shard_from_environment() reads from the process's
/// environment, and one line on `say` naming where it came from:
/// "wgrun: --shard auto: shard 3/8 from SLURM_ARRAY_TASK_ID=12 (...)".
/// Throws UsageError with shard_from_environment()'s message when the
/// environment holds no shard that fits.
Shard choose_shard(const Options& options, std::FILE* say);

}  // namespace wgrun::cli
