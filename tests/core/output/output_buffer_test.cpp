// output_buffer_test.cpp: OutputBuffer keeps small output in memory, spills
// the rest to an unlinked file in its tmpdir (no name ever left there),
// writes every byte back exactly, and reports a spill that fails (a file
// size limit standing in for a full disk, a missing tmpdir).
#include "output/output_buffer.hpp"
#include "support/fd_limit_support.hpp"
#include "support/test_support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

using wgrun::OutputBuffer;
constexpr std::size_t kLimit = OutputBuffer::kMemoryLimit;

using wgrun::test::TempDir;

using wgrun::test::Fd;

using wgrun::test::names_in;
using wgrun::test::read_file;

// random_bytes() with runs of NULs too, not only the odd one.
std::string bytes_with_nul_runs(std::size_t size, std::uint32_t seed) {
    std::string bytes = wgrun::test::random_bytes(size, seed);
    for (std::size_t i = 1000; i + 5000 < size; i += 300000) {
        std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                  bytes.begin() + static_cast<std::ptrdiff_t>(i + 5000), '\0');
    }
    return bytes;
}

// Writes `buffer` to a new file in `dir` and reads it back.
std::string written(const OutputBuffer& buffer, const TempDir& dir, const std::string& name,
                    int* result = nullptr) {
    const std::string path = dir.file(name);
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) return "<cannot create>";
    const int r = buffer.write_to(fd.get());
    if (result != nullptr) *result = r;
    fd.reset();
    std::string content = read_file(path);
    ::unlink(path.c_str());
    return content;
}

// This process's fds that lead into `dir` ("/dir/#123 (deleted)" for an
// O_TMPFILE file, "/dir/name (deleted)" for an unlinked one).
std::vector<int> fds_into(const std::string& dir) {
    std::vector<int> fds;
    for (const auto& [fd, target] : wgrun::test::open_fd_targets()) {
        if (target.starts_with(dir + "/")) fds.push_back(fd);
    }
    return fds;
}

std::string link_of(int fd) {
    char target[4096];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "";
}

// Appends `data` in chunks of pseudo-random sizes (1 byte .. 100 kB).
int append_in_chunks(OutputBuffer& buffer, std::string_view data, std::uint32_t seed) {
    std::mt19937 engine(seed);
    while (!data.empty()) {
        std::size_t chunk = engine() % 100000 + 1;
        if (engine() % 8 == 0) chunk = 1;
        if (chunk > data.size()) chunk = data.size();
        if (const int e = buffer.append(data.substr(0, chunk))) return e;
        data.remove_prefix(chunk);
    }
    return 0;
}

TEST(OutputBuffer, EmptyWritesNothing) {
    TempDir dir;
    OutputBuffer buffer(dir.path());
    EXPECT_EQ(buffer.size(), 0u);
    EXPECT_EQ(buffer.error(), 0);
    int result = -1;
    EXPECT_EQ(written(buffer, dir, "out", &result), "");
    EXPECT_EQ(result, 0);
}

TEST(OutputBuffer, SmallDataStaysInMemory) {
    TempDir dir;
    OutputBuffer buffer(dir.path());
    const std::string data = bytes_with_nul_runs(100000, 1);
    EXPECT_EQ(buffer.append("first "), 0);
    EXPECT_EQ(buffer.append(std::string_view("\0nul\0", 5)), 0);
    EXPECT_EQ(buffer.append(data), 0);
    EXPECT_EQ(buffer.size(), 6 + 5 + data.size());
    EXPECT_TRUE(fds_into(dir.path()).empty()) << "no spill file below the limit";
    EXPECT_TRUE(names_in(dir.path()).empty());
    int result = -1;
    EXPECT_TRUE(written(buffer, dir, "out", &result) ==
                "first " + std::string("\0nul\0", 5) + data);
    EXPECT_EQ(result, 0);
}

