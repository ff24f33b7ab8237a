// line_buffered_output_test.cpp: UnorderedOutput with --line-buffer writes
// whole lines while jobs run, never a partial line before its newline or
// the job's end, never one job's line mixed with another's; a huge line
// without newline is kept on disk and comes out byte-exact.
#include "output/unordered_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

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

off_t size_of(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? st.st_size : -1;
}

// The file behind `fd` is empty or ends with a newline.
bool ends_at_line_end(int fd) {
    const off_t size = size_of(fd);
    if (size == 0) return true;
    char last = 0;
    return ::pread(fd, &last, 1, size - 1) == 1 && last == '\n';
}

TEST(LineBufferedOutput, APartialLineWaitsForItsNewlineOrTheEnd) {
    Files files;
    UnorderedOutput output(Grouping::LineBuffer,
                           files.out.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "abc");
    output.output(1, Stream::Err, "err");
    EXPECT_EQ(files.out_text(), "");
    EXPECT_EQ(files.err_text(), "");
    output.output(1, Stream::Out, "def\ngh");
    EXPECT_EQ(files.out_text(), "abcdef\n");
    output.output(1, Stream::Out, "i\nj\nk");
    EXPECT_EQ(files.out_text(), "abcdef\nghi\nj\n");
    EXPECT_EQ(files.err_text(), "");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "abcdef\nghi\nj\nk");
    EXPECT_EQ(files.err_text(), "err");
}

TEST(LineBufferedOutput, LinesOfInterleavedJobsNeverMix) {
    Files files;
    Fd read_out(::open(files.dir.file("out").c_str(), O_RDONLY | O_CLOEXEC));
    UnorderedOutput output(Grouping::LineBuffer,
                           files.out.get(), files.err.get(), files.spill.path());
    std::mt19937 engine(42);
    constexpr int kJobs = 3;
    std::vector<std::string> text(kJobs + 1);
    std::vector<std::string> lines;
    for (int job = 1; job <= kJobs; ++job) {
        for (int i = 0; i < 60; ++i) {
            std::string line = "job" + std::to_string(job) + " line" + std::to_string(i) + " ";
            line.append(engine() % 300, static_cast<char>('a' + job));
            line += '\n';
            text[job] += line;
        }
        output.started(wgrun::JobStart{static_cast<std::uint64_t>(job)});
    }
    std::vector<std::size_t> at(kJobs + 1, 0);
    for (;;) {
        std::vector<int> left;
        for (int job = 1; job <= kJobs; ++job) {
            if (at[job] < text[job].size()) left.push_back(job);
        }
        if (left.empty()) break;
        const int job = left[engine() % left.size()];
        const std::size_t n = std::min<std::size_t>(1 + engine() % 200, text[job].size() - at[job]);
        output.output(job, Stream::Out, std::string_view(text[job]).substr(at[job], n));
        at[job] += n;
        ASSERT_TRUE(ends_at_line_end(read_out.get()));
    }
    for (int job = 1; job <= kJobs; ++job) EXPECT_EQ(output.finished(job, ExitStatus{}), "");
    // Every line whole, and each job's lines in its order.
    std::istringstream all(files.out_text());
    std::map<char, std::string> per_job;
    std::string line;
    while (std::getline(all, line)) {
        ASSERT_GE(line.size(), 4u);
        const std::string tail = line.substr(line.find_last_of(' ') + 1);
        EXPECT_TRUE(std::all_of(tail.begin(), tail.end(),
                                [&](char c) { return c == 'a' + (line[3] - '0'); }))
            << line;
        per_job[line[3]] += line + "\n";
    }
    for (int job = 1; job <= kJobs; ++job) {
        EXPECT_TRUE(per_job[static_cast<char>('0' + job)] == text[job]) << job;
    }
}

