// shard_environment.cpp: Slurm, then Kubernetes, then AWS Batch.
#include "input/shard_environment.hpp"

#include <stdexcept>
#include <vector>

namespace wgrun {
namespace {

constexpr std::string_view kSlurmId = "SLURM_ARRAY_TASK_ID";
constexpr std::string_view kSlurmMin = "SLURM_ARRAY_TASK_MIN";
constexpr std::string_view kSlurmMax = "SLURM_ARRAY_TASK_MAX";
constexpr std::string_view kSlurmStep = "SLURM_ARRAY_TASK_STEP";
constexpr std::string_view kSlurmCount = "SLURM_ARRAY_TASK_COUNT";
constexpr std::string_view kKubernetesIndex = "JOB_COMPLETION_INDEX";
constexpr std::string_view kAwsIndex = "AWS_BATCH_JOB_ARRAY_INDEX";
constexpr std::string_view kAwsSize = "AWS_BATCH_JOB_ARRAY_SIZE";

// The variables of one run, read once, and the errors said about them.
class Reader {
public:
    Reader(std::optional<std::uint64_t> count, const EnvironmentLookup& lookup)
        : count_(count), lookup_(lookup),
          option_(count ? "--shard auto/" + std::to_string(*count) : "--shard auto") {}

    std::optional<std::uint64_t> count() const { return count_; }

    // Set and not empty.
    bool has(std::string_view name) const {
        const std::optional<std::string> value = lookup_(name);
        return value && !value->empty();
    }

    // The variable as a whole number; nothing when unset (or empty).
    std::optional<std::uint64_t> number(std::string_view name) const {
        const std::optional<std::string> value = lookup_(name);
        if (!value || value->empty()) return std::nullopt;
        const std::optional<std::uint64_t> n = parse_shard_number(*value);
        if (!n) refuse(std::string(name) + "='" + *value + "' is not a whole number");
        return n;
    }

    // The variable as a whole number, which `needed_by` needs.
    std::uint64_t required(std::string_view name, std::string_view needed_by) const {
        const std::optional<std::uint64_t> n = number(name);
        if (!n) {
            refuse(std::string(needed_by) + " is set but " + std::string(name) +
                   " is not: give --shard K/N");
        }
        return *n;
    }

    [[noreturn]] void refuse(const std::string& why) const {
        throw std::invalid_argument(option_ + ": " + why);
    }

private:
    std::optional<std::uint64_t> count_;
    const EnvironmentLookup& lookup_;
    std::string option_;
};

std::string assignment(std::string_view name, std::uint64_t value) {
    return std::string(name) + "=" + std::to_string(value);
}

// "A=1 (B=2, C=3)".
std::string listed(const std::string& first, const std::vector<std::string>& rest) {
    std::string text = first;
    for (std::size_t i = 0; i < rest.size(); ++i) text += (i == 0 ? " (" : ", ") + rest[i];
    return rest.empty() ? text : text + ")";
}

ShardFromEnvironment from_slurm(const Reader& env) {
    const std::uint64_t id = env.required(kSlurmId, kSlurmId);
    const std::uint64_t min = env.required(kSlurmMin, kSlurmId);
    const std::uint64_t count = env.required(kSlurmCount, kSlurmId);
    const std::optional<std::uint64_t> step_set = env.number(kSlurmStep);
    const std::optional<std::uint64_t> max = env.number(kSlurmMax);
    const std::uint64_t step = step_set.value_or(1);
    std::vector<std::string> others{assignment(kSlurmMin, min)};
    if (step_set) others.push_back(assignment(kSlurmStep, step));
    others.push_back(assignment(kSlurmCount, count));
    if (count == 0) env.refuse(assignment(kSlurmCount, count) + ": an array has 1 task or more");
    if (step == 0) env.refuse(assignment(kSlurmStep, step) + ": a step is 1 or more");
    if (env.count() && *env.count() != count) {
        env.refuse(assignment(kSlurmCount, count) + ": the array has " + std::to_string(count) +
                   " tasks, not " + std::to_string(*env.count()));
    }
    // Evenly spaced: MIN, MIN + STEP, ..., MIN + (COUNT - 1) * STEP = MAX.
    const bool on_the_range = id >= min && (id - min) % step == 0 && (id - min) / step < count;
    const bool max_fits = !max || (*max >= min && (*max - min) % step == 0 &&
                                   (*max - min) / step == count - 1);
    if (!on_the_range || !max_fits) {
        std::string all = assignment(kSlurmId, id);
        for (std::size_t i = 0; i < others.size(); ++i) {
            all += ", " + others[i];
            if (i == 0 && max) all += ", " + assignment(kSlurmMax, *max);
        }
        env.refuse("the Slurm array is not an evenly spaced range (" + all +
                   "), as --array=1,3,8 makes: submit it as --array=A-B or A-B:STEP, or give "
                   "--shard K/N");
    }
    return {Shard{(id - min) / step + 1, count}, listed(assignment(kSlurmId, id), others)};
}

ShardFromEnvironment from_kubernetes(const Reader& env) {
    const std::uint64_t index = *env.number(kKubernetesIndex);
    if (!env.count()) {
        env.refuse(assignment(kKubernetesIndex, index) +
                   " gives this task's index but not how many tasks there are (the Job's "
                   "completions): give --shard auto/N");
    }
    if (index >= *env.count()) {
        env.refuse(assignment(kKubernetesIndex, index) + " is not below N (" +
                   std::to_string(*env.count()) + "): indexes go from 0 to N-1");
    }
    return {Shard{index + 1, *env.count()}, assignment(kKubernetesIndex, index)};
}

ShardFromEnvironment from_aws_batch(const Reader& env) {
    const std::uint64_t index = *env.number(kAwsIndex);
    const std::optional<std::uint64_t> size = env.number(kAwsSize);
    if (!size && !env.count()) {
        env.refuse(assignment(kAwsIndex, index) + " is set but " + std::string(kAwsSize) +
                   " is not: give --shard auto/N");
    }
    if (size && env.count() && *size != *env.count()) {
        env.refuse(assignment(kAwsSize, *size) + ": the array has " + std::to_string(*size) +
                   " tasks, not " + std::to_string(*env.count()));
    }
    const std::uint64_t count = size ? *size : *env.count();
    if (index >= count) {
        env.refuse(assignment(kAwsIndex, index) + " is not below N (" + std::to_string(count) +
                   "): indexes go from 0 to N-1");
    }
    std::vector<std::string> others;
    if (size) others.push_back(assignment(kAwsSize, *size));
    return {Shard{index + 1, count}, listed(assignment(kAwsIndex, index), others)};
}

}  // namespace

ShardFromEnvironment shard_from_environment(std::optional<std::uint64_t> count,
                                            const EnvironmentLookup& lookup) {
    const Reader env(count, lookup);
    if (env.has(kSlurmId)) return from_slurm(env);
    if (env.has(kKubernetesIndex)) return from_kubernetes(env);
    if (env.has(kAwsIndex)) return from_aws_batch(env);
    env.refuse("no array task in the environment (none of " + std::string(kSlurmId) + ", " +
               std::string(kKubernetesIndex) + ", " + std::string(kAwsIndex) +
               " is set): give --shard K/N");
}

}  // namespace wgrun
