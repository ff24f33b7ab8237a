// input_pump_test.cpp: the job feeds (ListFeed, CombinerFeed) and the
// InputPump that runs a feed on its own thread into a bounded queue: jobs
// numbered 1..N in feed order, a try_pop that never blocks, an eventfd to
// poll, the end and errors, a feed never read far ahead of the consumer, and
// a shard's jobs only (--shard), with their whole-input numbers.
#include "input/input_pump.hpp"
#include "support/test_support.hpp"

#include <dirent.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "input/input_sources.hpp"
#include "input/job_feed.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::CombinerFeed;
using wgrun::InputCombiner;
using wgrun::InputPump;
using wgrun::JobFeed;
using wgrun::JobInput;
using wgrun::ListFeed;
using wgrun::Shard;
using wgrun::SourceSpec;
using Values = std::vector<std::string>;

constexpr auto kPatience = 30s;  // how long anything that should happen may take

std::vector<std::string> numbered(const std::string& prefix, int n) {
    std::vector<std::string> items;
    for (int i = 1; i <= n; ++i) items.push_back(prefix + std::to_string(i));
    return items;
}

// True if `fd` becomes readable within `timeout`.
bool readable_within(int fd, std::chrono::milliseconds timeout) {
    pollfd p{fd, POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const int n = ::poll(&p, 1, left.count() > 0 ? static_cast<int>(left.count()) : 0);
        if (n > 0) return (p.revents & POLLIN) != 0;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

// What a consumer gets: the next input, or nothing at the end; waits on the
// eventfd between tries, up to kPatience in all. `timed_out` is set when the
// pump neither gave an input nor finished in time.
std::optional<JobInput> pop_or_end(InputPump& pump, bool& timed_out) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    timed_out = false;
    for (;;) {
        if (auto input = pump.try_pop()) return input;
        if (pump.finished()) return std::nullopt;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            return std::nullopt;
        }
        if (readable_within(pump.event_fd(), left)) pump.clear_event();
    }
}

// Pops every input to the end.
std::vector<JobInput> pop_all(InputPump& pump, bool& timed_out) {
    std::vector<JobInput> inputs;
    while (auto input = pop_or_end(pump, timed_out)) inputs.push_back(std::move(*input));
    return inputs;
}

// Shared between a test and its feed, which the pump's thread owns and may
// destroy after the test has returned.
struct FeedControl {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t permits = 0;  // next() calls allowed to go on
    bool open = false;        // every next() call may go on
    bool destroyed = false;   // the feed is gone: the pump's thread is ending
    std::atomic<std::size_t> calls{0};
    std::atomic<pid_t> feed_thread{0};  // the thread that calls next(): the pump's

    void allow(std::size_t n = 1) {
        {
            std::lock_guard lock(mutex);
            permits += n;
        }
        changed.notify_all();
    }
    void open_gate() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        changed.notify_all();
    }
    bool is_destroyed() {
        std::lock_guard lock(mutex);
        return destroyed;
    }
    // Waits up to kPatience for the feed's destruction.
    bool wait_destroyed() {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, kPatience, [this] { return destroyed; });
    }
};

// A feed of fixed items whose next() waits for a permit (or the open gate;
// it gives up waiting after kPatience so that a failed test cannot hang). It
// throws InputError after `throw_after` items when that is set.
class GatedFeed : public JobFeed {
public:
    GatedFeed(std::shared_ptr<FeedControl> control, std::vector<std::string> items,
              bool gated = true, std::optional<std::size_t> throw_after = std::nullopt)
        : control_(std::move(control)),
          items_(std::move(items)),
          gated_(gated),
          throw_after_(throw_after) {}
    ~GatedFeed() override {
        {
            std::lock_guard lock(control_->mutex);
            control_->destroyed = true;
        }
        control_->changed.notify_all();
    }
    std::optional<std::vector<std::string>> next() override {
        control_->feed_thread.store(::gettid());
        control_->calls.fetch_add(1);
        if (gated_) {
            std::unique_lock lock(control_->mutex);
            control_->changed.wait_for(lock, kPatience, [this] {
                return control_->open || control_->permits > 0;
            });
            if (control_->permits > 0) --control_->permits;
        }
        if (throw_after_ && next_ == *throw_after_) {
            throw wgrun::InputError("cannot read input.txt: Input/output error");
        }
        if (next_ == items_.size()) return std::nullopt;
        return std::vector<std::string>{items_[next_++]};
    }

private:
    std::shared_ptr<FeedControl> control_;
    std::vector<std::string> items_;
    bool gated_;
    std::optional<std::size_t> throw_after_;
    std::size_t next_ = 0;
};

