// process_tree_test.cpp: the process tree functions on real processes:
// shells that fork, a grandchild that escapes its group with setsid, and
// orphans re-parented to a subreaper. The subreaper tests run in a forked
// helper process (the flag would stay on the test process, and
// signal_all_descendants would reach all it has started); the helper reports
// through a pipe and reaps everything before it exits. Every test reaps what
// it started, and waits for processes with a deadline, never a fixed sleep.
#include "exec/process_tree.hpp"

#include "support/test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

extern char** environ;

namespace {

using wgrun::children_of;
using wgrun::descendants_of;
using wgrun::holds_pipe;
using wgrun::JobPipes;
using wgrun::pipe_inode;
using wgrun::signal_all_descendants;
using wgrun::signal_job_tree;
using wgrun::test::Fd;
using wgrun::test::TempDir;

constexpr auto kDeadline = 10s;

// Polls `done` until it holds or kDeadline passes.
template <class Predicate>
bool eventually(Predicate done) {
    return wgrun::test::eventually(done, kDeadline);
}

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
    return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

std::string list(const std::vector<pid_t>& pids) {
    std::string text;
    for (const pid_t pid : pids) text += (text.empty() ? "" : " ") + std::to_string(pid);
    return "[" + text + "]";
}

// The fields of /proc/PID/stat after the command name: state first.
std::vector<std::string> stat_fields(pid_t pid) {
    const std::string text = wgrun::test::read_file("/proc/" + std::to_string(pid) + "/stat");
    const std::size_t paren = text.rfind(')');
    if (paren == std::string::npos) return {};
    std::istringstream in(text.substr(paren + 1));
    std::vector<std::string> fields;
    for (std::string field; in >> field;) fields.push_back(field);
    return fields;
}

// The parent of `pid`, or -1 when it is gone.
pid_t parent_of(pid_t pid) {
    const auto fields = stat_fields(pid);
    return fields.size() > 1 ? static_cast<pid_t>(std::stol(fields[1])) : -1;
}

// Whether `pid` has ended: no longer there, or a zombie that its parent
// (init or a subreaper above us, for a process that is not our child) will
// reap.
bool ended(pid_t pid) {
    const auto fields = stat_fields(pid);
    return fields.empty() || fields[0] == "Z" || fields[0] == "X";
}

std::string comm_of(pid_t pid) {
    return wgrun::test::read_file("/proc/" + std::to_string(pid) + "/comm");
}

// A pipe whose two ends are closed with it.
struct Pipe {
    Fd read;
    Fd write;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) std::abort();
        read.reset(fds[0]);
        write.reset(fds[1]);
    }
    JobPipes pipes() const { return JobPipes{pipe_inode(read.get()), 0}; }
};

// Starts `/bin/sh -c script` as the leader of its own process group, with
// stdin on /dev/null, stdout on `out` and stderr on `err` (-1: /dev/null),
// no other fd, and no blocked signal. Returns its pid, or -1.
pid_t start(const std::string& script, int out = -1, int err = -1) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (out >= 0) {
        posix_spawn_file_actions_adddup2(&actions, out, 1);
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    }
    if (err >= 0) {
        posix_spawn_file_actions_adddup2(&actions, err, 2);
    } else {
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    }
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    const char* argv[] = {"sh", "-c", script.c_str(), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes,
                                 const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return rc == 0 ? pid : -1;
}

// Reaps our child `pid`: its wait status, or -1. After kDeadline the child
// is killed first (and -1 returned), so that nothing is left behind.
int reap(pid_t pid) {
    if (pid <= 0) return -1;
    int status = 0;
    pid_t got = 0;
    const bool done = eventually([&] {
        got = ::waitpid(pid, &status, WNOHANG);
        return got != 0 && !(got < 0 && errno == EINTR);
    });
    if (done) return got == pid ? status : -1;
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return -1;
}

std::string describe(int status) {
    if (status == -1) return "not reaped in time";
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("signal ") + ::strsignal(WTERMSIG(status));
    return "status " + std::to_string(status);
}

bool killed_by(int status, int signal) {
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == signal;
}

