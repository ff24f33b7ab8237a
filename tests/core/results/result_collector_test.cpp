// result_collector_test.cpp: ResultCollector counts every result, keeps the
// failed ones in job-number order, takes results from many threads at once;
// and GNU parallel's exit status for a number of failures.
#include "results/result_collector.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace {

using wgrun::ExitStatus;
using wgrun::JobResult;
using wgrun::ResultCollector;

JobResult result(std::uint64_t seq, ExitStatus status, std::string problem = "") {
    JobResult r;
    r.seq = seq;
    r.slot = seq % 3 + 1;
    r.command = "job " + std::to_string(seq);
    r.status = status;
    r.problem = std::move(problem);
    return r;
}

ExitStatus exited(int code) {
    return {ExitStatus::Kind::Exited, code};
}

TEST(ResultCollector, StartsEmpty) {
    const ResultCollector results;
    EXPECT_EQ(results.total(), 0u);
    EXPECT_EQ(results.failed_count(), 0u);
    EXPECT_TRUE(results.failed().empty());
}

TEST(ResultCollector, CountsAndKeepsOnlyFailures) {
    ResultCollector results;
    results.add(result(1, exited(0)));
    results.add(result(2, exited(3)));
    results.add(result(3, exited(0)));
    results.add(result(4, {ExitStatus::Kind::Signaled, 9}));
    results.add(result(5, ExitStatus::not_started(ENOENT)));
    results.add(result(6, exited(0), "output lost: cannot write stdout: No space left"));
    EXPECT_EQ(results.total(), 6u);
    EXPECT_EQ(results.failed_count(), 4u);
    const std::vector<JobResult> failed = results.failed();
    ASSERT_EQ(failed.size(), 4u);
    EXPECT_EQ(failed[0].seq, 2u);
    EXPECT_EQ(failed[0].status.code, 3);
    EXPECT_EQ(failed[0].command, "job 2");
    EXPECT_EQ(failed[0].slot, 3u);
    EXPECT_EQ(failed[1].seq, 4u);
    EXPECT_EQ(failed[1].status.describe(), "killed by SIGKILL");
    EXPECT_EQ(failed[2].seq, 5u);
    EXPECT_EQ(failed[2].status.shell_code(), 127);
    EXPECT_EQ(failed[3].seq, 6u);
    EXPECT_TRUE(failed[3].status.ok()) << "failed for its problem, not its status";
    EXPECT_EQ(failed[3].problem, "output lost: cannot write stdout: No space left");
}

TEST(ResultCollector, FailedIsSortedBySeqWhateverTheOrderOfAdding) {
    ResultCollector results;
    for (std::uint64_t seq : {9, 2, 7, 1, 8, 3, 10, 5, 4, 6}) {
        results.add(result(seq, exited(static_cast<int>(seq))));
    }
    const std::vector<JobResult> failed = results.failed();
    ASSERT_EQ(failed.size(), 10u);
    for (std::size_t i = 0; i < failed.size(); ++i) {
        EXPECT_EQ(failed[i].seq, i + 1);
        EXPECT_EQ(failed[i].status.code, static_cast<int>(i + 1));
    }
    // failed() is a copy: asking twice gives the same, and adding more later
    // still sorts.
    EXPECT_EQ(results.failed().size(), 10u);
    results.add(result(0, exited(1)));
    EXPECT_EQ(results.failed().front().seq, 0u);
}

TEST(ResultCollector, ManyThreadsAddingAtOnce) {
    constexpr int kThreads = 4;
    constexpr std::uint64_t kPerThread = 2000;
    ResultCollector results(kThreads * kPerThread);  // keeps every failure
    std::atomic<bool> go{false};
    std::atomic<int> writers_done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            for (std::uint64_t i = 0; i < kPerThread; ++i) {
                const std::uint64_t seq = i * kThreads + static_cast<std::uint64_t>(t) + 1;
                results.add(result(seq, exited(seq % 3 == 0 ? 1 : 0)));
            }
            writers_done.fetch_add(1);
        });
    }
    // A reader at the same time: counts only grow, failed() stays sorted.
    threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        std::uint64_t last_total = 0;
        bool sorted = true;
        bool monotonic = true;
        while (writers_done.load() < kThreads) {
            const std::uint64_t total = results.total();
            monotonic = monotonic && total >= last_total;
            last_total = total;
            const auto failed = results.failed();
            for (std::size_t i = 1; i < failed.size(); ++i) {
                sorted = sorted && failed[i - 1].seq < failed[i].seq;
            }
        }
        EXPECT_TRUE(sorted);
        EXPECT_TRUE(monotonic);
    });
    go.store(true);
    for (auto& thread : threads) thread.join();

    constexpr std::uint64_t kTotal = kThreads * kPerThread;
    EXPECT_EQ(results.total(), kTotal);
    EXPECT_EQ(results.failed_count(), kTotal / 3);
    const auto failed = results.failed();
    ASSERT_EQ(failed.size(), kTotal / 3);
    for (std::size_t i = 0; i < failed.size(); ++i) {
        EXPECT_EQ(failed[i].seq, 3 * (i + 1)) << i;
    }
}

