// scheduler_test.cpp: the Scheduler with its real parts (InputPump, LocalSlots,
// LocalSpawner, grouped UnorderedOutput, ResultCollector, WaitGroup) running shell
// jobs: results and exit codes, whole outputs, the -j limit and slot reuse,
// failures to start, a feed error, and no zombie, fd or busy loop left over.
#include "schedule/scheduler.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "command/command_builder.hpp"
#include "command/command_template.hpp"
#include "output/unordered_output.hpp"
#include "schedule/halt_policy.hpp"
#include "input/input_pump.hpp"
#include "input/input_sources.hpp"
#include "input/job_feed.hpp"
#include "results/result_collector.hpp"
#include "schedule/slot_pool.hpp"
#include "exec/spawner.hpp"
#include "wgrun/wait_group.hpp"
#include "support/fd_limit_support.hpp"
#include "support/output_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::CommandBuilder;
using wgrun::CommandTemplate;
using wgrun::Executor;
using wgrun::ExitStatus;
using wgrun::Grouping;
using wgrun::InputPump;
using wgrun::JobFeed;
using wgrun::JobResult;
using wgrun::ListFeed;
using wgrun::LocalSlots;
using wgrun::LocalSpawner;
using wgrun::ResultCollector;
using wgrun::Scheduler;
using wgrun::SlotPool;
using wgrun::SpawnedJob;
using wgrun::SpawnRequest;
using wgrun::UnorderedOutput;
using wgrun::WaitGroup;
using Words = std::vector<std::string>;

constexpr auto kPatience = 30s;

using wgrun::test::Fd;
using wgrun::test::TempDir;

// The whole file; "" when it cannot be opened (a thread that has ended).
std::string read_file(const std::string& path) {
    return wgrun::test::try_read_file(path).value_or("");
}

