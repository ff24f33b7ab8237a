// output_guard_test.cpp: OutputTarget tells its guard around every write to
// a guarded destination (bytes, a kept buffer in memory or spilled, a copy
// from a file), with the last byte written; never splices to a guarded
// destination; leaves unguarded ones alone.
#include "output/output_guard.hpp"
#include "output/output_target.hpp"
#include "support/output_test_support.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using wgrun::OutputBuffer;
using wgrun::OutputGuard;
using wgrun::OutputTarget;
using wgrun::Stream;

class RecordingGuard : public OutputGuard {
public:
    explicit RecordingGuard(int guarded) : guarded_(guarded) {}
    bool guards(int fd) const override { return fd == guarded_; }
    void before_write(int fd) override {
        calls.push_back("before " + std::to_string(fd));
        EXPECT_FALSE(inside_) << "before_write() twice";
        inside_ = true;
    }
    void after_write(int fd, int last) override {
        calls.push_back("after " + std::to_string(fd) + " " +
                        (last == kNothingWritten ? std::string("none") : std::string(1, char(last))));
        EXPECT_TRUE(inside_) << "after_write() without before_write()";
        inside_ = false;
    }
    std::vector<std::string> calls;

private:
    int guarded_;
    bool inside_ = false;
};

TEST(OutputGuard, ToldAroundEachWriteWithTheLastByte) {
    wgrun::test::Files files;
    RecordingGuard guard(files.err.get());
    OutputTarget target(files.out.get(), files.err.get(), &guard);
    EXPECT_EQ(target.write(Stream::Err, "half"), 0);
    EXPECT_EQ(target.write(Stream::Err, "line\n"), 0);
    EXPECT_EQ(target.write(Stream::Out, "not guarded\n"), 0);
    EXPECT_EQ(target.write(Stream::Err, ""), 0);  // nothing to write: not told
    EXPECT_EQ(guard.calls, (std::vector<std::string>{"before " + std::to_string(files.err.get()),
                                                     "after " + std::to_string(files.err.get()) + " f",
                                                     "before " + std::to_string(files.err.get()),
                                                     "after " + std::to_string(files.err.get()) + " \n"}));
    EXPECT_EQ(files.err_text(), "halfline\n");
    EXPECT_EQ(files.out_text(), "not guarded\n");
}

TEST(OutputGuard, BuffersAndCopiesGiveTheirLastByte) {
    wgrun::test::Files files;
    const int err = files.err.get();
    RecordingGuard guard(err);
    OutputTarget target(files.out.get(), err, &guard);

    OutputBuffer small(files.spill.path());
    ASSERT_EQ(small.append("abc"), 0);
    EXPECT_EQ(target.write(Stream::Err, small), 0);

    OutputBuffer spilled(files.spill.path());  // past the memory limit: the end is on disk
    std::string big(OutputBuffer::kMemoryLimit + 10, 'x');
    big.back() = '\n';
    ASSERT_EQ(spilled.append(big), 0);
    EXPECT_EQ(spilled.last_byte(), '\n');
    EXPECT_EQ(target.write(Stream::Err, spilled), 0);

    const std::string source = files.dir.file("source");
    {
        wgrun::test::Fd f(::open(source.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600));
        ASSERT_EQ(::write(f.get(), "0123456789", 10), 10);
    }
    wgrun::test::Fd from(::open(source.c_str(), O_RDONLY));
    EXPECT_EQ(target.copy(Stream::Err, from.get(), 2, 3), 0);  // "234"

    const std::string e = std::to_string(err);
    EXPECT_EQ(guard.calls, (std::vector<std::string>{"before " + e, "after " + e + " c",
                                                     "before " + e, "after " + e + " \n",
                                                     "before " + e, "after " + e + " 4"}));
    EXPECT_EQ(files.err_text(), "abc" + big + "234");
}

TEST(OutputGuard, FailedWriteLeavesTheLastByteUnknown) {
    const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (full < 0) GTEST_SKIP() << "no /dev/full";
    wgrun::test::Fd closer(full);
    RecordingGuard guard(full);
    OutputTarget target(full, full, &guard);
    EXPECT_EQ(target.write(Stream::Err, "x\n"), ENOSPC);
    EXPECT_EQ(guard.calls.back(), "after " + std::to_string(full) + " none");
}

TEST(OutputGuard, NeverSplicesToAGuardedDestination) {
    wgrun::test::Files files;
    RecordingGuard guard(files.out.get());
    OutputTarget target(files.out.get(), files.err.get(), &guard);
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC), 0);
    wgrun::test::Fd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
    ASSERT_EQ(::write(write_end.get(), "data\n", 5), 5);
    EXPECT_EQ(target.splice_from(Stream::Out, read_end.get(), 1 << 16), wgrun::kCannotSplice);
    EXPECT_TRUE(guard.calls.empty());
    // The unguarded one still splices (a regular file takes it).
    EXPECT_EQ(target.splice_from(Stream::Err, read_end.get(), 1 << 16), 5);
    EXPECT_EQ(files.err_text(), "data\n");
}

}  // namespace
