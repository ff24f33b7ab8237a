// shard_environment.hpp: --shard auto: this array task's shard, from the
// variables a cluster's scheduler sets for each task of an array: Slurm job
// arrays, Kubernetes Indexed Jobs, AWS Batch array jobs. Pure: variables
// are looked up through a function (tests give a map, no setenv).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "input/shard.hpp"

namespace wgrun {

/// A variable's value; nothing when it is unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct ShardFromEnvironment {
    Shard shard;
    /// The variables it came from, as they are set: "SLURM_ARRAY_TASK_ID=12
    /// (SLURM_ARRAY_TASK_MIN=10, SLURM_ARRAY_TASK_COUNT=8)".
    std::string source;
};

/// The shard of the array task whose variables `lookup` gives, for --shard
/// auto (`count` empty) or auto/N (`count` N). The first scheduler whose
/// index variable is set decides (an empty value counts as unset):
///  1. Slurm: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
///     SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_STEP if set (else 1):
///     K = (ID - MIN) / STEP + 1, N = COUNT (N must be `count`, if given).
///     An array that is no evenly spaced range (--array=1,3,8: ID - MIN no
///     multiple of STEP, K above N, or SLURM_ARRAY_TASK_MAX, if set, other
///     than MIN + (COUNT - 1) * STEP) is refused.
///  2. Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX, from 0: K = index + 1;
///     N = `count`, which must be given (the Job's completions are not in
///     the environment).
///  3. AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX, from 0: K = index + 1;
///     N = AWS_BATCH_JOB_ARRAY_SIZE, or `count` (both given: the same).
/// Throws std::invalid_argument naming the option as given ("--shard
/// auto/8: ...") when none is set, a variable needed is unset or no whole
/// number (its name and value said), or K and N do not fit.
ShardFromEnvironment shard_from_environment(std::optional<std::uint64_t> count,
                                            const EnvironmentLookup& lookup);

}  // namespace wgrun
