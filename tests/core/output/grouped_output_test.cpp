// grouped_output_test.cpp: UnorderedOutput with --group (the default) writes
// each job's stdout and stderr whole, to their own fds, when the job
// finishes, however the jobs' bytes were interleaved; and it says "output
// lost" when they cannot be delivered.
#include "output/unordered_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>

#include "support/output_test_support.hpp"

namespace {

using wgrun::Grouping;
using wgrun::OutputBuffer;
using wgrun::Stream;
using wgrun::UnorderedOutput;

using wgrun::test::TempDir;

using wgrun::test::Fd;

using wgrun::test::Files;  // stdout and stderr files, a spill directory
using wgrun::test::random_bytes;
using wgrun::test::read_file;

TEST(GroupedOutput, AJobWithNoOutputWritesNothing) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    EXPECT_EQ(output.finished(1, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "");
    EXPECT_EQ(files.err_text(), "");
}

TEST(GroupedOutput, NothingIsWrittenBeforeTheJobFinishes) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{7});
    output.output(7, Stream::Out, "partial out\n");
    output.output(7, Stream::Err, "partial err\n");
    EXPECT_EQ(files.out_text(), "");
    EXPECT_EQ(files.err_text(), "");
    EXPECT_EQ(output.finished(7, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "partial out\n");
    EXPECT_EQ(files.err_text(), "partial err\n");
}

TEST(GroupedOutput, InterleavedJobsComeOutWholePerJob) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(1, Stream::Out, "1-out-a ");
    output.output(2, Stream::Out, "2-out-a ");
    output.output(2, Stream::Err, "2-err-a ");
    output.output(1, Stream::Err, "1-err-a ");
    output.output(1, Stream::Out, "1-out-b\n");
    output.output(2, Stream::Err, "2-err-b\n");
    output.output(2, Stream::Out, "2-out-b\n");
    output.output(1, Stream::Err, "1-err-b\n");
    EXPECT_EQ(output.finished(2, wgrun::ExitStatus{}), "");  // finish order, not start order
    output.started(wgrun::JobStart{3});
    output.output(3, Stream::Out, "3-out\n");
    EXPECT_EQ(output.finished(1, wgrun::ExitStatus{}), "");
    EXPECT_EQ(output.finished(3, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "2-out-a 2-out-b\n1-out-a 1-out-b\n3-out\n");
    EXPECT_EQ(files.err_text(), "2-err-a 2-err-b\n1-err-a 1-err-b\n");
}

TEST(GroupedOutput, BigInterleavedOutputsSpillAndComeOutWhole) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path());
    const std::string a_out = random_bytes(OutputBuffer::kMemoryLimit * 3 + 17, 1);
    const std::string b_out = random_bytes(OutputBuffer::kMemoryLimit + 5, 2);
    const std::string a_err = random_bytes(OutputBuffer::kMemoryLimit * 2, 3);
    const std::string b_err = random_bytes(1000, 4);
    output.started(wgrun::JobStart{10});
    output.started(wgrun::JobStart{11});
    constexpr std::size_t kChunk = 65536;
    for (std::size_t at = 0; at < a_out.size(); at += kChunk) {
        const auto piece = [at](const std::string& s) {
            return at < s.size() ? std::string_view(s).substr(at, kChunk) : std::string_view();
        };
        if (!piece(a_out).empty()) output.output(10, Stream::Out, piece(a_out));
        if (!piece(b_out).empty()) output.output(11, Stream::Out, piece(b_out));
        if (!piece(a_err).empty()) output.output(10, Stream::Err, piece(a_err));
        if (!piece(b_err).empty()) output.output(11, Stream::Err, piece(b_err));
    }
    EXPECT_EQ(output.finished(10, wgrun::ExitStatus{}), "");
    EXPECT_EQ(output.finished(11, wgrun::ExitStatus{}), "");
    EXPECT_TRUE(files.out_text() == a_out + b_out);
    EXPECT_TRUE(files.err_text() == a_err + b_err);
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path()));
}

TEST(GroupedOutput, ToPipes) {
    TempDir spill;
    int out[2];
    int err[2];
    ASSERT_EQ(::pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
    ASSERT_EQ(::pipe2(err, O_CLOEXEC | O_NONBLOCK), 0);
    Fd out_read(out[0]), out_write(out[1]), err_read(err[0]), err_write(err[1]);
    UnorderedOutput output(Grouping::Group, out_write.get(), err_write.get(), spill.path());
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(2, Stream::Err, "two err\n");
    output.output(1, Stream::Out, "one ");
    output.output(2, Stream::Out, "two out\n");
    output.output(1, Stream::Out, "out\n");
    EXPECT_EQ(output.finished(1, wgrun::ExitStatus{}), "");
    EXPECT_EQ(output.finished(2, wgrun::ExitStatus{}), "");
    char buffer[256];
    const ssize_t n_out = ::read(out_read.get(), buffer, sizeof buffer);
    ASSERT_GT(n_out, 0);
    EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n_out)), "one out\ntwo out\n");
    const ssize_t n_err = ::read(err_read.get(), buffer, sizeof buffer);
    ASSERT_GT(n_err, 0);
    EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n_err)), "two err\n");
}

