// compression_test.cpp: --compress's programs: GNU's pick from PATH, a
// compress program writing a file that its decompress program reads back
// exactly, and every way a program can fail said in words, with no fd
// leaked to it and no zombie left.
#include "output/compression.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "base/temp_file.hpp"
#include "support/output_test_support.hpp"
#include "support/test_support.hpp"

namespace {

using wgrun::CompressingWriter;
using wgrun::Compression;
using wgrun::UniqueFd;
using wgrun::decompress_file;
using wgrun::default_compression;
using wgrun::test::TempDir;

void make_program(const TempDir& dir, const std::string& name) {
    const std::string path = dir.file(name);
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0755));
    ASSERT_TRUE(fd);
}

off_t size_of(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? st.st_size : -1;
}

std::string decompressed(const std::string& program, int fd, std::string* problem = nullptr) {
    std::string bytes;
    const std::string p = decompress_file(program, fd, [&](std::string_view piece) { bytes += piece; });
    if (problem != nullptr) *problem = p;
    return bytes;
}

TEST(DefaultCompression, TakesGnuParallelsFirstProgramFoundInPath) {
    TempDir a;
    TempDir b;
    make_program(b, "gzip");
    make_program(a, "xz");
    Compression c = default_compression(a.path() + ":" + b.path());
    EXPECT_EQ(c.compress, "gzip -c -1");  // gzip comes before xz in GNU's list
    EXPECT_EQ(c.decompress, "gzip -dc");
    make_program(a, "zstd");
    c = default_compression(a.path() + ":" + b.path());
    EXPECT_EQ(c.compress, "zstd -c -1");
    EXPECT_EQ(c.decompress, "zstd -dc");
}

TEST(DefaultCompression, IsCatWhenNoneIsThere) {
    TempDir empty;
    const Compression c = default_compression(empty.path());
    EXPECT_EQ(c.compress, "cat");
    EXPECT_EQ(c.decompress, "cat");
}

TEST(CompressingWriter, WritesAFileItsDecompressorReadsBackExactly) {
    TempDir dir;
    UniqueFd file(wgrun::open_unlinked_temp(dir.path()));
    ASSERT_TRUE(file);
    const std::string bytes = wgrun::test::random_bytes(300000, 7) + std::string(3000000, 'x');
    CompressingWriter writer;
    ASSERT_EQ(writer.start("gzip -c -1", file.get()), 0);
    EXPECT_TRUE(writer.running());
    ASSERT_EQ(writer.write(std::string_view(bytes).substr(0, 1000)), 0);
    ASSERT_EQ(writer.write(std::string_view(bytes).substr(1000)), 0);
    EXPECT_EQ(writer.finish(), "");
    EXPECT_FALSE(writer.running());
    EXPECT_GT(size_of(file.get()), 0);
    EXPECT_LT(size_of(file.get()), 1000000) << "not compressed";
    const off_t offset = ::lseek(file.get(), 0, SEEK_CUR);
    std::string problem;
    EXPECT_TRUE(decompressed("gzip -dc", file.get(), &problem) == bytes);
    EXPECT_EQ(problem, "");
    EXPECT_EQ(::lseek(file.get(), 0, SEEK_CUR), offset) << "the file's offset moved";
}

TEST(CompressingWriter, SaysHowItsProgramFailed) {
    TempDir dir;
    UniqueFd file(wgrun::open_unlinked_temp(dir.path()));
    CompressingWriter writer;
    ASSERT_EQ(writer.start("cat >/dev/null; exit 3", file.get()), 0);
    EXPECT_EQ(writer.write("bytes"), 0);
    EXPECT_EQ(writer.finish(), "'cat >/dev/null; exit 3' exited with 3");

    ASSERT_EQ(writer.start("kill -9 $$", file.get()), 0);  // the wrapping shell
    writer.write("bytes");
    EXPECT_EQ(writer.finish(), "'kill -9 $$' was killed by signal 9");

    // A program that stops reading: the write fails with EPIPE (wgrun
    // ignores SIGPIPE, and so does this test meanwhile).
    const wgrun::test::IgnoreSigpipe no_sigpipe;
    ASSERT_EQ(writer.start("exit 0", file.get()), 0);
    int error = 0;
    const std::string chunk(1 << 16, 'y');
    for (int i = 0; i < 64 && error == 0; ++i) error = writer.write(chunk);
    EXPECT_EQ(error, EPIPE);
    EXPECT_EQ(writer.finish(), "");
    EXPECT_EQ(writer.finish(), "") << "a second finish() is harmless";
}

TEST(CompressingWriter, ItsProgramSeesOnlyStdinStdoutStderr) {
    TempDir dir;
    UniqueFd file(wgrun::open_unlinked_temp(dir.path()));
    const std::string list = dir.file("fds");
    CompressingWriter writer;
    // ls's own fds: 0, 1 (the list), 2, and the directory it reads (3).
    ASSERT_EQ(writer.start("ls /proc/self/fd >" + list + "; cat", file.get()), 0);
    EXPECT_EQ(writer.write("x"), 0);
    EXPECT_EQ(writer.finish(), "");
    EXPECT_EQ(wgrun::test::read_file(list), "0\n1\n2\n3\n");
}

TEST(CompressingWriter, LeavesNoZombie) {
    TempDir dir;
    UniqueFd file(wgrun::open_unlinked_temp(dir.path()));
    for (const char* program : {"cat", "exit 1", "kill -9 $$"}) {
        CompressingWriter writer;
        ASSERT_EQ(writer.start(program, file.get()), 0);
        writer.finish();
        int status = 0;
        EXPECT_LE(::waitpid(-1, &status, WNOHANG), 0) << program << " left a child to reap";
    }
}

TEST(DecompressFile, SaysHowItsProgramFailed) {
    TempDir dir;
    UniqueFd file(wgrun::open_unlinked_temp(dir.path()));
    ASSERT_EQ(::write(file.get(), "not gzip", 8), 8);
    std::string problem;
    decompressed("gzip -dc 2>/dev/null", file.get(), &problem);
    EXPECT_EQ(problem, "'gzip -dc 2>/dev/null' exited with 1");
    decompressed("no-such-program-here 2>/dev/null", file.get(), &problem);
    EXPECT_EQ(problem, "'no-such-program-here 2>/dev/null' exited with 127");
    EXPECT_EQ(decompressed("cat", file.get(), &problem), "not gzip");
    EXPECT_EQ(problem, "");
}

}  // namespace
