// record_reader_test.cpp: RecordReader over temp files and pipes: splitting,
// chunk boundaries, kept bytes, a 100 MB record, errors, EINTR, laziness and
// bounded memory.
#include "input/record_reader.hpp"
#include "support/test_support.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace wgrun {

// Reaches into the buffer to check that memory stays bounded.
struct RecordReaderTestPeer {
    static std::size_t capacity(const RecordReader& r) { return r.buffer_.capacity(); }
};

}  // namespace wgrun

namespace {

using wgrun::RecordReader;
using wgrun::RecordReaderTestPeer;

constexpr std::size_t kChunk = 64 * 1024;

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::system_error(errno, std::generic_category(), "write");
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// A temp file holding `content`, opened for reading; removed on destruction.
class TempFile {
public:
    explicit TempFile(std::string_view content) {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/wgrun_rr_XXXXXX";
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) throw std::system_error(errno, std::generic_category(), "mkstemp");
        write_all(fd, content);
        ::close(fd);
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open");
    }
    ~TempFile() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    int fd() const { return fd_; }

private:
    std::string path_;
    int fd_ = -1;
};

// A pipe whose write end a thread fills with `produce(write_fd)` and then
// closes. On destruction the read end is drained to EOF before the join, so
// a failed test cannot leave the writer blocked.
class PipeWriter {
public:
    explicit PipeWriter(std::function<void(int)> produce) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            throw std::system_error(errno, std::generic_category(), "pipe2");
        }
        read_fd_ = fds[0];
        thread_ = std::thread([produce = std::move(produce), w = fds[1]] {
            produce(w);
            ::close(w);
        });
    }
    ~PipeWriter() {
        char sink[4096];
        for (;;) {
            const ssize_t n = ::read(read_fd_, sink, sizeof sink);
            if (n == 0 || (n < 0 && errno != EINTR)) break;
        }
        thread_.join();
        ::close(read_fd_);
    }
    PipeWriter(const PipeWriter&) = delete;
    PipeWriter& operator=(const PipeWriter&) = delete;
    int fd() const { return read_fd_; }

private:
    int read_fd_ = -1;
    std::thread thread_;
};

std::vector<std::string> read_all(int fd, char delimiter) {
    RecordReader reader(fd, delimiter);
    std::vector<std::string> records;
    while (auto record = reader.next()) records.push_back(std::move(*record));
    EXPECT_EQ(reader.next(), std::nullopt) << "end of input must stay the end";
    return records;
}

std::vector<std::string> read_file(std::string_view content, char delimiter = '\n') {
    TempFile file(content);
    return read_all(file.fd(), delimiter);
}

using Records = std::vector<std::string>;

TEST(RecordReader, SplitsAtNewline) {
    EXPECT_EQ(read_file("a\nbb\nccc\n"), (Records{"a", "bb", "ccc"}));
}

TEST(RecordReader, LastRecordWithoutDelimiter) {
    EXPECT_EQ(read_file("a\nb"), (Records{"a", "b"}));
    EXPECT_EQ(read_file("only"), (Records{"only"}));
}

TEST(RecordReader, EmptyRecordsAreKept) {
    EXPECT_EQ(read_file("a\n\nb\n"), (Records{"a", "", "b"}));
    EXPECT_EQ(read_file("\n"), (Records{""}));
    EXPECT_EQ(read_file("\n\n"), (Records{"", ""}));
    EXPECT_EQ(read_file("\na"), (Records{"", "a"}));
}

TEST(RecordReader, EmptyInputHasNoRecord) {
    EXPECT_EQ(read_file(""), Records{});
}

TEST(RecordReader, TrailingCarriageReturnIsKept) {
    EXPECT_EQ(read_file("a\r\nb\r\n\r\n"), (Records{"a\r", "b\r", "\r"}));
}

TEST(RecordReader, NulsStayInNewlineMode) {
    const std::string input("a\0b\n\0\n", 6);
    EXPECT_EQ(read_file(input), (Records{std::string("a\0b", 3), std::string(1, '\0')}));
}

