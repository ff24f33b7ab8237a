// job_policy_test.cpp: the JobPolicy alone, over a fake process set, a fake
// clock and a fake input: no process runs and nothing sleeps. Time moves
// when a test says so; a job "runs" until the test reports its exit and its
// closed pipes.
#include "schedule/job_policy.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "command/command_builder.hpp"
#include "command/command_template.hpp"
#include "input/job_skipper.hpp"
#include "output/output_mode.hpp"
#include "results/result_collector.hpp"
#include "results/result_sink.hpp"
#include "schedule/halt_policy.hpp"
#include "schedule/host_slots.hpp"
#include "schedule/run_rules.hpp"
#include "schedule/slot_pool.hpp"
#include "wgrun/wait_group.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::EndedBy;
using wgrun::ExitStatus;
using wgrun::JobInput;
using wgrun::JobPolicy;
using wgrun::JobResult;
using wgrun::JobStart;
using wgrun::Stream;

using Steady = std::chrono::steady_clock;

class FakeClock : public wgrun::PolicyClock {
public:
    Steady::time_point now() const override { return now_; }
    Wall::time_point wall() const override { return wall_; }
    void advance(std::chrono::nanoseconds d) {
        now_ += d;
        wall_ += std::chrono::duration_cast<Wall::duration>(d);
    }

private:
    Steady::time_point now_{std::chrono::hours(1000)};
    Wall::time_point wall_{std::chrono::hours(500000)};
};

// Inputs "job1", "job2", ... as the test adds them; ended when it says so.
class FakeSource : public wgrun::JobQueue {
public:
    void add(std::uint64_t count) {
        for (std::uint64_t i = 0; i < count; ++i) {
            ++read_;
            queue_.push_back(JobInput{read_, {"job" + std::to_string(read_)}});
        }
    }
    // Input `seq`, the numbers before it left out (another shard's jobs).
    void add_numbered(std::uint64_t seq) {
        ++read_;
        queue_.push_back(JobInput{seq, {"job" + std::to_string(seq)}});
    }
    void add_value(std::string value) {
        ++read_;
        queue_.push_back(JobInput{read_, {std::move(value)}});
    }
    // An input with what its job reads on stdin (--pipe's block).
    void add_with_stdin(std::shared_ptr<const wgrun::JobStdin> data) {
        ++read_;
        queue_.push_back(JobInput{read_, {}, std::move(data)});
    }
    void end() { ended_ = true; }
    std::optional<JobInput> try_pop() override {
        if (queue_.empty()) return std::nullopt;
        JobInput input = std::move(queue_.front());
        queue_.pop_front();
        return input;
    }
    bool finished() const override { return ended_ && queue_.empty(); }
    std::optional<std::uint64_t> total() const override {
        return ended_ ? std::optional<std::uint64_t>(read_) : std::nullopt;
    }
    std::uint64_t read() const override { return read_; }

private:
    std::deque<JobInput> queue_;
    std::uint64_t read_ = 0;
    bool ended_ = false;
};

class FakeProcesses : public wgrun::Processes {
public:
    JobPolicy* policy = nullptr;  // told of detached pipes
    std::set<std::uint64_t> running;
    std::vector<std::uint64_t> starts;               // every start, retries too
    std::vector<std::pair<std::uint64_t, int>> signals;
    std::map<std::uint64_t, int> fail_start;          // seq -> errno of its next start
    bool room = true;                                 // fds to spare
    std::set<std::uint64_t> unread;
    std::vector<std::uint64_t> detached;
    std::map<std::uint64_t, wgrun::SpawnRequest> requests;  // the last start's of each job

    int start(std::uint64_t seq, const wgrun::SpawnRequest& request) override {
        EXPECT_FALSE(request.argv.empty());
        requests[seq] = request;
        EXPECT_FALSE(running.contains(seq)) << "job " << seq << " started twice at once";
        if (const auto it = fail_start.find(seq); it != fail_start.end()) {
            const int error = it->second;
            fail_start.erase(it);
            return error;
        }
        starts.push_back(seq);
        running.insert(seq);
        return 0;
    }
    void signal(std::uint64_t seq, int signal) override { signals.emplace_back(seq, signal); }
    bool room_for(std::size_t) override { return room; }
    bool has_unread(std::uint64_t seq) override { return unread.contains(seq); }
    void detach(std::uint64_t seq) override {
        detached.push_back(seq);
        policy->closed(seq);
    }
    void forget(std::uint64_t seq) override { running.erase(seq); }
};

// Records the job events in order: "started 1@slot", "skipped 2",
// "err 3: ...", "finished 1".
class FakeOutput : public wgrun::OutputMode, public wgrun::OutputFlow {
public:
    std::vector<std::string> events;
    std::vector<std::uint64_t> numbers;  // started or skipped, in the order told
    void started(const JobStart& job) override {
        events.push_back("started " + std::to_string(job.seq) + "@" + std::to_string(job.slot));
        numbers.push_back(job.seq);
    }
    void skipped(std::uint64_t seq) override {
        events.push_back("skipped " + std::to_string(seq));
        numbers.push_back(seq);
    }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        events.push_back((stream == Stream::Err ? "err " : "out ") + std::to_string(seq) + ": " +
                         std::string(bytes));
    }
    std::string finished(std::uint64_t seq, const ExitStatus&) override {
        events.push_back("finished " + std::to_string(seq));
        return "";
    }
    // --retries: the jobs told that their attempt is retried; each time the
    // mode says it dropped `drops` bytes.
    std::vector<std::uint64_t> retried;
    std::uint64_t drops = 0;
    std::uint64_t retrying(std::uint64_t seq) override {
        retried.push_back(seq);
        return drops;
    }
    bool stdout_closed() const override { return false; }
    wgrun::OutputFlow& flow() override { return *this; }
};

class Results : public wgrun::ResultSink {
public:
    std::vector<JobResult> ended;
    std::optional<std::uint64_t> total;
    void input_ended(std::uint64_t jobs) override { total = jobs; }
    void job_ended(const JobResult& result) override { ended.push_back(result); }
    const JobResult* of(std::uint64_t seq) const {
        for (const JobResult& r : ended) {
            if (r.seq == seq) return &r;
        }
        return nullptr;
    }
};