std::vector<std::vector<std::string>> drain_feed(JobFeed& feed) {
    std::vector<std::vector<std::string>> all;
    while (auto values = feed.next()) all.push_back(std::move(*values));
    return all;
}

std::unique_ptr<InputCombiner> args_source(std::vector<std::vector<std::string>> sources) {
    std::vector<SourceSpec> specs;
    for (auto& values : sources) {
        SourceSpec spec;
        spec.kind = SourceSpec::Kind::Args;
        spec.values = std::move(values);
        specs.push_back(std::move(spec));
    }
    return std::make_unique<InputCombiner>(std::move(specs), '\n');
}

// --- JobFeed ---------------------------------------------------------------

TEST(JobFeed, ListFeedGivesEachCommandInOrder) {
    ListFeed feed({"echo a", "echo b", "", "echo c"});
    std::vector<std::vector<std::string>> expected = {{"echo a"}, {"echo b"}, {""}, {"echo c"}};
    EXPECT_EQ(drain_feed(feed), expected);
    EXPECT_EQ(feed.next(), std::nullopt) << "the end stays the end";
}

TEST(JobFeed, EmptyListFeed) {
    ListFeed feed({});
    EXPECT_EQ(feed.next(), std::nullopt);
    EXPECT_EQ(feed.next(), std::nullopt);
}

TEST(JobFeed, CombinerFeedSkipsEmptyValuesWhenAsked) {
    CombinerFeed skipping(args_source({{"a", "", "b", ""}}), true);
    EXPECT_EQ(drain_feed(skipping), (std::vector<Values>{{"a"}, {"b"}}));
    EXPECT_EQ(skipping.next(), std::nullopt);

    CombinerFeed keeping(args_source({{"a", "", "b", ""}}), false);
    EXPECT_EQ(drain_feed(keeping), (std::vector<Values>{{"a"}, {""}, {"b"}, {""}}));
}

TEST(JobFeed, CombinerFeedOnlyEmptyValues) {
    CombinerFeed skipping(args_source({{"", "", ""}}), true);
    EXPECT_EQ(skipping.next(), std::nullopt);
}

TEST(JobFeed, CombinerFeedSkipsOnlyASingleEmptyValue) {
    // Two sources: ("", "") is a combination of two values, not an empty line.
    CombinerFeed feed(args_source({{"", "x"}, {""}}), true);
    EXPECT_EQ(drain_feed(feed), (std::vector<Values>{{"", ""}, {"x", ""}}));
}

TEST(JobFeed, CombinerFeedProduct) {
    CombinerFeed feed(args_source({{"a", "b"}, {"1", "2"}}), true);
    EXPECT_EQ(drain_feed(feed), (std::vector<Values>{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}}));
}

// --- InputPump -------------------------------------------------------------

TEST(InputPump, NumbersJobsOneToNInFeedOrder) {
    const auto items = numbered("cmd ", 1000);
    InputPump pump(std::make_unique<ListFeed>(items), 16);
    bool timed_out = false;
    const auto inputs = pop_all(pump, timed_out);
    ASSERT_FALSE(timed_out);
    ASSERT_EQ(inputs.size(), 1000u);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        ASSERT_EQ(inputs[i].seq, i + 1);
        ASSERT_EQ(inputs[i].args, Values{items[i]});
    }
    EXPECT_TRUE(pump.finished());
    EXPECT_EQ(pump.error(), "");
    EXPECT_EQ(pump.try_pop(), std::nullopt);
    EXPECT_TRUE(pump.finished());
}

TEST(InputPump, CombinerFeedNumbersWithoutGaps) {
    InputPump pump(std::make_unique<CombinerFeed>(args_source({{"", "a", "", "", "b", ""}}), true),
                   4);
    bool timed_out = false;
    const auto inputs = pop_all(pump, timed_out);
    ASSERT_FALSE(timed_out);
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[0].seq, 1u);
    EXPECT_EQ(inputs[0].args, Values{"a"});
    EXPECT_EQ(inputs[1].seq, 2u);
    EXPECT_EQ(inputs[1].args, Values{"b"});
}

// A feed that is not in memory, for the pump's thread.
class StreamedFeed : public JobFeed {
public:
    explicit StreamedFeed(std::vector<std::string> items) : items_(std::move(items)) {}
    std::optional<std::vector<std::string>> next() override {
        if (next_ == items_.size()) return std::nullopt;
        return std::vector<std::string>{items_[next_++]};
    }

private:
    std::vector<std::string> items_;
    std::size_t next_ = 0;
};

