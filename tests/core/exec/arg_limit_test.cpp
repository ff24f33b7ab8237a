// arg_limit_test.cpp: the command-line limit for argument packing: ARG_MAX
// less the environment (strings, NULs, pointers, the null pointer) less
// kArgMargin.
#include "exec/arg_limit.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

namespace {

using wgrun::arg_limit;
using wgrun::kArgMargin;
using wgrun::kMaxArgString;

TEST(ArgLimit, ArgMaxLessTheEnvironmentLessTheMargin) {
    const char* env[] = {"A=1", "LONGER=value", nullptr};
    const auto limit = arg_limit(env);
    EXPECT_EQ(limit.arg_max, static_cast<std::size_t>(::sysconf(_SC_ARG_MAX)));
    const std::size_t environment = (4 + sizeof(char*)) + (13 + sizeof(char*)) + sizeof(char*);
    EXPECT_EQ(limit.environment, environment);
    EXPECT_EQ(limit.usable, limit.arg_max - environment - kArgMargin);
}

TEST(ArgLimit, NoEnvironmentStillCountsTheNullPointer) {
    const char* env[] = {nullptr};
    EXPECT_EQ(arg_limit(env).environment, sizeof(char*));
    EXPECT_EQ(arg_limit(nullptr).environment, sizeof(char*));
}

TEST(ArgLimit, AnEnvironmentLargerThanArgMaxLeavesNothing) {
    static std::string huge;
    huge = "X=" + std::string(static_cast<std::size_t>(::sysconf(_SC_ARG_MAX)), 'x');
    const char* env[] = {huge.c_str(), nullptr};
    EXPECT_EQ(arg_limit(env).usable, 0u);
}

TEST(ArgLimit, OneStringIs128KiB) { EXPECT_EQ(kMaxArgString, 131072u); }

}  // namespace