Words lines_of(const std::string& text) {
    Words lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// This process's open fds and what they are.
std::map<int, std::string> open_fds() { return wgrun::test::open_fd_targets(); }

std::string describe_fds(const std::map<int, std::string>& fds) {
    std::string text;
    for (const auto& [fd, target] : fds) text += std::to_string(fd) + "=" + target + " ";
    return text;
}

// The children of every thread of this process (live or zombie).
std::vector<std::string> children() {
    std::vector<std::string> pids;
    DIR* d = ::opendir("/proc/self/task");
    if (d == nullptr) return pids;
    while (const dirent* entry = ::readdir(d)) {
        if (entry->d_name[0] == '.') continue;
        const std::string text =
            read_file(std::string("/proc/self/task/") + entry->d_name + "/children");
        std::istringstream in(text);
        for (std::string pid; in >> pid;) pids.push_back(pid);
    }
    ::closedir(d);
    return pids;
}

// A SlotPool that counts its calls, around LocalSlots. Used by the scheduler's
// thread only; read after it is joined.
class CountingSlots : public SlotPool {
public:
    explicit CountingSlots(std::uint64_t limit) : slots_(limit) {}
    std::optional<std::uint64_t> acquire() override {
        acquires.fetch_add(1);
        auto slot = slots_.acquire();
        if (slot) {
            const auto now = in_use.fetch_add(1) + 1;
            if (now > max_in_use.load()) max_in_use.store(now);
        }
        return slot;
    }
    void release(std::uint64_t slot) override {
        in_use.fetch_sub(1);
        slots_.release(slot);
    }
    std::atomic<std::uint64_t> acquires{0};
    std::atomic<std::uint64_t> in_use{0};
    std::atomic<std::uint64_t> max_in_use{0};

private:
    LocalSlots slots_;
};

// Stdout and stderr files, a spill directory, and the results of one run.
class Harness {
public:
    // Jobs' stdout goes to `out_path` when given, else to a temp file.
    explicit Harness(const std::string& out_path = "")
        : out_(::open(out_path.empty() ? dir_.file("out").c_str() : out_path.c_str(),
                      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)),
          err_(::open(dir_.file("err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) {}

    // --halt, --retries, --timeout...: none unless a test sets them.
    wgrun::RunRules rules;

    // Jobs left out, and the output tail kept: none unless a test sets them.
    const wgrun::JobSkipper* skipper = nullptr;
    std::size_t keep_tail = 0;

    // Wraps the LocalSpawner that run() makes (to make spawns fail).
    std::function<std::unique_ptr<Executor>(Executor&)> wrap_executor;

    // Runs every job of `feed` to the end, as wgrun's main does: SIGCHLD
    // blocked first (the pump's and the scheduler's threads inherit the mask),
    // wg.add(1) for the input, run() on a thread, wg.wait(), join.
    void run(std::unique_ptr<JobFeed> feed, SlotPool& slots, bool use_shell = true,
             std::size_t capacity = 16) {
        sigset_t child;
        sigemptyset(&child);
        sigaddset(&child, SIGCHLD);
        sigset_t before;
        ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &child, &before), 0);
        {
            InputPump pump(std::move(feed), capacity);
            const CommandBuilder builder(CommandTemplate(), use_shell);
            LocalSpawner spawner(before);  // jobs start with the mask from before
            std::unique_ptr<Executor> wrapped;
            if (wrap_executor) wrapped = wrap_executor(spawner);
            Executor& executor = wrapped ? *wrapped : spawner;
            UnorderedOutput output(Grouping::Group, out_.get(), err_.get(), spill_.path());
            WaitGroup wg;
            Scheduler scheduler({pump, builder, slots, executor, output, output.flow(), results,
                                 wg, rules, nullptr, skipper, /*gate=*/nullptr, keep_tail,
                                 /*fds_per_job=*/0,
                                 [this](const std::string& text) { notices += text; }});
            std::atomic<pid_t> tid{0};
            wg.add(1);  // the input's unit
            std::thread thread([&scheduler, &tid] {
                tid.store(::gettid());
                scheduler.run();
            });
            if (!wg.wait_for(2 * kPatience)) {
                ADD_FAILURE() << "the scheduler did not finish; nudging it with SIGCHLD";
                // A lost SIGCHLD would leave it asleep: send one to its thread.
                for (int i = 0; i < 600 && !wg.wait_for(100ms); ++i) {
                    if (tid.load() != 0) ::tgkill(::getpid(), tid.load(), SIGCHLD);
                }
                if (!wg.wait_for(0s)) {
                    std::fprintf(stderr, "scheduler_test: the scheduler hangs\n");
                    std::abort();
                }
            }
            thread.join();
            pump_error = pump.error();
            skipped = scheduler.skipped_jobs();
            drained_by = scheduler.drained_by();
            unstarted = scheduler.unstarted();
        }
        ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    }

    void run(Words commands, std::uint64_t jobs, bool use_shell = true) {
        LocalSlots slots(jobs);
        run(std::make_unique<ListFeed>(std::move(commands)), slots, use_shell);
    }

    std::string out_text() const { return read_file(dir_.file("out")); }
    std::string err_text() const { return read_file(dir_.file("err")); }
    std::string file(const std::string& name) const { return dir_.file(name); }
    const std::string& spill_dir() const { return spill_.path(); }

    ResultCollector results;
    std::string pump_error;
    std::uint64_t skipped = 0;
    std::string notices;  // the scheduler's, written on its thread
    int drained_by = 0;
    Scheduler::Unstarted unstarted;

private:
    TempDir dir_;
    TempDir spill_;
    Fd out_;
    Fd err_;
};

TEST(Scheduler, ResultsCountsAndExitCodes) {
    Harness h;
    h.run({"echo one", "echo two >&2", "exit 3", "kill -TERM $$", "true",
           "printf 'a\\nb\\n'; exit 0", "wgrun-no-such-command-5d1e", "kill -KILL $$"},
          2);
    EXPECT_EQ(h.results.total(), 8u);
    EXPECT_EQ(h.results.failed_count(), 4u);
    const std::vector<JobResult> failed = h.results.failed();
    ASSERT_EQ(failed.size(), 4u);

    EXPECT_EQ(failed[0].seq, 3u);
    EXPECT_EQ(failed[0].command, "exit 3");
    EXPECT_EQ(failed[0].status.kind, ExitStatus::Kind::Exited);
    EXPECT_EQ(failed[0].status.describe(), "exit 3");

    EXPECT_EQ(failed[1].seq, 4u);
    EXPECT_EQ(failed[1].command, "kill -TERM $$");
    EXPECT_EQ(failed[1].status.describe(), "killed by SIGTERM");
    EXPECT_EQ(failed[1].status.shell_code(), 143);

    EXPECT_EQ(failed[2].seq, 7u);
    EXPECT_EQ(failed[2].status.describe(), "exit 127") << "sh's own 'not found'";

    EXPECT_EQ(failed[3].seq, 8u);
    EXPECT_EQ(failed[3].status.describe(), "killed by SIGKILL");

    for (const auto& result : failed) {
        EXPECT_TRUE(result.slot == 1 || result.slot == 2) << result.slot;
        EXPECT_EQ(result.problem, "");
    }

    const Words out = lines_of(h.out_text());
    std::multiset<std::string> out_lines(out.begin(), out.end());
    EXPECT_EQ(out_lines, (std::multiset<std::string>{"one", "a", "b"}));
    const std::string all_out = h.out_text();
    EXPECT_NE(all_out.find("a\nb\n"), std::string::npos) << "one job's lines stay together";
    const std::string err = h.err_text();
    EXPECT_NE(err.find("two\n"), std::string::npos) << err;
    EXPECT_NE(err.find("not found"), std::string::npos) << err;
    EXPECT_EQ(h.pump_error, "");
}

TEST(Scheduler, AnEmptyInputRunsNothing) {
    Harness h;
    h.run(Words{}, 2);
    EXPECT_EQ(h.results.total(), 0u);
    EXPECT_EQ(h.out_text(), "");
}

TEST(Scheduler, OutputsComeOutWholePerJob) {
    Harness h;
    Words commands;
    for (int job = 1; job <= 8; ++job) {
        // Lines with pauses, on both streams, so that the jobs interleave.
        commands.push_back("for i in 1 2 3 4 5 6 7 8 9 10; do echo \"job " + std::to_string(job) +
                           " line $i\"; echo \"job " + std::to_string(job) +
                           " err $i\" >&2; sleep 0.01; done");
    }
    // One job with more output than fits in memory, next to small ones.
    commands.push_back("yes 'big job line' | head -n 150000");
    commands.push_back("echo after-big");
    h.run(commands, 3);
    EXPECT_EQ(h.results.total(), commands.size());
    EXPECT_EQ(h.results.failed_count(), 0u);

    // Each small job's lines form one unbroken run, in its own order.
    for (const auto& [text, kind] : {std::pair{h.out_text(), std::string("line")},
                                     std::pair{h.err_text(), std::string("err")}}) {
        Words lines = lines_of(text);
        std::map<std::string, std::vector<std::size_t>> positions;  // job -> line indexes
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].rfind("job ", 0) == 0) {
                std::istringstream in(lines[i]);
                std::string word, job;
                in >> word >> job;
                positions[job].push_back(i);
            }
        }
        ASSERT_EQ(positions.size(), 8u) << kind;
        for (const auto& [job, at] : positions) {
            ASSERT_EQ(at.size(), 10u) << "job " << job << " " << kind;
            for (std::size_t k = 0; k < at.size(); ++k) {
                EXPECT_EQ(at[k], at[0] + k) << "job " << job << "'s " << kind << "s are split";
                EXPECT_EQ(lines[at[k]], "job " + job + " " + kind + " " + std::to_string(k + 1));
            }
        }
    }
    // The big job's 150000 lines, unbroken.
    const Words out = lines_of(h.out_text());
    const auto first_big = std::find(out.begin(), out.end(), "big job line");
    ASSERT_NE(first_big, out.end());
    ASSERT_GE(out.end() - first_big, 150000);
    EXPECT_TRUE(std::all_of(first_big, first_big + 150000,
                            [](const std::string& l) { return l == "big job line"; }));
    EXPECT_EQ(std::count(out.begin(), out.end(), "big job line"), 150000);
    EXPECT_TRUE(std::filesystem::is_empty(h.spill_dir())) << "no spill file left behind";
}