class SkipSome : public wgrun::JobSkipper {
public:
    explicit SkipSome(std::set<std::uint64_t> seqs) : seqs_(std::move(seqs)) {}
    bool skip(std::uint64_t seq) const override { return seqs_.contains(seq); }

private:
    std::set<std::uint64_t> seqs_;
};

ExitStatus exit_code(int code) { return ExitStatus::from_wait_status(W_EXITCODE(code, 0)); }
ExitStatus killed_by(int signal) { return ExitStatus::from_wait_status(signal); }

// A run: the policy and its fakes. The test holds the input's WaitGroup
// unit, as main does.
struct Rig {
    explicit Rig(std::uint64_t jobs_limit, wgrun::RunRules run_rules = {},
                 const wgrun::JobSkipper* skipper = nullptr, bool written_later = false,
                 std::size_t keep_tail = 0, wgrun::MachineGate* gate = nullptr,
                 wgrun::SlotPool* pool = nullptr)
        : rules(std::move(run_rules)), slots(jobs_limit) {
        results.add_sink(sink);
        wg.add(1);
        policy = std::make_unique<JobPolicy>(JobPolicy::Parts{
            source, builder, pool != nullptr ? *pool : slots, processes, output, results, wg, rules, clock, skipper, gate,
            keep_tail, 0, written_later, [this](const std::string& text) { notices.push_back(text); }});
        processes.policy = policy.get();
    }

    // The job's process ends and its pipes close.
    void end(std::uint64_t seq, ExitStatus status = exit_code(0)) {
        policy->exited(seq, status, rusage{});
        policy->closed(seq);
    }
    void tick() { policy->tick(); }
    std::vector<std::uint64_t> running() const {
        return {processes.running.begin(), processes.running.end()};
    }
    // Every unit the WaitGroup was given is back, the input's too (a unit
    // too many fails the test instead of hanging it).
    bool all_done() { return wg.wait_for(0s); }

    wgrun::RunRules rules;
    FakeClock clock;
    FakeSource source;
    FakeProcesses processes;
    FakeOutput output;
    Results sink;
    wgrun::ResultCollector results;
    wgrun::WaitGroup wg;
    wgrun::LocalSlots slots;
    const wgrun::CommandBuilder builder{wgrun::CommandTemplate(), true};
    std::vector<std::string> notices;
    std::unique_ptr<JobPolicy> policy;
};

using Seqs = std::vector<std::uint64_t>;

TEST(JobPolicy, StartsUpToTheSlotLimitAndReusesTheFreedSlot) {
    Rig rig(2);
    rig.source.add(4);
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1, 2}));
    rig.tick();
    EXPECT_EQ(rig.processes.starts.size(), 2u);
    rig.end(2);
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1, 3}));
    rig.end(1);
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{3, 4}));
    EXPECT_EQ(rig.output.events[0], "started 1@1");
    EXPECT_EQ(rig.output.events[1], "started 2@2");
    EXPECT_EQ(rig.output.events[3], "started 3@2");  // 2's slot
    EXPECT_EQ(rig.output.events[5], "started 4@1");  // 1's slot
    EXPECT_FALSE(rig.policy->over());
    rig.end(3);
    rig.end(4);
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.ended.size(), 4u);
    EXPECT_EQ(rig.sink.total, 4u);
    EXPECT_EQ(rig.policy->started_jobs(), 4u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, WaitsForMoreInputUntilItEnds) {
    Rig rig(0);  // no limit
    rig.tick();
    EXPECT_TRUE(rig.running().empty());
    rig.source.add(3);
    rig.policy->input_arrived();
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1, 2, 3}));
    for (std::uint64_t seq : {1, 2, 3}) rig.end(seq);
    rig.tick();
    EXPECT_FALSE(rig.policy->over());  // the input may have more
    EXPECT_EQ(rig.policy->next_due(), std::nullopt);  // nothing but an event can help
    rig.source.end();
    rig.policy->input_arrived();
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, WaitsForASlotAndSaysSo) {
    Rig rig(1);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    EXPECT_TRUE(rig.policy->waiting_for_slot());
    rig.end(1);
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{2}));
    rig.end(2);
    rig.tick();
    EXPECT_FALSE(rig.policy->waiting_for_slot());
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, RetriesAreOneJobAcrossTheirAttempts) {
    wgrun::RunRules rules;
    rules.attempts = 3;
    Rig rig(1, rules);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    rig.policy->output(1, 0, 5, {});
    rig.clock.advance(1s);
    rig.end(1, exit_code(1));
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 1}));  // again, before job 2
    rig.policy->output(1, 1, 7, {});
    rig.clock.advance(2s);
    rig.end(1, exit_code(2));
    rig.tick();
    rig.clock.advance(3s);
    rig.end(1);  // the third attempt succeeds
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 1, 1, 2}));
    rig.end(2);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 2u);
    const JobResult& one = rig.sink.ended[0];
    EXPECT_EQ(one.seq, 1u);
    EXPECT_EQ(one.attempts, 3u);
    EXPECT_TRUE(one.status.ok());
    EXPECT_EQ(one.stdout_bytes, 5u);
    EXPECT_EQ(one.stderr_bytes, 7u);
    EXPECT_EQ(one.runtime, 3s);                 // of the last attempt
    EXPECT_EQ(one.end - one.start, 6s);         // from the first start
    EXPECT_EQ(one.args, (std::vector<std::string>{"job1"}));
    // The output mode and the collector saw one job 1.
    EXPECT_EQ(rig.output.events,
              (std::vector<std::string>{"started 1@1", "finished 1", "started 2@1", "finished 2"}));
    EXPECT_EQ(rig.policy->started_jobs(), 2u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, ARetriedAttemptsOutputIsDroppedByTheModeAndCounted) {
    wgrun::RunRules rules;
    rules.attempts = 3;
    Rig rig(1, rules);
    rig.output.drops = 10;
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(1));
    rig.tick();
    rig.end(1, exit_code(1));
    rig.tick();
    EXPECT_EQ(rig.output.retried, (std::vector<std::uint64_t>{1, 1}));  // as each retry starts
    rig.end(1);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].dropped_output_bytes, 20u);
    EXPECT_EQ(rig.output.retried.size(), 2u);  // not for the last attempt
}

