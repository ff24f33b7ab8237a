// inherited_fds_test.cpp: which fds are the caller's to pass on, and
// /dev/null on closed standard fds (in a forked child, which may close them).
#include "exec/inherited_fds.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using wgrun::ensure_standard_fds;
using wgrun::inherited_fds;

bool contains(const std::vector<int>& fds, int fd) {
    return std::find(fds.begin(), fds.end(), fd) != fds.end();
}

TEST(InheritedFds, TheOpenOnesWithoutCloseOnExecAscending) {
    const int passed = ::open("/dev/null", O_RDONLY);
    const int own = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(passed, 3);
    ASSERT_GE(own, 3);
    const std::vector<int> fds = inherited_fds();
    EXPECT_TRUE(contains(fds, passed));
    EXPECT_FALSE(contains(fds, own));
    EXPECT_TRUE(std::is_sorted(fds.begin(), fds.end()));
    EXPECT_TRUE(std::none_of(fds.begin(), fds.end(), [](int fd) { return fd <= 2; }));
    ::close(passed);
    ::close(own);
    EXPECT_FALSE(contains(inherited_fds(), passed)) << "closed: not there any more";
}

// In a child: closes `closed` of 0-2, calls ensure_standard_fds(), then opens
// a file: exits 0 when each closed fd is /dev/null and the file is above 2.
int closed_then_ensured(std::vector<int> closed) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (int fd : closed) ::close(fd);
        ensure_standard_fds();
        struct stat null {};
        ::stat("/dev/null", &null);
        for (int fd : closed) {
            struct stat info {};
            if (::fstat(fd, &info) != 0 || info.st_rdev != null.st_rdev) ::_exit(1);
            const int mode = ::fcntl(fd, F_GETFL) & O_ACCMODE;
            if (mode != (fd == 0 ? O_RDONLY : O_WRONLY)) ::_exit(2);
            if ((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0) ::_exit(3);
        }
        const int file = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        ::_exit(file > 2 ? 0 : 4);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

TEST(EnsureStandardFds, AClosedOneGetsDevNullSoNoFileLandsThere) {
    EXPECT_EQ(closed_then_ensured({1}), 0);
    EXPECT_EQ(closed_then_ensured({2}), 0);
    EXPECT_EQ(closed_then_ensured({0}), 0);
    EXPECT_EQ(closed_then_ensured({0, 1, 2}), 0);
    EXPECT_EQ(closed_then_ensured({0, 2}), 0);
    EXPECT_EQ(closed_then_ensured({}), 0) << "open ones are left alone";
}

}  // namespace