TEST(Scheduler, AtMostTheLimitAtOnceAndSlotsAreReused) {
    Harness h;
    const std::string log = h.file("log");
    Words commands;
    for (int i = 0; i < 20; ++i) {
        // O_APPEND writes of one short line are atomic.
        commands.push_back("echo \"start $WGRUN_SLOT $PARALLEL_JOBSLOT $WGRUN_SEQ\" >> " + log +
                           "; sleep 0.05; echo \"end $WGRUN_SLOT\" >> " + log);
    }
    CountingSlots slots(2);
    h.run(std::make_unique<ListFeed>(commands), slots);
    EXPECT_EQ(h.results.total(), 20u);
    EXPECT_EQ(h.results.failed_count(), 0u);
    EXPECT_LE(slots.max_in_use.load(), 2u);
    EXPECT_EQ(slots.in_use.load(), 0u) << "every slot given back";

    // Replay the log: a job's "start" is written after it started and its
    // "end" before it ended, so what the log shows running at once was.
    std::set<std::string> busy;
    std::set<std::string> seen_slots;
    std::set<std::string> seen_seqs;
    std::size_t running = 0, most = 0, starts = 0;
    for (const auto& line : lines_of(read_file(log))) {
        std::istringstream in(line);
        std::string what, slot;
        in >> what >> slot;
        if (what == "start") {
            std::string jobslot, seq;
            in >> jobslot >> seq;
            EXPECT_EQ(jobslot, slot) << "PARALLEL_JOBSLOT == WGRUN_SLOT";
            EXPECT_TRUE(slot == "1" || slot == "2") << "slot " << slot;
            EXPECT_TRUE(busy.insert(slot).second) << "slot " << slot << " given to two jobs at once";
            seen_slots.insert(slot);
            seen_seqs.insert(seq);
            ++starts;
            most = std::max(most, ++running);
        } else {
            ASSERT_EQ(what, "end") << line;
            EXPECT_EQ(busy.erase(slot), 1u);
            --running;
        }
    }
    EXPECT_EQ(starts, 20u);
    EXPECT_LE(most, 2u);
    EXPECT_EQ(seen_slots, (std::set<std::string>{"1", "2"})) << "both slots used, and reused";
    EXPECT_EQ(seen_seqs.size(), 20u) << "each job its own WGRUN_SEQ";
}

TEST(Scheduler, JobNumbersAndSlotsInResults) {
    Harness h;
    Words commands;
    for (int i = 0; i < 12; ++i) commands.push_back("echo \"$WGRUN_SEQ:$PARALLEL_SEQ\"; exit 1");
    h.run(commands, 3);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 12u);
    for (std::size_t i = 0; i < failed.size(); ++i) {
        EXPECT_EQ(failed[i].seq, i + 1);
        EXPECT_GE(failed[i].slot, 1u);
        EXPECT_LE(failed[i].slot, 3u);
    }
    std::set<std::string> lines;
    for (const auto& line : lines_of(h.out_text())) lines.insert(line);
    for (int seq = 1; seq <= 12; ++seq) {
        EXPECT_EQ(lines.count(std::to_string(seq) + ":" + std::to_string(seq)), 1u) << seq;
    }
}

TEST(Scheduler, ManyQuickJobsLeaveNoZombieAndNoFd) {
    const std::map<int, std::string> before = open_fds();
    {
        Harness h;
        Words commands;
        for (int i = 0; i < 200; ++i) commands.push_back("echo \"$WGRUN_SEQ\"");
        h.run(commands, 4);
        EXPECT_EQ(h.results.total(), 200u);
        EXPECT_EQ(h.results.failed_count(), 0u);
        const Words out = lines_of(h.out_text());
        std::set<std::string> seqs(out.begin(), out.end());
        EXPECT_EQ(out.size(), 200u);
        EXPECT_EQ(seqs.size(), 200u);
        EXPECT_TRUE(children().empty()) << "every job reaped";
    }
    // The input pump's thread closes its eventfd as it ends, which may be
    // a moment after the run: wait for it.
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    std::map<int, std::string> after = open_fds();
    while (after != before && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
        after = open_fds();
    }
    EXPECT_EQ(after, before) << "before: " << describe_fds(before)
                             << "\nafter:  " << describe_fds(after);
}

