// output_decorator_test.cpp: OutputDecorator passes every job event on to
// the inner mode unchanged, and its flow control is the inner mode's own,
// unchanged through any stack of decorators (--ci github inside --results),
// with a fake mode and with the real ones.
#include "output/output_decorator.hpp"

#include <poll.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "output/github_annotations.hpp"
#include "output/output_factory.hpp"
#include "results/results_tee.hpp"
#include "support/output_test_support.hpp"

namespace {

using wgrun::ExitStatus;
using wgrun::GithubAnnotations;
using wgrun::JobStart;
using wgrun::OutputDecorator;
using wgrun::OutputFlow;
using wgrun::OutputMode;
using wgrun::OutputOptions;
using wgrun::ResultsTee;
using wgrun::Stream;
using wgrun::test::Files;
using wgrun::test::TempDir;
using wgrun::test::TestJob;

using Calls = std::vector<std::string>;
using Written = std::vector<std::pair<std::uint64_t, std::string>>;

std::string name(Stream stream) { return stream == Stream::Out ? "out" : "err"; }

// A mode that records every call, job event or flow control, and answers
// with values no real mode would give.
class FakeMode : public OutputMode, public OutputFlow {
public:
    explicit FakeMode(Calls& calls) : calls_(calls) {}

    void started(const JobStart& job) override {
        calls_.push_back("started " + std::to_string(job.seq));
    }
    void skipped(std::uint64_t seq) override { calls_.push_back("skipped " + std::to_string(seq)); }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        calls_.push_back("output " + std::to_string(seq) + " " + name(stream) + " " +
                         std::string(bytes));
    }
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override {
        calls_.push_back("splice " + std::to_string(seq) + " " + name(stream) + " " +
                         std::to_string(fd));
        return 42;
    }
    std::string finished(std::uint64_t seq, const ExitStatus& status) override {
        calls_.push_back("finished " + std::to_string(seq) + " " + status.describe());
        return "problem " + std::to_string(seq);
    }
    OutputFlow& flow() override { return *this; }

    bool stdout_closed() const override { return closed; }
    int destination(Stream stream) const override { return stream == Stream::Out ? 7 : 8; }
    void splice_without_waiting() override { calls_.push_back("splice without waiting"); }
    std::optional<std::uint64_t> waited_for() const override { return 5; }
    int written_fd() const override { return 9; }
    Written take_written() override {
        calls_.push_back("take written");
        return {{3, "late"}};
    }

    bool closed = false;

private:
    Calls& calls_;
};

// A decorator that changes nothing.
class Plain : public OutputDecorator {
public:
    using OutputDecorator::OutputDecorator;
};

// What the event loop sees of `flow`, and the calls it makes.
void expect_fake_flow(OutputFlow& flow, FakeMode& fake, const Calls& calls) {
    EXPECT_EQ(&flow, static_cast<OutputFlow*>(&fake)) << "the inner mode's own flow control";
    EXPECT_FALSE(flow.stdout_closed());
    fake.closed = true;
    EXPECT_TRUE(flow.stdout_closed());
    EXPECT_EQ(flow.destination(Stream::Out), 7);
    EXPECT_EQ(flow.destination(Stream::Err), 8);
    EXPECT_EQ(flow.waited_for(), std::optional<std::uint64_t>(5));
    EXPECT_EQ(flow.written_fd(), 9);
    flow.splice_without_waiting();
    EXPECT_EQ(calls.back(), "splice without waiting");
    EXPECT_EQ(flow.take_written(), (Written{{3, "late"}}));
    EXPECT_EQ(calls.back(), "take written");
}

TEST(OutputDecorator, PassesEveryJobEventOnUnchanged) {
    Calls calls;
    Plain plain(std::make_unique<FakeMode>(calls));
    TestJob job(1);
    plain.started(job.start);
    plain.output(1, Stream::Out, "o");
    plain.output(1, Stream::Err, "e");
    EXPECT_EQ(plain.splice_from(1, Stream::Out, 4), 42);
    EXPECT_EQ(plain.finished(1, ExitStatus{}), "problem 1");
    plain.skipped(2);
    EXPECT_EQ(calls, (Calls{"started 1", "output 1 out o", "output 1 err e", "splice 1 out 4",
                            "finished 1 exit 0", "skipped 2"}));
}

