// unread_input_test.cpp: holds_unread_input on files, pipes, sockets and
// devices, without reading anything.
#include "input/unread_input.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

using wgrun::holds_unread_input;

void put(int fd, const std::string& data) {
    ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
}

TEST(UnreadInput, PipeWithBytesHoldsInputAndIsLeftAsItWas) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    EXPECT_FALSE(holds_unread_input(fds[0])) << "an empty pipe, writer open";
    put(fds[1], "a\n");
    EXPECT_TRUE(holds_unread_input(fds[0]));
    ::close(fds[1]);
    EXPECT_TRUE(holds_unread_input(fds[0])) << "closed for writing, bytes left";
    char buf[8];
    EXPECT_EQ(::read(fds[0], buf, sizeof buf), 2) << "the bytes must still be there";
    EXPECT_FALSE(holds_unread_input(fds[0])) << "read to the end";
    ::close(fds[0]);
}

TEST(UnreadInput, ClosedEmptyPipeHoldsNothing) {
    // A CI runner's stdin: an empty pipe.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ::close(fds[1]);
    EXPECT_FALSE(holds_unread_input(fds[0]));
    ::close(fds[0]);
}

TEST(UnreadInput, RegularFileByItsOffset) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                       "/wgrun_unread_XXXXXX";
    const int fd = ::mkstemp(path.data());
    ASSERT_GE(fd, 0);
    ::unlink(path.c_str());
    EXPECT_FALSE(holds_unread_input(fd)) << "an empty file";
    put(fd, "line\n");
    EXPECT_FALSE(holds_unread_input(fd)) << "the offset is at the end";
    ASSERT_EQ(::lseek(fd, 0, SEEK_SET), 0);
    EXPECT_TRUE(holds_unread_input(fd));
    ASSERT_EQ(::lseek(fd, 0, SEEK_CUR), 0) << "the offset must not move";
    ::close(fd);
}

TEST(UnreadInput, SocketWithBytes) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    EXPECT_FALSE(holds_unread_input(fds[0]));
    put(fds[1], "x");
    EXPECT_TRUE(holds_unread_input(fds[0]));
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(UnreadInput, DevicesAndBadFdsHoldNothing) {
    const int null = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(null, 0);
    EXPECT_FALSE(holds_unread_input(null));
    ::close(null);
    const int zero = ::open("/dev/zero", O_RDONLY);  // endless, but a device
    ASSERT_GE(zero, 0);
    EXPECT_FALSE(holds_unread_input(zero));
    ::close(zero);
    EXPECT_FALSE(holds_unread_input(-1));
}

}  // namespace