TEST(OutputBuffer, ExactlyTheLimitStaysInMemory) {
    // A tmpdir that does not exist: any spill would fail, so none happened.
    const std::string missing = "/nonexistent/wgrun-output-buffer-test";
    OutputBuffer buffer(missing);
    const std::string data = bytes_with_nul_runs(kLimit, 2);
    EXPECT_EQ(buffer.append(data.substr(0, 1000)), 0);
    EXPECT_EQ(buffer.append(data.substr(1000)), 0);
    EXPECT_EQ(buffer.size(), kLimit);
    EXPECT_EQ(buffer.error(), 0);
}

TEST(OutputBuffer, AMissingTmpdirIsAnErrorOnceItSpills) {
    const std::string missing = "/nonexistent/wgrun-output-buffer-test";
    OutputBuffer buffer(missing);
    ASSERT_EQ(buffer.append(std::string(kLimit, 'a')), 0);
    EXPECT_EQ(buffer.append("b"), ENOENT);
    EXPECT_EQ(buffer.error(), ENOENT);
    // Later bytes are dropped, the first errno stays.
    EXPECT_EQ(buffer.append("c"), ENOENT);
    EXPECT_EQ(buffer.error(), ENOENT);
    EXPECT_EQ(buffer.size(), kLimit);
    // What was kept can still be written.
    TempDir dir;
    int result = -1;
    EXPECT_TRUE(written(buffer, dir, "out", &result) == std::string(kLimit, 'a'));
    EXPECT_EQ(result, 0);
}

TEST(OutputBuffer, ATmpdirThatIsAFileIsAnError) {
    TempDir dir;
    const std::string not_a_dir = dir.file("plain");
    { Fd fd(::open(not_a_dir.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)); }
    OutputBuffer buffer(not_a_dir);
    const int result = buffer.append(std::string(kLimit + 10, 'x'));
    EXPECT_NE(result, 0);
    EXPECT_EQ(buffer.error(), result);
}

TEST(OutputBuffer, SpillsToAnUnlinkedFileAndLeavesNoName) {
    TempDir dir;
    const std::string data = bytes_with_nul_runs(3 << 20, 3);
    const std::vector<int> before = fds_into(dir.path());
    {
        OutputBuffer buffer(dir.path());
        ASSERT_EQ(append_in_chunks(buffer, data, 3), 0);
        EXPECT_EQ(buffer.error(), 0);
        EXPECT_EQ(buffer.size(), data.size());

        // While the buffer holds spilled data: one file open in tmpdir, with
        // no name in it.
        const std::vector<int> spill = fds_into(dir.path());
        ASSERT_EQ(spill.size(), before.size() + 1) << "the data past the limit is on disk";
        const int spill_fd = spill.back();
        EXPECT_TRUE(link_of(spill_fd).ends_with(" (deleted)")) << link_of(spill_fd);
        EXPECT_NE(::fcntl(spill_fd, F_GETFD) & FD_CLOEXEC, 0) << "jobs must not inherit it";
        EXPECT_TRUE(names_in(dir.path()).empty());
        struct stat st {};
        ASSERT_EQ(::fstat(spill_fd, &st), 0);
        EXPECT_EQ(static_cast<std::size_t>(st.st_size), data.size() - kLimit)
            << "memory holds exactly the first kMemoryLimit bytes";

        int result = -1;
        const std::string first = written(buffer, dir, "out1", &result);
        EXPECT_EQ(result, 0);
        ASSERT_EQ(first.size(), data.size());
        EXPECT_TRUE(first == data) << "the bytes came back changed";
        // write_to is const and repeatable.
        EXPECT_TRUE(written(buffer, dir, "out2", &result) == data);
        EXPECT_EQ(result, 0);
        EXPECT_TRUE(names_in(dir.path()).empty());
    }
    EXPECT_EQ(fds_into(dir.path()).size(), before.size()) << "the spill file is closed";
}

