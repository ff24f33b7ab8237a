// background_writer_test.cpp: grouped output written in the background.
// finished() hands a job over and returns at once even when the reader of
// stdout is not reading; the jobs come out whole, in the order they
// finished; written_fd() says when, and take_written() which, with their
// problems.
#include "output/background_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "output/unordered_output.hpp"
#include "support/output_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::ExitStatus;
using wgrun::Grouping;
using wgrun::Stream;
using wgrun::UnorderedOutput;
using wgrun::test::Fd;
using wgrun::test::TempDir;
using wgrun::test::TestJob;

bool readable(int fd, std::chrono::milliseconds wait) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) == 1;
}

std::string read_all(int fd) {
    std::string text;
    char buffer[1 << 16];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
    return text;
}

TEST(BackgroundWriter, FinishedDoesNotWaitForASlowReader) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    Fd read_end(fds[0]), write_end(fds[1]);
    TempDir spill;
    Fd err(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    const std::string big(3 << 20, 'a');  // far more than the 64 KiB pipe holds
    std::string text;
    {
        UnorderedOutput output(Grouping::Group,
                               write_end.get(), err.get(), spill.path(), {}, /*background=*/true);
        ASSERT_GE(output.written_fd(), 0);
        TestJob one(1), two(2);
        output.started(one.start);
        output.started(two.start);
        output.output(1, Stream::Out, big);
        output.output(2, Stream::Out, "second\n");
        const auto t0 = std::chrono::steady_clock::now();
        EXPECT_EQ(output.finished(1, ExitStatus{}), "");
        EXPECT_EQ(output.finished(2, ExitStatus{}), "");
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s)
            << "finished() waited for the reader";
        EXPECT_FALSE(readable(output.written_fd(), 100ms)) << "nothing can be written yet";
        std::thread reader([&] { text = read_all(read_end.get()); });
        // The two jobs are reported written, in order.
        std::vector<std::uint64_t> seqs;
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (seqs.size() < 2 && std::chrono::steady_clock::now() < deadline) {
            if (!readable(output.written_fd(), 100ms)) continue;
            for (const auto& [seq, problem] : output.take_written()) {
                EXPECT_EQ(problem, "");
                seqs.push_back(seq);
            }
        }
        EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2}));
        // Both are written: the reader sees the end once our end is closed.
        write_end.reset();
        reader.join();
    }
    EXPECT_EQ(text.size(), big.size() + 7);
    EXPECT_EQ(text.substr(big.size()), "second\n") << "whole jobs, in the order they finished";
}

TEST(BackgroundWriter, AWriteProblemComesWithTheJob) {
    TempDir spill;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    if (full.get() < 0) GTEST_SKIP() << "no /dev/full";
    UnorderedOutput output(Grouping::Group,
                           full.get(), full.get(), spill.path(), {}, /*background=*/true);
    TestJob one(1);
    output.started(one.start);
    output.output(1, Stream::Out, "x\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    ASSERT_TRUE(readable(output.written_fd(), 10000ms));
    const auto written = output.take_written();
    ASSERT_EQ(written.size(), 1u);
    EXPECT_EQ(written[0].first, 1u);
    EXPECT_NE(written[0].second.find("output lost: cannot write stdout"), std::string::npos)
        << written[0].second;
    EXPECT_FALSE(readable(output.written_fd(), 0ms)) << "take_written() clears the event";
}

TEST(BackgroundWriter, WithoutBackgroundFinishedWritesAtOnce) {
    wgrun::test::Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path());
    EXPECT_EQ(output.written_fd(), -1);
    TestJob one(1);
    output.started(one.start);
    output.output(1, Stream::Out, "now\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "now\n");
}

}  // namespace