TEST(InputPump, AShardGetsItsJobsWithTheirWholeInputNumbers) {
    for (const bool in_memory : {false, true}) {
        const auto items = numbered("x", 10);
        std::unique_ptr<JobFeed> feed;
        if (in_memory) {
            feed = std::make_unique<ListFeed>(items);
        } else {
            feed = std::make_unique<StreamedFeed>(items);
        }
        InputPump pump(std::move(feed), 2, Shard{2, 3});
        bool timed_out = false;
        const auto inputs = pop_all(pump, timed_out);
        ASSERT_FALSE(timed_out);
        std::vector<std::uint64_t> seqs;
        for (const JobInput& input : inputs) {
            seqs.push_back(input.seq);
            EXPECT_EQ(input.args, Values{items[input.seq - 1]}) << "job " << input.seq;
        }
        EXPECT_EQ(seqs, (std::vector<std::uint64_t>{2, 5, 8})) << "in memory: " << in_memory;
        EXPECT_EQ(pump.total(), std::optional<std::uint64_t>(3)) << "the shard's jobs only";
        EXPECT_EQ(pump.read(), 3u);
        EXPECT_TRUE(pump.finished());
    }
}

TEST(InputPump, AShardWithNoJobsFinishes) {
    InputPump pump(std::make_unique<StreamedFeed>(numbered("x", 2)), 4, Shard{3, 3});
    bool timed_out = false;
    EXPECT_EQ(pop_or_end(pump, timed_out), std::nullopt);
    EXPECT_FALSE(timed_out);
    EXPECT_EQ(pump.total(), std::optional<std::uint64_t>(0));
}

TEST(InputPump, AnEmptyFeedFinishes) {
    InputPump pump(std::make_unique<ListFeed>(std::vector<std::string>{}), 4);
    EXPECT_TRUE(readable_within(pump.event_fd(), kPatience)) << "the end arrives";
    bool timed_out = false;
    EXPECT_EQ(pop_or_end(pump, timed_out), std::nullopt);
    EXPECT_FALSE(timed_out);
    EXPECT_TRUE(pump.finished());
    EXPECT_EQ(pump.error(), "");
}

TEST(InputPump, CapacityZeroStillWorks) {
    InputPump pump(std::make_unique<ListFeed>(numbered("x", 50)), 0);
    bool timed_out = false;
    const auto inputs = pop_all(pump, timed_out);
    ASSERT_FALSE(timed_out);
    ASSERT_EQ(inputs.size(), 50u);
    EXPECT_EQ(inputs.back().seq, 50u);
}

TEST(InputPump, EventFdIsReadableWhenAnInputArrives) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, Values{"first", "second"}), 8);
        // Nothing arrived: not readable, and try_pop says so at once.
        EXPECT_FALSE(readable_within(pump.event_fd(), 100ms));
        EXPECT_EQ(pump.try_pop(), std::nullopt);
        EXPECT_FALSE(pump.finished());

        control->allow();  // "first" arrives
        ASSERT_TRUE(readable_within(pump.event_fd(), kPatience));
        pump.clear_event();
        EXPECT_FALSE(readable_within(pump.event_fd(), 0ms)) << "clear_event() clears it";
        auto first = pump.try_pop();
        ASSERT_TRUE(first.has_value());
        EXPECT_EQ(first->seq, 1u);
        EXPECT_EQ(first->args, Values{"first"});
        EXPECT_EQ(pump.try_pop(), std::nullopt);
        EXPECT_FALSE(pump.finished());
        EXPECT_FALSE(readable_within(pump.event_fd(), 100ms)) << "nothing new arrived";

        control->allow();  // "second" arrives
        ASSERT_TRUE(readable_within(pump.event_fd(), kPatience));
        pump.clear_event();
        auto second = pump.try_pop();
        ASSERT_TRUE(second.has_value());
        EXPECT_EQ(second->seq, 2u);
        EXPECT_FALSE(pump.finished()) << "the feed has not said it ended";
        EXPECT_EQ(pump.try_pop(), std::nullopt);

        control->allow();  // the end arrives
        ASSERT_TRUE(readable_within(pump.event_fd(), kPatience));
        pump.clear_event();
        EXPECT_EQ(pump.try_pop(), std::nullopt);
        EXPECT_TRUE(pump.finished());
        EXPECT_EQ(pump.error(), "");
    }
    EXPECT_TRUE(control->wait_destroyed());
}

