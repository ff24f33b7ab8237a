// fd_headroom_test.cpp: fds_available() against a lowered RLIMIT_NOFILE.
#include "exec/fd_headroom.hpp"

#include <gtest/gtest.h>

#include "support/fd_limit_support.hpp"

namespace {

using wgrun::fds_available;
using wgrun::test::FdLimit;
using wgrun::test::open_fds;

TEST(FdHeadroom, SaysWhetherThatManyFdsCanBeOpened) {
    const auto before = open_fds();
    {
        FdLimit limit(5);
        EXPECT_TRUE(fds_available(0));
        EXPECT_TRUE(fds_available(5));
        EXPECT_FALSE(fds_available(6));
        EXPECT_FALSE(fds_available(40)) << "more than it keeps on its stack";
        EXPECT_TRUE(fds_available(5)) << "the probe gave back every fd it opened";
    }
    EXPECT_EQ(open_fds(), before) << "no fd left open";
    EXPECT_TRUE(fds_available(40));
}

}  // namespace