// Ends whatever a test started should it fail half-way: the trees of the
// jobs it registered (then reaped), and stray processes (not our children).
class Cleanup {
public:
    Cleanup() = default;
    Cleanup(const Cleanup&) = delete;
    Cleanup& operator=(const Cleanup&) = delete;
    ~Cleanup() {
        for (const pid_t job : jobs_) {
            for (const pid_t pid : descendants_of(job)) ::kill(pid, SIGKILL);
            ::kill(-job, SIGKILL);
            ::kill(job, SIGKILL);
            int status;
            while (::waitpid(job, &status, 0) < 0 && errno == EINTR) {
            }
        }
        for (const pid_t pid : strays_) {
            if (!ended(pid)) ::kill(pid, SIGKILL);
        }
    }
    // A child of ours; returns it.
    pid_t job(pid_t pid) {
        if (pid > 0) jobs_.push_back(pid);
        return pid;
    }
    // The job has been reaped by the test.
    void reaped(pid_t pid) { jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), pid), jobs_.end()); }
    void stray(pid_t pid) { strays_.push_back(pid); }

private:
    std::vector<pid_t> jobs_;
    std::vector<pid_t> strays_;
};

// Runs `body` in a forked helper process and returns what it returned (""
// for success, else what went wrong). Before it exits, the helper ends and
// reaps all its descendants, which it can when it made itself a subreaper.
std::string in_helper(const std::function<std::string()>& body) {
    return wgrun::test::in_helper(body, 3 * kDeadline, [] {
        signal_all_descendants(SIGKILL);
        eventually([] {
            int status;
            pid_t got;
            while ((got = ::waitpid(-1, &status, WNOHANG)) > 0) {
            }
            return got < 0 && errno == ECHILD;
        });
    });
}

TEST(ProcessTree, BecomeSubreaperSetsTheFlagInTheHelper) {
    EXPECT_EQ(in_helper([]() -> std::string {
                  if (!wgrun::become_subreaper()) return std::string("refused: ") + std::strerror(errno);
                  int flag = 0;
                  if (::prctl(PR_GET_CHILD_SUBREAPER, &flag) != 0 || flag != 1) return "flag not set";
                  return "";
              }),
              "");
}

TEST(ProcessTree, AGoneProcessHasNoChildren) {
    Cleanup cleanup;
    const pid_t pid = cleanup.job(start("exit 0"));
    ASSERT_GT(pid, 0);
    EXPECT_EQ(describe(reap(pid)), "exit 0");
    cleanup.reaped(pid);
    EXPECT_TRUE(children_of(pid).empty());
    EXPECT_TRUE(descendants_of(pid).empty());
    EXPECT_TRUE(children_of(0).empty());
    EXPECT_TRUE(children_of(-1).empty());
}

TEST(ProcessTree, FindsChildrenAndDescendantsParentsFirst) {
    Cleanup cleanup;
    // The leader, a sleep and a subshell; the subshell's sleep.
    const pid_t leader = cleanup.job(start("sleep 100 & (sleep 100 & wait) & wait"));
    ASSERT_GT(leader, 0);
    std::vector<pid_t> tree;
    ASSERT_TRUE(eventually([&] {
        tree = descendants_of(leader);
        return tree.size() == 3;
    })) << list(tree);
    for (const pid_t pid : tree) cleanup.stray(pid);

    const std::vector<pid_t> children = children_of(leader);
    EXPECT_EQ(children.size(), 2u) << list(children);
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const pid_t parent = parent_of(tree[i]);
        const bool known = parent == leader ||
                           std::find(tree.begin(), tree.begin() + static_cast<long>(i), parent) !=
                               tree.begin() + static_cast<long>(i);
        EXPECT_TRUE(known) << tree[i] << "'s parent " << parent << " comes after it in " << list(tree);
    }
    EXPECT_FALSE(contains(tree, leader)) << "not the process itself";
    const std::vector<pid_t> ours = children_of(::getpid());
    EXPECT_TRUE(contains(ours, leader)) << list(ours);
    for (const pid_t pid : tree) EXPECT_FALSE(contains(ours, pid)) << pid << " is a grandchild";

    // One group holds them all: one signal, one count.
    EXPECT_EQ(signal_job_tree(leader, leader, {leader}, {}, SIGKILL), 1);
    EXPECT_TRUE(killed_by(reap(leader), SIGKILL));
    cleanup.reaped(leader);
    for (const pid_t pid : tree) EXPECT_TRUE(eventually([pid] { return ended(pid); })) << pid;
}

