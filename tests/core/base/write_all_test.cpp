// write_all_test.cpp: write_all through a non-blocking pipe that a slow
// reader drains, EPIPE, and copy_file_to (sendfile and its fallback) to pipes
// and files, with offsets, short sources and errors on either side.
#include "base/write_all.hpp"
#include "support/test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <thread>

using namespace std::chrono_literals;

namespace {

using wgrun::copy_file_to;
using wgrun::write_all;

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
using wgrun::test::TempDir;

// Closes an fd on scope exit.
using wgrun::test::Fd;

// SIGPIPE ignored while it lives, as it is in wgrun.
using wgrun::test::IgnoreSigpipe;

using wgrun::test::random_bytes;
using wgrun::test::read_file;

// A file holding `content`, opened read-only.
int file_with(const TempDir& dir, const std::string& name, std::string_view content) {
    const std::string path = dir.file(name);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    if (write_all(fd, content) != 0) std::abort();
    ::close(fd);
    return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
}

// A pipe whose write end is O_NONBLOCK and small (one page), so that a big
// write meets EAGAIN many times.
struct SmallNonBlockingPipe {
    Fd read;
    Fd write;
    SmallNonBlockingPipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) std::abort();
        read.reset(fds[0]);
        write.reset(fds[1]);
        ::fcntl(fds[1], F_SETPIPE_SZ, 4096);
        ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    }
};

// Reads `fd` (blocking) to its end, slowly: small reads with pauses.
std::string drain_slowly(int fd) {
    std::string got;
    char buffer[3000];  // not a multiple of the page: writes are cut oddly
    for (int reads = 0;; ++reads) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
        if (reads % 32 == 0) std::this_thread::sleep_for(1ms);
    }
    return got;
}

TEST(WriteAll, EmptyDataWritesNothing) {
    EXPECT_EQ(write_all(-1, ""), 0);
    EXPECT_EQ(write_all(-1, std::string_view()), 0);
}

TEST(WriteAll, ToARegularFile) {
    TempDir dir;
    const std::string data = random_bytes(300000, 1);
    {
        Fd fd(::open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        ASSERT_GE(fd.get(), 0);
        ASSERT_EQ(write_all(fd.get(), "head:"), 0);
        ASSERT_EQ(write_all(fd.get(), data), 0);
    }
    EXPECT_TRUE(read_file(dir.file("out")) == "head:" + data);
}

TEST(WriteAll, NonBlockingPipeWithASlowReaderGetsEveryByteInOrder) {
    SmallNonBlockingPipe pipe;
    const std::string data = random_bytes(4 << 20, 2);
    std::string got;
    std::thread reader([&got, fd = pipe.read.get()] { got = drain_slowly(fd); });
    const int result = write_all(pipe.write.get(), data);
    pipe.write.reset();  // the reader's end of file
    reader.join();
    EXPECT_EQ(result, 0);
    ASSERT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data) << "the bytes arrived changed or out of order";
}

TEST(WriteAll, ManySmallWritesThroughAFullPipe) {
    SmallNonBlockingPipe pipe;
    std::string expected;
    std::string got;
    std::thread reader([&got, fd = pipe.read.get()] { got = drain_slowly(fd); });
    int result = 0;
    for (int i = 0; i < 20000 && result == 0; ++i) {
        const std::string line = "line " + std::to_string(i) + "\n";
        expected += line;
        result = write_all(pipe.write.get(), line);
    }
    pipe.write.reset();
    reader.join();
    EXPECT_EQ(result, 0);
    EXPECT_TRUE(got == expected);
}

TEST(WriteAll, EpipeWhenTheReaderIsClosed) {
    IgnoreSigpipe ignored;
    SmallNonBlockingPipe pipe;
    pipe.read.reset();
    EXPECT_EQ(write_all(pipe.write.get(), "hello"), EPIPE);
}

TEST(WriteAll, EpipeWhenTheReaderClosesWhileWaitingForRoom) {
    IgnoreSigpipe ignored;
    SmallNonBlockingPipe pipe;
    const std::string data = random_bytes(1 << 20, 3);
    const pid_t writer = ::gettid();
    std::atomic<bool> waited{false};
    std::thread closer([&pipe, &waited, writer] {
        // Closes the reader once the writer waits for room in poll(2).
        waited = wgrun::test::blocked_in(writer, {SYS_poll, SYS_ppoll}, 30s);
        pipe.read.reset();
    });
    const int result = write_all(pipe.write.get(), data);  // fills the pipe, then waits
    closer.join();
    EXPECT_TRUE(waited.load()) << "the writer never waited in poll(2)";
    EXPECT_EQ(result, EPIPE);
}

TEST(WriteAll, BlockingPipeEpipe) {
    IgnoreSigpipe ignored;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    read_end.reset();
    EXPECT_EQ(write_all(write_end.get(), std::string(100000, 'x')), EPIPE);
}

TEST(WriteAll, ErrorsOfTheDestination) {
    EXPECT_EQ(write_all(-1, "x"), EBADF);
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    EXPECT_EQ(write_all(full.get(), "x"), ENOSPC);
    Fd read_only(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    EXPECT_EQ(write_all(read_only.get(), "x"), EBADF);
}

TEST(CopyFileTo, WholeFileToANonBlockingPipeWithASlowReader) {
    TempDir dir;
    const std::string data = random_bytes(3 << 20, 4);
    Fd source(file_with(dir, "source", data));
    ASSERT_GE(source.get(), 0);
    SmallNonBlockingPipe pipe;
    std::string got;
    std::thread reader([&got, fd = pipe.read.get()] { got = drain_slowly(fd); });
    const int result = copy_file_to(pipe.write.get(), source.get(), 0, data.size());
    pipe.write.reset();
    reader.join();
    EXPECT_EQ(result, 0);
    ASSERT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data);
}