TEST(Scheduler, AJobIsDoneWhenItsPipesCloseNotWhenItExits) {
    Harness h;
    // The job exits at once; a grandchild holds its stdout a while longer
    // and writes within --output-grace (0.5 s): its line is the job's.
    h.run({"(sleep 0.3; echo late) & echo early", "exec >&- 2>&-; sleep 0.2; exit 4"}, 2);
    EXPECT_EQ(h.results.total(), 2u);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].seq, 2u);
    EXPECT_EQ(failed[0].status.describe(), "exit 4");
    EXPECT_EQ(h.out_text(), "early\nlate\n");
}

// `nohup cmd &`, `setsid -f`: once the job's own process has exited, its
// pipes are read until silent for --output-grace, then the job is over with
// its own status, whatever still holds the pipes.
TEST(Scheduler, AJobWhoseProcessExitedEndsOnceItsPipesAreSilent) {
    Harness h;
    h.rules.output_grace = 200ms;
    const auto start = std::chrono::steady_clock::now();
    h.run(Words{"sleep 3 & echo hi", "setsid sh -c 'sleep 3' & exit 5"}, 2);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
    EXPECT_EQ(h.results.total(), 2u);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].seq, 2u);
    EXPECT_EQ(failed[0].status.describe(), "exit 5");
    EXPECT_EQ(failed[0].ended_by, wgrun::EndedBy::Nobody);
    EXPECT_EQ(h.out_text(), "hi\n");
}

// A background child that keeps writing keeps the job going: the grace runs
// from its last byte.
TEST(Scheduler, ABackgroundChildsOutputWithinTheGraceIsTheJobs) {
    Harness h;
    h.rules.output_grace = 700ms;
    h.run(Words{"(for i in 1 2 3; do sleep 0.3; echo $i; done; sleep 3) & echo 0"}, 1);
    EXPECT_EQ(h.results.failed().size(), 0u);
    EXPECT_EQ(h.out_text(), "0\n1\n2\n3\n");
}

// --timeout never ends or marks a job whose own process has exited; a busy
// background child holds it up to the timeout at most.
TEST(Scheduler, ATimeoutDoesNotEndAJobWhoseProcessExited) {
    Harness h;
    h.rules.timeout = 400ms;
    h.rules.output_grace = 5s;
    const auto start = std::chrono::steady_clock::now();
    h.run(Words{"sleep 3 & true", "(while sleep 0.05; do echo x; done) & true"}, 2);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
    EXPECT_EQ(h.results.total(), 2u);
    EXPECT_EQ(h.results.failed().size(), 0u);
}

// SIGHUP (read by the loop): no job starts after it, the running one
// finishes, the loop says so, and tells how many were left unstarted.
TEST(Scheduler, SighupStartsNoMoreJobsAndCountsThoseLeft) {
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    // The sender thread must not take SIGCHLD (nor SIGHUP) either.
    sigset_t blocked = hup;
    sigaddset(&blocked, SIGCHLD);
    sigset_t before;
    ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &blocked, &before), 0);
    Harness h;
    h.rules.stop_signals = hup;
    std::thread sender([] {
        std::this_thread::sleep_for(500ms);
        ::kill(::getpid(), SIGHUP);
    });
    h.run(Words{"sleep 0.3; echo 1", "sleep 0.3; echo 2", "sleep 0.3; echo 3", "sleep 0.3; echo 4",
                "sleep 0.3; echo 5", "sleep 0.3; echo 6", "sleep 0.3; echo 7", "sleep 0.3; echo 8"},
          1);
    sender.join();
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    EXPECT_EQ(h.drained_by, SIGHUP);
    const std::uint64_t ran = h.results.total();
    EXPECT_GE(ran, 1u);
    EXPECT_LT(ran, 8u);
    EXPECT_EQ(h.unstarted.jobs, 8 - ran);
    EXPECT_FALSE(h.unstarted.rest_of_input);
    EXPECT_EQ(h.notices, "wgrun: SIGHUP: starting no more jobs; waiting for the 1 running to finish\n");
    EXPECT_EQ(h.results.failed().size(), 0u);
}