// --pipe: the job's block goes to every attempt's start (each reads it
// from its first byte: StdinWriter per attempt).
TEST(JobPolicy, EveryAttemptGetsTheJobsStdin) {
    struct NoBytes : wgrun::JobStdin {
        std::unique_ptr<wgrun::StdinWriter> writer(std::function<void()>) const override {
            return nullptr;
        }
    };
    wgrun::RunRules rules;
    rules.attempts = 2;
    Rig rig(1, rules);
    const auto block = std::make_shared<const NoBytes>();
    rig.source.add_with_stdin(block);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.processes.requests[1].stdin_data, block);
    rig.processes.requests[1].stdin_data.reset();
    rig.end(1, exit_code(1));
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 1}));
    EXPECT_EQ(rig.processes.requests[1].stdin_data, block);  // the retry's start
    rig.end(1);
    rig.tick();
    EXPECT_EQ(rig.processes.requests[2].stdin_data, nullptr);  // none: /dev/null
    rig.end(2);
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
}

TEST(JobPolicy, RetriesStopAtTheLimit) {
    wgrun::RunRules rules;
    rules.attempts = 2;
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(3));
    rig.tick();
    rig.end(1, exit_code(4));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].attempts, 2u);
    EXPECT_EQ(rig.sink.ended[0].status.code, 4);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, ARetryThatCannotStartEndsTheJobWithItsAttempts) {
    wgrun::RunRules rules;
    rules.attempts = 3;
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.processes.fail_start[1] = ENOENT;
    rig.end(1, exit_code(1));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].attempts, 2u);
    EXPECT_EQ(rig.sink.ended[0].status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(rig.output.numbers, (Seqs{1}));  // started once
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AStopEndsAWaitingRetryWithItsLastAttempt) {
    wgrun::RunRules rules;
    rules.attempts = 5;
    Rig rig(1, rules);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(9));
    rig.policy->interrupt(SIGINT);  // before the retry could start
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1}));
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].status.code, 9);
    EXPECT_EQ(rig.sink.ended[0].attempts, 1u);
    EXPECT_EQ(rig.policy->unstarted_jobs(), 1u);  // job 2
    EXPECT_TRUE(rig.all_done());
}

// The retry never starts: the output mode keeps the attempt that ran.
TEST(JobPolicy, ARetryThatNeverStartsDropsNoOutput) {
    wgrun::RunRules rules;
    rules.attempts = 5;
    Rig rig(1, rules);
    rig.output.drops = 10;
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(9));
    rig.policy->interrupt(SIGINT);  // before the retry could start
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.output.retried.empty());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].dropped_output_bytes, 0u);
    EXPECT_EQ(rig.output.events, (std::vector<std::string>{"started 1@1", "finished 1"}));
}