TEST(RecordReader, NulDelimiter) {
    const std::string input("a b\nc\0\0d\r\n\0", 11);
    EXPECT_EQ(read_file(input, '\0'), (Records{"a b\nc", "", "d\r\n"}));
    EXPECT_EQ(read_file(std::string("x\0y", 3), '\0'), (Records{"x", "y"}));
}

TEST(RecordReader, BinaryBytesAreKept) {
    std::string record;
    for (int i = 0; i < 256; ++i) {
        if (i != '\n') record.push_back(static_cast<char>(i));
    }
    EXPECT_EQ(read_file(record + "\n" + record), (Records{record, record}));
}

// A regular file is read in whole 64 KiB chunks, so these hit the boundary.
TEST(RecordReader, DelimiterAtChunkBoundaries) {
    for (std::size_t first = kChunk - 3; first <= kChunk + 2; ++first) {
        // The delimiter of the first record sits at byte `first`.
        const std::string a(first, 'a');
        const std::string b(kChunk + 5, 'b');
        EXPECT_EQ(read_file(a + "\n" + b + "\nc\n"), (Records{a, b, "c"})) << first;
        EXPECT_EQ(read_file(a + "\n"), (Records{a})) << first;
        EXPECT_EQ(read_file(a + "\n\n"), (Records{a, ""})) << first;
        EXPECT_EQ(read_file(a), (Records{a})) << first;
    }
}

TEST(RecordReader, RecordsSpanningSeveralChunks) {
    std::mt19937 rng(12345);
    std::uniform_int_distribution<std::size_t> small(0, 300);
    std::uniform_int_distribution<std::size_t> large(0, 3 * kChunk);
    Records expected;
    std::string input;
    for (int i = 0; i < 400; ++i) {
        const std::size_t size = i % 10 == 0 ? large(rng) : small(rng);
        std::string record(size, static_cast<char>('A' + i % 26));
        input += record;
        input += '\n';
        expected.push_back(std::move(record));
    }
    EXPECT_EQ(read_file(input), expected);

    // The same through a pipe written in odd-sized pieces: short reads.
    PipeWriter pipe([&input](int fd) {
        std::string_view rest = input;
        for (std::size_t piece = 1; !rest.empty(); piece = piece * 7 % 100003 + 1) {
            const std::size_t n = std::min(piece, rest.size());
            write_all(fd, rest.substr(0, n));
            rest.remove_prefix(n);
        }
    });
    EXPECT_EQ(read_all(pipe.fd(), '\n'), expected);
}

TEST(RecordReader, HundredMegabyteRecord) {
    constexpr std::size_t kSize = 100 * 1024 * 1024;
    constexpr std::size_t kPiece = 1024 * 1024;
    auto byte_at = [](std::size_t i) { return static_cast<char>('a' + i % 23); };
    PipeWriter pipe([&](int fd) {
        write_all(fd, "before\n");
        std::string piece(kPiece, '\0');
        for (std::size_t off = 0; off < kSize; off += kPiece) {
            for (std::size_t i = 0; i < kPiece; ++i) piece[i] = byte_at(off + i);
            write_all(fd, piece);
        }
        write_all(fd, "\nafter");
    });
    RecordReader reader(pipe.fd(), '\n');
    EXPECT_EQ(reader.next(), "before");
    auto big = reader.next();
    ASSERT_TRUE(big.has_value());
    ASSERT_EQ(big->size(), kSize);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < kSize; ++i) mismatches += (*big)[i] != byte_at(i);
    EXPECT_EQ(mismatches, 0u);
    big.reset();
    // The long record's memory went with it.
    EXPECT_LE(RecordReaderTestPeer::capacity(reader), 4 * kChunk);
    EXPECT_EQ(reader.next(), "after");
    EXPECT_EQ(reader.next(), std::nullopt);
}

TEST(RecordReader, ReadErrorThrowsSystemError) {
    const int dir = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(dir, 0);
    RecordReader reader(dir, '\n');
    try {
        reader.next();
        ADD_FAILURE() << "no exception";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), EISDIR);
    }
    ::close(dir);
}