TEST(Scheduler, AProgramThatCannotStartIsAFailedResult) {
    Harness h;
    h.run({"echo before", "wgrun-no-such-program-5d1e arg", "echo 'unterminated", "echo after"}, 1,
          false);
    EXPECT_EQ(h.results.total(), 4u);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].seq, 2u);
    EXPECT_EQ(failed[0].status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(failed[0].status.code, ENOENT);
    EXPECT_EQ(failed[0].status.shell_code(), 127);
    EXPECT_EQ(failed[1].seq, 3u);
    EXPECT_EQ(failed[1].status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(h.out_text(), "before\nafter\n");
    const std::string err = h.err_text();
    EXPECT_NE(err.find("wgrun: cannot run 'wgrun-no-such-program-5d1e'"), std::string::npos)
        << err;
}

// Issue 12: a value holding a NUL (read without -0) ran cut at the NUL.
// Such a job fails not started, one warning goes to stderr for the first
// one only, and the other jobs run.
TEST(Scheduler, InputWithNulIsNotRunAndWarnedOnce) {
    using namespace std::string_literals;
    Harness h;
    const std::string marker = h.file("ran");
    h.run({"echo a\0b"s, "echo ok", "touch " + marker + "\0x"s}, 2);
    EXPECT_EQ(h.results.total(), 3u);
    EXPECT_EQ(h.out_text(), "ok\n");
    EXPECT_NE(::access(marker.c_str(), F_OK), 0) << "a job with NUL ran cut";
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 2u);
    for (const auto& job : failed) {
        EXPECT_EQ(job.status.kind, ExitStatus::Kind::NotStarted);
        EXPECT_EQ(job.status.code, EINVAL);
    }
    EXPECT_EQ(failed[0].command, "echo a\\0b");
    const std::string err = h.err_text();
    EXPECT_EQ(lines_of(err).size(), 1u) << err;
    EXPECT_NE(err.find("wgrun: job 1's input holds a NUL byte"), std::string::npos) << err;
}

// Thousands of jobs that fail at once all end, each counted.
TEST(Scheduler, ManyJobsThatFailAtOnceAllEnd) {
    using namespace std::string_literals;
    Harness h;
    Words commands(5000, "echo x\0y"s);
    commands.push_back("echo last");
    h.run(std::move(commands), 4);
    EXPECT_EQ(h.results.total(), 5001u);
    EXPECT_EQ(h.results.failed_count(), 5000u);
    EXPECT_EQ(h.out_text(), "last\n");
}

// A feed that gives some commands, then fails like an unreadable input file.
class FailingFeed : public JobFeed {
public:
    std::optional<std::vector<std::string>> next() override {
        if (given_ == 2) throw wgrun::InputError("cannot read in.txt: Input/output error");
        return std::vector<std::string>{"echo " + std::to_string(++given_)};
    }

private:
    int given_ = 0;
};

TEST(Scheduler, AFeedErrorEndsTheRunAfterTheJobsSoFar) {
    Harness h;
    LocalSlots slots(2);
    h.run(std::make_unique<FailingFeed>(), slots);
    EXPECT_EQ(h.results.total(), 2u);
    EXPECT_EQ(h.results.failed_count(), 0u);
    EXPECT_EQ(h.pump_error, "cannot read in.txt: Input/output error");
    const Words out = lines_of(h.out_text());
    EXPECT_EQ(std::multiset<std::string>(out.begin(), out.end()),
              (std::multiset<std::string>{"1", "2"}));
}

// Job 1 runs for a while in the only slot; job 2's input arrives (the pump's
// eventfd fires) only once job 1 has started, so it must wait for the slot.
class LateSecondInput : public JobFeed {
public:
    explicit LateSecondInput(std::string marker) : marker_(std::move(marker)) {}
    std::optional<std::vector<std::string>> next() override {
        switch (given_++) {
            case 0:
                return std::vector<std::string>{"touch " + marker_ + "; sleep 1"};
            case 1: {
                const auto deadline = std::chrono::steady_clock::now() + kPatience;
                while (::access(marker_.c_str(), F_OK) != 0 &&
                       std::chrono::steady_clock::now() < deadline) {
                    std::this_thread::sleep_for(5ms);
                }
                return std::vector<std::string>{"echo second"};
            }
            default:
                return std::nullopt;
        }
    }

private:
    std::string marker_;
    int given_ = 0;
};

TEST(Scheduler, NoBusyLoopWhileAnInputWaitsForASlot) {
    Harness h;
    CountingSlots slots(1);
    h.run(std::make_unique<LateSecondInput>(h.file("started")), slots);
    EXPECT_EQ(h.results.total(), 2u);
    EXPECT_EQ(h.results.failed_count(), 0u);
    EXPECT_EQ(h.out_text(), "second\n");
    // A handful of wake-ups (input, SIGCHLD, pipes) each try for a slot; a
    // loop spinning on the ready eventfd for the second of job 1's sleep
    // would try hundreds of thousands of times.
    EXPECT_LT(slots.acquires.load(), 1000u)
        << "the event loop spins while every slot is busy";
}

// An Executor that fails chosen spawn calls (1-based) with an errno, and
// passes the others to the real spawner. `calls` counts every call.
class FailingExecutor : public Executor {
public:
    FailingExecutor(Executor& real, std::set<int> failing, int error, std::atomic<int>& calls)
        : real_(real), failing_(std::move(failing)), error_(error), calls_(calls) {}
    SpawnedJob spawn(const SpawnRequest& request) override {
        const int call = calls_.fetch_add(1) + 1;
        if (failing_.count(call) != 0) throw std::system_error(error_, std::system_category());
        return real_.spawn(request);
    }

private:
    Executor& real_;
    std::set<int> failing_;
    int error_;
    std::atomic<int>& calls_;
};