TEST(JobPolicy, HaltNowAtTheFirstFailureEndsTheOthers) {
    wgrun::RunRules rules;
    rules.halt = wgrun::parse_halt("now,fail=1");
    rules.term_seq = wgrun::parse_term_seq("TERM,100,KILL,50");
    Rig rig(3, rules);
    rig.source.add(5);
    rig.source.end();
    rig.tick();
    rig.end(2, exit_code(7));
    auto sent = rig.processes.signals;
    std::sort(sent.begin(), sent.end());
    EXPECT_EQ(sent, (std::vector<std::pair<std::uint64_t, int>>{{1, SIGTERM}, {3, SIGTERM}}));
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2, 3}));  // nothing more
    rig.end(1, killed_by(SIGTERM));
    rig.end(3, exit_code(0));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.policy->halt_status(), 7);
    EXPECT_EQ(rig.sink.of(1)->ended_by, EndedBy::Halt);
    EXPECT_EQ(rig.sink.of(3)->ended_by, EndedBy::Halt);
    EXPECT_TRUE(rig.sink.of(3)->failed());
    EXPECT_EQ(rig.sink.of(2)->ended_by, EndedBy::Nobody);
    EXPECT_EQ(rig.policy->unstarted_jobs(), 2u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, HaltSoonAfterNFailuresLetsTheRunningFinish) {
    wgrun::RunRules rules;
    rules.halt = wgrun::parse_halt("soon,fail=2");
    Rig rig(2, rules);
    rig.source.add(6);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(1));
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{2, 3}));  // one failure: still starting
    rig.end(3, exit_code(1));
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{2}));  // two: no more starts, 2 runs on
    EXPECT_TRUE(rig.processes.signals.empty());
    EXPECT_FALSE(rig.policy->over());
    rig.end(2);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.policy->halt_status(), 2);  // the failures so far
    EXPECT_EQ(rig.sink.of(2)->ended_by, EndedBy::Nobody);
    EXPECT_EQ(rig.policy->unstarted_jobs(), 3u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, HaltPercentWaitsForTheTotal) {
    wgrun::RunRules rules;
    rules.halt = wgrun::parse_halt("soon,fail=50%");
    Rig rig(1, rules);
    rig.source.add(4);
    rig.tick();
    rig.end(1, exit_code(1));
    rig.tick();
    rig.end(2, exit_code(1));  // 2 of 4 would be 50%, but the total is unknown
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{3}));
    rig.source.end();
    rig.policy->input_arrived();  // the total: 4; 2 failures are 50%
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{3}));
    rig.end(3);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.policy->halt_status(), 50);
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2, 3}));
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, HaltNowPercentOfSuccesses) {
    wgrun::RunRules rules;
    rules.halt = wgrun::parse_halt("now,success=25%");
    Rig rig(2, rules);
    rig.source.add(8);
    rig.source.end();
    rig.tick();
    rig.end(1);
    rig.tick();
    EXPECT_TRUE(rig.processes.signals.empty());  // 1 of 8
    rig.end(3);                                  // 2 of 8: 25%
    EXPECT_EQ(rig.processes.signals, (std::vector<std::pair<std::uint64_t, int>>{{2, SIGTERM}}));
    rig.end(2, killed_by(SIGTERM));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.policy->halt_status(), 0);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, TimeoutIsAPercentOfTheMedianOnceThreeJobsSucceeded) {
    wgrun::RunRules rules;
    rules.timeout_percent = 200;
    Rig rig(0, rules);
    rig.source.add(5);
    rig.source.end();
    rig.tick();  // all five run
    rig.clock.advance(1s);
    rig.end(1);
    rig.end(2);
    rig.tick();
    EXPECT_EQ(rig.policy->next_due(), std::nullopt);  // two samples: no limit yet
    rig.clock.advance(2s);
    rig.end(3);  // runtimes 1s, 1s, 3s: the median is 1s, the limit 2s
    rig.tick();  // 4 and 5 have run 3s: past it
    auto sent = rig.processes.signals;
    std::sort(sent.begin(), sent.end());
    EXPECT_EQ(sent, (std::vector<std::pair<std::uint64_t, int>>{{4, SIGTERM}, {5, SIGTERM}}));
    rig.end(4, killed_by(SIGTERM));
    rig.end(5, killed_by(SIGTERM));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(4)->ended_by, EndedBy::Timeout);
    EXPECT_EQ(rig.sink.of(4)->timeout, 2s);
    EXPECT_TRUE(rig.sink.of(5)->timed_out());
    EXPECT_FALSE(rig.sink.of(3)->timed_out());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, TimeoutDeadlineIsTheNextDue) {
    wgrun::RunRules rules;
    rules.timeout = 10s;
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    const auto start = rig.clock.now();
    EXPECT_EQ(rig.policy->next_due(), start + 10s);
    rig.clock.advance(9999ms);
    rig.tick();
    EXPECT_TRUE(rig.processes.signals.empty());
    rig.clock.advance(1ms);
    rig.tick();
    EXPECT_EQ(rig.processes.signals.size(), 1u);
    rig.end(1, killed_by(SIGTERM));
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, ATimedOutJobIsRetried) {
    wgrun::RunRules rules;
    rules.timeout = 1s;
    rules.attempts = 2;
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.clock.advance(1s);
    rig.tick();
    rig.end(1, exit_code(0));  // it exited 0 as it was ended: a timeout all the same
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 1}));
    rig.end(1);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.ended[0].attempts, 2u);
    EXPECT_FALSE(rig.sink.ended[0].timed_out());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, DelaySpacesTheStarts) {
    wgrun::RunRules rules;
    rules.delay = 2s;
    Rig rig(0, rules);
    rig.source.add(3);
    rig.source.end();
    const auto t0 = rig.clock.now();
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1}));
    EXPECT_EQ(rig.policy->next_due(), t0 + 2s);
    rig.clock.advance(1999ms);
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1}));
    rig.clock.advance(1ms);
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1, 2}));
    EXPECT_EQ(rig.policy->next_due(), t0 + 4s);
    rig.clock.advance(2s);
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1, 2, 3}));
    for (std::uint64_t seq : {1, 2, 3}) rig.end(seq);
    rig.tick();
    // Even the end of the input is seen at the next start's time.
    EXPECT_FALSE(rig.policy->over());
    EXPECT_EQ(rig.policy->next_due(), t0 + 6s);
    rig.clock.advance(2s);
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, TermSeqEscalatesStepByStepThenRepeatsTheKill) {
    wgrun::RunRules rules;
    rules.timeout = 1s;
    rules.term_seq = wgrun::parse_term_seq("INT,100,TERM,200,KILL,50");
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.clock.advance(1s);
    const auto t = rig.clock.now();
    rig.tick();
    using Sent = std::vector<std::pair<std::uint64_t, int>>;
    EXPECT_EQ(rig.processes.signals, (Sent{{1, SIGINT}}));
    EXPECT_EQ(rig.policy->next_due(), t + 100ms);
    rig.clock.advance(99ms);
    rig.tick();
    EXPECT_EQ(rig.processes.signals.size(), 1u);
    rig.clock.advance(1ms);
    rig.tick();
    EXPECT_EQ(rig.processes.signals, (Sent{{1, SIGINT}, {1, SIGTERM}}));
    rig.clock.advance(200ms);
    rig.tick();
    EXPECT_EQ(rig.processes.signals, (Sent{{1, SIGINT}, {1, SIGTERM}, {1, SIGKILL}}));
    rig.clock.advance(50ms);  // the sequence is over, the job is not: kill again
    rig.tick();
    EXPECT_EQ(rig.processes.signals.back(), (std::pair<std::uint64_t, int>{1, SIGKILL}));
    EXPECT_EQ(rig.processes.signals.size(), 4u);
    rig.clock.advance(wgrun::JobEnder::kRepeat);
    rig.tick();
    EXPECT_EQ(rig.processes.signals.size(), 5u);
    rig.end(1, killed_by(SIGKILL));
    rig.clock.advance(10s);
    rig.tick();
    EXPECT_EQ(rig.processes.signals.size(), 5u);  // forgotten
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AnInterruptPassesTheSignalOnAndASecondKills) {
    Rig rig(2);
    rig.source.add(3);
    rig.tick();
    rig.policy->interrupt(SIGINT);
    using Sent = std::vector<std::pair<std::uint64_t, int>>;
    Sent first{{1, SIGINT}, {2, SIGINT}};
    Sent sent = rig.processes.signals;
    std::sort(sent.begin(), sent.end());
    EXPECT_EQ(sent, first);
    rig.policy->kill_now();
    EXPECT_EQ(rig.processes.signals.size(), 4u);
    EXPECT_EQ(rig.processes.signals[2].second, SIGKILL);
    rig.end(1, killed_by(SIGKILL));
    rig.end(2, killed_by(SIGKILL));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.policy->interrupted_by(), SIGINT);
    EXPECT_EQ(rig.sink.of(1)->ended_by, EndedBy::Signal);
    EXPECT_EQ(rig.policy->unstarted_jobs(), 1u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AHangupStartsNothingMoreAndLetsTheRunningFinish) {
    Rig rig(1);
    rig.source.add(3);
    rig.tick();
    rig.policy->hangup(SIGHUP);
    ASSERT_EQ(rig.notices.size(), 1u);
    EXPECT_EQ(rig.notices[0],
              "wgrun: SIGHUP: starting no more jobs; waiting for the 1 running to finish\n");
    rig.end(1);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.processes.signals.empty());
    EXPECT_EQ(rig.policy->drained_by(), SIGHUP);
    EXPECT_EQ(rig.policy->unstarted_jobs(), 2u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AClosedStdoutEndsTheRunningJobs) {
    Rig rig(2);
    rig.source.add(3);
    rig.tick();
    rig.policy->stdout_closed();
    rig.policy->stdout_closed();  // heard twice, acted on once
    EXPECT_EQ(rig.processes.signals.size(), 2u);
    rig.end(1, killed_by(SIGTERM));
    rig.end(2, killed_by(SIGTERM));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(2)->ended_by, EndedBy::ClosedStdout);
    EXPECT_TRUE(rig.all_done());
}

