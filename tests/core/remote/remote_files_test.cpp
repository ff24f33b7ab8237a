// remote_files_test.cpp: the rsync and ssh steps of a job's files, run for
// real against a fake host (support/fake_host.hpp), so that rsync, the
// remote shell's quoting and the paths are the real ones. Both sides' folders have a blank and a quote
// in their names; so do the files.
#include "remote/remote_files.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "exec/spawner.hpp"
#include "remote/transfer_script.hpp"
#include "support/fake_host.hpp"
#include "support/spawn_support.hpp"
#include "support/test_support.hpp"

namespace {

using wgrun::FileStep;
using wgrun::HostLink;
using wgrun::RemoteFolder;
namespace fs = std::filesystem;

void write(const std::string& path, const std::string& text) {
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
    std::ofstream(path) << text;
}

std::string read(const std::string& path) { return wgrun::test::try_read_file(path).value_or("<none>"); }

class RemoteFiles : public ::testing::Test {
protected:
    void SetUp() override {
        if (!wgrun::test::has_rsync()) GTEST_SKIP() << "needs rsync (make deps installs it)";
        here_ = temp_.file("here 'local'");
        home_ = temp_.file("remote 'home'");
        fs::create_directories(here_);
        link_.rsync = {"rsync", "-rlDzR"};
        link_.ssh = wgrun::test::fake_ssh(temp_.file("fake-ssh"), home_);
        link_.host = "fakehost";
        link_.name = "fakehost";
        old_ = fs::current_path();
        fs::current_path(here_);
    }
    void TearDown() override {
        if (!old_.empty()) fs::current_path(old_);
    }

    // Runs the steps (no job step needed) through the script; its result.
    wgrun::test::Ended run(const std::vector<FileStep>& steps,
                           std::vector<std::string> check = {"true"}) {
        sigset_t mask;
        sigemptyset(&mask);
        wgrun::LocalSpawner spawner(mask);
        wgrun::SpawnRequest request;
        request.argv = wgrun::transfer_script(check, steps);
        request.hold_stdin = true;
        const wgrun::SpawnedJob job = spawner.spawn(request);
        wgrun::test::Ended ended = wgrun::test::finish(job);
        ::close(job.stdin_fd);
        return ended;
    }

    FileStep job(const std::string& command) {
        FileStep step{FileStep::Kind::Job, "", link_.ssh};
        step.argv.push_back(link_.host);
        step.argv.push_back(command);
        return step;
    }

    static int code(const wgrun::test::Ended& ended) {
        return WIFEXITED(ended.status) ? WEXITSTATUS(ended.status) : -1;
    }

