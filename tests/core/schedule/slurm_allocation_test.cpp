// slurm_allocation_test.cpp: SLURM_TASKS_PER_NODE read ("2(x3),1"), the
// node names scontrol prints, and the two put together as hosts.
#include "schedule/slurm_allocation.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using wgrun::allocation_hosts;
using wgrun::HostSpec;
using wgrun::parse_hostnames;
using wgrun::parse_tasks_per_node;
using wgrun::SlurmAllocationError;
using Counts = std::vector<std::uint64_t>;

TEST(SlurmAllocation, TasksPerNodeOneItem) {
    EXPECT_EQ(parse_tasks_per_node("1"), Counts{1});
    EXPECT_EQ(parse_tasks_per_node("16"), Counts{16});
}

TEST(SlurmAllocation, TasksPerNodeRepeatsAndLists) {
    EXPECT_EQ(parse_tasks_per_node("2(x3),1"), (Counts{2, 2, 2, 1}));
    EXPECT_EQ(parse_tasks_per_node("4,2(x2)"), (Counts{4, 2, 2}));
    EXPECT_EQ(parse_tasks_per_node("3(x1)"), Counts{3});
}

TEST(SlurmAllocation, TasksPerNodeRefusesWhatIsNotNOrNxR) {
    for (const char* bad : {"", "0", "x", "2(x)", "2(x0)", "2(3)", "(x2)", "2(x3", "2,", ",2",
                            "2,,1", "-1", "+2", "2 ", "1.5", "2(x3)1"}) {
        EXPECT_THROW(parse_tasks_per_node(bad), SlurmAllocationError) << "'" << bad << "'";
    }
}

TEST(SlurmAllocation, TasksPerNodeErrorNamesTheVariableAndTheItem) {
    try {
        parse_tasks_per_node("2(x3),y");
        FAIL() << "no error";
    } catch (const SlurmAllocationError& e) {
        EXPECT_EQ(std::string(e.what()), "SLURM_TASKS_PER_NODE '2(x3),y': 'y' is not N or N(xR)");
    }
}

TEST(SlurmAllocation, TasksPerNodeRefusesAMillionNodes) {
    EXPECT_THROW(parse_tasks_per_node("1(x1000000),1"), SlurmAllocationError);
}

TEST(SlurmAllocation, HostnamesOneALine) {
    EXPECT_EQ(parse_hostnames("n01\nn02\n\n  n03 \n"),
              (std::vector<std::string>{"n01", "n02", "n03"}));
    EXPECT_TRUE(parse_hostnames("").empty());
}

TEST(SlurmAllocation, HostsPairNodesWithTheirTasks) {
    const std::vector<HostSpec> hosts = allocation_hosts({"a", "b", "c"}, {2, 2, 1});
    ASSERT_EQ(hosts.size(), 3u);
    EXPECT_EQ(hosts[0].name, "a");
    EXPECT_EQ(hosts[0].slots, 2u);
    EXPECT_EQ(hosts[2].name, "c");
    EXPECT_EQ(hosts[2].slots, 1u);
}

TEST(SlurmAllocation, HostsRefuseListsOfDifferentLengthsOrNone) {
    EXPECT_THROW(allocation_hosts({"a", "b"}, {2}), SlurmAllocationError);
    EXPECT_THROW(allocation_hosts({}, {}), SlurmAllocationError);
    try {
        allocation_hosts({"a"}, {1, 1});
        FAIL() << "no error";
    } catch (const SlurmAllocationError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "the allocation has 1 node but SLURM_TASKS_PER_NODE counts 2");
    }
}

}  // namespace
