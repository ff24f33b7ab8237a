// pipe_size_test.cpp: job pipes are shared out under the budget, and
// grow_pipe() grows pipes only, never shrinks them, and leaves other fds be.
#include "output/pipe_size.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace {

using wgrun::grow_pipe;
using wgrun::job_pipe_size;
using wgrun::kBigPipe;
using wgrun::kDefaultPipe;
using wgrun::kJobPipeBudget;
using wgrun::test::Fd;

struct PipePair {
    Fd read;
    Fd write;
    PipePair() {
        int fds[2];
        EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
        read.reset(fds[0]);
        write.reset(fds[1]);
    }
};

TEST(JobPipeSize, FewJobsGetTheBigPipe) {
    EXPECT_EQ(job_pipe_size(1), kBigPipe);
    EXPECT_EQ(job_pipe_size(4), kBigPipe);
    EXPECT_EQ(job_pipe_size(kJobPipeBudget / kBigPipe), kBigPipe);
}

TEST(JobPipeSize, ManyJobsShareTheBudgetInPowersOfTwo) {
    for (std::uint64_t jobs : {17u, 32u, 33u, 64u, 100u, 255u, 256u}) {
        const std::size_t size = job_pipe_size(jobs);
        EXPECT_LE(size * jobs, kJobPipeBudget) << jobs;
        EXPECT_GT(size * 2 * jobs, kJobPipeBudget) << jobs << ": not the biggest that fits";
        EXPECT_EQ(size & (size - 1), 0u) << size;
    }
    EXPECT_EQ(job_pipe_size(17), kBigPipe / 2);
}

TEST(JobPipeSize, NoLimitOrTooManyJobsLeaveTheDefault) {
    EXPECT_EQ(job_pipe_size(0), kDefaultPipe) << "-j 0: no limit, so no budget per job";
    EXPECT_EQ(job_pipe_size(1000), kDefaultPipe);
    EXPECT_EQ(job_pipe_size(1'000'000), kDefaultPipe);
}

TEST(GrowPipe, GrowsASmallPipeFromEitherEnd) {
    PipePair a;
    ASSERT_EQ(::fcntl(a.write.get(), F_GETPIPE_SZ), static_cast<int>(kDefaultPipe));
    EXPECT_EQ(grow_pipe(a.write.get(), kBigPipe), kBigPipe);
    EXPECT_EQ(::fcntl(a.read.get(), F_GETPIPE_SZ), static_cast<int>(kBigPipe));
    PipePair b;
    EXPECT_EQ(grow_pipe(b.read.get(), 256 << 10), std::size_t{256} << 10);
}

TEST(GrowPipe, NeverShrinks) {
    PipePair p;
    ASSERT_EQ(::fcntl(p.write.get(), F_SETPIPE_SZ, static_cast<int>(kBigPipe)),
              static_cast<int>(kBigPipe));
    EXPECT_EQ(grow_pipe(p.write.get(), 128 << 10), kBigPipe);
    EXPECT_EQ(::fcntl(p.read.get(), F_GETPIPE_SZ), static_cast<int>(kBigPipe));
}

TEST(GrowPipe, KeepsWhatThePipeHolds) {
    PipePair p;
    ASSERT_EQ(::write(p.write.get(), "abc", 3), 3);
    EXPECT_EQ(grow_pipe(p.write.get(), kBigPipe), kBigPipe);
    char buf[8];
    EXPECT_EQ(::read(p.read.get(), buf, sizeof buf), 3);
}

TEST(GrowPipe, LeavesFilesAndDevicesAlone) {
    wgrun::test::TempDir dir;
    Fd file(::open((dir.path() + "/f").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
    ASSERT_GE(file.get(), 0);
    EXPECT_EQ(grow_pipe(file.get(), kBigPipe), 0u);
    Fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    EXPECT_EQ(grow_pipe(null.get(), kBigPipe), 0u);
    EXPECT_EQ(grow_pipe(-1, kBigPipe), 0u);
}

}  // namespace
