// keep_order_output_test.cpp: KeepOrderOutput (-k) writes jobs' output in
// job-number order whatever order they finish in; the head writes live
// while later jobs wait; finished later jobs are parked in one file so that
// thousands of them hold no fds; with --line-buffer the head writes whole
// lines; tags, EPIPE and full disks behave as in the other modes.
#include "output/keep_order_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>

#include "support/output_test_support.hpp"

namespace {

using wgrun::ExitStatus;
using wgrun::KeepOrderOutput;
using wgrun::OutputBuffer;
using wgrun::Stream;
using wgrun::TagFormat;
using wgrun::test::Fd;
using wgrun::test::Files;
using wgrun::test::TestJob;

constexpr bool kGroup = false;
constexpr bool kLines = true;

TEST(KeepOrderOutput, JobsFinishingInReverseComeOutInOrder) {
    for (const bool lines : {kGroup, kLines}) {
        Files files;
        KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, lines);
        for (std::uint64_t seq = 1; seq <= 4; ++seq) output.started(wgrun::JobStart{seq});
        for (std::uint64_t seq = 4; seq >= 1; --seq) {
            output.output(seq, Stream::Out, std::to_string(seq) + "o\n");
            output.output(seq, Stream::Err, std::to_string(seq) + "e\n");
        }
        for (std::uint64_t seq = 4; seq >= 1; --seq) {
            EXPECT_EQ(output.finished(seq, ExitStatus{}), "");
        }
        EXPECT_EQ(files.out_text(), "1o\n2o\n3o\n4o\n") << lines;
        EXPECT_EQ(files.err_text(), "1e\n2e\n3e\n4e\n") << lines;
        EXPECT_TRUE(std::filesystem::is_empty(files.spill.path()));
    }
}

TEST(KeepOrderOutput, TheHeadWritesLiveAndTheOthersWait) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kGroup);
    output.started(wgrun::JobStart{5});  // numbers need not start at 1
    output.started(wgrun::JobStart{6});
    output.output(5, Stream::Out, "head ");
    EXPECT_EQ(files.out_text(), "head ") << "raw bytes, even a partial line";
    output.output(6, Stream::Out, "six-a ");
    output.output(6, Stream::Err, "six-err ");
    output.started(wgrun::JobStart{7});
    output.output(7, Stream::Out, "seven\n");
    EXPECT_EQ(output.finished(7, ExitStatus{}), "");
    output.output(5, Stream::Out, "more\n");
    EXPECT_EQ(files.out_text(), "head more\n");
    EXPECT_EQ(files.err_text(), "");
    EXPECT_EQ(output.finished(5, ExitStatus{}), "");
    // 6 is the head now: what it kept is out, and it writes live.
    EXPECT_EQ(files.out_text(), "head more\nsix-a ");
    EXPECT_EQ(files.err_text(), "six-err ");
    output.output(6, Stream::Out, "six-b\n");
    EXPECT_EQ(files.out_text(), "head more\nsix-a six-b\n");
    EXPECT_EQ(output.finished(6, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "head more\nsix-a six-b\nseven\n");
    // A job started when nothing waits is the head at once.
    output.started(wgrun::JobStart{8});
    output.output(8, Stream::Out, "eight");
    EXPECT_EQ(files.out_text(), "head more\nsix-a six-b\nseven\neight");
    EXPECT_EQ(output.finished(8, ExitStatus{}), "");
}

TEST(KeepOrderOutput, WithLineBufferTheHeadWritesWholeLines) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kLines);
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(1, Stream::Out, "one");
    EXPECT_EQ(files.out_text(), "");
    output.output(2, Stream::Out, "two\ntw");
    output.output(1, Stream::Out, " line\none");
    EXPECT_EQ(files.out_text(), "one line\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "one line\nonetwo\n") << "2's whole lines, not its partial one";
    output.output(2, Stream::Out, "o\nthree");
    EXPECT_EQ(files.out_text(), "one line\nonetwo\ntwo\n");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "one line\nonetwo\ntwo\nthree");
}