// -k (--keep-order) counts on the output mode hearing of every number from 1
// up exactly once, in order: skipped jobs (--resume) among started ones,
// failed starts and retries included.
TEST(JobPolicy, KeepOrderHearsEveryNumberOnceInOrderWithSkippedJobs) {
    wgrun::RunRules rules;
    rules.attempts = 2;
    const SkipSome skipper({2, 4, 5});
    Rig rig(2, rules, &skipper);
    rig.source.add(7);
    rig.source.end();
    rig.processes.fail_start[3] = ENOENT;
    rig.tick();  // 1 starts, 2 skipped, 3 fails to start, 4 and 5 skipped, 6 starts
    EXPECT_EQ(rig.running(), (Seqs{1, 6}));
    rig.end(1, exit_code(1));  // retried
    rig.tick();
    rig.end(6);
    rig.tick();
    rig.end(1);
    rig.tick();
    rig.end(7);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.output.numbers, (Seqs{1, 2, 3, 4, 5, 6, 7}));
    EXPECT_EQ(rig.policy->skipped_jobs(), 3u);
    EXPECT_EQ(rig.sink.total, 4u);  // 7 read, 3 skipped
    EXPECT_EQ(rig.sink.ended.size(), 4u);
    EXPECT_EQ(rig.sink.of(3)->status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(rig.output.events[3], "err 3: wgrun: cannot run '/bin/sh': No such file or directory\n");
    EXPECT_EQ(rig.policy->started_jobs(), 4u);
    EXPECT_TRUE(rig.all_done());
}

// --shard: the input holds only the shard's jobs, with their numbers over
// the whole input. The output mode passes over the others in order (as
// over --resume's), and nothing else counts them: not skipped, not in the
// total, not in the results.
TEST(JobPolicy, NumbersAnotherShardHasArePassedOverAndCountNowhere) {
    Rig rig(2);
    for (std::uint64_t seq : {2, 5, 8}) rig.source.add_numbered(seq);  // shard 2/3 of 10
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{2, 5}));
    rig.end(2);
    rig.end(5, exit_code(1));
    rig.tick();
    rig.end(8);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.output.numbers, (Seqs{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(rig.output.events[0], "skipped 1");
    EXPECT_EQ(rig.policy->skipped_jobs(), 0u);
    EXPECT_EQ(rig.sink.total, 3u);
    ASSERT_EQ(rig.sink.ended.size(), 3u);
    EXPECT_EQ(rig.sink.of(5)->status.code, 1);
    EXPECT_EQ(rig.processes.starts, (Seqs{2, 5, 8}));
    EXPECT_EQ(rig.policy->started_jobs(), 3u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, HaltPercentCountsTheShardsJobsOnly) {
    wgrun::RunRules rules;
    rules.halt = wgrun::parse_halt("now,fail=50%");
    Rig rig(1, rules);
    for (std::uint64_t seq : {3, 6}) rig.source.add_numbered(seq);  // shard 3/3 of 7
    rig.source.end();
    rig.tick();
    rig.end(3, exit_code(1));  // 1 of 2 = 50%, whatever the other shards have
    rig.tick();
    EXPECT_EQ(rig.policy->halt_status(), 1);
    EXPECT_EQ(rig.processes.starts, (Seqs{3}));
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.total, 2u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, HaltPercentDoesNotCountSkippedJobs) {
    wgrun::RunRules rules;
    rules.halt = wgrun::parse_halt("now,fail=50%");
    const SkipSome skipper({1, 2});
    Rig rig(1, rules, &skipper);
    rig.source.add(4);
    rig.source.end();
    rig.tick();
    rig.end(3, exit_code(1));  // 1 of 2 counted jobs, but the total is not known
    EXPECT_FALSE(rig.policy->halt_status());
    rig.tick();  // until every input has been asked about: 4 starts, and then it is
    EXPECT_EQ(rig.processes.starts, (Seqs{3, 4}));
    EXPECT_EQ(rig.policy->halt_status(), 1);  // 1 of 2 = 50%: the failed job's code
    rig.end(4, killed_by(SIGTERM));           // --halt now ended it
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.total, 2u);
    EXPECT_EQ(rig.sink.of(4)->ended_by, wgrun::EndedBy::Halt);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AStartWaitsForFdsWhileJobsRun) {
    Rig rig(0);
    rig.source.add(3);
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1, 2, 3}));
    Rig tight(0);
    tight.source.add(3);
    tight.source.end();
    tight.processes.room = false;  // too few fds once one job runs
    tight.tick();
    EXPECT_EQ(tight.running(), (Seqs{1}));  // the first goes anyway
    EXPECT_EQ(tight.output.numbers, (Seqs{1}));  // 2 waits, unannounced
    tight.processes.room = true;
    tight.end(1);
    tight.tick();
    EXPECT_EQ(tight.running(), (Seqs{2, 3}));
    tight.end(2);
    tight.end(3);
    tight.tick();
    EXPECT_TRUE(tight.policy->over());
    for (std::uint64_t seq : {1, 2, 3}) rig.end(seq);
    rig.tick();
    EXPECT_TRUE(rig.all_done());
    EXPECT_TRUE(tight.all_done());
}