TEST(ProcessTree, FindsTheChildrenOfEveryThread) {
    Cleanup cleanup;
    std::atomic<pid_t> child{0};
    std::atomic<bool> release{false};
    // Another thread forks: the child is in that thread's children file.
    std::thread thread([&] {
        child.store(start("exec sleep 100"));
        while (!release.load()) std::this_thread::sleep_for(1ms);
    });
    const bool started = eventually([&] { return child.load() != 0; });
    const pid_t pid = child.load();
    if (pid > 0) cleanup.job(pid);
    const std::string main_list =
        wgrun::test::read_file("/proc/self/task/" + std::to_string(::getpid()) + "/children");
    const std::vector<pid_t> seen_while_running = children_of(::getpid());
    release.store(true);
    thread.join();
    ASSERT_TRUE(started);
    ASSERT_GT(pid, 0);
    EXPECT_EQ((" " + main_list + " ").find(" " + std::to_string(pid) + " "), std::string::npos)
        << "the main thread's own file lists it: the test proves nothing";
    EXPECT_TRUE(contains(seen_while_running, pid)) << list(seen_while_running);
    // The thread is gone: its children went to another thread of ours.
    EXPECT_TRUE(eventually([pid] { return contains(children_of(::getpid()), pid); }));
    ::kill(pid, SIGKILL);
    EXPECT_TRUE(killed_by(reap(pid), SIGKILL));
    cleanup.reaped(pid);
}

