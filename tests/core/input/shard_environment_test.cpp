// shard_environment_test.cpp: --shard auto and auto/N from a fake
// environment: Slurm arrays (with a step, and the irregular arrays
// refused), Kubernetes Indexed Jobs, AWS Batch array jobs, which one wins
// when several are set, and every refusal's message.
#include "input/shard_environment.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace {

using wgrun::Shard;
using wgrun::shard_from_environment;
using wgrun::ShardFromEnvironment;

using Environment = std::map<std::string, std::string, std::less<>>;

ShardFromEnvironment from(const Environment& env, std::optional<std::uint64_t> count = {}) {
    return shard_from_environment(count, [&env](std::string_view name) -> std::optional<std::string> {
        const auto found = env.find(name);
        if (found == env.end()) return std::nullopt;
        return found->second;
    });
}

std::string error_of(const Environment& env, std::optional<std::uint64_t> count = {}) {
    try {
        const ShardFromEnvironment got = from(env, count);
        return "(accepted: " + to_string(got.shard) + ")";
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

Environment slurm(const std::string& id, const std::string& min, const std::string& count) {
    return {{"SLURM_ARRAY_TASK_ID", id},
            {"SLURM_ARRAY_TASK_MIN", min},
            {"SLURM_ARRAY_TASK_COUNT", count}};
}

// ---- Slurm ---------------------------------------------------------------------

TEST(ShardEnvironment, SlurmArrayFromOne) {
    // sbatch --array=1-8: tasks 1 ... 8 are shards 1/8 ... 8/8.
    for (int id = 1; id <= 8; ++id) {
        Environment env = slurm(std::to_string(id), "1", "8");
        env["SLURM_ARRAY_TASK_MAX"] = "8";
        env["SLURM_ARRAY_TASK_STEP"] = "1";
        EXPECT_EQ(from(env).shard, (Shard{static_cast<std::uint64_t>(id), 8})) << id;
    }
}

TEST(ShardEnvironment, SlurmArrayFromTenSaysWhereItCameFrom) {
    const ShardFromEnvironment got = from(slurm("12", "10", "8"));
    EXPECT_EQ(got.shard, (Shard{3, 8}));
    EXPECT_EQ(got.source,
              "SLURM_ARRAY_TASK_ID=12 (SLURM_ARRAY_TASK_MIN=10, SLURM_ARRAY_TASK_COUNT=8)");
}

TEST(ShardEnvironment, SlurmArrayWithAStep) {
    // sbatch --array=0-15:4: tasks 0, 4, 8, 12.
    Environment env = slurm("8", "0", "4");
    env["SLURM_ARRAY_TASK_STEP"] = "4";
    env["SLURM_ARRAY_TASK_MAX"] = "12";
    const ShardFromEnvironment got = from(env);
    EXPECT_EQ(got.shard, (Shard{3, 4}));
    EXPECT_EQ(got.source,
              "SLURM_ARRAY_TASK_ID=8 (SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_STEP=4, "
              "SLURM_ARRAY_TASK_COUNT=4)");
    env["SLURM_ARRAY_TASK_ID"] = "0";
    EXPECT_EQ(from(env).shard, (Shard{1, 4}));
    env["SLURM_ARRAY_TASK_ID"] = "12";
    EXPECT_EQ(from(env).shard, (Shard{4, 4}));
}

TEST(ShardEnvironment, SlurmWithAutoSlashNMustAgree) {
    EXPECT_EQ(from(slurm("2", "1", "8"), 8).shard, (Shard{2, 8}));
    EXPECT_EQ(error_of(slurm("2", "1", "8"), 4),
              "--shard auto/4: SLURM_ARRAY_TASK_COUNT=8: the array has 8 tasks, not 4");
}

TEST(ShardEnvironment, IrregularSlurmArraysAreRefused) {
    const std::string advice =
        ", as --array=1,3,8 makes: submit it as --array=A-B or A-B:STEP, or give --shard K/N";
    // sbatch --array=1,3,8: MIN 1, MAX 8, COUNT 3 (whatever the step).
    Environment env = slurm("3", "1", "3");
    env["SLURM_ARRAY_TASK_MAX"] = "8";
    EXPECT_EQ(error_of(env),
              "--shard auto: the Slurm array is not an evenly spaced range "
              "(SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=8, "
              "SLURM_ARRAY_TASK_COUNT=3)" + advice);
    env["SLURM_ARRAY_TASK_ID"] = "8";
    EXPECT_NE(error_of(env).find("not an evenly spaced range"), std::string::npos);
    // Without MAX: an ID past COUNT tasks, or off the step, or below MIN.
    EXPECT_EQ(error_of(slurm("8", "1", "3")),
              "--shard auto: the Slurm array is not an evenly spaced range "
              "(SLURM_ARRAY_TASK_ID=8, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=3)" +
                  advice);
    Environment stepped = slurm("5", "0", "4");
    stepped["SLURM_ARRAY_TASK_STEP"] = "4";
    EXPECT_NE(error_of(stepped).find("not an evenly spaced range"), std::string::npos);
    EXPECT_NE(error_of(slurm("0", "1", "3")).find("not an evenly spaced range"),
              std::string::npos);
    // A MAX that agrees passes.
    Environment fine = slurm("3", "1", "3");
    fine["SLURM_ARRAY_TASK_MAX"] = "3";
    EXPECT_EQ(from(fine).shard, (Shard{3, 3}));
}

TEST(ShardEnvironment, SlurmNeedsMinAndCount) {
    EXPECT_EQ(error_of({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "8"}}),
              "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not: give "
              "--shard K/N");
    EXPECT_EQ(error_of({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"}}),
              "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: give "
              "--shard K/N");
}

TEST(ShardEnvironment, MalformedSlurmNumbersAreNamed) {
    EXPECT_EQ(error_of(slurm("x", "1", "8")),
              "--shard auto: SLURM_ARRAY_TASK_ID='x' is not a whole number");
    EXPECT_EQ(error_of(slurm("3", "-1", "8")),
              "--shard auto: SLURM_ARRAY_TASK_MIN='-1' is not a whole number");
    EXPECT_EQ(error_of(slurm("3", "1", "8 ")),
              "--shard auto: SLURM_ARRAY_TASK_COUNT='8 ' is not a whole number");
    Environment env = slurm("3", "1", "8");
    env["SLURM_ARRAY_TASK_STEP"] = "two";
    EXPECT_EQ(error_of(env), "--shard auto: SLURM_ARRAY_TASK_STEP='two' is not a whole number");
    env["SLURM_ARRAY_TASK_STEP"] = "0";
    EXPECT_EQ(error_of(env), "--shard auto: SLURM_ARRAY_TASK_STEP=0: a step is 1 or more");
    EXPECT_EQ(error_of(slurm("3", "1", "0")),
              "--shard auto: SLURM_ARRAY_TASK_COUNT=0: an array has 1 task or more");
    Environment max = slurm("3", "1", "8");
    max["SLURM_ARRAY_TASK_MAX"] = "8x";
    EXPECT_EQ(error_of(max), "--shard auto: SLURM_ARRAY_TASK_MAX='8x' is not a whole number");
}

// ---- Kubernetes ----------------------------------------------------------------

TEST(ShardEnvironment, KubernetesIndexWithAutoSlashN) {
    const ShardFromEnvironment got = from({{"JOB_COMPLETION_INDEX", "2"}}, 8);
    EXPECT_EQ(got.shard, (Shard{3, 8}));
    EXPECT_EQ(got.source, "JOB_COMPLETION_INDEX=2");
    EXPECT_EQ(from({{"JOB_COMPLETION_INDEX", "0"}}, 1).shard, (Shard{1, 1}));
    EXPECT_EQ(from({{"JOB_COMPLETION_INDEX", "7"}}, 8).shard, (Shard{8, 8}));
}

TEST(ShardEnvironment, KubernetesNeedsAutoSlashN) {
    EXPECT_EQ(error_of({{"JOB_COMPLETION_INDEX", "2"}}),
              "--shard auto: JOB_COMPLETION_INDEX=2 gives this task's index but not how many "
              "tasks there are (the Job's completions): give --shard auto/N");
    EXPECT_EQ(error_of({{"JOB_COMPLETION_INDEX", "8"}}, 8),
              "--shard auto/8: JOB_COMPLETION_INDEX=8 is not below N (8): indexes go from 0 "
              "to N-1");
    EXPECT_EQ(error_of({{"JOB_COMPLETION_INDEX", "two"}}, 8),
              "--shard auto/8: JOB_COMPLETION_INDEX='two' is not a whole number");
}

// ---- AWS Batch -----------------------------------------------------------------

TEST(ShardEnvironment, AwsBatchIndexWithItsSize) {
    const ShardFromEnvironment got =
        from({{"AWS_BATCH_JOB_ARRAY_INDEX", "0"}, {"AWS_BATCH_JOB_ARRAY_SIZE", "10"}});
    EXPECT_EQ(got.shard, (Shard{1, 10}));
    EXPECT_EQ(got.source, "AWS_BATCH_JOB_ARRAY_INDEX=0 (AWS_BATCH_JOB_ARRAY_SIZE=10)");
    EXPECT_EQ(from({{"AWS_BATCH_JOB_ARRAY_INDEX", "9"}, {"AWS_BATCH_JOB_ARRAY_SIZE", "10"}}, 10)
                  .shard,
              (Shard{10, 10}));
}

TEST(ShardEnvironment, AwsBatchIndexWithAutoSlashN) {
    const ShardFromEnvironment got = from({{"AWS_BATCH_JOB_ARRAY_INDEX", "4"}}, 5);
    EXPECT_EQ(got.shard, (Shard{5, 5}));
    EXPECT_EQ(got.source, "AWS_BATCH_JOB_ARRAY_INDEX=4");
}

TEST(ShardEnvironment, AwsBatchRefusals) {
    EXPECT_EQ(error_of({{"AWS_BATCH_JOB_ARRAY_INDEX", "4"}}),
              "--shard auto: AWS_BATCH_JOB_ARRAY_INDEX=4 is set but AWS_BATCH_JOB_ARRAY_SIZE is "
              "not: give --shard auto/N");
    EXPECT_EQ(error_of({{"AWS_BATCH_JOB_ARRAY_INDEX", "4"}, {"AWS_BATCH_JOB_ARRAY_SIZE", "10"}}, 5),
              "--shard auto/5: AWS_BATCH_JOB_ARRAY_SIZE=10: the array has 10 tasks, not 5");
    EXPECT_EQ(error_of({{"AWS_BATCH_JOB_ARRAY_INDEX", "5"}}, 5),
              "--shard auto/5: AWS_BATCH_JOB_ARRAY_INDEX=5 is not below N (5): indexes go from "
              "0 to N-1");
    EXPECT_EQ(error_of({{"AWS_BATCH_JOB_ARRAY_INDEX", "1"}, {"AWS_BATCH_JOB_ARRAY_SIZE", "x"}}),
              "--shard auto: AWS_BATCH_JOB_ARRAY_SIZE='x' is not a whole number");
}

// ---- which one ------------------------------------------------------------------

TEST(ShardEnvironment, SlurmThenKubernetesThenAwsBatch) {
    Environment all = slurm("2", "1", "4");
    all["JOB_COMPLETION_INDEX"] = "0";
    all["AWS_BATCH_JOB_ARRAY_INDEX"] = "2";
    EXPECT_EQ(from(all, 4).shard, (Shard{2, 4}));
    all.erase("SLURM_ARRAY_TASK_ID");
    EXPECT_EQ(from(all, 4).shard, (Shard{1, 4}));
    all.erase("JOB_COMPLETION_INDEX");
    EXPECT_EQ(from(all, 4).shard, (Shard{3, 4}));
}

TEST(ShardEnvironment, AnEmptyValueIsUnset) {
    Environment env{{"SLURM_ARRAY_TASK_ID", ""}, {"JOB_COMPLETION_INDEX", "1"}};
    EXPECT_EQ(from(env, 2).shard, (Shard{2, 2}));
    Environment slurm_min_empty = slurm("3", "", "8");
    EXPECT_EQ(error_of(slurm_min_empty),
              "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not: give "
              "--shard K/N");
}

TEST(ShardEnvironment, NothingSetIsRefusedWithTheNames) {
    const std::string message =
        ": no array task in the environment (none of SLURM_ARRAY_TASK_ID, "
        "JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set): give --shard K/N";
    EXPECT_EQ(error_of({}), "--shard auto" + message);
    EXPECT_EQ(error_of({{"SLURM_JOB_ID", "5"}}, 3), "--shard auto/3" + message);
}

}  // namespace
