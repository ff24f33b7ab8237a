// remote_command_test.cpp: the command line an ssh job sends, run here by
// /bin/sh as the remote login shell would run it (no ssh needed): the job
// gets exactly its words and environment, nothing in them is expanded, the
// folder and niceness apply, exit statuses and signals come back, and the
// job's whole tree ends when the wrapper's stdin (the connection) ends.
#include "remote/remote_command.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "exec/spawner.hpp"
#include "support/spawn_support.hpp"
#include "support/test_support.hpp"

using namespace std::chrono_literals;

namespace {

using wgrun::RemoteSetup;
using wgrun::SpawnRequest;
using wgrun::test::Ended;

sigset_t empty_mask() {
    sigset_t mask;
    sigemptyset(&mask);
    return mask;
}

// A request for `argv` alone.
SpawnRequest request_for(std::vector<std::string> argv) {
    SpawnRequest request;
    request.argv = std::move(argv);
    return request;
}

// Runs `request` through its remote command line under sh -c, its stdin
// held open as ssh's would be while connected.
Ended run_remote(const SpawnRequest& request, const RemoteSetup& setup = {}) {
    wgrun::LocalSpawner spawner(empty_mask());
    SpawnRequest shell = request_for({"/bin/sh", "-c", wgrun::remote_command(request, setup)});
    shell.hold_stdin = true;
    const wgrun::SpawnedJob job = spawner.spawn(shell);
    const Ended ended = wgrun::test::finish(job);
    ::close(job.stdin_fd);
    return ended;
}

int exit_code(const Ended& ended) { return WIFEXITED(ended.status) ? WEXITSTATUS(ended.status) : -1; }

TEST(RemoteCommand, TheJobGetsExactlyItsWordsWithNothingExpanded) {
    const std::string marker = ::testing::TempDir() + "/wgrun-remote-pwned";
    std::filesystem::remove(marker);
    const std::vector<std::string> words = {
        "$(touch " + marker + ")", "`touch " + marker + "`", "a'b\"c", "x; touch " + marker,
        "line1\nline2", "-n", "*", "~", "", "\\", "$HOME", "{}", "%s"};
    SpawnRequest request = request_for({"/usr/bin/printf", "[%s]\\n"});
    request.argv.insert(request.argv.end(), words.begin(), words.end());
    const Ended ended = run_remote(request);
    std::string expected;
    for (const std::string& word : words) expected += "[" + word + "]\n";
    EXPECT_EQ(ended.out, expected);
    EXPECT_EQ(ended.err, "");
    EXPECT_EQ(exit_code(ended), 0);
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(RemoteCommand, TheShellFormRunsWhenThereIsOne) {
    SpawnRequest request = request_for({"echo", "direct"});
    request.shell_argv = {"/bin/sh", "-c", "echo shell; exit 3"};
    const Ended ended = run_remote(request);
    EXPECT_EQ(ended.out, "shell\n");
    EXPECT_EQ(exit_code(ended), 3);
}

TEST(RemoteCommand, TheEnvironmentTheSetupsThenTheRequests) {
    SpawnRequest request = request_for({"/bin/sh", "-c", "echo \"$WGRUN_SEQ|$MY_VAR|$ODD|$SAME\""});
    request.env = {"WGRUN_SEQ=7", "SAME=request"};
    RemoteSetup setup;
    setup.env = {"MY_VAR=a b'c $(x)", "ODD=x=y", "SAME=setup"};
    const Ended ended = run_remote(request, setup);
    EXPECT_EQ(ended.out, "7|a b'c $(x)|x=y|request\n");
}

TEST(RemoteCommand, StdinIsDevNullForTheJob) {
    const Ended ended = run_remote(request_for({"/bin/sh", "-c", "readlink /proc/self/fd/0"}));
    EXPECT_EQ(ended.out, "/dev/null\n");
}

TEST(RemoteCommand, AFolderIsMadeAndATemporaryOneRemoved) {
    const std::string base = (std::filesystem::path(::testing::TempDir()) / "wgrun-remote-wd").string();
    std::filesystem::remove_all(base);
    RemoteSetup setup;
    setup.workdir = base + "/made/here";
    Ended ended = run_remote(request_for({"/bin/sh", "-c", "pwd"}), setup);
    EXPECT_EQ(ended.out, base + "/made/here\n");
    setup.workdir = "...";
    SpawnRequest request = request_for({"/bin/sh", "-c", "pwd; touch left"});
    request.env = {"TMPDIR=" + base};
    // TMPDIR reaches the wrapper only through the job's own environment in
    // this test: the wrapper reads it after setting the job's variables.
    ended = run_remote(request, setup);
    ASSERT_EQ(ended.out.rfind(base + "/wgrun-wd.", 0), 0u) << ended.out;
    const std::string folder = ended.out.substr(0, ended.out.size() - 1);
    EXPECT_FALSE(std::filesystem::exists(folder));
    std::filesystem::remove_all(base);
}

TEST(RemoteCommand, ANamedTemporaryFolderIsUnderTheLoginsTmpdirAndLeftForTheCleanup) {
    const std::string base = (std::filesystem::path(::testing::TempDir()) / "wgrun-remote-n").string();
    std::filesystem::remove_all(base);
    RemoteSetup setup;
    setup.workdir = "...";
    SpawnRequest request = request_for({"/bin/sh", "-c", "pwd; touch left"});
    request.env = {"TMPDIR=/not/this/one"};  // the job's, not the login's
    wgrun::LocalSpawner spawner(empty_mask());
    SpawnRequest shell =
        request_for({"/bin/sh", "-c", wgrun::remote_command(request, setup, "wgrun-wd.x.1")});
    shell.env = {"TMPDIR=" + base};
    shell.hold_stdin = true;
    const wgrun::SpawnedJob job = spawner.spawn(shell);
    const Ended ended = wgrun::test::finish(job);
    ::close(job.stdin_fd);
    EXPECT_EQ(ended.out, base + "/wgrun-wd.x.1\n");
    EXPECT_TRUE(std::filesystem::exists(base + "/wgrun-wd.x.1/left"));
    std::filesystem::remove_all(base);
}

TEST(RemoteCommand, NiceApplies) {
    SpawnRequest request = request_for({"/bin/sh", "-c", "cut -d' ' -f19 /proc/self/stat"});
    request.nice = 7;
    EXPECT_EQ(run_remote(request).out, "7\n");
}

TEST(RemoteCommand, ASignalComesBackAs128PlusItsNumberAndAMissingProgramAs127) {
    EXPECT_EQ(exit_code(run_remote(request_for({"/bin/sh", "-c", "kill -USR1 $$"}))),
              128 + SIGUSR1);
    const Ended missing = run_remote(request_for({"/no/such/program"}));
    EXPECT_EQ(exit_code(missing), 127);
    EXPECT_NE(missing.err.find("cannot run /no/such/program"), std::string::npos) << missing.err;
}

// The connection going (stdin's end) ends the job, a setsid'ed grandchild
// with it.
TEST(RemoteCommand, TheEndOfStdinEndsTheJobsWholeTree) {
    const std::string pids = ::testing::TempDir() + "/wgrun-remote-pids";
    std::filesystem::remove(pids);
    wgrun::LocalSpawner spawner(empty_mask());
    SpawnRequest request = request_for({"/bin/sh", "-c",
                          "setsid sleep 1000 & echo $! >" + pids + "; sleep 1001 & echo $! >>" +
                              pids + "; wait"});
    SpawnRequest shell = request_for({"/bin/sh", "-c", wgrun::remote_command(request, {})});
    shell.hold_stdin = true;
    const wgrun::SpawnedJob job = spawner.spawn(shell);
    ASSERT_TRUE(wgrun::test::eventually(
        [&] {
            const auto text = wgrun::test::try_read_file(pids);
            return text && std::count(text->begin(), text->end(), '\n') == 2;
        },
        10s));
    std::vector<pid_t> sleepers;
    std::ifstream in(pids);
    for (pid_t pid; in >> pid;) sleepers.push_back(pid);
    for (const pid_t pid : sleepers) EXPECT_EQ(::kill(pid, 0), 0);
    ::close(job.stdin_fd);  // the connection went
    wgrun::test::finish(job);
    for (const pid_t pid : sleepers) {
        EXPECT_TRUE(wgrun::test::eventually(
            [pid] {
                // Gone, or a zombie nobody will reap (re-parented to init).
                const auto stat = wgrun::test::try_read_file("/proc/" + std::to_string(pid) + "/stat");
                return !stat || stat->find(") Z ") != std::string::npos;
            },
            5s))
            << pid;
    }
    std::filesystem::remove(pids);
}

}  // namespace