TEST(Scheduler, ASpawnShortOfResourcesIsRetriedWhenAJobEnds) {
    Harness h;
    std::atomic<int> calls{0};
    // The second spawn (job 2, while job 1 runs) fails with EAGAIN.
    h.wrap_executor = [&calls](Executor& real) {
        return std::unique_ptr<Executor>(
            std::make_unique<FailingExecutor>(real, std::set<int>{2}, EAGAIN, calls));
    };
    CountingSlots slots(2);
    h.run(std::make_unique<ListFeed>(Words{"sleep 0.2; echo 1", "echo 2", "echo 3"}), slots);
    EXPECT_EQ(h.results.total(), 3u);
    EXPECT_EQ(h.results.failed_count(), 0u) << "job 2 waited and ran";
    const Words out = lines_of(h.out_text());
    EXPECT_EQ(std::multiset<std::string>(out.begin(), out.end()),
              (std::multiset<std::string>{"1", "2", "3"}));
    EXPECT_EQ(calls.load(), 4) << "three jobs, one retry";
    EXPECT_EQ(slots.in_use.load(), 0u);
}

TEST(Scheduler, ASpawnShortOfResourcesWithNothingRunningFails) {
    Harness h;
    std::atomic<int> calls{0};
    h.wrap_executor = [&calls](Executor& real) {
        return std::unique_ptr<Executor>(
            std::make_unique<FailingExecutor>(real, std::set<int>{1}, EMFILE, calls));
    };
    h.run(Words{"echo 1", "echo 2"}, 1);
    EXPECT_EQ(h.results.total(), 2u);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].seq, 1u);
    EXPECT_EQ(failed[0].status.kind, ExitStatus::Kind::NotStarted);
    EXPECT_EQ(failed[0].status.code, EMFILE);
    EXPECT_EQ(h.out_text(), "2\n");
    EXPECT_EQ(calls.load(), 2);
}

// Passes every spawn on; on the first one, lowers the limit on open files so
// that only `free` more fds can be opened for the rest of the run.
class FdStarvedExecutor : public Executor {
public:
    FdStarvedExecutor(Executor& real, std::size_t free, std::atomic<int>& calls)
        : real_(real), free_(free), calls_(calls) {}
    SpawnedJob spawn(const SpawnRequest& request) override {
        if (!limit_) limit_ = std::make_unique<wgrun::test::FdLimit>(free_);
        calls_.fetch_add(1);
        return real_.spawn(request);
    }

private:
    Executor& real_;
    std::size_t free_;
    std::atomic<int>& calls_;
    std::unique_ptr<wgrun::test::FdLimit> limit_;
};

// With fds for one job and little more, -j4 runs the jobs one at a time: a
// start that would leave too few fds to spare waits for a running job to
// end, without even trying to spawn (each job is spawned once), and no job
// fails.
TEST(Scheduler, AStartWaitsForFdsToSpareWhileAJobRuns) {
    Harness h;
    std::atomic<int> calls{0};
    // What a spawn opens at once and one more: the first job starts and
    // leaves too few free for another to start with fds to spare (6), though
    // enough for its spawn (kSpawnFds), had it tried.
    h.wrap_executor = [&calls](Executor& real) {
        return std::unique_ptr<Executor>(std::make_unique<FdStarvedExecutor>(
            real, wgrun::test::kSpawnFds + 1, calls));
    };
    const std::string lock = h.file("running");
    Words commands;
    for (int i = 1; i <= 5; ++i) {
        commands.push_back("mkdir " + lock + " || echo overlap; sleep 0.1; rmdir " + lock +
                           "; echo " + std::to_string(i));
    }
    h.run(commands, 4);
    EXPECT_EQ(h.results.total(), 5u);
    EXPECT_EQ(h.results.failed_count(), 0u) << h.err_text();
    const Words out = lines_of(h.out_text());
    EXPECT_EQ(std::multiset<std::string>(out.begin(), out.end()),
              (std::multiset<std::string>{"1", "2", "3", "4", "5"}))
        << "no job ran while another did";
    EXPECT_EQ(calls.load(), 5) << "each job spawned once: none tried and deferred";
}

TEST(Scheduler, OutputThatCannotBeWrittenFailsTheJob) {
    Harness h("/dev/full");
    h.run(Words{"echo lost", "echo kept >&2", "true"}, 2);
    EXPECT_EQ(h.results.total(), 3u);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].seq, 1u);
    EXPECT_TRUE(failed[0].status.ok());
    EXPECT_NE(failed[0].problem.find("output lost"), std::string::npos) << failed[0].problem;
    EXPECT_EQ(h.err_text(), "kept\n");
}

TEST(Scheduler, RuntimeAndStartAreRecorded) {
    Harness h;
    const auto before = std::chrono::system_clock::now();
    h.run(Words{"sleep 0.2; exit 1"}, 1);
    const auto after = std::chrono::system_clock::now();
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_GE(failed[0].runtime, 200ms);
    EXPECT_LT(failed[0].runtime, 2 * kPatience);
    // system_clock may be stepped, so allow a little slack around it.
    EXPECT_GE(failed[0].start, before - 5s);
    EXPECT_LE(failed[0].start, after + 5s);
}

TEST(Scheduler, JobsDoNotInheritTheBlockedSigchld) {
    // The scheduler's thread blocks SIGCHLD (it reads it from a signalfd);
    // jobs start with the mask from before, so SIGCHLD is not blocked in them.
    Harness h;
    h.run(Words{"grep ^SigBlk /proc/self/status"}, 1);
    ASSERT_EQ(h.results.failed_count(), 0u) << h.err_text();
    const std::string line = h.out_text();
    ASSERT_EQ(line.rfind("SigBlk:", 0), 0u) << line;
    const unsigned long long mask = std::strtoull(line.substr(7).c_str(), nullptr, 16);
    EXPECT_EQ((mask >> (SIGCHLD - 1)) & 1, 0u) << line;
}