// Issue 12: every failure was kept whole (2.6 MB per 8k failures of
// `yes | wgrun 'false {}'`, a 3 MB command whole). The lowest job numbers
// are kept, whatever the order they end in; the rest are only counted.
TEST(ResultCollector, KeepsABoundedNumberOfFailures) {
    ResultCollector results(3);
    for (std::uint64_t seq : {9, 2, 7, 1, 8, 3, 10, 5, 4, 6}) {
        results.add(result(seq, exited(1)));
    }
    results.add(result(11, exited(0)));
    EXPECT_EQ(results.total(), 11u);
    EXPECT_EQ(results.failed_count(), 10u);
    const auto failed = results.failed();
    ASSERT_EQ(failed.size(), 3u);
    EXPECT_EQ(failed[0].seq, 1u);
    EXPECT_EQ(failed[1].seq, 2u);
    EXPECT_EQ(failed[2].seq, 3u);
    EXPECT_EQ(failed[2].command, "job 3");
}

TEST(ResultCollector, KeepsNoFailureWithABoundOfZero) {
    ResultCollector results(0);
    results.add(result(1, exited(1)));
    EXPECT_EQ(results.failed_count(), 1u);
    EXPECT_TRUE(results.failed().empty());
}

TEST(ResultCollector, KeepsFailuresAsTheReportShowsThem) {
    ResultCollector results;
    EXPECT_EQ(ResultCollector::kKeptFailures, 1000u);
    JobResult long_one = result(1, exited(1));
    long_one.command = "false " + std::string(3145728, 'a');
    long_one.args = {std::string(3145728, 'a')};
    long_one.output_tail = "tail";
    results.add(std::move(long_one));
    JobResult escaped = result(2, exited(1));
    escaped.command = "false '\x1b]0;PWNED\x07' 'x\nwgrun: 0 of 5 jobs failed'";
    results.add(std::move(escaped));
    const auto failed = results.failed();
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].command, "false " + std::string(994, 'a') + "... (3145734 bytes)");
    EXPECT_TRUE(failed[0].args.empty());
    EXPECT_TRUE(failed[0].output_tail.empty());
    EXPECT_EQ(failed[1].command, "false '\\x1b]0;PWNED\\x07' 'x\\nwgrun: 0 of 5 jobs failed'");
}

TEST(ExitStatusForFailures, GnuParallelsRule) {
    EXPECT_EQ(wgrun::exit_status_for_failures(0), 0);
    EXPECT_EQ(wgrun::exit_status_for_failures(1), 1);
    EXPECT_EQ(wgrun::exit_status_for_failures(2), 2);
    EXPECT_EQ(wgrun::exit_status_for_failures(99), 99);
    EXPECT_EQ(wgrun::exit_status_for_failures(100), 100);
    EXPECT_EQ(wgrun::exit_status_for_failures(101), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures(102), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures(255), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures(256), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures(5000), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures(std::uint64_t{1} << 32), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures((std::uint64_t{1} << 32) + 5), 101);
    EXPECT_EQ(wgrun::exit_status_for_failures(std::numeric_limits<std::uint64_t>::max()), 101);
}

}  // namespace

namespace {

class CountingSink : public wgrun::ResultSink {
public:
    explicit CountingSink(wgrun::OsError error = {}) : error_(std::move(error)) {}
    void job_started(std::uint64_t) override { ++started; }
    void input_ended(std::uint64_t total) override { this->total = total; }
    void job_ended(const wgrun::JobResult& result) override { seqs.push_back(result.seq); }
    void finish(const wgrun::RunSummary& summary) override { status = summary.exit_status; }
    wgrun::OsError error() const override { return error_; }
    int started = 0;
    std::uint64_t total = 0;
    std::vector<std::uint64_t> seqs;
    int status = -1;

private:
    wgrun::OsError error_;
};

}  // namespace

TEST(ResultCollector, EverySinkHearsEveryResultInCompletionOrder) {
    wgrun::ResultCollector results;
    CountingSink one;
    CountingSink two(wgrun::OsError{ENOSPC, "--json x"});
    results.add_sink(one);
    results.add_sink(two);
    results.job_started(1);
    results.job_started(2);
    results.input_ended(2);
    wgrun::JobResult second;
    second.seq = 2;
    second.status = wgrun::ExitStatus{wgrun::ExitStatus::Kind::Exited, 1};
    second.output_tail = "tail";
    results.add(second);
    wgrun::JobResult first;
    first.seq = 1;
    results.add(first);
    wgrun::RunSummary summary;
    summary.exit_status = 1;
    results.finish(summary);
    for (const CountingSink* sink : {&one, &two}) {
        EXPECT_EQ(sink->started, 2);
        EXPECT_EQ(sink->total, 2u);
        EXPECT_EQ(sink->seqs, (std::vector<std::uint64_t>{2, 1}));
        EXPECT_EQ(sink->status, 1);
    }
    EXPECT_EQ(results.sink_errors(), (std::vector<std::string>{"--json x: No space left on device"}));
    ASSERT_EQ(results.failed().size(), 1u);
    EXPECT_EQ(results.failed()[0].output_tail, "") << "the report keeps no output";
}