TEST(KeepOrderOutput, ALongLineOfAWaitingJobWithLineBuffer) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kLines);
    const std::string long_line(OutputBuffer::kMemoryLimit * 3, 'L');
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(2, Stream::Out, "a\n");
    for (std::size_t at = 0; at < long_line.size(); at += 100000) {
        output.output(2, Stream::Out, std::string_view(long_line).substr(at, 100000));
    }
    output.output(1, Stream::Out, "head\n");
    EXPECT_EQ(files.out_text(), "head\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    output.output(2, Stream::Out, "\nb\nc");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_TRUE(files.out_text() == "head\na\n" + long_line + "\nb\nc");
}

TEST(KeepOrderOutput, AWaitingJobsPartialLineSharesItsMemoryLimit) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kLines);
    std::string lines;
    while (lines.size() < OutputBuffer::kMemoryLimit) lines += "a line of job two\n";
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(2, Stream::Out, lines);
    output.output(2, Stream::Out, "partial ");  // over the limit: captured as it is
    output.output(2, Stream::Out, "still partial ");
    EXPECT_EQ(files.out_text(), "");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_TRUE(files.out_text() == lines + "partial still partial ");
    output.output(2, Stream::Out, "end\nnext");
    EXPECT_TRUE(files.out_text() == lines + "partial still partial end\n");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_TRUE(files.out_text() == lines + "partial still partial end\nnext");
}

TEST(KeepOrderOutput, SpilledOutputIsParkedAndWrittenInOrder) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kGroup);
    const std::string two = wgrun::test::random_bytes(OutputBuffer::kMemoryLimit * 3, 2);
    const std::string three = wgrun::test::random_bytes(OutputBuffer::kMemoryLimit + 1, 3);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) output.started(wgrun::JobStart{seq});
    output.output(2, Stream::Out, two);
    output.output(3, Stream::Err, three);
    output.output(3, Stream::Out, "3");
    EXPECT_EQ(output.finished(3, ExitStatus{}), "");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    output.output(1, Stream::Out, "1");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_TRUE(files.out_text() == "1" + two + "3");
    EXPECT_TRUE(files.err_text() == three);
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path()));
}

// The first kKeptFinished jobs that finish before their turn keep their
// buffers (their bytes are copied to disk once, not twice); the next are
// parked.
TEST(KeepOrderOutput, OnlyFinishedJobsPastAFewAreParked) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kGroup);
    constexpr std::uint64_t kKept = KeepOrderOutput::kKeptFinished;
    const std::string big = wgrun::test::random_bytes(OutputBuffer::kMemoryLimit + 100, 7);
    std::string expected = "1";
    for (std::uint64_t seq = 1; seq <= kKept + 3; ++seq) output.started(wgrun::JobStart{seq});
    for (std::uint64_t seq = 2; seq <= kKept + 1; ++seq) {
        output.output(seq, Stream::Out, big);
        EXPECT_EQ(output.finished(seq, ExitStatus{}), "");
        expected += big;
    }
    EXPECT_EQ(output.parked_bytes(), 0u) << "the first " << kKept << " keep their buffers";
    output.output(kKept + 2, Stream::Out, "parked\n");
    EXPECT_EQ(output.finished(kKept + 2, ExitStatus{}), "");
    EXPECT_EQ(output.parked_bytes(), 7u);
    output.output(1, Stream::Out, "1");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    expected += "parked\n";
    EXPECT_EQ(output.parked_bytes(), 0u);
    // The last job is the head now: it writes live.
    output.output(kKept + 3, Stream::Out, "last\n");
    EXPECT_EQ(output.finished(kKept + 3, ExitStatus{}), "");
    expected += "last\n";
    EXPECT_TRUE(files.out_text() == expected);
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path()));
}

// The bytes job `seq` writes in the memory test.
std::string job_bytes(std::uint64_t seq) {
    std::string bytes = "job " + std::to_string(seq) + "\n";
    bytes.resize(100 * 1000 - 1, static_cast<char>('a' + seq % 26));
    bytes += '\n';
    return bytes;
}