// With no fd to be had for the spill file (EMFILE), the bytes past the limit
// stay in memory, none is lost and no error is recorded; once fds are back,
// later bytes go to the file, after those held in memory.
TEST(OutputBuffer, WithoutAnFdForTheSpillFileTheBytesStayInMemory) {
    TempDir dir;
    const std::string data = bytes_with_nul_runs(3 << 20, 21);
    OutputBuffer buffer(dir.path());
    const std::size_t half = data.size() / 2;
    {
        wgrun::test::FdLimit limit(0);
        ASSERT_EQ(append_in_chunks(buffer, std::string_view(data).substr(0, half), 5), 0);
        EXPECT_EQ(buffer.error(), 0);
        EXPECT_EQ(buffer.size(), half);
        EXPECT_EQ(buffer.last_byte(), static_cast<unsigned char>(data[half - 1]));
    }
    EXPECT_EQ(fds_into(dir.path()).size(), 0u) << "no spill file could be made";
    ASSERT_EQ(append_in_chunks(buffer, std::string_view(data).substr(half), 7), 0);
    EXPECT_EQ(fds_into(dir.path()).size(), 1u) << "the rest went to a spill file";
    EXPECT_EQ(buffer.size(), data.size());
    EXPECT_EQ(buffer.last_byte(), static_cast<unsigned char>(data.back()));
    int result = -1;
    EXPECT_TRUE(written(buffer, dir, "out", &result) == data) << "bytes lost or out of order";
    EXPECT_EQ(result, 0);
}

TEST(OutputBuffer, OneBigAppendAcrossTheLimit) {
    TempDir dir;
    OutputBuffer buffer(dir.path());
    const std::string data = bytes_with_nul_runs(5 << 20, 4);
    ASSERT_EQ(buffer.append(data), 0);
    EXPECT_EQ(buffer.size(), data.size());
    EXPECT_TRUE(names_in(dir.path()).empty());
    EXPECT_TRUE(written(buffer, dir, "out") == data);
}

TEST(OutputBuffer, OneByteOverTheLimit) {
    TempDir dir;
    OutputBuffer buffer(dir.path());
    const std::string data = bytes_with_nul_runs(kLimit + 1, 5);
    ASSERT_EQ(buffer.append(data), 0);
    EXPECT_EQ(fds_into(dir.path()).size(), 1u);
    EXPECT_TRUE(written(buffer, dir, "out") == data);
}

TEST(OutputBuffer, ManyBuffersSpillToSeparateFiles) {
    TempDir dir;
    std::vector<std::string> data;
    std::vector<std::unique_ptr<OutputBuffer>> buffers;
    for (std::uint32_t i = 0; i < 4; ++i) {
        data.push_back(bytes_with_nul_runs(kLimit + 200000 + i, 10 + i));
        buffers.push_back(std::make_unique<OutputBuffer>(dir.path()));
    }
    // Interleaved appends.
    for (std::size_t offset = 0; offset < data[0].size() + 10; offset += 65536) {
        for (std::size_t i = 0; i < buffers.size(); ++i) {
            if (offset < data[i].size()) {
                ASSERT_EQ(buffers[i]->append(std::string_view(data[i]).substr(offset, 65536)), 0);
            }
        }
    }
    EXPECT_EQ(fds_into(dir.path()).size(), 4u);
    EXPECT_TRUE(names_in(dir.path()).empty());
    for (std::size_t i = 0; i < buffers.size(); ++i) {
        EXPECT_TRUE(written(*buffers[i], dir, "out") == data[i]) << i;
    }
}