TEST(JobPolicy, ASpawnThatFindsNoFdWaitsForARunningJob) {
    Rig rig(0);
    rig.source.add(2);
    rig.source.end();
    rig.processes.fail_start[2] = EMFILE;
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1}));
    EXPECT_EQ(rig.output.numbers, (Seqs{1}));
    EXPECT_EQ(rig.processes.starts, (Seqs{1}));
    rig.end(1);
    rig.tick();  // tried again: it starts now
    EXPECT_EQ(rig.running(), (Seqs{2}));
    rig.end(2);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.sink.of(2)->status.ok());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, ASpawnThatFindsNoFdWithNothingRunningIsTheJobsError) {
    Rig rig(0);
    rig.source.add(1);
    rig.source.end();
    rig.processes.fail_start[1] = EMFILE;
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(rig.sink.ended[0].status.code, EMFILE);
    EXPECT_EQ(rig.output.events,
              (std::vector<std::string>{"started 1@1",
                                        "err 1: wgrun: cannot run '/bin/sh': Too many open files\n",
                                        "finished 1"}));
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AJobWaitingForFdsIsAbandonedByAStop) {
    Rig rig(0);
    rig.source.add(2);
    rig.processes.fail_start[2] = EMFILE;
    rig.tick();
    rig.policy->interrupt(SIGTERM);
    rig.end(1, killed_by(SIGTERM));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.policy->unstarted_jobs(), 1u);
    EXPECT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AnInputWithNulFailsToStartWithAWarning) {
    Rig rig(1);
    rig.source.add_value(std::string("echo a\0b", 9));
    rig.source.add(1);
    rig.source.end();
    rig.tick();  // 1 fails at once, 2 takes the slot
    EXPECT_EQ(rig.running(), (Seqs{2}));
    EXPECT_EQ(rig.processes.starts, (Seqs{2}));
    rig.end(2);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(1)->status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(rig.sink.of(1)->status.code, EINVAL);
    EXPECT_EQ(rig.output.events[1].rfind("err 1: wgrun: ", 0), 0u) << rig.output.events[1];
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, ALingeringJobEndsOnceItsPipesAreSilentForTheGrace) {
    wgrun::RunRules rules;
    rules.output_grace = 500ms;
    Rig rig(1, rules);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    rig.policy->exited(1, exit_code(0), rusage{});  // a background child holds its pipes
    rig.tick();
    EXPECT_EQ(rig.running(), (Seqs{1}));  // its slot is still taken
    const auto exited = rig.clock.now();
    EXPECT_EQ(rig.policy->next_due(), exited + 500ms);
    rig.clock.advance(400ms);
    rig.policy->output(1, 0, 10, {});  // output resets the grace
    rig.clock.advance(400ms);
    rig.tick();
    EXPECT_TRUE(rig.processes.detached.empty());
    rig.processes.unread.insert(1);  // bytes not read yet are not silence
    rig.clock.advance(400ms);
    rig.tick();
    EXPECT_TRUE(rig.processes.detached.empty());
    rig.processes.unread.clear();
    rig.clock.advance(500ms);
    rig.tick();
    EXPECT_EQ(rig.processes.detached, (Seqs{1}));
    EXPECT_EQ(rig.running(), (Seqs{2}));  // 1 is over, 2 has its slot
    rig.end(2);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(1)->stdout_bytes, 10u);
    EXPECT_TRUE(rig.sink.of(1)->status.ok());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AJobWhoseProcessExitedIsNotTimedOut) {
    wgrun::RunRules rules;
    rules.timeout = 1s;
    rules.output_grace = 10s;
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.clock.advance(500ms);
    rig.policy->exited(1, exit_code(0), rusage{});
    rig.clock.advance(600ms);  // past the timeout: the lingering ends, no signal
    rig.tick();
    EXPECT_TRUE(rig.processes.signals.empty());
    EXPECT_EQ(rig.processes.detached, (Seqs{1}));
    ASSERT_TRUE(rig.policy->over());
    EXPECT_FALSE(rig.sink.of(1)->timed_out());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, ResultsWaitForTheOutputToBeWritten) {
    Rig rig(1, {}, nullptr, /*written_later=*/true);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    rig.end(1);
    rig.tick();
    rig.end(2);
    rig.tick();
    EXPECT_FALSE(rig.policy->over());
    EXPECT_TRUE(rig.sink.ended.empty());
    rig.policy->written({{2, "output lost: EPIPE"}});
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].seq, 2u);
    EXPECT_EQ(rig.sink.ended[0].problem, "output lost: EPIPE");
    EXPECT_FALSE(rig.policy->over());
    rig.policy->written({{1, ""}});
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, KeepsTheTailOfTheOutputOfTheLastAttempt) {
    wgrun::RunRules rules;
    rules.attempts = 2;
    Rig rig(1, rules, nullptr, false, /*keep_tail=*/4);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.policy->output(1, 0, 6, "first\n");
    rig.end(1, exit_code(1));
    rig.tick();
    rig.policy->output(1, 0, 3, "abc");
    rig.policy->output(1, 1, 3, "def");
    rig.end(1);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.ended[0].output_tail, "cdef");
    EXPECT_EQ(rig.sink.ended[0].stdout_bytes, 9u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, StartsAtMostABatchPerRound) {
    Rig rig(0);
    rig.source.add(300);
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.processes.running.size(), 256u);
    EXPECT_EQ(rig.policy->next_due(), rig.clock.now());  // come back at once
    rig.tick();
    EXPECT_EQ(rig.processes.running.size(), 300u);
    for (std::uint64_t seq = 1; seq <= 300; ++seq) rig.end(seq);
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AJobThatCannotStartIsNotRetried) {
    wgrun::RunRules rules;
    rules.attempts = 3;
    Rig rig(1, rules);
    rig.source.add(1);
    rig.source.end();
    rig.processes.fail_start[1] = ENOENT;
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    ASSERT_EQ(rig.sink.ended.size(), 1u);
    EXPECT_EQ(rig.sink.ended[0].attempts, 1u);
    EXPECT_TRUE(rig.processes.starts.empty());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, NoRetryOnceTheRunStopsStarting) {
    wgrun::RunRules rules;
    rules.attempts = 3;
    Rig rig(2, rules);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(1));  // retried...
    rig.policy->hangup(SIGHUP);  // ...but the run stops starting: it ends as it is
    rig.end(2, exit_code(1));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2}));
    EXPECT_EQ(rig.sink.of(1)->attempts, 1u);
    EXPECT_EQ(rig.sink.of(1)->status.code, 1);
    EXPECT_EQ(rig.sink.of(2)->attempts, 1u);
    EXPECT_EQ(rig.sink.of(2)->ended_by, EndedBy::Nobody);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AHangupWithNothingRunningSaysSoAndEndsTheRun) {
    Rig rig(1);
    rig.source.add(1);
    rig.policy->hangup(SIGHUP);
    rig.policy->hangup(SIGHUP);  // told once
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.notices, (std::vector<std::string>{"wgrun: SIGHUP: starting no more jobs\n"}));
    EXPECT_EQ(rig.policy->unstarted_jobs(), 1u);
    EXPECT_TRUE(rig.processes.starts.empty());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AnInterruptDuringTheDelayStartsNothingMore) {
    wgrun::RunRules rules;
    rules.delay = 1s;
    Rig rig(0, rules);
    rig.source.add(3);
    rig.tick();
    rig.policy->interrupt(SIGTERM);
    EXPECT_EQ(rig.policy->next_due().value_or(Steady::time_point::max()),
              rig.clock.now() + 200ms);  // the term-seq's next step, not the next start
    rig.clock.advance(1s);
    rig.end(1, killed_by(SIGTERM));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.processes.starts, (Seqs{1}));
    EXPECT_EQ(rig.policy->unstarted_jobs(), 2u);
    EXPECT_TRUE(rig.all_done());
}

}  // namespace

