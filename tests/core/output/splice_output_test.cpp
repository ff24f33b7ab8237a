// splice_output_test.cpp: the zero-copy path of the output modes
// (OutputMode::splice_from): bytes go from a job's pipe straight to a live
// destination or to a captured job's spill file, exactly; EOF and EAGAIN as
// read() gives them; a closed stdout, a full disk and a destination that
// refuses splice(2) fall back to read() + output() with the same results.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

#include "output/unordered_output.hpp"
#include "output/keep_order_output.hpp"
#include "output/output_buffer.hpp"
#include "support/output_test_support.hpp"
#include "results/results_tee.hpp"

namespace {

using wgrun::ExitStatus;
using wgrun::Grouping;
using wgrun::kCannotSplice;
using wgrun::OutputMode;
using wgrun::Stream;
using wgrun::UnorderedOutput;
using wgrun::test::Fd;
using wgrun::test::Files;

// A job's pipe as the scheduler holds it: the read end non-blocking.
struct JobPipe {
    JobPipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) std::abort();
        read_end.reset(fds[0]);
        write_end.reset(fds[1]);
        ::fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
    }
    void write(std::string_view bytes) const {
        ASSERT_EQ(::write(write_end.get(), bytes.data(), bytes.size()),
                  static_cast<ssize_t>(bytes.size()));
    }
    Fd read_end;
    Fd write_end;
};

// What one drain of a pipe did.
struct Drained {
    std::size_t spliced = 0;  // bytes moved by splice_from()
    std::size_t read = 0;     // bytes read and given to output()
    ssize_t last = 0;         // the last result: -1 (errno EAGAIN) or 0 (EOF)
    int error = 0;
};

// Drains `fd` into `mode` as Scheduler::drain() does, until EAGAIN or EOF.
Drained drain(OutputMode& mode, std::uint64_t seq, Stream stream, int fd) {
    Drained d;
    char buffer[1 << 16];
    for (;;) {
        ssize_t n = mode.splice_from(seq, stream, fd);
        if (n > 0) {
            d.spliced += static_cast<std::size_t>(n);
            continue;
        }
        if (n == kCannotSplice) {
            n = ::read(fd, buffer, sizeof buffer);
            if (n > 0) {
                mode.output(seq, stream, {buffer, static_cast<std::size_t>(n)});
                d.read += static_cast<std::size_t>(n);
                continue;
            }
        }
        if (n < 0 && errno == EINTR) continue;
        d.last = n;
        d.error = n < 0 ? errno : 0;
        return d;
    }
}

// Writes `bytes` through `pipe` into `mode` in pieces that fit the pipe.
Drained feed(OutputMode& mode, std::uint64_t seq, Stream stream, const JobPipe& pipe,
             std::string_view bytes) {
    Drained total;
    while (!bytes.empty()) {
        const std::string_view piece = bytes.substr(0, 60 << 10);
        pipe.write(piece);
        bytes.remove_prefix(piece.size());
        const Drained d = drain(mode, seq, stream, pipe.read_end.get());
        total.spliced += d.spliced;
        total.read += d.read;
        total.last = d.last;
        total.error = d.error;
    }
    return total;
}

TEST(SpliceOutput, UngroupedBytesAreSplicedExactlyWithEagainAndEof) {
    Files files;
    UnorderedOutput output(Grouping::Ungroup, files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    JobPipe out, err;
    EXPECT_EQ(output.splice_from(1, Stream::Out, out.read_end.get()), -1);
    EXPECT_EQ(errno, EAGAIN);
    const std::string bytes = wgrun::test::random_bytes(1 << 20, 1);
    const Drained d = feed(output, 1, Stream::Out, out, bytes);
    EXPECT_EQ(d.spliced, bytes.size());
    EXPECT_EQ(d.read, 0u);
    EXPECT_EQ(d.last, -1);
    EXPECT_EQ(d.error, EAGAIN);
    err.write("error\n");
    EXPECT_EQ(drain(output, 1, Stream::Err, err.read_end.get()).spliced, 6u);
    out.write_end.reset();
    EXPECT_EQ(output.splice_from(1, Stream::Out, out.read_end.get()), 0);  // EOF
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), bytes);
    EXPECT_EQ(files.err_text(), "error\n");
}