TEST(Scheduler, NoLimit) {
    Harness h;
    Words commands;
    for (int i = 0; i < 30; ++i) commands.push_back("sleep 0.1; echo x");
    CountingSlots slots(0);
    h.run(std::make_unique<ListFeed>(commands), slots);
    EXPECT_EQ(h.results.total(), 30u);
    EXPECT_EQ(h.results.failed_count(), 0u);
    EXPECT_EQ(lines_of(h.out_text()).size(), 30u);
    EXPECT_EQ(slots.in_use.load(), 0u);
}

TEST(Scheduler, ResourceUsageOfAJobThatBurnsCpu) {
    // About 0.2 s of CPU in a grandchild the job waits for: wait4() counts
    // the descendants a job waited for with the job.
    Harness h;
    h.run(Words{"timeout 0.2 sh -c 'while :; do :; done'; exit 1"}, 1);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    const auto cpu = failed[0].user_cpu + failed[0].system_cpu;
    EXPECT_GE(cpu, 50ms) << "a busy loop of 0.2 s, even on a loaded machine";
    EXPECT_LE(cpu, failed[0].runtime + 100ms) << "one thread cannot burn more than it ran";
    EXPECT_GT(failed[0].max_rss_kb, 100);
    // The kernel counts the job's peak from its start in our memory (vfork),
    // so it can be as big as our own: allow that (large under ASan).
    rusage self{};
    ::getrusage(RUSAGE_SELF, &self);
    EXPECT_LT(failed[0].max_rss_kb, self.ru_maxrss + 256 * 1024);
}

TEST(Scheduler, RetriesRunAFailingJobAgainAsOneJob) {
    Harness h;
    h.rules.attempts = 3;
    const std::string count = h.file("count");
    h.run(Words{"n=$(cat " + count + " 2>/dev/null || echo 0); n=$((n + 1)); echo $n >" + count +
                    "; echo try $n; [ $n -ge 3 ]",
                "exit 4"},
          2);
    EXPECT_EQ(h.results.total(), 2u) << "attempts are not jobs";
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].seq, 2u);
    EXPECT_EQ(failed[0].attempts, 3u);
    EXPECT_EQ(failed[0].status.code, 4);
    const auto out = lines_of(h.out_text());
    EXPECT_EQ(std::count(out.begin(), out.end(), "try 3"), 1) << h.out_text();
}

TEST(Scheduler, ATimeoutEndsTheJobAndSaysSo) {
    Harness h;
    h.rules.timeout = 300ms;
    h.run(Words{"sleep 30", "true"}, 2);
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].seq, 1u);
    EXPECT_TRUE(failed[0].timed_out());
    EXPECT_EQ(failed[0].timeout, 300ms);
    EXPECT_EQ(failed[0].status.kind, ExitStatus::Kind::Signaled);
    EXPECT_EQ(failed[0].status.code, SIGTERM);
    EXPECT_LT(failed[0].runtime, 10s);
}

TEST(Scheduler, HaltNowEndsTheRunningJobs) {
    Harness h;
    h.rules.halt = wgrun::parse_halt("now,fail=1");
    h.run(Words{"sleep 30", "sleep 0.2; exit 3", "echo never"}, 2);
    EXPECT_EQ(h.results.total(), 2u) << "the third job never started";
    const auto failed = h.results.failed();
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].ended_by, wgrun::EndedBy::Halt);
    EXPECT_EQ(failed[1].ended_by, wgrun::EndedBy::Nobody);
    EXPECT_EQ(h.out_text(), "");
}

TEST(Scheduler, DelaySpacesTheStarts) {
    Harness h;
    h.rules.delay = 200ms;
    const auto before = std::chrono::steady_clock::now();
    h.run(Words{"true", "true", "true"}, 3);
    EXPECT_GE(std::chrono::steady_clock::now() - before, 400ms);
    EXPECT_EQ(h.results.failed_count(), 0u);
}

}  // namespace

// What a sink hears of a run, in order.
class RecordingSink : public wgrun::ResultSink {
public:
    void job_started(std::uint64_t seq) override { events.push_back("start " + std::to_string(seq)); }
    void input_ended(std::uint64_t total) override { events.push_back("total " + std::to_string(total)); }
    void job_ended(const JobResult& result) override {
        events.push_back("end " + std::to_string(result.seq));
        ended.push_back(result);
    }
    std::vector<std::string> events;
    std::vector<JobResult> ended;
};

