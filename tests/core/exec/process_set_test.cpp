// process_set_test.cpp: the ProcessSet with real processes and a small
// epoll loop of the test's own: what it reports (output, exits, closed
// pipes) and what it does when told (detach, pause, signal, forget).
#include "exec/process_set.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "exec/spawner.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::ExitStatus;
using wgrun::ProcessSet;
using wgrun::UniqueFd;

constexpr std::uint64_t kChildTag = ~std::uint64_t{0};

// Records what the set reports; reads everything (no splice).
class Recorder : public ProcessSet::Listener {
public:
    std::map<std::uint64_t, std::string> out, err;
    std::map<std::uint64_t, ExitStatus> exits;
    std::vector<std::uint64_t> closed_jobs;
    std::set<int> open_pipes;
    std::function<void(std::uint64_t)> on_done;  // exited and closed

    ssize_t splice(std::uint64_t, int, int) override { return ProcessSet::kRead; }
    void output(std::uint64_t seq, int stream, std::size_t n, std::string_view bytes) override {
        EXPECT_EQ(n, bytes.size());
        (stream == 0 ? out : err)[seq].append(bytes);
    }
    void full(std::uint64_t, int) override { ADD_FAILURE() << "never full here"; }
    void exited(std::uint64_t seq, const ExitStatus& status, const rusage&) override {
        exits[seq] = status;
        done_if_both(seq);
    }
    void closed(std::uint64_t seq) override {
        closed_jobs.push_back(seq);
        done_if_both(seq);
    }
    void pipe_opened(std::uint64_t, int fd) override { open_pipes.insert(fd); }
    void pipe_closing(int fd) override { EXPECT_EQ(open_pipes.erase(fd), 1u); }

    bool is_closed(std::uint64_t seq) const {
        for (auto s : closed_jobs) {
            if (s == seq) return true;
        }
        return false;
    }

private:
    void done_if_both(std::uint64_t seq) {
        if (exits.contains(seq) && is_closed(seq) && on_done) on_done(seq);
    }
};

// SIGCHLD blocked and read from a signalfd, a LocalSpawner, a set, and a loop.
class Loop {
public:
    Loop() {
        sigset_t child;
        sigemptyset(&child);
        sigaddset(&child, SIGCHLD);
        ::pthread_sigmask(SIG_BLOCK, &child, &before_);
        spawner_ = std::make_unique<wgrun::LocalSpawner>(before_);
        epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
        signals_.reset(::signalfd(-1, &child, SFD_CLOEXEC | SFD_NONBLOCK));
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = kChildTag;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, signals_.get(), &event);
        set = std::make_unique<ProcessSet>(*spawner_, epoll_.get(), recorder);
        recorder.on_done = [this](std::uint64_t seq) { set->forget(seq); };
    }
    ~Loop() {
        set.reset();
        ::pthread_sigmask(SIG_SETMASK, &before_, nullptr);
    }

    int start(std::uint64_t seq, const std::string& command) {
        return set->start(seq, wgrun::SpawnRequest{{"/bin/sh", "-c", command}, {}});
    }

    // Runs the loop until `done` (true) or 30 s (false).
    bool until(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            epoll_event events[16];
            const int n = ::epoll_wait(epoll_.get(), events, 16, 100);
            for (int i = 0; i < n; ++i) {
                const std::uint64_t tag = events[i].data.u64;
                if (tag == kChildTag) {
                    signalfd_siginfo info;
                    while (::read(signals_.get(), &info, sizeof info) > 0) {
                    }
                    set->reap();
                } else if (ProcessSet::owns(tag)) {
                    set->handle(tag);
                }
            }
        }
        return true;
    }

    Recorder recorder;
    std::unique_ptr<ProcessSet> set;

private:
    sigset_t before_{};
    std::unique_ptr<wgrun::LocalSpawner> spawner_;
    UniqueFd epoll_;
    UniqueFd signals_;
};