TEST(SpliceOutput, TagsAndLineBufferingNeedTheBytes) {
    Files files;
    UnorderedOutput tagged(Grouping::Ungroup, files.out.get(), files.err.get(), files.spill.path(),
                           wgrun::TagFormat(false, "{#}", false, false));
    wgrun::test::TestJob job(1, {"x"});
    tagged.started(job.start);
    JobPipe pipe;
    pipe.write("a\nb");
    EXPECT_EQ(tagged.splice_from(1, Stream::Out, pipe.read_end.get()), kCannotSplice);
    EXPECT_EQ(drain(tagged, 1, Stream::Out, pipe.read_end.get()).read, 3u);
    EXPECT_EQ(tagged.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "1\ta\n1\tb");

    Files lines_files;
    UnorderedOutput lines(Grouping::LineBuffer, lines_files.out.get(), lines_files.err.get(),
                          lines_files.spill.path());
    lines.started(wgrun::JobStart{1});
    EXPECT_EQ(lines.splice_from(1, Stream::Out, pipe.read_end.get()), kCannotSplice);
}

TEST(SpliceOutput, ResultsTeeNeedsTheBytes) {
    Files files;
    wgrun::test::TempDir results;
    wgrun::ResultsTee tee(
        std::make_unique<UnorderedOutput>(Grouping::Ungroup, files.out.get(), files.err.get(),
                                          files.spill.path()),
        results.path() + "/{#}/");
    wgrun::test::TestJob job(1, {"x"});
    tee.started(job.start);
    JobPipe pipe;
    pipe.write("saved\n");
    const Drained d = drain(tee, 1, Stream::Out, pipe.read_end.get());
    EXPECT_EQ(d.spliced, 0u);
    EXPECT_EQ(d.read, 6u);
    EXPECT_EQ(tee.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "saved\n");
    EXPECT_EQ(wgrun::test::read_file(results.file("1/stdout")), "saved\n");
}