TEST(Scheduler, SinksHearEveryJobWithItsArgsEndAndByteCounts) {
    Harness h;
    RecordingSink sink;
    h.results.add_sink(sink);
    const auto before = std::chrono::system_clock::now();
    h.run(Words{"printf abc", "printf 12345 >&2; sleep 0.1", "exit 2"}, 2);
    ASSERT_EQ(sink.ended.size(), 3u);
    EXPECT_EQ(std::count(sink.events.begin(), sink.events.end(), "total 3"), 1);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        const auto started = std::find(sink.events.begin(), sink.events.end(),
                                       "start " + std::to_string(seq));
        const auto ended = std::find(sink.events.begin(), sink.events.end(),
                                     "end " + std::to_string(seq));
        ASSERT_NE(started, sink.events.end());
        ASSERT_NE(ended, sink.events.end());
        EXPECT_LT(started, ended);
    }
    std::map<std::uint64_t, JobResult> by_seq;
    for (const auto& result : sink.ended) by_seq[result.seq] = result;
    EXPECT_EQ(by_seq[1].stdout_bytes, 3u);
    EXPECT_EQ(by_seq[1].stderr_bytes, 0u);
    EXPECT_EQ(by_seq[2].stdout_bytes, 0u);
    EXPECT_EQ(by_seq[2].stderr_bytes, 5u);
    EXPECT_EQ(by_seq[3].args, Words{"exit 2"});
    EXPECT_EQ(by_seq[3].host, ":");
    EXPECT_TRUE(by_seq[3].failed());
    for (const auto& [seq, result] : by_seq) {
        EXPECT_GE(result.start, before);
        EXPECT_GE(result.end, result.start);
        EXPECT_EQ(result.output_tail, "") << "kept only when asked for";
    }
    EXPECT_GE(by_seq[2].end - by_seq[2].start, 100ms);
}

TEST(Scheduler, KeepTailKeepsTheLastBytesOfBothStreams) {
    Harness h;
    RecordingSink sink;
    h.results.add_sink(sink);
    h.keep_tail = 12;
    h.run(Words{"seq 100000; echo last-err >&2", "printf 'short'"}, 2);
    ASSERT_EQ(sink.ended.size(), 2u);
    std::map<std::uint64_t, JobResult> by_seq;
    for (const auto& result : sink.ended) by_seq[result.seq] = result;
    const std::string tail = by_seq[1].output_tail;
    EXPECT_EQ(tail.size(), 12u);
    EXPECT_EQ(tail.substr(tail.size() - 9), "last-err\n") << tail;
    EXPECT_EQ(by_seq[2].output_tail, "short");
    EXPECT_EQ(by_seq[1].stdout_bytes, h.out_text().size() - 5) << "every byte still delivered";
    EXPECT_EQ(h.err_text(), "last-err\n");
}

// Leaves out the even job numbers.
class EvenSkipper : public wgrun::JobSkipper {
public:
    bool skip(std::uint64_t seq) const override { return seq % 2 == 0; }
};

TEST(Scheduler, ASkipperLeavesJobsOutOfTheRunAndOfTheSinks) {
    Harness h;
    RecordingSink sink;
    h.results.add_sink(sink);
    EvenSkipper skipper;
    h.skipper = &skipper;
    h.run(Words{"echo 1", "echo 2", "echo 3", "echo 4", "echo 5", "echo 6"}, 2);
    EXPECT_EQ(h.results.total(), 3u);
    EXPECT_EQ(h.skipped, 3u);
    std::multiset<std::string> out;
    for (const auto& line : lines_of(h.out_text())) out.insert(line);
    EXPECT_EQ(out, (std::multiset<std::string>{"1", "3", "5"}));
    EXPECT_EQ(std::count(sink.events.begin(), sink.events.end(), "total 3"), 1)
        << "the total leaves the skipped jobs out";
    for (const auto& result : sink.ended) EXPECT_EQ(result.seq % 2, 1u);
}

namespace {

// A slot source whose slots come from outside the run, as a jobserver's
// tokens: none at first; a token is granted by another thread once the
// loop has been refused one, through the eventfd the loop waits on.
class GrantedSlots : public SlotPool {
public:
    GrantedSlots() : event_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
    std::optional<std::uint64_t> acquire() override {
        std::uint64_t tokens = 0;
        if (::read(event_.get(), &tokens, sizeof tokens) == sizeof tokens) granted_ += tokens;
        if (in_use_ >= granted_) {
            refused.store(true);
            refused.notify_all();
            return std::nullopt;
        }
        return ++in_use_;
    }
    void release(std::uint64_t) override { --in_use_; }
    int ready_fd() const override { return event_.get(); }
    void grant() {
        const std::uint64_t one = 1;
        ASSERT_EQ(::write(event_.get(), &one, sizeof one), static_cast<ssize_t>(sizeof one));
    }
    std::atomic<bool> refused{false};

private:
    Fd event_;
    std::uint64_t granted_ = 0;  // the loop's thread alone
    std::uint64_t in_use_ = 0;
};

}  // namespace

TEST(Scheduler, ASlotFromOutsideTheRunWakesTheLoopThroughItsReadyFd) {
    Harness h;
    GrantedSlots slots;
    std::thread granter([&slots] {
        // This thread must never take the jobs' SIGCHLD (the loop reads it
        // from its signalfd): it blocks every signal before it grants the
        // slot that starts the first job.
        sigset_t all;
        sigfillset(&all);
        ::pthread_sigmask(SIG_BLOCK, &all, nullptr);
        slots.refused.wait(false);  // the loop waits for a slot now
        slots.grant();
    });
    h.run(std::make_unique<ListFeed>(Words{"echo one", "echo two"}), slots);
    granter.join();
    EXPECT_EQ(h.results.total(), 2u);
    EXPECT_EQ(h.results.failed_count(), 0u);
    EXPECT_EQ(h.out_text(), "one\ntwo\n");  // one slot: one after the other
}