TEST(KeepOrderOutput, ThousandsOfWaitingJobsHoldNoFds) {
    Files files;
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    Fd out_read(pipe_fds[0]), out_write(pipe_fds[1]);
    constexpr std::uint64_t kLast = 3001;
    // The reader checks the bytes as they come: the head's, then 2..kLast.
    bool in_order = true;
    std::size_t total = 0;
    std::thread reader([&] {
        std::string want = "head start\nhead end\n";
        std::uint64_t next = 2;
        std::size_t at = 0;
        std::string buffer(1 << 16, '\0');
        for (;;) {
            const ssize_t n = ::read(out_read.get(), buffer.data(), buffer.size());
            if (n <= 0) break;
            std::string_view got(buffer.data(), static_cast<std::size_t>(n));
            total += got.size();
            while (!got.empty()) {
                if (at == want.size()) {
                    if (next > kLast) {
                        in_order = false;
                        return;
                    }
                    want = job_bytes(next++);
                    at = 0;
                }
                const std::size_t k = std::min(got.size(), want.size() - at);
                if (std::memcmp(got.data(), want.data() + at, k) != 0) in_order = false;
                at += k;
                got.remove_prefix(k);
            }
        }
        if (next <= kLast || at != want.size()) in_order = false;
    });

    const int fds_before = wgrun::test::open_fd_count();
    int most_fds = fds_before;
    {
        KeepOrderOutput output(out_write.get(), files.err.get(), files.spill.path(), {}, kGroup);
        output.started(wgrun::JobStart{1});
        output.output(1, Stream::Out, "head start\n");
        for (std::uint64_t seq = 2; seq <= kLast; ++seq) {
            output.started(wgrun::JobStart{seq});
            const std::string bytes = job_bytes(seq);
            output.output(seq, Stream::Out, std::string_view(bytes).substr(0, 50000));
            output.output(seq, Stream::Out, std::string_view(bytes).substr(50000));
            if (seq % 1000 == 0) {  // a few spill too
                output.output(seq, Stream::Err,
                              std::string(OutputBuffer::kMemoryLimit + 10, 'e'));
            }
            ASSERT_EQ(output.finished(seq, ExitStatus{}), "");
            most_fds = std::max(most_fds, wgrun::test::open_fd_count());
        }
        EXPECT_LE(most_fds, fds_before + 2) << "one parking file, one spill file at a time";
        output.output(1, Stream::Out, "head end\n");
        EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    }
    EXPECT_EQ(wgrun::test::open_fd_count(), fds_before);
    out_write.reset();
    reader.join();
    EXPECT_TRUE(in_order);
    EXPECT_EQ(total, 20 + (kLast - 1) * 100000);
    EXPECT_EQ(files.err_text().size(), 3 * (OutputBuffer::kMemoryLimit + 10));
}

TEST(KeepOrderOutput, TagsAndColour) {
    for (const bool lines : {kGroup, kLines}) {
        Files files;
        KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(),
                               TagFormat(true, "", false, true), lines);
        TestJob one(1, {"a"});
        TestJob two(2, {"b", "c"});
        output.started(one.start);
        output.started(two.start);
        output.output(2, Stream::Out, "x\r\ny");
        output.output(2, Stream::Err, "e\n");
        output.output(1, Stream::Out, "1\n");
        EXPECT_EQ(output.finished(2, ExitStatus{}), "");
        EXPECT_EQ(output.finished(1, ExitStatus{}), "");
        EXPECT_EQ(files.out_text(), "a\t1\nb c\tx\r\nb c\ty") << lines;
        EXPECT_EQ(files.err_text(), "\x1b[32mb c\x1b[0m\te\n") << lines;
    }
}

TEST(KeepOrderOutput, AClosedStdoutDropsWaitingJobsQuietly) {
    wgrun::test::IgnoreSigpipe ignore;
    Files files;
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    Fd out_read(pipe_fds[0]), out_write(pipe_fds[1]);
    out_read.reset();
    KeepOrderOutput output(out_write.get(), files.err.get(), files.spill.path(), {}, kGroup);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) output.started(wgrun::JobStart{seq});
    output.output(3, Stream::Out, "three\n");
    output.output(3, Stream::Err, "three err\n");
    output.output(2, Stream::Out, "two\n");
    EXPECT_EQ(output.finished(3, ExitStatus{}), "");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_FALSE(output.stdout_closed());
    output.output(1, Stream::Out, "one\n");
    EXPECT_TRUE(output.stdout_closed());
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.err_text(), "three err\n");
}

