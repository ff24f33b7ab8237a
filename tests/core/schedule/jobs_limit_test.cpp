// jobs_limit_test.cpp: the -j grammar, usable_cpus() on this machine, and the
// cgroup quota walk over fake v1 and v2 trees in a temporary directory.
#include "schedule/jobs_limit.hpp"

#include <gtest/gtest.h>

#include <sched.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>

#include "schedule/jobs_limit_detail.hpp"

namespace {

using wgrun::JobsError;
using wgrun::parse_jobs;
using wgrun::detail::cgroup_cpu_limit;

TEST(ParseJobs, Count) {
    EXPECT_EQ(parse_jobs("4", 2), 4u);
    EXPECT_EQ(parse_jobs("1", 8), 1u);
    EXPECT_EQ(parse_jobs("0", 8), 0u);  // no limit
    EXPECT_EQ(parse_jobs("007", 8), 7u);
    EXPECT_EQ(parse_jobs("1000000", 8), 1000000u);
}

TEST(ParseJobs, Percent) {
    EXPECT_EQ(parse_jobs("50%", 2), 1u);
    EXPECT_EQ(parse_jobs("50%", 4), 2u);
    EXPECT_EQ(parse_jobs("50%", 5), 2u);  // rounded down
    EXPECT_EQ(parse_jobs("100%", 2), 2u);
    EXPECT_EQ(parse_jobs("100%", 64), 64u);
    EXPECT_EQ(parse_jobs("200%", 3), 6u);
    EXPECT_EQ(parse_jobs("1%", 2), 1u);  // at least 1
    EXPECT_EQ(parse_jobs("0%", 16), 1u);
}

TEST(ParseJobs, PlusAndMinus) {
    EXPECT_EQ(parse_jobs("+1", 2), 3u);
    EXPECT_EQ(parse_jobs("+0", 2), 2u);
    EXPECT_EQ(parse_jobs("+10", 4), 14u);
    EXPECT_EQ(parse_jobs("-1", 2), 1u);
    EXPECT_EQ(parse_jobs("-1", 8), 7u);
    EXPECT_EQ(parse_jobs("-0", 8), 8u);
    EXPECT_EQ(parse_jobs("-2", 2), 1u);   // at least 1
    EXPECT_EQ(parse_jobs("-100", 2), 1u);
    EXPECT_EQ(parse_jobs("-1000000", 2), 1u);
}

TEST(ParseJobs, Errors) {
    for (const char* bad : {"", "x", "4x", "x4", "-", "+", "%", "1.5", "99999999999",
                            "1000001", "+1000001", "99999999999999999999999999", " 4", "4 ",
                            "+-1", "-+1", "--1", "++1", "4%%", "%4", "+4%", "-4%", "0x10",
                            "1e3", "\xd9\xa4", "4\n"}) {
        EXPECT_THROW(parse_jobs(bad, 2), JobsError) << '"' << bad << '"';
    }
    // The result may not pass the limit either.
    EXPECT_THROW(parse_jobs("+999999", 2), JobsError);
    EXPECT_THROW(parse_jobs("1000000%", 200), JobsError);
    EXPECT_EQ(parse_jobs("999999%", 1), 9999u);
}

TEST(ParseJobs, ErrorNamesTheValueOnOneLine) {
    try {
        parse_jobs("4x", 2);
        FAIL();
    } catch (const std::invalid_argument& e) {  // JobsError is an invalid_argument
        EXPECT_NE(std::string(e.what()).find("'4x'"), std::string::npos) << e.what();
    }
    try {
        parse_jobs("4\nx", 2);
        FAIL();
    } catch (const JobsError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
}

TEST(UsableCpus, WithinTheMachine) {
    const unsigned cpus = wgrun::usable_cpus();
    EXPECT_GE(cpus, 1u);
    const unsigned hardware = std::thread::hardware_concurrency();
    if (hardware > 0) {
        EXPECT_LE(cpus, hardware);
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        EXPECT_LE(cpus, static_cast<unsigned>(CPU_COUNT(&set)));
    }
    EXPECT_EQ(wgrun::detail::affinity_cpus(), static_cast<unsigned>(CPU_COUNT(&set)));
}

// A fake cgroup mount in a fresh temporary directory.
class FakeCgroup : public testing::Test {
protected:
    void SetUp() override {
        char name[] = "/tmp/wgrun_cgroup_test.XXXXXX";
        ASSERT_NE(mkdtemp(name), nullptr);
        root_ = name;
    }
    void TearDown() override { std::filesystem::remove_all(root_); }

    // Writes `content` to `relative` under the root, creating directories.
    void write(const std::string& relative, const std::string& content) {
        const std::filesystem::path path = std::filesystem::path(root_) / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << content;
    }
    unsigned limit(std::string_view proc_self_cgroup) const {
        return cgroup_cpu_limit(root_, proc_self_cgroup);
    }

    std::string root_;
};

TEST_F(FakeCgroup, NoFilesNoLimit) {
    EXPECT_EQ(limit("0::/\n"), 0u);
    EXPECT_EQ(limit("0::/a/b\n"), 0u);
    EXPECT_EQ(limit(""), 0u);
    EXPECT_EQ(limit("garbage"), 0u);
}

TEST_F(FakeCgroup, V2MaxIsNoLimit) {
    write("a/b/cpu.max", "max 100000\n");
    EXPECT_EQ(limit("0::/a/b\n"), 0u);
}

TEST_F(FakeCgroup, V2QuotaIsRoundedUp) {
    write("a/b/cpu.max", "150000 100000\n");
    EXPECT_EQ(limit("0::/a/b\n"), 2u);
    write("a/b/cpu.max", "50000 100000\n");
    EXPECT_EQ(limit("0::/a/b\n"), 1u);
    write("a/b/cpu.max", "400000 100000\n");
    EXPECT_EQ(limit("0::/a/b\n"), 4u);
    write("a/b/cpu.max", "1 1000000\n");
    EXPECT_EQ(limit("0::/a/b\n"), 1u);
}

TEST_F(FakeCgroup, V2NestedTakesTheSmallest) {
    write("a/cpu.max", "200000 100000\n");
    write("a/b/cpu.max", "max 100000\n");
    write("a/b/c/cpu.max", "350000 100000\n");
    EXPECT_EQ(limit("0::/a/b/c\n"), 2u);  // the grandparent is tighter
    write("a/b/c/cpu.max", "100000 100000\n");
    EXPECT_EQ(limit("0::/a/b/c\n"), 1u);  // the cgroup itself is tighter
    write("cpu.max", "50000 100000\n");
    write("a/b/c/cpu.max", "max 100000\n");
    EXPECT_EQ(limit("0::/a/b/c\n"), 1u);  // the mount's top counts too
    // A sibling's quota does not apply.
    write("x/cpu.max", "100000 100000\n");
    write("cpu.max", "max 100000\n");
    EXPECT_EQ(limit("0::/a/b/c\n"), 2u);
}

TEST_F(FakeCgroup, V2MissingLeafWalksUp) {
    // Without a cgroup namespace the path may not exist under the mount.
    write("cpu.max", "300000 100000\n");
    EXPECT_EQ(limit("0::/docker/0123abcd\n"), 3u);
}

TEST_F(FakeCgroup, V2PathIsFoundAmongOtherLines) {
    write("user.slice/cpu.max", "250000 100000\n");
    EXPECT_EQ(limit("12:pids:/\n1:name=systemd:/x\n0::/user.slice\n"), 3u);
    EXPECT_EQ(limit("0::/user.slice"), 3u);  // no final newline
    EXPECT_EQ(limit("0::/../../user.slice\n"), 3u);  // never above the root
}

TEST_F(FakeCgroup, V2MalformedFilesAreIgnored) {
    for (const char* content : {"", "max", "100000", "abc 100000", "100000 abc", "0 100000",
                                "-5 100000", "100000 0", "100000 100000 7", "1.5 100000"}) {
        write("a/cpu.max", content);
        EXPECT_EQ(limit("0::/a\n"), 0u) << content;
    }
}

TEST_F(FakeCgroup, V1Quota) {
    write("cpu/cpu.cfs_quota_us", "250000\n");
    write("cpu/cpu.cfs_period_us", "100000\n");
    EXPECT_EQ(limit("3:cpu:/\n0::/\n"), 3u);
    EXPECT_EQ(limit(""), 3u);  // the mount's top without a cpu line
    write("cpu/cpu.cfs_quota_us", "-1\n");
    EXPECT_EQ(limit("3:cpu:/\n"), 0u);
    write("cpu/cpu.cfs_quota_us", "0\n");
    EXPECT_EQ(limit("3:cpu:/\n"), 0u);
}

TEST_F(FakeCgroup, V1CombinedControllersAndNesting) {
    write("cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    write("cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    write("cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "150000\n");
    write("cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
    EXPECT_EQ(limit("4:cpu,cpuacct:/docker/abc\n"), 2u);
    EXPECT_EQ(limit("4:cpuacct,cpu:/docker/abc\n"), 2u);
    EXPECT_EQ(limit("4:cpuacct:/docker/abc\n"), 0u);  // not the cpu controller
    write("cpu,cpuacct/docker/cpu.cfs_quota_us", "100000\n");
    write("cpu,cpuacct/docker/cpu.cfs_period_us", "100000\n");
    EXPECT_EQ(limit("4:cpu,cpuacct:/docker/abc\n"), 1u);
}

TEST_F(FakeCgroup, V1NeedsBothFiles) {
    write("cpu/cpu.cfs_quota_us", "250000\n");
    EXPECT_EQ(limit("3:cpu:/\n"), 0u);
}

TEST_F(FakeCgroup, V2QuotaWinsOverV1) {
    write("a/cpu.max", "400000 100000\n");
    write("cpu/cpu.cfs_quota_us", "100000\n");
    write("cpu/cpu.cfs_period_us", "100000\n");
    EXPECT_EQ(limit("0::/a\n3:cpu:/\n"), 4u);
    write("a/cpu.max", "max 100000\n");  // v2 sets none: v1 applies
    EXPECT_EQ(limit("0::/a\n3:cpu:/\n"), 1u);
}

TEST_F(FakeCgroup, HugeQuotaIsClamped) {
    write("cpu.max", "9223372036854775807 1\n");
    EXPECT_EQ(limit("0::/\n"), std::numeric_limits<unsigned>::max());
}

}  // namespace