TEST(ProcessTree, PipeInodeIsTheSameForBothEndsAndZeroForTheRest) {
    Pipe a;
    Pipe b;
    const ino_t inode = pipe_inode(a.read.get());
    EXPECT_NE(inode, 0u);
    EXPECT_EQ(pipe_inode(a.write.get()), inode);
    EXPECT_NE(pipe_inode(b.read.get()), inode);
    TempDir dir;
    Fd file(::open(dir.file("f").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_GE(file.get(), 0);
    EXPECT_EQ(pipe_inode(file.get()), 0u) << "a regular file";
    EXPECT_EQ(pipe_inode(-1), 0u);
    const int closed = ::dup(a.read.get());
    ::close(closed);
    EXPECT_EQ(pipe_inode(closed), 0u) << "a closed fd";
}

TEST(ProcessTree, HoldsPipeLooksAtEveryFdOfTheProcess) {
    Cleanup cleanup;
    Pipe out;
    Pipe err;
    Pipe other;
    // The job holds `err` on its stderr only; `out` goes nowhere near it.
    const pid_t pid = cleanup.job(start("exec sleep 100", -1, err.write.get()));
    ASSERT_GT(pid, 0);
    const ino_t e = pipe_inode(err.read.get());
    EXPECT_TRUE(holds_pipe(pid, JobPipes{0, e}));
    EXPECT_TRUE(holds_pipe(pid, JobPipes{pipe_inode(out.read.get()), e}));
    EXPECT_FALSE(holds_pipe(pid, JobPipes{pipe_inode(out.read.get()), 0}));
    EXPECT_FALSE(holds_pipe(pid, JobPipes{pipe_inode(other.read.get()), pipe_inode(out.read.get())}));
    EXPECT_FALSE(holds_pipe(pid, JobPipes{}));
    EXPECT_TRUE(holds_pipe(::getpid(), JobPipes{pipe_inode(other.read.get()), 0})) << "we hold it";
    ::kill(pid, SIGKILL);
    EXPECT_TRUE(killed_by(reap(pid), SIGKILL));
    cleanup.reaped(pid);
    EXPECT_FALSE(holds_pipe(pid, JobPipes{0, e})) << "gone";
}

TEST(ProcessTree, SignalJobTreeReachesAGrandchildThatCalledSetsid) {
    Cleanup cleanup;
    Pipe out;
    const pid_t leader = cleanup.job(start("setsid sleep 100 & wait", out.write.get()));
    ASSERT_GT(leader, 0);
    out.write.reset();
    pid_t escaped = 0;
    ASSERT_TRUE(eventually([&] {
        const auto tree = descendants_of(leader);
        if (tree.size() != 1) return false;
        escaped = tree[0];
        return ::getsid(escaped) == escaped && comm_of(escaped) == "sleep\n";
    })) << "the grandchild did not call setsid and exec sleep";
    cleanup.stray(escaped);
    EXPECT_NE(::getpgid(escaped), leader) << "it left the job's group";

    // The group (the leader) and the escaped sleep: two.
    EXPECT_EQ(signal_job_tree(leader, leader, {leader}, out.pipes(), SIGTERM), 2);
    EXPECT_TRUE(killed_by(reap(leader), SIGTERM));
    cleanup.reaped(leader);
    EXPECT_TRUE(eventually([escaped] { return ended(escaped); })) << "the setsid sleep survived";

    // Nothing holds the pipe any more: it reads its end.
    ASSERT_EQ(::fcntl(out.read.get(), F_SETFL, O_NONBLOCK), 0);
    EXPECT_TRUE(eventually([&] {
        char byte;
        return ::read(out.read.get(), &byte, 1) == 0;
    }));
    EXPECT_EQ(signal_job_tree(leader, 0, {}, out.pipes(), 0), 0) << "the whole tree is gone";
}

TEST(ProcessTree, SignalJobTreeLeavesOtherJobsAlone) {
    Cleanup cleanup;
    Pipe a_out;
    Pipe b_out;
    const pid_t a = cleanup.job(start("sleep 100 & wait", a_out.write.get()));
    const pid_t b = cleanup.job(start("sleep 100 & wait", b_out.write.get()));
    ASSERT_GT(a, 0);
    ASSERT_GT(b, 0);
    std::vector<pid_t> b_tree;
    ASSERT_TRUE(eventually([&] {
        b_tree = descendants_of(b);
        return descendants_of(a).size() == 1 && b_tree.size() == 1;
    }));
    // b holds a pipe too, but b is a job leader: no orphan of a's.
    EXPECT_EQ(signal_job_tree(a, a, {a, b}, a_out.pipes(), SIGKILL), 1);
    EXPECT_TRUE(killed_by(reap(a), SIGKILL));
    cleanup.reaped(a);
    int status = 0;
    EXPECT_EQ(::waitpid(b, &status, WNOHANG), 0) << "b still runs";
    EXPECT_FALSE(ended(b_tree[0])) << "b's sleep still runs";
    EXPECT_EQ(signal_job_tree(b, b, {b}, b_out.pipes(), SIGKILL), 1);
    EXPECT_TRUE(killed_by(reap(b), SIGKILL));
    cleanup.reaped(b);
    EXPECT_TRUE(eventually([&] { return ended(b_tree[0]); }));
}

TEST(ProcessTree, SignalJobTreeNeverSignalsEveryoneOrItself) {
    // Signal 0 only checks: harmless had a guard failed.
    EXPECT_EQ(signal_job_tree(0, 0, {}, {}, 0), 0) << "kill(0) is our own group";
    EXPECT_EQ(signal_job_tree(1, 1, {}, {}, 0), 0) << "kill(-1) is everyone, 1 is init";
    EXPECT_EQ(signal_job_tree(-1, -1, {}, {}, 0), 0);
    EXPECT_EQ(signal_job_tree(::getpgrp(), ::getpid(), {}, {}, 0), 0) << "ourselves";

    Cleanup cleanup;
    const pid_t job = cleanup.job(start("exec sleep 100"));
    ASSERT_GT(job, 0);
    EXPECT_EQ(signal_job_tree(job, 0, {}, {}, 0), 1) << "a group outside the leaders";
    EXPECT_EQ(signal_job_tree(job, 0, {job}, {}, 0), 0)
        << "with the leader reaped, a group numbered as a live job is that job's";
    EXPECT_EQ(signal_job_tree(job, job, {job}, {}, 0), 1);
    ::kill(job, SIGKILL);
    EXPECT_TRUE(killed_by(reap(job), SIGKILL));
    cleanup.reaped(job);
}

// As the subreaper, wgrun inherits a job's orphans: found by the pipe they
// hold, killed with the job's tree; another job's orphan and a child that
// holds no job pipe stay.
TEST(ProcessTree, AnOrphanHoldingTheJobsPipeIsFoundAndKilled) {
    const std::string report = in_helper([]() -> std::string {
        if (!wgrun::become_subreaper()) return std::string("subreaper: ") + std::strerror(errno);
        Pipe a;
        Pipe b;
        const pid_t job_a = start("setsid sleep 100 & exit 0", a.write.get());
        const pid_t job_b = start("setsid sleep 100 & exit 0", b.write.get());
        const pid_t bystander = start("exec sleep 100");
        a.write.reset();
        b.write.reset();
        if (job_a <= 0 || job_b <= 0 || bystander <= 0) return "cannot start the jobs";
        if (const int s = reap(job_a); s == -1 || !WIFEXITED(s)) return "job a: " + describe(s);
        if (const int s = reap(job_b); s == -1 || !WIFEXITED(s)) return "job b: " + describe(s);

        pid_t orphan_a = 0;
        pid_t orphan_b = 0;
        const bool found = eventually([&] {
            for (const pid_t child : children_of(::getpid())) {
                if (holds_pipe(child, a.pipes())) orphan_a = child;
                if (holds_pipe(child, b.pipes())) orphan_b = child;
            }
            return orphan_a > 0 && orphan_b > 0 && ::getsid(orphan_a) == orphan_a &&
                   ::getsid(orphan_b) == orphan_b;
        });
        if (!found) return "orphans not found among " + list(children_of(::getpid()));
        if (holds_pipe(bystander, a.pipes()) || holds_pipe(bystander, b.pipes())) {
            return "the bystander holds a pipe";
        }

        // Job a's leader is reaped and its group empty: only the orphan.
        if (const int n = signal_job_tree(job_a, 0, {}, a.pipes(), SIGKILL); n != 1) {
            return "signalled " + std::to_string(n) + " for job a, not 1";
        }
        if (const int s = reap(orphan_a); !killed_by(s, SIGKILL)) return "orphan a: " + describe(s);
        int status = 0;
        if (::waitpid(orphan_b, &status, WNOHANG) != 0 || ended(orphan_b)) return "orphan b ended";
        if (::waitpid(bystander, &status, WNOHANG) != 0 || ended(bystander)) {
            return "the bystander ended";
        }
        if (const int n = signal_job_tree(0, 0, {orphan_b}, b.pipes(), 0); n != 0) {
            return "a child among the leaders was taken for an orphan";
        }

        // The rest, as wgrun ends when it is interrupted: two groups.
        if (const int n = signal_all_descendants(SIGKILL); n != 2) {
            return "signal_all_descendants: " + std::to_string(n) + ", not 2";
        }
        if (const int s = reap(orphan_b); !killed_by(s, SIGKILL)) return "orphan b: " + describe(s);
        if (const int s = reap(bystander); !killed_by(s, SIGKILL)) return "bystander: " + describe(s);
        if (::waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD) return "a child is left";
        return "";
    });
    EXPECT_EQ(report, "");
}

// signal_all_descendants reaches a whole tree: groups once each, a setsid
// subtree through its members, an inherited orphan.
TEST(ProcessTree, SignalAllDescendantsEndsEveryDescendant) {
    const std::string report = in_helper([]() -> std::string {
        if (!wgrun::become_subreaper()) return std::string("subreaper: ") + std::strerror(errno);
        // job: itself, a sleep in its group, a setsid shell with its sleep.
        const pid_t job = start("setsid sh -c 'sleep 100 & wait' & sleep 100 & wait");
        const pid_t leaver = start("setsid sleep 100 & exit 0");
        if (job <= 0 || leaver <= 0) return "cannot start the jobs";
        if (const int s = reap(leaver); s == -1 || !WIFEXITED(s)) return "leaver: " + describe(s);
        std::vector<pid_t> tree;
        const bool ready = eventually([&] {
            tree = descendants_of(::getpid());
            if (tree.size() != 5) return false;
            int sessions = 0;  // the setsid shell and the orphan
            for (const pid_t pid : tree) sessions += ::getsid(pid) == pid && pid != job ? 1 : 0;
            const auto job_tree = descendants_of(job);
            const bool shell_forked = std::any_of(job_tree.begin(), job_tree.end(), [](pid_t pid) {
                return ::getsid(pid) == pid && children_of(pid).size() == 1;
            });
            return sessions == 2 && shell_forked;
        });
        if (!ready) return "the tree did not form: " + list(tree);

        // Groups: the job's (job and its sleep), the orphan's. Alone: the
        // setsid shell and its sleep (its group is no child's).
        if (const int n = signal_all_descendants(SIGTERM); n != 4) {
            return "signalled " + std::to_string(n) + ", not 4, in " + list(tree);
        }
        // All five come to us to be reaped, the setsid subtree once the job
        // has died.
        int reaped = 0;
        std::string statuses;
        const bool all = eventually([&] {
            int status = 0;
            pid_t got;
            while ((got = ::waitpid(-1, &status, WNOHANG)) > 0) {
                ++reaped;
                if (!killed_by(status, SIGTERM)) statuses += " " + describe(status);
            }
            return got < 0 && errno == ECHILD;
        });
        if (!all) return "not all ended";
        if (reaped != 5) return "reaped " + std::to_string(reaped) + ", not 5";
        if (!statuses.empty()) return "not killed by SIGTERM:" + statuses;
        return "";
    });
    EXPECT_EQ(report, "");
}

}  // namespace