TEST(RecordReader, LeavesTheFdOpenAndItsFlagsAlone) {
    TempFile file("a\nb\n");
    const int fd_flags = ::fcntl(file.fd(), F_GETFD);
    const int fl_flags = ::fcntl(file.fd(), F_GETFL);
    {
        RecordReader reader(file.fd(), '\n');
        EXPECT_EQ(reader.next(), "a");
    }
    EXPECT_EQ(::fcntl(file.fd(), F_GETFD), fd_flags);
    EXPECT_EQ(::fcntl(file.fd(), F_GETFL), fl_flags);
}

// The first record comes while the writer still holds the pipe open; the
// guard closes the pipe after a timeout so that a failing reader cannot hang.
TEST(RecordReader, ReturnsARecordWithoutWaitingForEndOfInput) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    std::promise<std::optional<std::string>> got;
    auto result = got.get_future();
    std::thread writer([w = fds[1]] { write_all(w, "first\nsecond-part"); });
    std::thread reader([r = fds[0], &got] {
        RecordReader rr(r, '\n');
        got.set_value(rr.next());
        while (rr.next()) {}  // to the end, once the guard closes the pipe
    });
    writer.join();
    const bool in_time = result.wait_for(10s) == std::future_status::ready;
    ::close(fds[1]);
    reader.join();
    ::close(fds[0]);
    ASSERT_TRUE(in_time) << "next() waited for the end of input";
    EXPECT_EQ(result.get(), "first");
}

extern "C" void ignore_signal(int) {}

// SIGUSR1 without SA_RESTART makes a blocked read(2) fail with EINTR; the
// reader must retry. Each signal is sent once the reader is blocked in
// read(2), so that the retry is exercised however slow the machine.
TEST(RecordReader, RetriesEintr) {
    struct sigaction action {};
    action.sa_handler = ignore_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    struct sigaction old {};
    ASSERT_EQ(::sigaction(SIGUSR1, &action, &old), 0);

    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    std::atomic<bool> failed{false};
    std::atomic<pid_t> tid{0};
    std::vector<std::string> records;
    std::thread reader([r = fds[0], &failed, &records, &tid] {
        tid.store(::gettid());
        try {
            RecordReader rr(r, '\n');
            while (auto record = rr.next()) records.push_back(std::move(*record));
        } catch (const std::system_error&) {
            failed = true;
        }
    });
    bool interrupted = true;  // every signal came during a blocked read
    for (int i = 0; i < 5; ++i) {
        interrupted = wgrun::test::eventually([&] { return tid.load() != 0; }, 10s) &&
                      wgrun::test::blocked_in(tid.load(), {SYS_read}, 10s) && interrupted;
        ::pthread_kill(reader.native_handle(), SIGUSR1);
    }
    write_all(fds[1], "x\ny\n");
    ::close(fds[1]);
    reader.join();
    ::close(fds[0]);
    ::sigaction(SIGUSR1, &old, nullptr);
    EXPECT_TRUE(interrupted) << "the reader was not seen blocked in read(2)";
    EXPECT_FALSE(failed.load());
    EXPECT_EQ(records, (Records{"x", "y"}));
}

// A million records through a pipe: the buffer never holds more than a
// couple of chunks (std::string grows geometrically), however long the input.
TEST(RecordReader, MemoryStaysBounded) {
    constexpr int kRecords = 1'000'000;
    PipeWriter pipe([](int fd) {
        std::string batch;
        for (int i = 0; i < kRecords; ++i) {
            batch += "record number ";
            batch += std::to_string(i);
            batch += '\n';
            if (batch.size() > 10000) {
                write_all(fd, batch);
                batch.clear();
            }
        }
        write_all(fd, batch);
    });
    RecordReader reader(pipe.fd(), '\n');
    std::size_t max_capacity = 0;
    int count = 0;
    while (auto record = reader.next()) {
        if (count % 1000 == 0) {
            ASSERT_EQ(*record, "record number " + std::to_string(count));
        }
        max_capacity = std::max(max_capacity, RecordReaderTestPeer::capacity(reader));
        ++count;
    }
    EXPECT_EQ(count, kRecords);
    EXPECT_LE(max_capacity, 4 * kChunk);
}

}  // namespace