TEST(LineBufferedOutput, AHugeLineWithoutNewlineComesOutByteExact) {
    Files files;
    UnorderedOutput output(Grouping::LineBuffer,
                           files.out.get(), files.err.get(), files.spill.path(),
                           TagFormat(true, "", false, false));
    std::string huge = wgrun::test::random_bytes(5 << 20, 7);
    std::replace(huge.begin(), huge.end(), '\n', 'n');
    TestJob job(1, {"big"});
    TestJob other(2, {"small"});
    output.started(job.start);
    output.started(other.start);
    for (std::size_t at = 0; at < huge.size(); at += 65536) {
        output.output(1, Stream::Out, std::string_view(huge).substr(at, 65536));
        if (at % (1 << 20) == 0) output.output(2, Stream::Out, "small line\n");
    }
    std::string small;
    for (int i = 0; i < 5; ++i) small += "small\tsmall line\n";
    EXPECT_EQ(files.out_text(), small) << "the big line's start is not written";
    output.output(1, Stream::Out, "\nrest");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    const std::string want = small + "big\t" + huge + "\nbig\trest";
    EXPECT_TRUE(files.out_text() == want);
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path()));
}

TEST(LineBufferedOutput, AHugeLastLineIsWrittenAtTheEnd) {
    Files files;
    UnorderedOutput output(Grouping::LineBuffer,
                           files.out.get(), files.err.get(), files.spill.path());
    std::string huge = wgrun::test::random_bytes(5 << 20, 9);
    std::replace(huge.begin(), huge.end(), '\n', '\0');
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Err, huge);  // in one piece
    EXPECT_EQ(size_of(files.err.get()), 0);
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_TRUE(files.err_text() == huge);
}

TEST(LineBufferedOutput, TagsWithCrlfAndPartialLines) {
    Files files;
    UnorderedOutput output(Grouping::LineBuffer,
                           files.out.get(), files.err.get(), files.spill.path(),
                           TagFormat(false, "<{}>", true, true));
    TestJob one(1, {"a"});
    TestJob two(2, {"b"});
    output.started(one.start);
    output.started(two.start);
    output.output(1, Stream::Out, "x\r");
    output.output(2, Stream::Out, "y\r\n");
    output.output(1, Stream::Out, "\nz");
    output.output(2, Stream::Err, "e");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(output.finished(2, ExitStatus{}), "");
    const std::string tag1 = "\x1b[31m<a>\x1b[0m\t";
    const std::string tag2 = "\x1b[32m<b>\x1b[0m\t";
    EXPECT_EQ(files.out_text(), tag2 + "y\r\n" + tag1 + "x\r\n" + tag1 + "z");
    EXPECT_EQ(files.err_text(), tag2 + "e");
}

TEST(LineBufferedOutput, AClosedStdoutIsDroppedQuietly) {
    wgrun::test::IgnoreSigpipe ignore;
    Files files;
    int out[2];
    ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
    Fd out_read(out[0]), out_write(out[1]);
    out_read.reset();
    UnorderedOutput output(Grouping::LineBuffer,
                           out_write.get(), files.err.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Out, "partial");
    EXPECT_FALSE(output.stdout_closed());
    output.output(1, Stream::Out, " line\n");
    EXPECT_TRUE(output.stdout_closed());
    output.output(1, Stream::Err, "err\n");
    EXPECT_EQ(output.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.err_text(), "err\n");
}

TEST(LineBufferedOutput, AFullDiskIsOutputLost) {
    Files files;
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_GE(full.get(), 0);
    UnorderedOutput output(Grouping::LineBuffer, files.out.get(), full.get(), files.spill.path());
    output.started(wgrun::JobStart{1});
    output.output(1, Stream::Err, "no newline");
    output.output(1, Stream::Out, "fine\n");
    const std::string problem = output.finished(1, ExitStatus{});
    EXPECT_NE(problem.find("output lost: cannot write stderr"), std::string::npos) << problem;
    EXPECT_EQ(files.out_text(), "fine\n");
}

}  // namespace
