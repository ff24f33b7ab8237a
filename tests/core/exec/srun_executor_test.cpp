// srun_executor_test.cpp: the argv a job is wrapped in to run as a Slurm
// step (the guard, srun's options, the node, --chdir, nice, the command or
// its shell), and the request the SrunExecutor hands its local spawner.
#include "exec/srun_executor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exec/srun_guard.hpp"

namespace {

using wgrun::SpawnedJob;
using wgrun::SpawnRequest;
using wgrun::SrunExecutor;
using wgrun::SrunSettings;
using wgrun::srun_step_argv;
using Words = std::vector<std::string>;

const SrunSettings kSettings{"/usr/bin/wgrun", "42"};

// The words srun starts with, the guard's first.
Words head() {
    return {"/usr/bin/wgrun", "--slurm-step-guard", "42", "srun", "--exclusive", "-N1",
            "-n1", "--kill-on-bad-exit", "--disable-status", "--quiet"};
}

Words with(Words words, const Words& more) {
    words.insert(words.end(), more.begin(), more.end());
    return words;
}

TEST(SrunExecutor, GuardSrunTheNodeAndTheCommand) {
    SpawnRequest request;
    request.argv = {"echo", "hi"};
    request.host = "node7";
    EXPECT_EQ(srun_step_argv(kSettings, request), with(head(), {"-w", "node7", "--", "echo", "hi"}));
}

TEST(SrunExecutor, TheShellCommandWhenThereIsOne) {
    SpawnRequest request;
    request.argv = {"no-such-program", "x"};
    request.shell_argv = {"/bin/sh", "-c", "no-such-program x"};
    request.host = "n1";
    EXPECT_EQ(srun_step_argv(kSettings, request),
              with(head(), {"-w", "n1", "--", "/bin/sh", "-c", "no-such-program x"}));
}

TEST(SrunExecutor, WorkdirAndNiceGoToTheStep) {
    SpawnRequest request;
    request.argv = {"make"};
    request.host = "n1";
    request.workdir = "/scratch/run 1";
    request.nice = 5;
    EXPECT_EQ(srun_step_argv(kSettings, request),
              with(head(), {"-w", "n1", "--chdir=/scratch/run 1", "--", "nice", "-n", "5", "make"}));
}

TEST(SrunExecutor, NoNodeNoDashW) {
    SpawnRequest request;
    request.argv = {"true"};
    EXPECT_EQ(srun_step_argv(kSettings, request), with(head(), {"--", "true"}));
    request.host = ":";
    EXPECT_EQ(srun_step_argv(kSettings, request), with(head(), {"--", "true"}));
}

TEST(SrunExecutor, TheGuardFlagIsTheOneMainKnows) {
    EXPECT_EQ(wgrun::kSrunGuardFlag, "--slurm-step-guard");
}

// Records what it is asked to start.
class Recorder : public wgrun::Executor {
public:
    SpawnedJob spawn(const SpawnRequest& request) override {
        seen = request;
        return {1234, 5, 6};
    }
    SpawnRequest seen;
};

TEST(SrunExecutor, HandsTheWrappedRequestToItsSpawner) {
    Recorder local;
    SrunExecutor srun(local, kSettings);
    SpawnRequest request;
    request.argv = {"echo", "x"};
    request.shell_argv = {"/bin/sh", "-c", "echo x"};
    request.program_path_var = true;
    request.env = {"WGRUN_SEQ=3", "WGRUN_HOST=n2"};
    request.nice = 3;
    request.workdir = "/w";
    request.make_workdir = true;
    request.host = "n2";
    const SpawnedJob job = srun.spawn(request);
    EXPECT_EQ(job.pid, 1234);
    EXPECT_EQ(local.seen.argv, srun_step_argv(kSettings, request));
    EXPECT_TRUE(local.seen.shell_argv.empty());  // srun runs: no shell fallback here
    EXPECT_FALSE(local.seen.program_path_var);
    EXPECT_FALSE(local.seen.nice.has_value());    // the task's, through nice -n
    EXPECT_EQ(local.seen.env, request.env);       // srun passes them on to the task
    EXPECT_EQ(local.seen.workdir, "/w");          // srun's own, made here when asked
    EXPECT_TRUE(local.seen.make_workdir);
    EXPECT_EQ(local.seen.host, "n2");
}

}  // namespace