// The consumer of the scheduler's kind: it sleeps in poll() on the eventfd
// whenever try_pop() comes back empty, and must never sleep through an input
// (a lost wake-up would show as a time-out here).
TEST(InputPump, APollingConsumerNeverMissesAnInput) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, numbered("job", 300)), 2);
        std::size_t popped = 0;
        for (int round = 0; round < 301; ++round) {
            control->allow();  // one more input (or, the 301st time, the end)
            bool timed_out = false;
            const auto input = pop_or_end(pump, timed_out);
            ASSERT_FALSE(timed_out) << "slept through input " << round + 1;
            if (!input) break;
            ++popped;
            ASSERT_EQ(input->seq, popped);
        }
        EXPECT_EQ(popped, 300u);
        EXPECT_TRUE(pump.finished());
    }
    EXPECT_TRUE(control->wait_destroyed());
}

TEST(InputPump, FinishedOnlyAfterTheLastPop) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, Values{"a", "b", "c"}, false), 8);
        // Wait until the feed has been asked past its end: every input and
        // the end are on their way into the queue.
        wgrun::test::eventually([&] { return control->calls.load() >= 4; }, kPatience);
        ASSERT_GE(control->calls.load(), 4u);
        bool timed_out = false;
        for (std::uint64_t seq = 1; seq <= 3; ++seq) {
            EXPECT_FALSE(pump.finished()) << "inputs are still queued before pop " << seq;
            const auto input = pop_or_end(pump, timed_out);
            ASSERT_TRUE(input.has_value()) << seq;
            EXPECT_EQ(input->seq, seq);
        }
        EXPECT_EQ(pop_or_end(pump, timed_out), std::nullopt);
        EXPECT_FALSE(timed_out);
        EXPECT_TRUE(pump.finished());
    }
    EXPECT_TRUE(control->wait_destroyed());
}

TEST(InputPump, AFeedThatThrowsEndsItWithTheError) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(
            std::make_unique<GatedFeed>(control, Values{"a", "b", "c", "d"}, false, 2), 8);
        bool timed_out = false;
        const auto inputs = pop_all(pump, timed_out);
        ASSERT_FALSE(timed_out);
        ASSERT_EQ(inputs.size(), 2u) << "the inputs before the error are delivered";
        EXPECT_EQ(inputs[0].args, Values{"a"});
        EXPECT_EQ(inputs[1].args, Values{"b"});
        EXPECT_TRUE(pump.finished());
        EXPECT_EQ(pump.error(), "cannot read input.txt: Input/output error");
    }
    EXPECT_TRUE(control->wait_destroyed());
    EXPECT_EQ(control->calls.load(), 3u) << "the feed is not asked again after it threw";
}

TEST(InputPump, AFeedThatThrowsAtOnce) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, Values{"a"}, false, 0), 8);
        bool timed_out = false;
        EXPECT_EQ(pop_or_end(pump, timed_out), std::nullopt);
        EXPECT_FALSE(timed_out);
        EXPECT_TRUE(pump.finished());
        EXPECT_EQ(pump.error(), "cannot read input.txt: Input/output error");
    }
    EXPECT_TRUE(control->wait_destroyed());
}

TEST(InputPump, ASlowFeedDoesNotBlockTryPop) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, Values{"late"}), 4);
        // Let the pump's thread get into next() and block there.
        wgrun::test::eventually([&] { return control->calls.load() >= 1; }, kPatience);
        ASSERT_EQ(control->calls.load(), 1u);
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < 1000; ++i) {
            ASSERT_EQ(pump.try_pop(), std::nullopt);
            ASSERT_FALSE(pump.finished());
        }
        const auto elapsed = std::chrono::steady_clock::now() - start;
        // The feed holds back for kPatience if try_pop ever waited for it.
        EXPECT_LT(elapsed, 10s);
        control->open_gate();
        bool timed_out = false;
        const auto late = pop_or_end(pump, timed_out);
        ASSERT_TRUE(late.has_value());
        EXPECT_EQ(late->args, Values{"late"});
        EXPECT_EQ(pop_or_end(pump, timed_out), std::nullopt);
        EXPECT_TRUE(pump.finished());
    }
    EXPECT_TRUE(control->wait_destroyed());
}

