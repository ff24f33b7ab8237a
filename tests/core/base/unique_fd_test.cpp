#include "base/unique_fd.hpp"

#include <fcntl.h>
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

}  // namespace
}  // namespace wgrun