TEST(ProcessSet, ReportsOutputExitAndClosedPipes) {
    Loop loop;
    ASSERT_EQ(loop.start(1, "echo out; echo err >&2; exit 3"), 0);
    ASSERT_EQ(loop.start(2, "printf two"), 0);
    ASSERT_TRUE(loop.until([&] { return loop.set->empty(); }));
    EXPECT_EQ(loop.recorder.out[1], "out\n");
    EXPECT_EQ(loop.recorder.err[1], "err\n");
    EXPECT_EQ(loop.recorder.out[2], "two");
    EXPECT_EQ(loop.recorder.exits[1].code, 3);
    EXPECT_TRUE(loop.recorder.exits[2].ok());
    EXPECT_TRUE(loop.recorder.open_pipes.empty());  // every pipe closed, told first
}

TEST(ProcessSet, AStartThatFailsSaysWhyAndLeavesNothing) {
    Loop loop;
    EXPECT_EQ(loop.set->start(1, wgrun::SpawnRequest{{"/no/such/program-5d1e"}, {}}), ENOENT);
    EXPECT_TRUE(loop.set->empty());
    EXPECT_TRUE(loop.recorder.open_pipes.empty());
}

TEST(ProcessSet, PassesOverChildrenItDidNotStart) {
    Loop loop;
    const pid_t stranger = ::fork();
    if (stranger == 0) ::_exit(0);
    siginfo_t info{};  // a zombie now, not reaped yet
    ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(stranger), &info, WEXITED | WNOWAIT), 0);
    ASSERT_EQ(loop.start(1, "true"), 0);
    ASSERT_TRUE(loop.until([&] { return loop.set->empty(); }));
    EXPECT_EQ(loop.recorder.exits.size(), 1u);  // the stranger was reaped, not reported
    EXPECT_EQ(::waitpid(stranger, nullptr, WNOHANG), -1);
}

TEST(ProcessSet, DetachReadsWhatIsThereThenReportsThePipesClosed) {
    Loop loop;
    // The job exits at once; its background child keeps the pipes open.
    ASSERT_EQ(loop.start(1, "echo before; sleep 2 & exit 0"), 0);
    ASSERT_TRUE(loop.until([&] { return loop.recorder.exits.contains(1); }));
    EXPECT_FALSE(loop.recorder.is_closed(1));
    loop.set->detach(1);
    EXPECT_EQ(loop.recorder.out[1], "before\n");
    EXPECT_TRUE(loop.recorder.is_closed(1));
    EXPECT_TRUE(loop.set->empty());               // forgotten once exited and closed
    EXPECT_TRUE(loop.recorder.open_pipes.empty());  // detached pipes are no job's
}

TEST(ProcessSet, APausedStreamIsNotReadUntilResumed) {
    Loop loop;
    loop.set->pause(0);
    ASSERT_EQ(loop.start(1, "echo out; echo err >&2"), 0);
    ASSERT_TRUE(loop.until([&] { return loop.recorder.err.contains(1) && loop.recorder.exits.contains(1); }));
    EXPECT_FALSE(loop.recorder.out.contains(1));
    EXPECT_TRUE(loop.set->has_unread(1));
    loop.set->resume(0);
    ASSERT_TRUE(loop.until([&] { return loop.set->empty(); }));
    EXPECT_EQ(loop.recorder.out[1], "out\n");
}

TEST(ProcessSet, SignalEndsTheWholeTree) {
    Loop loop;
    ASSERT_EQ(loop.start(1, "sleep 30 & sleep 30; wait"), 0);
    loop.set->signal(1, SIGKILL);
    ASSERT_TRUE(loop.until([&] { return loop.set->empty(); }));
    EXPECT_EQ(loop.recorder.exits[1].kind, ExitStatus::Kind::Signaled);
    EXPECT_EQ(loop.recorder.exits[1].code, SIGKILL);
}

}  // namespace