TEST(OutputDecorator, ForwardsFlowControlUnchanged) {
    Calls calls;
    auto inner = std::make_unique<FakeMode>(calls);
    FakeMode& fake = *inner;
    Plain plain(std::move(inner));
    expect_fake_flow(plain.flow(), fake, calls);
}

TEST(OutputDecorator, GithubAnnotationsAndResultsTeeForwardFlowControlUnchanged) {
    TempDir results;
    {
        Calls calls;
        auto inner = std::make_unique<FakeMode>(calls);
        FakeMode& fake = *inner;
        GithubAnnotations github(std::move(inner), true);
        expect_fake_flow(github.flow(), fake, calls);
    }
    {
        Calls calls;
        auto inner = std::make_unique<FakeMode>(calls);
        FakeMode& fake = *inner;
        ResultsTee tee(std::move(inner), results.path() + "/{#}/");
        expect_fake_flow(tee.flow(), fake, calls);
    }
    {  // as wgrun stacks them: --ci github inside --results
        Calls calls;
        auto inner = std::make_unique<FakeMode>(calls);
        FakeMode& fake = *inner;
        ResultsTee tee(std::make_unique<GithubAnnotations>(std::move(inner), false),
                       results.path() + "/{#}/");
        expect_fake_flow(tee.flow(), fake, calls);
    }
}

// Through the real modes: the head --keep-order waits for, the destinations
// and the background writer's news reach the event loop through both
// decorators as the inner mode gives them.
TEST(OutputDecorator, RealModesFlowControlComesThroughTheDecorators) {
    Files files;
    TempDir results;
    OutputOptions options;
    options.keep_order = true;
    options.tmpdir = files.spill.path();
    options.out_fd = files.out.get();
    options.err_fd = files.err.get();
    {
        auto mode = wgrun::make_output_mode(options);
        OutputFlow& inner = mode->flow();
        ResultsTee tee(std::make_unique<GithubAnnotations>(std::move(mode), true),
                       results.path() + "/{#}/");
        OutputFlow& flow = tee.flow();
        EXPECT_EQ(&flow, &inner);
        EXPECT_EQ(flow.destination(Stream::Out), files.out.get());
        EXPECT_EQ(flow.destination(Stream::Err), files.err.get());
        EXPECT_EQ(flow.waited_for(), std::nullopt);
        TestJob one(1), two(2);
        tee.started(one.start);
        tee.started(two.start);
        EXPECT_EQ(flow.waited_for(), std::optional<std::uint64_t>(1));
        EXPECT_EQ(tee.finished(1, ExitStatus{}), "");
        EXPECT_EQ(flow.waited_for(), std::optional<std::uint64_t>(2));
        EXPECT_EQ(tee.finished(2, ExitStatus{}), "");
        EXPECT_EQ(flow.waited_for(), std::nullopt);
        EXPECT_EQ(flow.written_fd(), -1) << "--keep-order writes in finished()";
        EXPECT_FALSE(flow.stdout_closed());
    }
    options.keep_order = false;
    {  // --group: written on the mode's own thread
        auto mode = wgrun::make_output_mode(options);
        ResultsTee tee(std::make_unique<GithubAnnotations>(std::move(mode), true),
                       results.path() + "/{#}/");
        OutputFlow& flow = tee.flow();
        ASSERT_GE(flow.written_fd(), 0);
        TestJob three(3);
        tee.started(three.start);
        tee.output(3, Stream::Out, "x\n");
        EXPECT_EQ(tee.finished(3, ExitStatus{}), "");
        pollfd news{flow.written_fd(), POLLIN, 0};
        ASSERT_EQ(::poll(&news, 1, 10000), 1) << "job 3 was not written";
        EXPECT_EQ(flow.take_written(), (Written{{3, ""}}));
    }
}

}  // namespace
