#include "base/unique_fd.hpp"

#include <fcntl.h>

#include <cerrno>
#include <gtest/gtest.h>
#include <unistd.h>

namespace wgrun {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

TEST(UniqueFd, ClosesOnDestruction) {
    int raw;
    {
        Pipe p;
        ASSERT_EQ(make_pipe(p), 0);
        raw = p.read.get();
        EXPECT_TRUE(is_open(raw));
        EXPECT_TRUE(::fcntl(raw, F_GETFD) & FD_CLOEXEC);
    }
    EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, MoveTransfersOwnershipAndReleaseGivesItUp) {
    Pipe p;
    ASSERT_EQ(make_pipe(p), 0);
    int raw = p.write.get();
    UniqueFd moved(std::move(p.write));
    EXPECT_FALSE(p.write);
    EXPECT_EQ(moved.get(), raw);
    int given = moved.release();
    EXPECT_FALSE(moved);
    EXPECT_TRUE(is_open(given));
    ::close(given);
}

TEST(UniqueFd, CloseReportsAndOwnsNothingAfter) {
    Pipe p;
    ASSERT_EQ(make_pipe(p), 0);
    int raw = p.read.get();
    EXPECT_EQ(p.read.close(), 0);
    EXPECT_FALSE(p.read);
    EXPECT_FALSE(is_open(raw));
    EXPECT_EQ(p.read.close(), 0);
    UniqueFd bogus(1 << 20);
    EXPECT_EQ(bogus.close(), EBADF);
}

TEST(UniqueFd, MoveAssignmentAndResetCloseWhatWasHeld) {
    Pipe a;
    Pipe b;
    ASSERT_EQ(make_pipe(a), 0);
    ASSERT_EQ(make_pipe(b), 0);
    const int old_fd = a.read.get();
    const int kept = b.read.get();
    a.read = std::move(b.read);
    EXPECT_FALSE(is_open(old_fd)) << "the fd it held is closed";
    EXPECT_EQ(a.read.get(), kept);
    EXPECT_FALSE(b.read);
    a.read.reset(kept);  // the same fd: kept open
    EXPECT_TRUE(is_open(kept));
    UniqueFd& self = a.read;
    a.read = std::move(self);
    EXPECT_TRUE(is_open(kept)) << "self-move closes nothing";
    a.read.reset();
    EXPECT_FALSE(is_open(kept));
    EXPECT_FALSE(a.read);
}

TEST(UniqueFd, MakePipeTakesExtraFlagsAndReportsErrno) {
    Pipe p;
    ASSERT_EQ(make_pipe(p, O_NONBLOCK), 0);
    EXPECT_TRUE(::fcntl(p.read.get(), F_GETFL) & O_NONBLOCK);
    EXPECT_TRUE(::fcntl(p.write.get(), F_GETFD) & FD_CLOEXEC);
    Pipe bad;
    EXPECT_EQ(make_pipe(bad, -1), EINVAL);
    EXPECT_FALSE(bad.read);
    EXPECT_FALSE(bad.write);
}

}  // namespace
}  // namespace wgrun
