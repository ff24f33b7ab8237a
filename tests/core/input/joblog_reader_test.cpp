// joblog_reader_test.cpp: read_joblog() keeps GNU parallel's rules for what
// is done (--resume: every Seq; --resume-failed: Seqs with a successful row;
// --retry-failed: the last failed command of Seqs that never succeeded),
// leaves out an incomplete last line, and names the file and line of every
// malformed one. SeqSkipper and RetryFeed turn the result into jobs.
#include "input/joblog_reader.hpp"
#include "support/test_support.hpp"
#include "input/retry_feed.hpp"
#include "input/seq_skipper.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace std::string_literals;
using wgrun::FailedJob;
using wgrun::JoblogError;
using wgrun::JoblogHistory;
using wgrun::ResumeMode;
using wgrun::test::Fd;
using wgrun::test::TempDir;

const std::string kHeader =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

std::string row(int seq, int exitval, int signal, const std::string& command) {
    return std::to_string(seq) + "\t:\t1764324000.456\t     0.010\t0\t0\t" +
           std::to_string(exitval) + "\t" + std::to_string(signal) + "\t" + command + "\n";
}

JoblogHistory read(const std::string& text, ResumeMode mode) {
    TempDir dir;
    const std::string path = dir.file("log");
    {
        Fd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        EXPECT_EQ(::write(out.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }
    Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    return wgrun::read_joblog(in.get(), "run.log", mode);
}

std::string error_of(const std::string& text, ResumeMode mode = ResumeMode::Resume) {
    try {
        read(text, mode);
    } catch (const JoblogError& e) {
        return e.what();
    }
    return "read";
}

using Seqs = std::vector<std::uint64_t>;

// Seq 1 ok; 2 failed; 3 failed then ok; 4 ok then failed; 5 signalled;
// 6 timed out; 7 failed twice (the last command counts); 9 ok. 8 never ran.
const std::string kLog = kHeader + row(1, 0, 0, "echo 1") + row(2, 1, 0, "exit 1") +
                         row(3, 2, 0, "flaky") + row(5, 0, 9, "kill -9 $$") +
                         row(3, 0, 0, "flaky") + row(4, 0, 0, "ok4") + row(4, 3, 0, "bad4") +
                         row(6, -1, 15, "sleep 9") + row(7, 1, 0, "first\0try"s) +
                         row(9, 0, 0, "echo 9") + row(7, 2, 0, "second\0try"s);

TEST(JoblogReader, ResumeLeavesOutEverySeqInTheLog) {
    const JoblogHistory history = read(kLog, ResumeMode::Resume);
    EXPECT_EQ(history.done, (Seqs{1, 2, 3, 4, 5, 6, 7, 9}));
    EXPECT_TRUE(history.failed.empty());
    EXPECT_EQ(history.rows, 11u);
    EXPECT_EQ(history.whole_bytes, static_cast<off_t>(kLog.size()));
    EXPECT_EQ(history.torn_line, 0u);
}

TEST(JoblogReader, ResumeFailedLeavesOutSeqsWithASuccessfulRow) {
    const JoblogHistory history = read(kLog, ResumeMode::ResumeFailed);
    EXPECT_EQ(history.done, (Seqs{1, 3, 4, 9}));
    EXPECT_TRUE(history.failed.empty());
}

TEST(JoblogReader, RetryFailedKeepsTheLastFailedCommandOfSeqsThatNeverSucceeded) {
    const JoblogHistory history = read(kLog, ResumeMode::RetryFailed);
    EXPECT_TRUE(history.done.empty());
    ASSERT_EQ(history.failed.size(), 4u);
    EXPECT_EQ(history.failed[0].seq, 2u);
    EXPECT_EQ(history.failed[0].command, "exit 1");
    EXPECT_EQ(history.failed[1].seq, 5u);
    EXPECT_EQ(history.failed[2].seq, 6u);
    EXPECT_EQ(history.failed[2].command, "sleep 9");
    EXPECT_EQ(history.failed[3].seq, 7u);
    EXPECT_EQ(history.failed[3].command, "second\ntry");  // NUL back to newline
}

TEST(JoblogReader, EmptyFileIsALogOfNothing) {
    const JoblogHistory history = read("", ResumeMode::Resume);
    EXPECT_TRUE(history.done.empty());
    EXPECT_EQ(history.rows, 0u);
    EXPECT_EQ(history.whole_bytes, 0);
    EXPECT_TRUE(read(kHeader, ResumeMode::RetryFailed).failed.empty());
}

TEST(JoblogReader, TornLastLineIsLeftOut) {
    const std::string whole = kHeader + row(1, 0, 0, "a") + row(2, 0, 0, "b");
    const JoblogHistory history = read(whole + "3\t:\t17643", ResumeMode::Resume);
    EXPECT_EQ(history.done, (Seqs{1, 2}));
    EXPECT_EQ(history.whole_bytes, static_cast<off_t>(whole.size()));
    EXPECT_EQ(history.torn_line, 4u);
    // A torn row would be malformed: it is not checked.
    EXPECT_EQ(read(whole + "x\tgarbage", ResumeMode::Resume).torn_line, 4u);
    // Even the header may be torn: nothing is done.
    const JoblogHistory header = read("Seq\tHost\tStart", ResumeMode::Resume);
    EXPECT_EQ(header.torn_line, 1u);
    EXPECT_EQ(header.whole_bytes, 0);
}

TEST(JoblogReader, LongLinesAcrossReads) {
    // Rows that straddle the reader's 64 KiB buffer.
    std::string text = kHeader;
    std::vector<std::string> commands;
    for (int seq = 1; seq <= 12; ++seq) {
        commands.push_back("echo " + std::string(static_cast<std::size_t>(seq) * 9000, 'a' + seq));
        text += row(seq, seq % 2, 0, commands.back());
    }
    const JoblogHistory history = read(text, ResumeMode::RetryFailed);
    ASSERT_EQ(history.failed.size(), 6u);
    for (const FailedJob& job : history.failed) {
        EXPECT_EQ(job.command, commands[job.seq - 1]) << job.seq;
    }
}

TEST(JoblogReader, MalformedLinesNameFileAndLine) {
    EXPECT_EQ(error_of("Seq Host Starttime\n"),
              "run.log: line 1: not a job log: the first line is not the header "
              "'Seq<TAB>Host<TAB>Starttime<TAB>JobRuntime<TAB>Send<TAB>Receive<TAB>Exitval<TAB>"
              "Signal<TAB>Command'");
    // A row first is no header either.
    EXPECT_EQ(error_of(row(1, 0, 0, "a")).substr(0, 30), "run.log: line 1: not a job log");
    const std::string two = kHeader + row(1, 0, 0, "a") + row(2, 0, 0, "b");
    EXPECT_EQ(error_of(two + "3\t:\t1.0\t1.0\t0\t0\tx\t0\tc\n" + row(4, 0, 0, "d")),
              "run.log: line 4: Exitval is not a number: 'x'");
    EXPECT_EQ(error_of(two + "\n"), "run.log: line 4: expected 9 columns separated by tabs, found 1: ''");
    EXPECT_EQ(error_of(two + "0\t:\t1.0\t1.0\t0\t0\t0\t0\tc\n", ResumeMode::RetryFailed),
              "run.log: line 4: Seq is not a positive whole number: '0'");
    EXPECT_EQ(error_of(two + "3\t\t1.0\t1.0\t0\t0\t0\t0\tc\n", ResumeMode::ResumeFailed),
              "run.log: line 4: Host is empty");
}

TEST(JoblogReader, UnreadableFileIsAnError) {
    TempDir dir;
    Fd fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    try {
        wgrun::read_joblog(fd.get(), "dir", ResumeMode::Resume);
        FAIL() << "read a directory";
    } catch (const JoblogError& e) {
        EXPECT_EQ(std::string(e.what()), "dir: Is a directory");
        EXPECT_EQ(e.code(), EISDIR);
    }
}

TEST(SeqSkipper, SkipsListedOrUnlisted) {
    const wgrun::SeqSkipper listed({2, 3, 7}, wgrun::SeqSkipper::Skip::Listed);
    const wgrun::SeqSkipper unlisted({2, 3, 7}, wgrun::SeqSkipper::Skip::Unlisted);
    std::vector<std::uint64_t> skipped, kept;
    for (std::uint64_t seq = 1; seq <= 9; ++seq) {
        EXPECT_NE(listed.skip(seq), unlisted.skip(seq)) << seq;
        (listed.skip(seq) ? skipped : kept).push_back(seq);
    }
    EXPECT_EQ(skipped, (Seqs{2, 3, 7}));
    EXPECT_EQ(kept, (Seqs{1, 4, 5, 6, 8, 9}));
    const wgrun::SeqSkipper none({}, wgrun::SeqSkipper::Skip::Listed);
    EXPECT_FALSE(none.skip(1));
}

TEST(RetryFeed, FeedsFailedCommandsAtTheirSeqsWithPlaceholdersBetween) {
    wgrun::RetryFeed feed({{2, "exit 1"}, {3, "a\nb"}, {6, "false"}});
    const wgrun::SeqSkipper skipper({2, 3, 6}, wgrun::SeqSkipper::Skip::Unlisted);
    std::vector<std::string> run;
    std::uint64_t seq = 0;
    while (auto args = feed.next()) {
        ++seq;
        ASSERT_EQ(args->size(), 1u);
        if (!skipper.skip(seq)) {
            run.push_back(std::to_string(seq) + ":" + args->front());
        } else {
            EXPECT_EQ(args->front(), "");
        }
    }
    EXPECT_EQ(seq, 6u);  // nothing after the last failed job
    EXPECT_EQ(run, (std::vector<std::string>{"2:exit 1", "3:a\nb", "6:false"}));
    EXPECT_FALSE(feed.next());
}

TEST(RetryFeed, NothingFailedFeedsNothing) {
    wgrun::RetryFeed feed({});
    EXPECT_FALSE(feed.next());
}

}  // namespace
