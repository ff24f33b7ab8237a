// ungrouped_output_test.cpp: UnorderedOutput with -u writes bytes as soon as
// they arrive, stdout and stderr to their own fds, tags at line starts per
// job and stream; EPIPE closes stdout quietly, a full disk is output lost.
#include "output/unordered_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "support/output_test_support.hpp"

namespace {

using wgrun::ExitStatus;
using wgrun::Grouping;
using wgrun::Stream;
using wgrun::TagFormat;
using wgrun::UnorderedOutput;
using wgrun::test::Fd;
using wgrun::test::Files;
using wgrun::test::TestJob;

TEST(UngroupedOutput, BytesGoOutAsTheyArrive) {
    Files files;
    UnorderedOutput output(Grouping::Ungroup, files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(1, Stream::Out, "1a ");
    EXPECT_EQ(files.out_text(), "1a ");
    output.output(2, Stream::Out, "2a\n");
    output.output(2, Stream::Err, "2e");
    output.output(1, Stream::Out, "1b\n");
    EXPECT_EQ(files.out_text(), "1a 2a\n1b\n");
    EXPECT_EQ(files.err_text(), "2e");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "1a 2a\n1b\n");
}

TEST(UngroupedOutput, TagsAtLineStartsPerJobAndStream) {
    Files files;
    UnorderedOutput output(Grouping::Ungroup, files.out.get(), files.err.get(), files.spill.path(),
                           TagFormat(false, "{#}", false, false));
    TestJob one(1, {"x"});
    TestJob two(2, {"y"});
    output.started(one.start);
    output.started(two.start);
    output.output(1, Stream::Out, "a\nb");
    output.output(2, Stream::Err, "e\r\n");
    output.output(1, Stream::Err, "f");
    output.output(1, Stream::Out, "c\n");  // continues job 1's line: no new tag
    output.output(2, Stream::Out, "last");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "1\ta\n1\tbc\n2\tlast");
    EXPECT_EQ(files.err_text(), "2\te\r\n1\tf");
}

TEST(UngroupedOutput, ColouredTags) {
    Files files;
    UnorderedOutput output(Grouping::Ungroup, files.out.get(), files.err.get(), files.spill.path(),
                           TagFormat(true, "", true, false));
    TestJob one(1, {"x"});
    output.started(one.start);
    output.output(1, Stream::Out, "o\n");
    output.output(1, Stream::Err, "e\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "\x1b[31mx\x1b[0m\to\n");
    EXPECT_EQ(files.err_text(), "x\te\n");
}

TEST(UngroupedOutput, AClosedStdoutIsDroppedQuietly) {
    wgrun::test::IgnoreSigpipe ignore;
    Files files;
    int out[2];
    ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
    Fd out_read(out[0]), out_write(out[1]);
    UnorderedOutput output(Grouping::Ungroup, out_write.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "read\n");
    char buffer[16];
    ASSERT_EQ(::read(out_read.get(), buffer, sizeof buffer), 5);
    out_read.reset();
    EXPECT_FALSE(output.stdout_closed());
    output.output(1, Stream::Out, "gone\n");
    EXPECT_TRUE(output.stdout_closed());
    output.output(1, Stream::Out, "dropped\n");
    output.output(1, Stream::Err, "still here\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.err_text(), "still here\n");
}

TEST(UngroupedOutput, AFullDiskIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    UnorderedOutput output(Grouping::Ungroup, full.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.started(wgrun::JobStart{2});
    output.output(1, Stream::Out, "lost\n");
    output.output(2, Stream::Err, "fine\n");
    const std::string problem = output.finished(1, ExitStatus{});
    EXPECT_NE(problem.find("output lost: cannot write stdout"), std::string::npos) << problem;
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_FALSE(output.stdout_closed());
}

}  // namespace