TEST(SpliceOutput, DevNullTakesSplicedBytes) {
    Files files;
    Fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(null.get(), 0);
    UnorderedOutput output(Grouping::Ungroup, null.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    JobPipe pipe;
    EXPECT_EQ(feed(output, 1, Stream::Out, pipe, std::string(200000, 'n')).spliced, 200000u);
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
}

TEST(SpliceOutput, AnAppendOnlyFileRefusesSpliceAndGetsTheBytesWritten) {
    Files files;
    Fd append(::open(files.dir.file("append").c_str(),
                     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    ASSERT_GE(append.get(), 0);
    UnorderedOutput output(Grouping::Ungroup, append.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    JobPipe pipe;
    const std::string bytes = wgrun::test::random_bytes(300000, 2);
    const Drained d = feed(output, 1, Stream::Out, pipe, bytes);
    EXPECT_EQ(d.spliced, 0u);
    EXPECT_EQ(d.read, bytes.size());
    pipe.write("more");  // refused once, refused from then on
    EXPECT_EQ(output.splice_from(1, Stream::Out, pipe.read_end.get()), kCannotSplice);
    EXPECT_EQ(drain(output, 1, Stream::Out, pipe.read_end.get()).read, 4u);
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(wgrun::test::read_file(files.dir.file("append")), bytes + "more");
}

TEST(SpliceOutput, AFullDestinationPipeIsWaitedForNotTakenForAnEmptyJob) {
    Files files;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    Fd stdout_read(fds[0]), stdout_write(fds[1]);
    UnorderedOutput output(Grouping::Ungroup,
                           stdout_write.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    std::string filler(1 << 16, 'f');  // fills the destination pipe
    ASSERT_EQ(::write(stdout_write.get(), filler.data(), filler.size()), 1 << 16);
    std::string received;
    const pid_t writer = ::gettid();
    std::atomic<bool> waited{false};
    std::thread reader([&] {
        // Reads once the output waits in poll(2) for room in the full pipe.
        waited = wgrun::test::blocked_in(writer, {SYS_poll, SYS_ppoll}, std::chrono::seconds(30));
        char buffer[1 << 16];
        ::fcntl(stdout_read.get(), F_SETFL, 0);
        for (;;) {
            const ssize_t n = ::read(stdout_read.get(), buffer, sizeof buffer);
            if (n <= 0) return;
            received.append(buffer, static_cast<std::size_t>(n));
        }
    });
    JobPipe pipe;
    const std::string bytes = wgrun::test::random_bytes(400000, 3);
    const Drained d = feed(output, 1, Stream::Out, pipe, bytes);
    EXPECT_EQ(d.spliced, bytes.size());
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    stdout_write.reset();
    reader.join();
    EXPECT_TRUE(waited.load()) << "the output never waited for room";
    EXPECT_EQ(received, filler + bytes);
}

TEST(SpliceOutput, WithoutWaitingAFullDestinationPipeSaysSo) {
    Files files;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    Fd stdout_read(fds[0]), stdout_write(fds[1]);
    UnorderedOutput output(Grouping::Ungroup,
                           stdout_write.get(), files.err.get(), files.spill.path());
    output.splice_without_waiting();
    EXPECT_EQ(output.destination(Stream::Out), stdout_write.get());
    output.started(wgrun::JobStart{1});
    const std::string filler(1 << 16, 'f');  // fills the destination pipe
    ASSERT_EQ(::write(stdout_write.get(), filler.data(), filler.size()), 1 << 16);
    JobPipe pipe;
    pipe.write("abc");
    EXPECT_EQ(output.splice_from(1, Stream::Out, pipe.read_end.get()), wgrun::kDestinationFull);
    char buffer[1 << 16];
    ASSERT_EQ(::read(stdout_read.get(), buffer, sizeof buffer), 1 << 16);  // room again
    EXPECT_EQ(output.splice_from(1, Stream::Out, pipe.read_end.get()), 3);
    EXPECT_EQ(::read(stdout_read.get(), buffer, sizeof buffer), 3);
}

TEST(SpliceOutput, WithoutWaitingAFileIsNeverFull) {
    Files files;
    UnorderedOutput output(Grouping::Ungroup, files.out.get(), files.err.get(), files.spill.path());
    output.splice_without_waiting();
    output.started(wgrun::JobStart{1});
    JobPipe pipe;
    const std::string bytes = wgrun::test::random_bytes(60000, 4);
    for (int round = 0; round < 50; ++round) {
        pipe.write(bytes);
        ssize_t moved = 0;
        while (moved < static_cast<ssize_t>(bytes.size())) {
            const ssize_t n = output.splice_from(1, Stream::Out, pipe.read_end.get());
            ASSERT_GT(n, 0) << "round " << round << ": " << n;
            moved += n;
        }
    }
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text().size(), 50 * bytes.size());
}

TEST(SpliceOutput, AClosedStdoutIsDroppedQuietlyAndTheJobIsStillDrained) {
    wgrun::test::IgnoreSigpipe ignore;
    Files files;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    Fd stdout_read(fds[0]), stdout_write(fds[1]);
    UnorderedOutput output(Grouping::Ungroup,
                           stdout_write.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    JobPipe out, err;
    out.write("read\n");
    EXPECT_EQ(drain(output, 1, Stream::Out, out.read_end.get()).spliced, 5u);
    stdout_read.reset();
    out.write("gone\n");
    EXPECT_EQ(output.splice_from(1, Stream::Out, out.read_end.get()), kCannotSplice);
    EXPECT_FALSE(output.stdout_closed());
    EXPECT_EQ(drain(output, 1, Stream::Out, out.read_end.get()).read, 5u);  // EPIPE
    EXPECT_TRUE(output.stdout_closed());
    const Drained d = feed(output, 1, Stream::Out, out, std::string(300000, 'd'));
    EXPECT_EQ(d.read, 300000u);  // read and dropped: the job never blocks
    err.write("still here\n");
    EXPECT_EQ(drain(output, 1, Stream::Err, err.read_end.get()).spliced, 11u);
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.err_text(), "still here\n");
}

TEST(SpliceOutput, AFullDiskIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    UnorderedOutput output(Grouping::Ungroup, full.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    JobPipe pipe;
    pipe.write("lost\n");
    EXPECT_EQ(drain(output, 1, Stream::Out, pipe.read_end.get()).read, 5u);
    const std::string problem = output.finished(1, ExitStatus{});
    EXPECT_EQ(problem, "output lost: cannot write stdout: No space left on device");
}

TEST(SpliceOutput, GroupedOutputSplicesIntoTheSpillFileOnceMemoryIsFull) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    JobPipe pipe;
    pipe.write("small");
    EXPECT_EQ(output.splice_from(1, Stream::Out, pipe.read_end.get()), kCannotSplice);
    EXPECT_EQ(drain(output, 1, Stream::Out, pipe.read_end.get()).read, 5u);
    const std::string bytes = wgrun::test::random_bytes(3 << 20, 4);
    const Drained d = feed(output, 1, Stream::Out, pipe, bytes);
    EXPECT_GT(d.spliced, 2u << 20);  // everything after the memory part and the first spill
    EXPECT_EQ(d.spliced + d.read, bytes.size());
    EXPECT_EQ(files.out_text(), "");  // captured until the job finishes
    pipe.write_end.reset();
    EXPECT_EQ(output.splice_from(1, Stream::Out, pipe.read_end.get()), 0);
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "small" + bytes);
}

TEST(SpliceOutput, KeepOrderHeadSplicesLiveAndLaterJobsSpill) {
    Files files;
    wgrun::KeepOrderOutput output(files.out.get(), files.err.get(), files.spill.path(), {},
                                  false);
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    JobPipe one, two;
    const std::string first = wgrun::test::random_bytes(200000, 5);
    const std::string second = wgrun::test::random_bytes(2 << 20, 6);
    const Drained d2 = feed(output, 2, Stream::Out, two, second);
    EXPECT_GT(d2.spliced, 0u);
    EXPECT_EQ(d2.spliced + d2.read, second.size());
    const Drained d1 = feed(output, 1, Stream::Out, one, first);
    EXPECT_EQ(d1.spliced, first.size());
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");  // parked
    EXPECT_EQ(files.out_text(), first);
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), first + second);
}

TEST(SpliceOutput, OutputBufferSplicesOnlyOnceSpilling) {
    wgrun::test::TempDir dir;
    wgrun::OutputBuffer buffer(dir.path());
    JobPipe pipe;
    pipe.write("x");
    EXPECT_EQ(buffer.append_from_pipe(pipe.read_end.get(), 1 << 20), kCannotSplice);
    const std::string memory(wgrun::OutputBuffer::kMemoryLimit + 1, 'm');
    ASSERT_EQ(buffer.append(memory), 0);  // now spilling
    EXPECT_EQ(buffer.append_from_pipe(pipe.read_end.get(), 1 << 20), 1);
    EXPECT_EQ(buffer.append_from_pipe(pipe.read_end.get(), 1 << 20), -1);
    EXPECT_EQ(errno, EAGAIN);
    pipe.write("yz");
    EXPECT_EQ(buffer.append_from_pipe(pipe.read_end.get(), 1), 1);  // at most `max`
    ASSERT_EQ(buffer.append("!"), 0);  // append() continues after the spliced bytes
    EXPECT_EQ(buffer.append_from_pipe(pipe.read_end.get(), 1 << 20), 1);
    pipe.write_end.reset();
    EXPECT_EQ(buffer.append_from_pipe(pipe.read_end.get(), 1 << 20), 0);
    EXPECT_EQ(buffer.size(), memory.size() + 4);
    Fd out(::open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_EQ(buffer.write_to(out.get()), 0);
    EXPECT_EQ(wgrun::test::read_file(dir.file("out")), memory + "xy!z");
}

}  // namespace