TEST(GroupedOutput, AFullStdoutIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    UnorderedOutput output(Grouping::Group, full.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "to nowhere\n");
    output.output(1, Stream::Err, "still delivered\n");
    const std::string problem = output.finished(1, wgrun::ExitStatus{});
    EXPECT_NE(problem.find("output lost"), std::string::npos) << problem;
    EXPECT_NE(problem.find("stdout"), std::string::npos) << problem;
    EXPECT_EQ(files.err_text(), "still delivered\n") << "what can be written is written";

    // A job with nothing to write to the full fd loses nothing.
    output.started(wgrun::JobStart{2});
    output.output(2, Stream::Err, "only stderr\n");
    EXPECT_EQ(output.finished(2, wgrun::ExitStatus{}), "");
}

TEST(GroupedOutput, AFullStderrIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    UnorderedOutput output(Grouping::Group, files.out.get(), full.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "delivered\n");
    output.output(1, Stream::Err, "lost\n");
    const std::string problem = output.finished(1, wgrun::ExitStatus{});
    EXPECT_NE(problem.find("output lost"), std::string::npos) << problem;
    EXPECT_NE(problem.find("stderr"), std::string::npos) << problem;
    EXPECT_EQ(files.out_text(), "delivered\n");
}

TEST(GroupedOutput, AFullStdoutWithSpilledOutputIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    UnorderedOutput output(Grouping::Group, full.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, std::string(OutputBuffer::kMemoryLimit * 2, 'x'));
    const std::string problem = output.finished(1, wgrun::ExitStatus{});
    EXPECT_NE(problem.find("output lost"), std::string::npos) << problem;
}

TEST(GroupedOutput, ASpillThatFailsIsOutputLostButTheRestIsWritten) {
    Files files;
    const std::string missing = files.spill.path() + "/does-not-exist";
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), missing);
    output.started(wgrun::JobStart{1});
    const std::string kept(OutputBuffer::kMemoryLimit, 'k');
    output.output(1, Stream::Out, kept);
    output.output(1, Stream::Out, "dropped");
    output.output(1, Stream::Err, "err is fine\n");
    const std::string problem = output.finished(1, wgrun::ExitStatus{});
    EXPECT_NE(problem.find("output lost"), std::string::npos) << problem;
    EXPECT_NE(problem.find(missing), std::string::npos) << problem;
    EXPECT_TRUE(files.out_text() == kept) << "never less than was kept";
    EXPECT_EQ(files.err_text(), "err is fine\n");
}

TEST(GroupedOutput, TagsPrefixEveryLineIncludingAPartialLastOne) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path(),
                           wgrun::TagFormat(true, "", false, false));
    wgrun::test::TestJob one(1, {"a", "b"});
    wgrun::test::TestJob two(2, {"c"});
    output.started(one.start);
    output.started(two.start);
    output.output(1, Stream::Out, "x\r\ny");
    output.output(2, Stream::Out, "z\n");
    output.output(1, Stream::Out, "y\nlast");
    output.output(1, Stream::Err, "e\n");
    EXPECT_EQ(output.finished(2, wgrun::ExitStatus{}), "");
    EXPECT_EQ(output.finished(1, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "c\tz\na b\tx\r\na b\tyy\na b\tlast");
    EXPECT_EQ(files.err_text(), "a b\te\n");
}

TEST(GroupedOutput, TagstringAndColourOnlyWhereAsked) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path(),
                           wgrun::TagFormat(false, "{#}:{}", false, true));
    wgrun::test::TestJob job(3, {"foo"});
    output.started(job.start);
    output.output(3, Stream::Out, "o\n");
    output.output(3, Stream::Err, "e\n");
    EXPECT_EQ(output.finished(3, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "3:foo\to\n");
    EXPECT_EQ(files.err_text(), "\x1b[33m3:foo\x1b[0m\te\n");
}

TEST(GroupedOutput, NoColourWithoutTags) {
    Files files;
    UnorderedOutput output(Grouping::Group, files.out.get(), files.err.get(), files.spill.path(),
                           wgrun::TagFormat(false, "", true, true));
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "plain\n");
    EXPECT_EQ(output.finished(1, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "plain\n");
}

TEST(GroupedOutput, AClosedStdoutIsNoProblem) {
    wgrun::test::IgnoreSigpipe ignore;
    Files files;
    int out[2];
    ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
    Fd out_read(out[0]), out_write(out[1]);
    out_read.reset();
    UnorderedOutput output(Grouping::Group, out_write.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "nobody reads this\n");
    output.output(1, Stream::Err, "err\n");
    EXPECT_FALSE(output.stdout_closed());
    EXPECT_EQ(output.finished(1, wgrun::ExitStatus{}), "");
    EXPECT_TRUE(output.stdout_closed());
    output.started(wgrun::JobStart{2});
    output.output(2, Stream::Out, "dropped\n");
    EXPECT_EQ(output.finished(2, wgrun::ExitStatus{}), "");
    EXPECT_EQ(files.err_text(), "err\n");
}

}  // namespace
