// spawner_setup_test.cpp: what LocalSpawner does in the child for a
// request's setup: --nice (setpriority), --workdir (chdir, and a fresh
// folder for --workdir ...), bash's `_`; and TempWorkdirs' clean-up.
#include "exec/spawner.hpp"
#include "exec/temp_workdirs.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/output_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using wgrun::LocalSpawner;
using wgrun::SpawnRequest;

// Runs `request` to its end; returns its stdout (stderr is left).
std::string output_of(const SpawnRequest& request) {
    sigset_t mask;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    LocalSpawner spawner(mask);
    const wgrun::SpawnedJob job = spawner.spawn(request);
    ::close(job.stderr_fd);
    std::string out;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(job.stdout_fd, buffer, sizeof buffer);
        if (n > 0) {
            out.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EAGAIN) {
            break;
        } else {
            ::usleep(1000);
        }
    }
    ::close(job.stdout_fd);
    int status = 0;
    while (::waitpid(job.pid, &status, 0) < 0 && errno == EINTR) {
    }
    return out;
}

TEST(SpawnerSetup, NiceSetsTheJobsNicenessAbsolutely) {
    SpawnRequest request;
    request.argv = {"/bin/sh", "-c", "cut -d' ' -f19 /proc/self/stat"};
    const int own = ::getpriority(PRIO_PROCESS, 0);
    EXPECT_EQ(output_of(request), std::to_string(own) + "\n");
    const int higher = std::min(own + 3, 19);  // raising needs no privilege
    request.nice = higher;
    EXPECT_EQ(output_of(request), std::to_string(higher) + "\n");
    request.nice = own;
    EXPECT_EQ(output_of(request), std::to_string(own) + "\n");
}

TEST(SpawnerSetup, WorkdirIsTheJobsCurrentDirectory) {
    wgrun::test::TempDir temp;
    SpawnRequest request;
    request.argv = {"pwd", "-P"};
    request.workdir = temp.path();
    EXPECT_EQ(output_of(request), fs::canonical(temp.path()).string() + "\n");
}

TEST(SpawnerSetup, AMissingWorkdirIsAFailedStart) {
    sigset_t mask;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    LocalSpawner spawner(mask);
    SpawnRequest request;
    request.argv = {"true"};
    request.workdir = "/no/such/dir";
    try {
        spawner.spawn(request);
        FAIL() << "started";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), ENOENT);
    }
}

TEST(SpawnerSetup, AFreshWorkdirIsMadeEmptyForEachStart) {
    wgrun::test::TempDir temp;
    const std::string dir = temp.path() + "/7";
    fs::create_directories(dir + "/old");
    std::ofstream(dir + "/old/file") << "left by an earlier attempt\n";
    SpawnRequest request;
    request.argv = {"ls", "-A"};
    request.workdir = dir;
    request.make_workdir = true;
    EXPECT_EQ(output_of(request), "");
    EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(SpawnerSetup, ProgramPathVarIsBashsUnderscore) {
    SpawnRequest request;
    request.argv = {"printenv", "_"};
    request.shell_argv = {"/bin/sh", "-c", "printenv _"};
    request.program_path_var = true;
    const std::string out = output_of(request);
    EXPECT_TRUE(out.ends_with("/printenv\n")) << out;
    EXPECT_EQ(out.front(), '/');
}

TEST(TempWorkdirs, EachJobsFolderGoesWhenItEndsAndTheRootAtTheEnd) {
    wgrun::test::TempDir temp;
    std::string root;
    {
        wgrun::TempWorkdirs dirs(temp.path());
        root = dirs.root();
        EXPECT_TRUE(root.starts_with(temp.path() + "/wgrun-wd."));
        EXPECT_EQ(fs::status(root).permissions() & fs::perms::all, fs::perms::owner_all);
        for (const char* seq : {"1", "2"}) {
            fs::create_directories(root + "/" + seq + "/deep/er");
            std::ofstream(root + "/" + seq + "/deep/er/f") << "x";
        }
        // A link out of the folder is removed, not followed.
        fs::create_directories(temp.path() + "/outside");
        std::ofstream(temp.path() + "/outside/keep") << "keep";
        fs::create_directory_symlink(temp.path() + "/outside", root + "/2/link");
        wgrun::JobResult result;
        result.seq = 2;
        dirs.job_ended(result);
        EXPECT_FALSE(fs::exists(root + "/2"));
        EXPECT_TRUE(fs::exists(root + "/1/deep/er/f"));
        EXPECT_TRUE(fs::exists(temp.path() + "/outside/keep"));
        dirs.finish(wgrun::RunSummary{});
        EXPECT_FALSE(fs::exists(root));
        fs::create_directories(root + "/3");  // made again: the destructor takes it too
    }
    EXPECT_FALSE(fs::exists(root));
}

}  // namespace
