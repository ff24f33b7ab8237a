// slurm_wiring_test.cpp: --slurm parsed and refused where it cannot go,
// -j per node, and the allocation read from the environment (a node list
// without ranges: no scontrol needed).
#include "slurm_wiring.hpp"

#include <stdlib.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::HostSpec;
using wgrun::cli::memory_warning;
using wgrun::cli::slots_per_node;
using wgrun::cli::UsageError;
using wgrun::cli::wire_slurm;
using wgrun::test::options_of;
using wgrun::test::usage_error_of;

std::vector<std::uint64_t> slots_of(const std::vector<HostSpec>& hosts) {
    std::vector<std::uint64_t> slots;
    for (const HostSpec& host : hosts) slots.push_back(host.slots);
    return slots;
}

TEST(SlurmOptions, SlurmIsAFlag) {
    EXPECT_FALSE(options_of({"echo"}).exec.slurm);
    EXPECT_TRUE(options_of({"--slurm", "echo", ":::", "a"}).exec.slurm);
}

TEST(SlurmOptions, NotWithJobserverOrTty) {
    EXPECT_NE(usage_error_of({"--slurm", "--jobserver", "-j2", "echo"}).find("--jobserver"),
              std::string::npos);
    EXPECT_NE(usage_error_of({"--slurm", "--tty", "echo"}).find("--tty"), std::string::npos);
}

TEST(SlurmWiring, DashJIsPerNodeAgainstItsTasks) {
    const std::vector<HostSpec> nodes{{"a", 4}, {"b", 2}};
    EXPECT_EQ(slots_of(slots_per_node(nodes, "")), (std::vector<std::uint64_t>{4, 2}));
    EXPECT_EQ(slots_of(slots_per_node(nodes, "1")), (std::vector<std::uint64_t>{1, 1}));
    EXPECT_EQ(slots_of(slots_per_node(nodes, "8")), (std::vector<std::uint64_t>{8, 8}));
    EXPECT_EQ(slots_of(slots_per_node(nodes, "50%")), (std::vector<std::uint64_t>{2, 1}));
    EXPECT_EQ(slots_of(slots_per_node(nodes, "+1")), (std::vector<std::uint64_t>{5, 3}));
    EXPECT_EQ(slots_of(slots_per_node(nodes, "-1")), (std::vector<std::uint64_t>{3, 1}));
}

TEST(SlurmWiring, DashJZeroOrAFileIsRefused) {
    const std::vector<HostSpec> nodes{{"a", 4}};
    EXPECT_THROW(slots_per_node(nodes, "0"), UsageError);
    EXPECT_THROW(slots_per_node(nodes, "jobs.txt"), UsageError);
}

// Sets the variables for the test's life, and puts them back.
class Env {
public:
    void set(const char* name, const char* value) {
        const char* old = ::getenv(name);
        saved_.push_back({name, old != nullptr, old != nullptr ? old : ""});
        if (value == nullptr) {
            ::unsetenv(name);
        } else {
            ::setenv(name, value, 1);
        }
    }
    ~Env() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->had) {
                ::setenv(it->name.c_str(), it->value.c_str(), 1);
            } else {
                ::unsetenv(it->name.c_str());
            }
        }
    }

private:
    struct Saved {
        std::string name;
        bool had;
        std::string value;
    };
    std::vector<Saved> saved_;
};

TEST(SlurmWiring, OutsideAnAllocationNamesSbatchAndSalloc) {
    Env env;
    env.set("SLURM_JOB_ID", nullptr);
    env.set("SLURM_JOBID", nullptr);
    try {
        wire_slurm(options_of({"--slurm", "echo"}));
        FAIL() << "no usage error";
    } catch (const UsageError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("SLURM_JOB_ID is not set"), std::string::npos) << message;
        EXPECT_NE(message.find("sbatch"), std::string::npos) << message;
        EXPECT_NE(message.find("salloc"), std::string::npos) << message;
    }
}

TEST(SlurmWiring, NodesAndTasksFromTheEnvironment) {
    Env env;
    env.set("SLURM_JOB_ID", "77");
    env.set("SLURM_JOB_NODELIST", "n1,n2,n3");
    env.set("SLURM_TASKS_PER_NODE", "2(x2),1");
    const auto wiring = wire_slurm(options_of({"--slurm", "echo"}));
    EXPECT_EQ(wiring.srun.job_id, "77");
    EXPECT_FALSE(wiring.srun.guard.empty());
    EXPECT_EQ(wiring.jobs, 5u);
    ASSERT_NE(wiring.slots, nullptr);
    EXPECT_EQ(wiring.slots->usable(), (std::vector<std::string>{"n1", "n2", "n3"}));
    const auto capped = wire_slurm(options_of({"--slurm", "-j1", "echo"}));
    EXPECT_EQ(capped.jobs, 3u);
}

TEST(SlurmWiring, TasksThatDoNotMatchTheNodesAreAUsageError) {
    Env env;
    env.set("SLURM_JOB_ID", "77");
    env.set("SLURM_JOB_NODELIST", "n1,n2");
    env.set("SLURM_TASKS_PER_NODE", "2");
    EXPECT_THROW(wire_slurm(options_of({"--slurm", "echo"})), UsageError);
    env.set("SLURM_TASKS_PER_NODE", nullptr);
    EXPECT_THROW(wire_slurm(options_of({"--slurm", "echo"})), UsageError);
}

TEST(SlurmWiring, WarnsOfMemoryPerNodeOnly) {
    Env env;
    env.set("SLURM_MEM_PER_NODE", nullptr);
    env.set("SLURM_MEM_PER_CPU", nullptr);
    EXPECT_EQ(memory_warning(), "");
    env.set("SLURM_MEM_PER_CPU", "200");
    EXPECT_EQ(memory_warning(), "");
    env.set("SLURM_MEM_PER_NODE", "400");
    env.set("SLURM_MEM_PER_CPU", nullptr);
    EXPECT_NE(memory_warning().find("--mem-per-cpu"), std::string::npos);
}

}  // namespace