TEST(InputPump, TheFeedIsNotDrainedFarAheadOfTheConsumer) {
    constexpr std::size_t kCapacity = 4;
    constexpr int kItems = 1000;
    // At any time: the queue (at most the capacity) plus one input in the
    // pump's hands.
    constexpr std::size_t kAhead = kCapacity + 1;
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, numbered("job", kItems), false),
                       kCapacity);
        // Let the pump run ahead as far as it will.
        // Let the pump run ahead as far as it will: until, its queue filled,
        // it waits (in a futex) for a pop that does not come yet.
        const bool stopped = wgrun::test::eventually(
            [&] {
                const pid_t pump_thread = control->feed_thread.load();
                return control->calls.load() >= kCapacity && pump_thread != 0 &&
                       wgrun::test::blocked_syscall(pump_thread) == SYS_futex;
            },
            kPatience);
        EXPECT_TRUE(stopped) << "the pump never waited with a full queue";
        EXPECT_GE(control->calls.load(), kCapacity) << "the pump fills its queue";
        EXPECT_LE(control->calls.load(), kAhead) << "and stops there";

        std::size_t popped = 0;
        std::size_t worst = 0;
        bool timed_out = false;
        while (auto input = pop_or_end(pump, timed_out)) {
            ++popped;
            ASSERT_EQ(input->seq, popped);
            const std::size_t ahead = control->calls.load() - popped;
            worst = std::max(worst, ahead);
            ASSERT_LE(ahead, kAhead) << "after pop " << popped;
        }
        EXPECT_FALSE(timed_out);
        EXPECT_EQ(popped, static_cast<std::size_t>(kItems));
        EXPECT_EQ(control->calls.load(), static_cast<std::size_t>(kItems) + 1);
        EXPECT_TRUE(pump.finished());
    }
    EXPECT_TRUE(control->wait_destroyed());
}

TEST(InputPump, DestroyedWhileTheQueueIsFull) {
    auto control = std::make_shared<FeedControl>();
    {
        InputPump pump(std::make_unique<GatedFeed>(control, numbered("job", 1000), false), 4);
        wgrun::test::eventually([&] { return control->calls.load() >= 5; }, kPatience);
        bool timed_out = false;
        const auto first = pop_or_end(pump, timed_out);
        ASSERT_TRUE(first.has_value());
        EXPECT_EQ(first->seq, 1u);
    }  // the pump's thread stops, however full the queue
    EXPECT_TRUE(control->wait_destroyed()) << "the pump's thread ended and freed the feed";
    EXPECT_LT(control->calls.load(), 20u);
}

TEST(InputPump, DestroyedWhileTheFeedIsBlocked) {
    auto control = std::make_shared<FeedControl>();
    auto pump = std::make_unique<InputPump>(
        std::make_unique<GatedFeed>(control, numbered("job", 1000)), 4);
    wgrun::test::eventually([&] { return control->calls.load() >= 1; }, kPatience);
    ASSERT_EQ(control->calls.load(), 1u);
    // The destructor does not wait for a feed blocked in next() (stdin).
    const auto start = std::chrono::steady_clock::now();
    pump.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    EXPECT_FALSE(control->is_destroyed()) << "the blocked thread still owns the feed";
    control->open_gate();  // the blocked next() returns; the thread sees the stop
    EXPECT_TRUE(control->wait_destroyed());
    EXPECT_LT(control->calls.load(), 20u);
}

// The threads of this process, from /proc/self/task.
std::size_t thread_count() {
    std::size_t n = 0;
    if (DIR* dir = ::opendir("/proc/self/task")) {
        while (const dirent* entry = ::readdir(dir)) n += entry->d_name[0] != '.' ? 1 : 0;
        ::closedir(dir);
    }
    return n;
}

TEST(InputPump, AFeedInMemoryIsTakenWholeWithNoThread) {
    Values commands;
    for (int i = 1; i <= 1000; ++i) commands.push_back("echo " + std::to_string(i));
    // A detached pump thread of an earlier test may still be on its way out:
    // wait until the count settles, then no thread may be added.
    std::size_t before = thread_count();
    for (int settled = 0; settled < 5 && before > 1;) {
        std::this_thread::sleep_for(10ms);
        const std::size_t now = thread_count();
        settled = now == before ? settled + 1 : 0;
        before = now;
    }
    InputPump pump(std::make_unique<ListFeed>(commands), 4);
    EXPECT_LE(thread_count(), before) << "no thread of its own";
    EXPECT_EQ(pump.read(), 1000U) << "all of it, beyond the capacity of 4";
    EXPECT_EQ(pump.total(), std::optional<std::uint64_t>(1000));
    pollfd ready{pump.event_fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&ready, 1, 0), 1) << "the eventfd tells the loop, as the thread would";
    for (std::uint64_t seq = 1; seq <= 1000; ++seq) {
        const std::optional<JobInput> input = pump.try_pop();
        ASSERT_TRUE(input.has_value());
        EXPECT_EQ(input->seq, seq);
        EXPECT_EQ(input->args, Values{commands[seq - 1]});
    }
    EXPECT_FALSE(pump.try_pop().has_value());
    EXPECT_TRUE(pump.finished());
    EXPECT_EQ(pump.error(), "");
}

}  // namespace
