// report_path_test.cpp: resolve_report_path() tells a missing path, a
// regular file, a FIFO or device, and a link in /proc to an open file
// apart, following symlinks of the last component (relative to their own
// directory) to the name to create or replace; and StagedFile: nameless
// until named, named without replacing (link_and_close) or replacing a
// symlink itself (replace), nothing left after discard.
#include "results/report_path.hpp"
#include "base/temp_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace {

using wgrun::ReportPath;
using wgrun::resolve_report_path;
using wgrun::StagedFile;
using wgrun::test::Fd;
using wgrun::test::read_file;
using wgrun::test::TempDir;
using Kind = ReportPath::Kind;

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return {"<cannot open>"};
    while (const dirent* entry = ::readdir(d)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

void write_file(const std::string& path, const std::string& text) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    ASSERT_GE(fd.get(), 0);
    ASSERT_EQ(::write(fd.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

ReportPath resolved(const std::string& path, int expected_error = 0) {
    ReportPath where;
    EXPECT_EQ(resolve_report_path(path, where), expected_error) << path;
    return where;
}

TEST(ReportPath, MissingAndRegular) {
    TempDir dir;
    ReportPath where = resolved(dir.file("new.xml"));
    EXPECT_EQ(where.kind, Kind::Missing);
    EXPECT_EQ(where.target, dir.file("new.xml"));
    write_file(dir.file("old.xml"), "x");
    where = resolved(dir.file("old.xml"));
    EXPECT_EQ(where.kind, Kind::Regular);
    EXPECT_EQ(where.target, dir.file("old.xml"));
}

TEST(ReportPath, SymlinksAreFollowedFromTheirOwnDirectory) {
    TempDir dir;
    ASSERT_EQ(::mkdir(dir.file("a").c_str(), 0777), 0);
    ASSERT_EQ(::mkdir(dir.file("b").c_str(), 0777), 0);
    // a/link -> ../b/hop -> t.xml (in b), missing; then existing.
    ASSERT_EQ(::symlink("../b/hop", dir.file("a/link").c_str()), 0);
    ASSERT_EQ(::symlink("t.xml", dir.file("b/hop").c_str()), 0);
    ReportPath where = resolved(dir.file("a/link"));
    EXPECT_EQ(where.kind, Kind::Missing);
    EXPECT_EQ(where.target, dir.file("a/../b/t.xml"));
    write_file(dir.file("b/t.xml"), "x");
    where = resolved(dir.file("a/link"));
    EXPECT_EQ(where.kind, Kind::Regular);
    EXPECT_EQ(where.target, dir.file("a/../b/t.xml"));
    // An absolute one.
    ASSERT_EQ(::symlink(dir.file("b/t.xml").c_str(), dir.file("abs").c_str()), 0);
    EXPECT_EQ(resolved(dir.file("abs")).target, dir.file("b/t.xml"));
}

TEST(ReportPath, DirectoriesAndLoopsAreErrors) {
    TempDir dir;
    resolved(dir.path(), EISDIR);
    resolved(dir.file("x/"), EISDIR);
    ASSERT_EQ(::symlink(".", dir.file("here").c_str()), 0);
    resolved(dir.file("here"), EISDIR);
    ASSERT_EQ(::symlink("loop", dir.file("loop").c_str()), 0);
    resolved(dir.file("loop"), ELOOP);
    resolved("", ENOENT);
}

TEST(ReportPath, FifosAndDevicesAreWrittenInto) {
    TempDir dir;
    ASSERT_EQ(::mkfifo(dir.file("f").c_str(), 0666), 0);
    EXPECT_EQ(resolved(dir.file("f")).kind, Kind::Special);
    EXPECT_EQ(resolved("/dev/null").kind, Kind::Special);
    ASSERT_EQ(::symlink("/dev/null", dir.file("null").c_str()), 0);
    const ReportPath where = resolved(dir.file("null"));
    EXPECT_EQ(where.kind, Kind::Special);
    EXPECT_EQ(where.target, "/dev/null");
}

TEST(ReportPath, LinksInProcAreOpenFiles) {
    TempDir dir;
    write_file(dir.file("out"), "before\n");
    Fd file(::open(dir.file("out").c_str(), O_WRONLY | O_CLOEXEC));
    ASSERT_GE(file.get(), 0);
    const std::string by_fd = "/proc/self/fd/" + std::to_string(file.get());
    ReportPath where = resolved(by_fd);
    EXPECT_EQ(where.kind, Kind::OpenFile);
    EXPECT_EQ(where.target, by_fd);
    // Through an ordinary symlink to it too (as /dev/stdout is one).
    ASSERT_EQ(::symlink(by_fd.c_str(), dir.file("stdout").c_str()), 0);
    EXPECT_EQ(resolved(dir.file("stdout")).kind, Kind::OpenFile);
    // Written at its end, not emptied.
    Fd out(wgrun::open_in_place(by_fd));
    ASSERT_GE(out.get(), 0);
    ASSERT_EQ(::write(out.get(), "after\n", 6), 6);
    EXPECT_EQ(read_file(dir.file("out")), "before\nafter\n");
}

TEST(StagedFile, NamelessUntilLinkedThenNamedWithoutReplacing) {
    TempDir dir;
    StagedFile file;
    ASSERT_EQ(file.open(dir.path(), "hint"), 0);
    ASSERT_EQ(::write(file.fd(), "data", 4), 4);
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{});
    write_file(dir.file("taken"), "old");
    StagedFile other;
    ASSERT_EQ(other.open(dir.path(), "hint"), 0);
    EXPECT_EQ(other.link_and_close(dir.file("taken")), EEXIST);
    EXPECT_EQ(other.fd(), -1);
    EXPECT_EQ(read_file(dir.file("taken")), "old");
    EXPECT_EQ(file.link_and_close(dir.file("new")), 0);
    EXPECT_EQ(file.fd(), -1);
    EXPECT_EQ(read_file(dir.file("new")), "data");
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"new", "taken"}));
}

TEST(StagedFile, ReplaceTakesTheNameOfASymlinkNotItsTarget) {
    TempDir dir;
    write_file(dir.file("target"), "keep");
    ASSERT_EQ(::symlink("target", dir.file("name").c_str()), 0);
    StagedFile file;
    ASSERT_EQ(file.open(dir.path(), "name"), 0);
    ASSERT_EQ(::write(file.fd(), "new", 3), 3);
    EXPECT_EQ(file.replace(dir.file("name")), 0);
    struct stat info {};
    ASSERT_EQ(::lstat(dir.file("name").c_str(), &info), 0);
    EXPECT_TRUE(S_ISREG(info.st_mode));
    EXPECT_EQ(read_file(dir.file("name")), "new");
    EXPECT_EQ(read_file(dir.file("target")), "keep");
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"name", "target"}));
}

TEST(StagedFile, DiscardAndFailuresLeaveNothing) {
    TempDir dir;
    {
        StagedFile file;
        ASSERT_EQ(file.open(dir.path(), "x"), 0);
        ASSERT_EQ(::write(file.fd(), "data", 4), 4);
    }  // destroyed unnamed
    StagedFile file;
    ASSERT_EQ(file.open(dir.path(), "x"), 0);
    ASSERT_EQ(::mkdir(dir.file("d").c_str(), 0777), 0);
    EXPECT_EQ(file.replace(dir.file("d")), EISDIR);
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"d"});
    EXPECT_NE(file.open(dir.file("missing"), "x"), 0);
}

}  // namespace
