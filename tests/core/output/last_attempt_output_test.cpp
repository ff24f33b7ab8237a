// last_attempt_output_test.cpp: --retries with grouped output: a retried
// attempt's bytes are dropped and counted, the last attempt's passed on whole
// when the job finishes, through a fake mode and the real -k and grouped modes.
#include "output/last_attempt_output.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "output/output_buffer.hpp"
#include "output/output_factory.hpp"
#include "support/output_test_support.hpp"

namespace {

using wgrun::ExitStatus;
using wgrun::JobStart;
using wgrun::LastAttemptOutput;
using wgrun::OutputFlow;
using wgrun::OutputMode;
using wgrun::Stream;
using wgrun::test::Files;
using wgrun::test::TestJob;

using Calls = std::vector<std::string>;

class FakeMode : public OutputMode, public OutputFlow {
public:
    explicit FakeMode(Calls& calls) : calls_(calls) {}
    void started(const JobStart& job) override {
        calls_.push_back("started " + std::to_string(job.seq));
    }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        calls_.push_back("output " + std::to_string(seq) +
                         (stream == Stream::Out ? " out " : " err ") + std::string(bytes));
    }
    std::uint64_t retrying(std::uint64_t seq) override {
        calls_.push_back("retrying " + std::to_string(seq));
        return 1000;
    }
    std::string finished(std::uint64_t seq, const ExitStatus&) override {
        calls_.push_back("finished " + std::to_string(seq));
        return "";
    }
    OutputFlow& flow() override { return *this; }
    bool stdout_closed() const override { return false; }

private:
    Calls& calls_;
};

TEST(LastAttemptOutput, DropsRetriedAttemptsAndCountsTheirBytes) {
    Calls calls;
    Files files;
    LastAttemptOutput last(std::make_unique<FakeMode>(calls), files.spill.path());
    TestJob job(1);
    last.started(job.start);
    last.output(1, Stream::Out, "first try\n");
    last.output(1, Stream::Err, "oops\n");
    EXPECT_EQ(last.retrying(1), 15u);  // the inner mode never heard of it
    last.output(1, Stream::Err, "again\n");
    last.output(1, Stream::Out, "second");
    EXPECT_EQ(last.retrying(1), 12u);
    last.output(1, Stream::Out, "third\n");
    EXPECT_EQ(last.finished(1, ExitStatus{}), "");
    EXPECT_EQ(calls, (Calls{"started 1", "output 1 out third\n", "finished 1"}));
}

TEST(LastAttemptOutput, HoldsBigOutputInSpillFiles) {
    Calls calls;
    Files files;
    LastAttemptOutput last(std::make_unique<FakeMode>(calls), files.spill.path());
    TestJob job(4);
    last.started(job.start);
    const std::string big(wgrun::OutputBuffer::kMemoryLimit + 100000, 'x');
    last.output(4, Stream::Out, big);
    EXPECT_EQ(last.retrying(4), big.size());
    last.output(4, Stream::Out, big);
    last.output(4, Stream::Out, "end");
    EXPECT_EQ(last.finished(4, ExitStatus{}), "");
    std::string passed;
    for (const std::string& call : calls) {
        if (call.rfind("output 4 out ", 0) == 0) passed += call.substr(13);
    }
    EXPECT_EQ(passed, big + "end");
}

TEST(LastAttemptOutput, KeepOrderWritesOnlyTheLastAttemptsInJobOrder) {
    Files files;
    wgrun::OutputOptions options;
    options.keep_order = true;
    options.tmpdir = files.spill.path();
    options.out_fd = files.out.get();
    options.err_fd = files.err.get();
    LastAttemptOutput last(wgrun::make_output_mode(options), files.spill.path());
    TestJob one(1);
    TestJob two(2);
    last.started(one.start);
    last.started(two.start);
    last.output(1, Stream::Out, "1 try 1\n");
    last.output(2, Stream::Out, "2 only\n");
    EXPECT_EQ(last.retrying(1), 8u);
    EXPECT_EQ(last.finished(2, ExitStatus{}), "");
    last.output(1, Stream::Out, "1 try 2\n");
    last.output(1, Stream::Err, "1 err\n");
    EXPECT_EQ(last.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "1 try 2\n2 only\n");
    EXPECT_EQ(files.err_text(), "1 err\n");
}

TEST(LastAttemptOutput, GroupedModeAlone) {
    Files files;
    wgrun::OutputOptions options;
    options.tmpdir = files.spill.path();
    options.out_fd = files.out.get();
    options.err_fd = files.err.get();
    options.background = false;
    LastAttemptOutput last(wgrun::make_output_mode(options), files.spill.path());
    TestJob one(1);
    last.started(one.start);
    last.output(1, Stream::Out, "dropped\n");
    EXPECT_EQ(last.retrying(1), 8u);
    last.output(1, Stream::Out, "kept\n");
    EXPECT_EQ(last.finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "kept\n");
}

TEST(OutputMode, RetryingDropsNothingByDefault) {
    Calls calls;
    FakeMode fake(calls);
    Files files;
    wgrun::OutputOptions options;
    options.mode = wgrun::OutputOptions::Mode::Ungroup;
    options.out_fd = files.out.get();
    options.err_fd = files.err.get();
    options.tmpdir = files.spill.path();
    auto ungrouped = wgrun::make_output_mode(options);
    TestJob one(1);
    ungrouped->started(one.start);
    ungrouped->output(1, Stream::Out, "out already\n");
    EXPECT_EQ(ungrouped->retrying(1), 0u);
    ungrouped->output(1, Stream::Out, "again\n");
    EXPECT_EQ(ungrouped->finished(1, ExitStatus{}), "");
    EXPECT_EQ(files.out_text(), "out already\nagain\n");
}

}  // namespace