// --- --load and --memfree (the MachineGate, read through a fake gauge) -------

namespace {

// The machine's other threads (busy) plus the running jobs, when told of them.
class FakeGauge : public wgrun::MachineGauge {
public:
    unsigned busy = 0;
    const std::set<std::uint64_t>* jobs = nullptr;
    std::uint64_t available = 1000;
    std::optional<unsigned> busy_threads() override {
        return busy + (jobs != nullptr ? static_cast<unsigned>(jobs->size()) : 0);
    }
    std::optional<std::uint64_t> mem_available() override { return available; }
};

// A gate over a fake gauge, with --load `load` and --memfree `memfree`.
struct Gated {
    FakeGauge gauge;
    wgrun::MachineGate gate;
    explicit Gated(double load, std::uint64_t memfree)
        : gate(wgrun::MachineLimits{load, memfree}, gauge) {}
};

TEST(JobPolicy, ABusyMachineHoldsStartsBackUntilAReadingSaysOtherwise) {
    Gated machine(2, 0);
    auto& [gauge, gate] = machine;
    Rig rig(4, {}, nullptr, false, 0, &gate);
    gauge.jobs = &rig.processes.running;
    rig.source.add(3);
    rig.source.end();
    gauge.busy = 2;
    rig.tick();
    EXPECT_TRUE(rig.processes.starts.empty());
    EXPECT_EQ(rig.policy->next_due(), rig.clock.now() + wgrun::MachineGate::kRecheck);
    gauge.busy = 0;
    rig.clock.advance(wgrun::MachineGate::kRecheck);
    rig.tick();  // each start is followed by a fresh reading: 2 jobs make it 2
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2}));
    rig.end(1);
    rig.tick();  // the refusal's reading still counts
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2}));
    rig.clock.advance(wgrun::MachineGate::kRecheck);
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2, 3}));
    rig.end(2);
    rig.end(3);
    rig.tick();
    EXPECT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, LowMemoryEndsTheYoungestJobAndRunsItAgainFirst) {
    Gated machine(0, 1000);
    auto& [gauge, gate] = machine;
    Rig rig(3, {}, nullptr, false, 0, &gate);
    rig.source.add(4);
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2, 3}));
    // Memory falls below half while they run: the loop is woken to look.
    ASSERT_TRUE(rig.policy->next_due().has_value());
    gauge.available = 400;
    rig.clock.advance(wgrun::MachineGate::kMemoryWatch);
    rig.tick();
    EXPECT_EQ(rig.processes.signals, (std::vector<std::pair<std::uint64_t, int>>{{3, SIGTERM}}));
    ASSERT_EQ(rig.notices.size(), 1u) << ::testing::PrintToString(rig.notices);
    EXPECT_NE(rig.notices[0].find("ending job 3 (the youngest)"), std::string::npos);
    rig.clock.advance(wgrun::MachineGate::kMemoryWatch);
    rig.tick();  // one at a time: nothing more until 3 is gone (only --term-seq's steps)
    for (const auto& [seq, signal] : rig.processes.signals) EXPECT_EQ(seq, 3u);
    rig.end(3, killed_by(SIGTERM));
    gauge.available = 1000;
    rig.clock.advance(wgrun::MachineGate::kMemoryWatch);
    rig.tick();  // 3 again, before 4; not a failure, no result yet
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2, 3, 3}));
    EXPECT_EQ(rig.sink.of(3), nullptr);
    EXPECT_EQ(rig.output.retried, (Seqs{3}));  // the first attempt's output is dropped
    rig.end(1);
    rig.tick();
    rig.end(2);
    rig.end(3);
    rig.end(4);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.sink.of(3)->status.ok());
    EXPECT_EQ(rig.sink.of(3)->ended_by, EndedBy::Nobody);
    EXPECT_EQ(rig.sink.of(3)->attempts, 2u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, UnderRetriesAJobEndedForMemoryUsesAnAttempt) {
    Gated machine(0, 1000);
    auto& [gauge, gate] = machine;
    wgrun::RunRules rules;
    rules.attempts = 2;
    Rig rig(1, rules, nullptr, false, 0, &gate);
    rig.source.add(1);
    rig.source.end();
    for (int attempt = 1; attempt <= 2; ++attempt) {
        gauge.available = 1000;
        rig.clock.advance(wgrun::MachineGate::kMemoryWatch);
        rig.tick();
        ASSERT_EQ(rig.processes.starts.size(), static_cast<std::size_t>(attempt));
        gauge.available = 100;
        rig.clock.advance(wgrun::MachineGate::kMemoryWatch);
        rig.tick();
        rig.end(1, killed_by(SIGTERM));
    }
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(1)->ended_by, EndedBy::Memory);
    EXPECT_EQ(rig.sink.of(1)->attempts, 2u);
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AJobThatEndedOnItsOwnBeforeTheMemorySignalIsDone) {
    Gated machine(0, 1000);
    auto& [gauge, gate] = machine;
    Rig rig(1, {}, nullptr, false, 0, &gate);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    gauge.available = 100;
    rig.clock.advance(wgrun::MachineGate::kMemoryWatch);
    rig.tick();
    rig.end(1, exit_code(0));  // it exited 0 before the TERM reached it
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.processes.starts, (Seqs{1}));
    EXPECT_EQ(rig.sink.of(1)->ended_by, EndedBy::Nobody);
    EXPECT_TRUE(rig.all_done());
}

}  // namespace