    wgrun::test::TempDir temp_;
    std::string here_;
    std::string home_;
    HostLink link_;
    fs::path old_;
};

TEST(RsyncRsh, EachWordQuotedAsRsyncSplitsIt) {
    EXPECT_EQ(wgrun::rsync_rsh({"ssh", "-S", "/tmp/a b/0", "it's"}),
              "'ssh' '-S' '/tmp/a b/0' 'it''s'");
}

TEST(RemoteFolderWord, TheHomeAFolderOrANameUnderTmpdir) {
    EXPECT_EQ((RemoteFolder{}).shell_word(), ".");
    EXPECT_EQ((RemoteFolder{RemoteFolder::Kind::Folder, "a b"}).shell_word(), "'a b'");
    EXPECT_EQ((RemoteFolder{RemoteFolder::Kind::Temp, "n"}).shell_word(), "\"${TMPDIR:-/tmp}\"/n");
}

TEST_F(RemoteFiles, RelativeFilesLandUnderTheHomeWithTheirPath) {
    const std::vector<std::string> odd = {"sub/a.txt", "b c'$(touch pwned)`x`.txt", "-dash",
                                          "./dot/x"};
    for (const std::string& name : odd) write(name, "content of " + name);
    const auto ended = run(wgrun::send_steps(link_, {}, odd));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_EQ(read(home_ + "/sub/a.txt"), "content of sub/a.txt");
    EXPECT_EQ(read(home_ + "/b c'$(touch pwned)`x`.txt"), "content of b c'$(touch pwned)`x`.txt");
    EXPECT_EQ(read(home_ + "/-dash"), "content of -dash");
    EXPECT_EQ(read(home_ + "/dot/x"), "content of ./dot/x");
    EXPECT_FALSE(fs::exists(home_ + "/pwned"));
    EXPECT_FALSE(fs::exists(here_ + "/pwned"));
}

TEST_F(RemoteFiles, IntoAFolderMadeIfMissingOrANamedTempFolder) {
    write("in/f", "f");
    auto ended = run(wgrun::send_steps(link_, {RemoteFolder::Kind::Folder, "made/it's here"}, {"in/f"}));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_EQ(read(home_ + "/made/it's here/in/f"), "f");
    ended = run(wgrun::send_steps(link_, {RemoteFolder::Kind::Temp, "wd.1"}, {"in/f"}));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_EQ(read(home_ + "/tmp/wd.1/in/f"), "f");
}

TEST_F(RemoteFiles, SlashDotSlashCutsThePathThere) {
    write("top/mid/leaf", "leaf");
    const auto ended = run(wgrun::send_steps(link_, {}, {here_ + "/top/./mid/leaf"}));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_EQ(read(home_ + "/mid/leaf"), "leaf");
}

TEST(CleanupCommand, RemovesWhereTheFilesLandedAndTheFoldersAbove) {
    EXPECT_EQ(wgrun::cleanup_command({}, {"a/./b/./c", "/abs/x"}, false),
              "rm -f -- b/c /abs/x; rmdir -- /abs b 2>/dev/null")
        << "the first /./ cuts, as rsync reads it; never / nor the home";
    EXPECT_EQ(wgrun::cleanup_command({RemoteFolder::Kind::Temp, "t"}, {"rel", "/abs/x"}, true),
              "rm -f -- /abs/x; rmdir -- /abs 2>/dev/null; rm -rf -- \"${TMPDIR:-/tmp}\"/t");
    EXPECT_EQ(wgrun::cleanup_command({}, {}, true), "");
}

TEST_F(RemoteFiles, AbsolutePathsKeepTheirPath) {
    const auto steps = wgrun::send_steps(link_, {RemoteFolder::Kind::Folder, "wd"}, {"/data/f"});
    ASSERT_EQ(steps.size(), 1u);  // not readable here: said, not sent
    EXPECT_EQ(steps[0].kind, FileStep::Kind::Say);
    write("abs", "x");
    const auto sent = wgrun::send_steps(link_, {RemoteFolder::Kind::Folder, "wd"}, {here_ + "/abs"});
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].argv.back(), "fakehost:/");
    EXPECT_EQ(sent[0].argv[sent[0].argv.size() - 2], here_ + "/abs");
    for (const std::string& word : sent[0].argv) EXPECT_FALSE(word.starts_with("--rsync-path"));
}

TEST_F(RemoteFiles, AFileThatCannotBeReadIsNamedAndNotSent) {
    write("there", "t");
    const auto steps = wgrun::send_steps(link_, {}, {"missing 'x'", "there"});
    const auto ended = run(steps);
    EXPECT_EQ(code(ended), 0);
    EXPECT_EQ(ended.err, "wgrun: 'missing 'x'' cannot be read: not sent to fakehost\n");
    EXPECT_EQ(read(home_ + "/there"), "t");
}

TEST_F(RemoteFiles, FetchedFilesComeBackToTheirPathHere) {
    write(home_ + "/wd/out/r.txt", "r");
    write(home_ + "/wd/deep/s.txt", "s");
    write(home_ + "/wd/x*y", "literal");
    write(home_ + "/wd/xAy", "glob match");
    const RemoteFolder folder{RemoteFolder::Kind::Folder, "wd"};
    const auto ended = run(wgrun::fetch_steps(link_, folder, {"./out/r.txt", "back/./deep/s.txt", "x*y"}));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_EQ(read(here_ + "/out/r.txt"), "r");
    EXPECT_EQ(read(here_ + "/back/deep/s.txt"), "s");
    EXPECT_EQ(read(here_ + "/x*y"), "literal");
    EXPECT_FALSE(fs::exists(here_ + "/xAy"));
}