TEST(OutputBuffer, WriteToANonBlockingPipeWithASlowReader) {
    TempDir dir;
    OutputBuffer buffer(dir.path());
    const std::string data = bytes_with_nul_runs(3 << 20, 6);
    ASSERT_EQ(buffer.append(data), 0);
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    ::fcntl(fds[1], F_SETPIPE_SZ, 4096);
    ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    std::string got;
    std::thread reader([&got, fd = read_end.get()] {
        char chunk[3000];
        for (int reads = 0;; ++reads) {
            const ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got.append(chunk, static_cast<std::size_t>(n));
            if (reads % 64 == 0) std::this_thread::sleep_for(1ms);
        }
    });
    const int result = buffer.write_to(write_end.get());
    write_end.reset();
    reader.join();
    EXPECT_EQ(result, 0);
    ASSERT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data);
}

TEST(OutputBuffer, WriteToAFullDestinationIsPositive) {
    TempDir dir;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    {
        OutputBuffer small(dir.path());
        ASSERT_EQ(small.append("x"), 0);
        EXPECT_EQ(small.write_to(full.get()), ENOSPC);
    }
    {
        OutputBuffer big(dir.path());
        ASSERT_EQ(big.append(std::string(kLimit + 100, 'y')), 0);
        EXPECT_EQ(big.write_to(full.get()), ENOSPC);
    }
}

// Child exit codes of FailedSpillUnderAFileSizeLimit.
enum ChildCheck {
    kChildOk = 0,
    kSetupFailed = 10,
    kMemoryAppendFailed,
    kBigAppendNotEfbig,
    kErrorNotKept,
    kLaterAppendNotDropped,
    kSizeChanged,
    kChunkBeforeLimitFailed,
    kChunkPastLimitNotEfbig,
    kChunkedSizeWrong,
    kChunkedErrorNotKept,
    kChunkedLaterAppendNotDropped,
    kWriteToFailed,
};

// In a child: SIGXFSZ ignored, RLIMIT_FSIZE 1 MiB (a full disk, without a
// mount), then the checks.
int child_under_file_size_limit(const std::string& tmpdir) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{1 << 20, 1 << 20};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return kSetupFailed;

    {   // One 3 MB append: 512 KiB to memory, the rest fails past 1 MiB on disk.
        OutputBuffer buffer(tmpdir);
        const std::string data(3 << 20, 'z');
        const int result = buffer.append(data);
        if (result != EFBIG) return kBigAppendNotEfbig;
        if (buffer.error() != EFBIG) return kErrorNotKept;
        const std::size_t size = buffer.size();
        if (buffer.append("more") != EFBIG) return kLaterAppendNotDropped;
        if (buffer.error() != EFBIG) return kErrorNotKept;
        if (buffer.size() != size) return kSizeChanged;
        const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (devnull < 0 || buffer.write_to(devnull) != 0) return kWriteToFailed;
        ::close(devnull);
    }
    {   // 256 KiB chunks: 2 to memory, 4 fill the 1 MiB file, the 7th fails.
        OutputBuffer buffer(tmpdir);
        const std::string chunk(256 << 10, 'c');
        for (int i = 0; i < 6; ++i) {
            if (buffer.append(chunk) != 0) return i < 2 ? kMemoryAppendFailed : kChunkBeforeLimitFailed;
        }
        if (buffer.append(chunk) != EFBIG) return kChunkPastLimitNotEfbig;
        if (buffer.size() != (std::size_t{6} << 18)) return kChunkedSizeWrong;
        if (buffer.error() != EFBIG) return kChunkedErrorNotKept;
        if (buffer.append("x") != EFBIG || buffer.size() != (std::size_t{6} << 18)) {
            return kChunkedLaterAppendNotDropped;
        }
    }
    return kChildOk;
}

TEST(OutputBuffer, FailedSpillUnderAFileSizeLimit) {
    TempDir dir;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) ::_exit(child_under_file_size_limit(dir.path()));
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    ASSERT_EQ(r, pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child killed by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), kChildOk)
        << "see enum ChildCheck in " << __FILE__ << " for what failed";
    EXPECT_TRUE(names_in(dir.path()).empty());
}

}  // namespace