TEST(CopyFileTo, ARangeToAPipeFromAnOffset) {
    TempDir dir;
    const std::string data = random_bytes(1 << 20, 5);
    Fd source(file_with(dir, "source", data));
    ASSERT_GE(source.get(), 0);
    SmallNonBlockingPipe pipe;
    std::string got;
    std::thread reader([&got, fd = pipe.read.get()] { got = drain_slowly(fd); });
    const int result = copy_file_to(pipe.write.get(), source.get(), 77777, 400000);
    pipe.write.reset();
    reader.join();
    EXPECT_EQ(result, 0);
    EXPECT_TRUE(got == data.substr(77777, 400000));
}

TEST(CopyFileTo, ARangeToARegularFileLeavesTheSourcePositionAlone) {
    TempDir dir;
    const std::string data = random_bytes(1 << 20, 6);
    Fd source(file_with(dir, "source", data));
    ASSERT_GE(source.get(), 0);
    ASSERT_EQ(::lseek(source.get(), 7, SEEK_SET), 7);
    Fd dest(::open(dir.file("dest").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    ASSERT_GE(dest.get(), 0);
    ASSERT_EQ(write_all(dest.get(), "prefix"), 0);
    EXPECT_EQ(copy_file_to(dest.get(), source.get(), 12345, 500000), 0);
    EXPECT_EQ(copy_file_to(dest.get(), source.get(), 0, 10), 0);
    dest.reset();
    EXPECT_TRUE(read_file(dir.file("dest")) ==
                "prefix" + data.substr(12345, 500000) + data.substr(0, 10));
    EXPECT_EQ(::lseek(source.get(), 0, SEEK_CUR), 7);
}

TEST(CopyFileTo, ToAnAppendOnlyFile) {
    // sendfile(2) refuses an O_APPEND destination (EINVAL): the read+write
    // fallback does the copy.
    TempDir dir;
    const std::string data = random_bytes(200000, 7);
    Fd source(file_with(dir, "source", data));
    ASSERT_GE(source.get(), 0);
    Fd dest(::open(dir.file("dest").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    ASSERT_GE(dest.get(), 0);
    ASSERT_EQ(write_all(dest.get(), "prefix"), 0);
    EXPECT_EQ(copy_file_to(dest.get(), source.get(), 100, 150000), 0);
    dest.reset();
    EXPECT_TRUE(read_file(dir.file("dest")) == "prefix" + data.substr(100, 150000));
}

TEST(CopyFileTo, ZeroLengthCopiesNothing) {
    TempDir dir;
    Fd source(file_with(dir, "source", "abc"));
    EXPECT_EQ(copy_file_to(-1, source.get(), 0, 0), 0);
}

TEST(CopyFileTo, AShortSourceIsMinusEio) {
    TempDir dir;
    const std::string data = random_bytes(1000, 8);
    Fd source(file_with(dir, "source", data));
    ASSERT_GE(source.get(), 0);
    Fd dest(::open(dir.file("dest").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    ASSERT_GE(dest.get(), 0);
    EXPECT_EQ(copy_file_to(dest.get(), source.get(), 500, 1000), -EIO);
    dest.reset();
    EXPECT_TRUE(read_file(dir.file("dest")) == data.substr(500));  // what there was
}

TEST(CopyFileTo, AShortSourceThroughTheFallbackIsMinusEio) {
    TempDir dir;
    Fd source(file_with(dir, "source", "0123456789"));
    ASSERT_GE(source.get(), 0);
    Fd dest(::open(dir.file("dest").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    ASSERT_GE(dest.get(), 0);
    EXPECT_EQ(copy_file_to(dest.get(), source.get(), 4, 100), -EIO);
    dest.reset();
    EXPECT_EQ(read_file(dir.file("dest")), "456789");
}

TEST(CopyFileTo, EpipeOfTheDestinationIsPositive) {
    IgnoreSigpipe ignored;
    TempDir dir;
    Fd source(file_with(dir, "source", random_bytes(100000, 9)));
    ASSERT_GE(source.get(), 0);
    SmallNonBlockingPipe pipe;
    pipe.read.reset();
    EXPECT_EQ(copy_file_to(pipe.write.get(), source.get(), 0, 100000), EPIPE);
}

TEST(CopyFileTo, AFullDestinationIsPositive) {
    TempDir dir;
    Fd source(file_with(dir, "source", random_bytes(100000, 10)));
    ASSERT_GE(source.get(), 0);
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    EXPECT_EQ(copy_file_to(full.get(), source.get(), 0, 100000), ENOSPC);
}

// The header: "a failed read of `from` is returned negated, so the caller can
// tell the source (-EIO) from the destination (EPIPE)".
TEST(CopyFileTo, AnUnreadableSourceIsNegative) {
    TempDir dir;
    Fd created(file_with(dir, "source", "0123456789"));
    Fd write_only(::open(dir.file("source").c_str(), O_WRONLY | O_CLOEXEC));
    ASSERT_GE(write_only.get(), 0);
    Fd dest(::open(dir.file("dest").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    ASSERT_GE(dest.get(), 0);
    EXPECT_EQ(copy_file_to(dest.get(), write_only.get(), 0, 10), -EBADF)
        << "a source that cannot be read must be told apart from the destination";
}

TEST(CopyFileTo, ADirectorySourceIsNegative) {
    TempDir dir;
    Fd directory(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_GE(directory.get(), 0);
    Fd dest(::open(dir.file("dest").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    ASSERT_GE(dest.get(), 0);
    EXPECT_LT(copy_file_to(dest.get(), directory.get(), 0, 10), 0);
}

}  // namespace