TEST(KeepOrderOutput, AFullDiskIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    KeepOrderOutput output(full.get(), files.err.get(), files.spill.path(), {}, kGroup);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) output.started(wgrun::JobStart{seq});
    output.output(3, Stream::Out, "lost later\n");
    EXPECT_EQ(output.finished(3, ExitStatus{}), "") << "not known yet";
    output.output(1, Stream::Err, "fine\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    output.output(2, Stream::Out, "lost now\n");
    std::string problem = output.finished(2, ExitStatus{});
    EXPECT_NE(problem.find("output lost: cannot write stdout"), std::string::npos) << problem;
    // A head with no trouble of its own reports the later job's loss.
    output.started(wgrun::JobStart{4});
    output.started(wgrun::JobStart{5});
    output.output(5, Stream::Out, "lost later\n");
    EXPECT_EQ(output.finished(5, ExitStatus{}), "");
    problem = output.finished(4, ExitStatus{});
    EXPECT_NE(problem.find("output lost: job 5: cannot write stdout"), std::string::npos)
        << problem;
    EXPECT_EQ(files.err_text(), "fine\n");
}

TEST(KeepOrderOutput, WithoutAParkingFileJobsKeepTheirBuffers) {
    Files files;
    const std::string missing = files.spill.path() + "/does-not-exist";
    KeepOrderOutput output(files.out.get(), files.err.get(), missing, {}, kGroup);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) output.started(wgrun::JobStart{seq});
    output.output(3, Stream::Out, "3\n");
    output.output(2, Stream::Out, "2\n");
    EXPECT_EQ(output.finished(3, ExitStatus{}), "");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    output.output(1, Stream::Out, "1\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "1\n2\n3\n");
}

TEST(KeepOrderOutput, JobsMustStartInOrder) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kGroup);
    output.started(wgrun::JobStart{1});
    EXPECT_THROW(output.started(wgrun::JobStart{3}), std::logic_error);
}

}  // namespace

// The jobs of other shards (--shard) are skipped in long runs between the
// shard's jobs: each run is one entry, jobs after a run are found for their
// output, and the order holds.
TEST(KeepOrderOutput, RunsOfSkippedJobsBetweenJobs) {
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, kGroup);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) output.skipped(seq);  // none waits: nothing kept
    output.started(wgrun::JobStart{4});
    for (std::uint64_t seq = 5; seq <= 100003; ++seq) output.skipped(seq);
    output.started(wgrun::JobStart{100004});
    for (std::uint64_t seq = 100005; seq <= 200003; ++seq) output.skipped(seq);
    output.started(wgrun::JobStart{200004});
    EXPECT_THROW(output.output(5, Stream::Out, "x"), std::out_of_range) << "a skipped job";
    EXPECT_THROW(output.output(100005, Stream::Out, "x"), std::out_of_range);
    EXPECT_THROW(output.started(wgrun::JobStart{200006}), std::logic_error);
    output.output(200004, Stream::Out, "c\n");
    EXPECT_EQ(output.finished(200004, ExitStatus{}), "");
    output.output(100004, Stream::Out, "b\n");
    EXPECT_EQ(output.finished(100004, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "") << "job 4 still runs";
    output.output(4, Stream::Out, "a\n");
    EXPECT_EQ(output.finished(4, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "a\nb\nc\n");
    output.started(wgrun::JobStart{200005});  // after the last: the head, live
    output.output(200005, Stream::Out, "d\n");
    EXPECT_EQ(output.finished(200005, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "a\nb\nc\nd\n");
}

// A job left out of the run (--resume) does not hold up the ones after it,
// with or without tags.
TEST(KeepOrderOutput, ASkippedJobDoesNotHoldUpTheNext) {
    for (const bool lines : {kGroup, kLines}) {
        Files files;
        KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {}, lines);
        output.started(wgrun::JobStart{1});
        output.skipped(2);
        output.started(wgrun::JobStart{3});
        output.output(3, Stream::Out, "3\n");
        EXPECT_EQ(output.finished(3, ExitStatus{}), "");
        output.output(1, Stream::Out, "1\n");
        EXPECT_EQ(output.finished(1, ExitStatus{}), "");
        EXPECT_EQ(files.out_text(), "1\n3\n") << lines;
    }
    Files files;
    KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(),
                           TagFormat(true, "{#}", false, false), kGroup);
    output.skipped(1);
    const std::vector<std::string> args{"x"};
    const std::string command = "echo x";
    output.started(wgrun::JobStart{2, 1, &args, &command});
    output.output(2, Stream::Out, "two\n");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "2\ttwo\n");
}