TEST_F(RemoteFiles, CleanupRemovesTheFilesAndTheFoldersLeftEmpty) {
    const RemoteFolder folder{RemoteFolder::Kind::Folder, "wd/in"};
    write(home_ + "/wd/in/a/b/f", "f");
    write(home_ + "/wd/in/keep/g", "g");
    write(home_ + "/wd/in/keep/kept", "kept");
    write(home_ + "/other", "other");
    auto ended = run(wgrun::cleanup_steps(link_, folder, {"a/b/f", "keep/g", "never/there"}, false));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_FALSE(fs::exists(home_ + "/wd/in/a"));
    EXPECT_EQ(wgrun::test::names_in(home_ + "/wd/in/keep"), std::vector<std::string>{"kept"});
    EXPECT_TRUE(fs::exists(home_ + "/other"));
    fs::remove_all(home_ + "/wd/in/keep");
    ended = run(wgrun::cleanup_steps(link_, folder, {"a/b/f"}, false));
    EXPECT_FALSE(fs::exists(home_ + "/wd")) << "the folder, empty, goes too";
    EXPECT_TRUE(fs::exists(home_ + "/tmp"));
}

TEST_F(RemoteFiles, ATempFolderGoesWhole) {
    write(home_ + "/tmp/wd.2/sub/f", "f");
    EXPECT_TRUE(wgrun::cleanup_steps(link_, {RemoteFolder::Kind::Temp, "wd.2"}, {}, false).empty());
    const auto ended = run(wgrun::cleanup_steps(link_, {RemoteFolder::Kind::Temp, "wd.2"}, {}, true));
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_FALSE(fs::exists(home_ + "/tmp/wd.2"));
    EXPECT_TRUE(fs::exists(home_ + "/tmp"));
}

TEST_F(RemoteFiles, AWholeRoundSendRunFetchClean) {
    write("in/a b.txt", "hello");
    const RemoteFolder folder{RemoteFolder::Kind::Folder, "job wd"};
    std::vector<FileStep> steps = wgrun::send_steps(link_, folder, {"in/a b.txt"});
    steps.push_back(job("cd 'job wd' && tr a-z A-Z <'in/a b.txt' >'in/a b.txt.out' && exit 3"));
    for (auto& step : wgrun::fetch_steps(link_, folder, {"in/a b.txt.out"})) steps.push_back(step);
    for (auto& step : wgrun::cleanup_steps(link_, folder, {"in/a b.txt", "in/a b.txt.out"}, true)) {
        steps.push_back(step);
    }
    const auto ended = run(steps);
    EXPECT_EQ(code(ended), 3) << "the job's status" << ended.err;
    EXPECT_EQ(read(here_ + "/in/a b.txt.out"), "HELLO");
    EXPECT_EQ(wgrun::test::names_in(home_), std::vector<std::string>{"tmp"});
}

TEST_F(RemoteFiles, TheCleanupRidesOnTheLastFetchOrRunsAloneWhenTheJobDidNot) {
    write("in/f", "f");
    const RemoteFolder folder{RemoteFolder::Kind::Folder, "wd"};
    const std::vector<std::string> files = {"in/f", "in/f.out"};
    const std::string clean = wgrun::cleanup_command(folder, files, false);
    EXPECT_EQ(clean, "rm -f -- wd/in/f wd/in/f.out; rmdir -- wd/in wd 2>/dev/null");
    std::vector<FileStep> steps = wgrun::send_steps(link_, folder, {"in/f"});
    steps.push_back(job("cd wd && cp in/f in/f.out"));
    for (auto& step : wgrun::fetch_steps(link_, folder, {"in/f.out"}, clean)) steps.push_back(step);
    for (auto& step : wgrun::cleanup_steps(link_, folder, files, false)) {
        step.kind = FileStep::Kind::Unrun;
        step.argv.back() = "touch unrun; " + step.argv.back();
        steps.push_back(step);
    }
    auto ended = run(steps);
    EXPECT_EQ(code(ended), 0) << ended.err;
    EXPECT_EQ(read(here_ + "/in/f.out"), "f");
    EXPECT_EQ(wgrun::test::names_in(home_), std::vector<std::string>{"tmp"}) << "cleaned, by the fetch";
    link_.rsync = {"/bin/false"};  // no send: no job, no fetch; the Unrun step cleans
    steps[0] = wgrun::send_steps(link_, folder, {"in/f"})[0];
    ended = run(steps);
    EXPECT_EQ(code(ended), 255);
    EXPECT_EQ(wgrun::test::names_in(home_), (std::vector<std::string>{"tmp", "unrun"}));
}

