// output_dir_test.cpp: output_dir_error() says whether --results DIR could
// take files (made with its missing parents), without creating anything.
#include "results/report_path.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "support/output_test_support.hpp"

namespace {

using wgrun::output_dir_error;
using wgrun::test::TempDir;

bool exists(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

TEST(OutputDir, ADirectoryOrAMissingOneUnderADirectoryCanTakeFiles) {
    TempDir temp;
    EXPECT_EQ(output_dir_error(temp.path()), 0);
    EXPECT_EQ(output_dir_error(temp.path() + "/"), 0);
    EXPECT_EQ(output_dir_error(temp.file("a/b/c")), 0);
    EXPECT_FALSE(exists(temp.file("a"))) << "nothing is created";
}

TEST(OutputDir, AFileOnTheWayIsNotADirectory) {
    TempDir temp;
    std::ofstream(temp.file("reg")) << "x\n";
    EXPECT_EQ(output_dir_error(temp.file("reg")), ENOTDIR);
    EXPECT_EQ(output_dir_error(temp.file("reg/out")), ENOTDIR);
    EXPECT_EQ(output_dir_error(temp.file("reg/out/deeper")), ENOTDIR);
    EXPECT_EQ(output_dir_error(""), ENOENT);
}

// In a child process that drops root's rights first (root writes anywhere);
// it reports by its exit code: 0, or the errno met.
TEST(OutputDir, AReadOnlyDirectoryCannotTakeFiles) {
    TempDir temp;
    ASSERT_EQ(::chmod(temp.path().c_str(), 0755), 0);
    const std::string ro = temp.file("ro");
    ASSERT_EQ(::mkdir(ro.c_str(), 0555), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(200);
        int e = output_dir_error(ro);
        if (e == 0) e = output_dir_error(ro + "/missing/deeper");
        ::_exit(e == EACCES ? 0 : e == 0 ? 201 : e);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "0: EACCES for both; 201: no error; else the errno";
}

}  // namespace