// --- Hosts (HostSlots): where a slot runs its job, and a host that fails ------

namespace {

bool has_env(const wgrun::SpawnRequest& request, const std::string& entry) {
    return std::find(request.env.begin(), request.env.end(), entry) != request.env.end();
}

// Two hosts of one slot each; exit 255 is a lost connection on either.
struct TwoHosts {
    wgrun::HostSlots slots{{{"alpha", 1}, {"beta", 1}},
                           [](const std::string&, const ExitStatus& status) {
                               return status == exit_code(255);
                           },
                           nullptr, 2};
};

}  // namespace

TEST(JobPolicy, AJobRunsOnItsSlotsHostWhichItsResultNames) {
    TwoHosts hosts;
    Rig rig(0, {}, nullptr, false, 0, nullptr, &hosts.slots);
    rig.source.add(2);
    rig.source.end();
    rig.tick();
    ASSERT_EQ(rig.processes.starts, (Seqs{1, 2}));
    EXPECT_EQ(rig.processes.requests[1].host, "alpha");
    EXPECT_EQ(rig.processes.requests[2].host, "beta");
    EXPECT_TRUE(has_env(rig.processes.requests[2], "WGRUN_HOST=beta"));
    rig.end(1);
    rig.end(2, exit_code(3));
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(1)->host, "alpha");
    EXPECT_EQ(rig.sink.of(2)->host, "beta");
    EXPECT_EQ(rig.sink.of(2)->status, exit_code(3));
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, AJobOnALocalSlotNamesNoHost) {
    Rig rig(1);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    EXPECT_EQ(rig.processes.requests[1].host, "");
    for (const std::string& entry : rig.processes.requests[1].env) {
        EXPECT_NE(entry.rfind("WGRUN_HOST=", 0), 0u) << entry;
    }
    rig.end(1);
    rig.tick();
    EXPECT_EQ(rig.sink.of(1)->host, ":");
}

TEST(JobPolicy, AJobWhoseHostFailedRunsAgainFirstElsewhereWithoutUsingAnAttempt) {
    TwoHosts hosts;
    Rig rig(0, {}, nullptr, false, 0, nullptr, &hosts.slots);
    rig.source.add(3);
    rig.source.end();
    rig.tick();
    ASSERT_EQ(rig.processes.starts, (Seqs{1, 2}));
    rig.end(2, exit_code(255));  // beta's connection went
    rig.tick();
    // 2 again before 3, on the free slot (beta's: one failure is not enough
    // to leave it out); no result for it yet.
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 2, 2}));
    EXPECT_EQ(rig.sink.of(2), nullptr);
    ASSERT_EQ(rig.notices.size(), 1u);
    EXPECT_NE(rig.notices[0].find("job 2 lost its host beta (exit 255: the connection went); it "
                                  "goes back to the queue"),
              std::string::npos)
        << rig.notices[0];
    rig.end(2);
    rig.end(1);
    rig.tick();
    rig.end(3);
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_TRUE(rig.sink.of(2)->status.ok());
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, WhenEveryHostIsLeftOutTheWaitingJobsFail) {
    TwoHosts hosts;
    Rig rig(0, {}, nullptr, false, 0, nullptr, &hosts.slots);
    rig.source.add(3);
    rig.source.end();
    rig.tick();
    for (int round = 0; round < 2; ++round) {  // each host fails twice
        for (const std::uint64_t seq : rig.running()) rig.end(seq, exit_code(255));
        rig.tick();
    }
    EXPECT_TRUE(hosts.slots.exhausted());
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        ASSERT_NE(rig.sink.of(seq), nullptr) << seq;
        EXPECT_FALSE(rig.sink.of(seq)->status.ok()) << seq;
    }
    EXPECT_EQ(rig.sink.of(3)->status, ExitStatus::not_started(EHOSTUNREACH));
    EXPECT_TRUE(rig.all_done());
}

TEST(JobPolicy, UnderRetriesALostHostUsesAnAttempt) {
    TwoHosts hosts;
    wgrun::RunRules rules;
    rules.attempts = 2;
    Rig rig(0, rules, nullptr, false, 0, nullptr, &hosts.slots);
    rig.source.add(1);
    rig.source.end();
    rig.tick();
    rig.end(1, exit_code(255));  // lost: attempt 1
    rig.tick();
    EXPECT_EQ(rig.processes.starts, (Seqs{1, 1}));
    rig.end(1, exit_code(255));  // lost again: that was the last attempt
    rig.tick();
    ASSERT_TRUE(rig.policy->over());
    EXPECT_EQ(rig.sink.of(1)->status, exit_code(255));
    EXPECT_EQ(rig.sink.of(1)->attempts, 2u);
    EXPECT_EQ(rig.notices.back().find("goes back"), std::string::npos) << rig.notices.back();
    EXPECT_TRUE(rig.all_done());
}