TEST_F(RemoteFiles, ASendThatFailsRunsNoJobButTheCleanup) {
    write("in/f", "f");
    link_.rsync = {"/bin/false"};  // rsync "fails"
    std::vector<FileStep> steps = wgrun::send_steps(link_, {}, {"in/f"});
    steps.push_back(job("touch ran"));
    steps.push_back({FileStep::Kind::Clean, "", {"touch", here_ + "/cleaned"}});
    const auto ended = run(steps);
    EXPECT_EQ(code(ended), 255);
    EXPECT_EQ(ended.err, "wgrun: cannot send 'in/f' to fakehost (rsync: exit 1)\n");
    EXPECT_FALSE(fs::exists(home_ + "/ran"));
    EXPECT_TRUE(fs::exists(here_ + "/cleaned"));
}

TEST_F(RemoteFiles, AFetchThatFailsFailsASuccessfulJobOnly) {
    std::vector<FileStep> steps = {job("exit 0")};
    for (auto& step : wgrun::fetch_steps(link_, {}, {"never made"})) steps.push_back(step);
    auto ended = run(steps);
    EXPECT_EQ(code(ended), 255);
    EXPECT_NE(ended.err.find("wgrun: cannot fetch 'never made' from fakehost (rsync: exit 23)"),
              std::string::npos)
        << ended.err;
    steps[0] = job("exit 4");
    ended = run(steps);
    EXPECT_EQ(code(ended), 4);
}

TEST_F(RemoteFiles, WithTheConnectionGoneNothingAfterTheFailureRuns) {
    std::vector<FileStep> steps = {job("exit 255"),
                                   {FileStep::Kind::Clean, "", {"touch", here_ + "/cleaned"}}};
    auto ended = run(steps, {"false"});
    EXPECT_EQ(code(ended), 255);
    EXPECT_FALSE(fs::exists(here_ + "/cleaned"));
    ended = run(steps, {"true"});  // the job's own 255: the host is still there
    EXPECT_EQ(code(ended), 255);
    EXPECT_TRUE(fs::exists(here_ + "/cleaned"));
    write("in/f", "f");
    link_.rsync = {"/bin/false"};
    steps = wgrun::send_steps(link_, {}, {"in/f"});
    ended = run(steps, {"false"});
    EXPECT_EQ(code(ended), 255);
    EXPECT_EQ(ended.err, "") << "the host's failure is wgrun's to report";
}

TEST_F(RemoteFiles, TheJobGetsTheScriptsStdinTheOthersDevNull) {
    const std::vector<FileStep> steps = {
        {FileStep::Kind::Clean, "", {"/bin/sh", "-c", "[ -t 0 ] || read x || touch eof"}},
        job("read x; echo read $?")};
    sigset_t mask;
    sigemptyset(&mask);
    wgrun::LocalSpawner spawner(mask);
    wgrun::SpawnRequest request;
    request.argv = wgrun::transfer_script({"true"}, steps);
    request.hold_stdin = true;
    const wgrun::SpawnedJob started = spawner.spawn(request);
    ::write(started.stdin_fd, "line\n", 5);
    const auto ended = wgrun::test::finish(started);
    ::close(started.stdin_fd);
    EXPECT_EQ(ended.out, "read 0\n");
    EXPECT_TRUE(fs::exists(here_ + "/eof"));
}

}  // namespace
