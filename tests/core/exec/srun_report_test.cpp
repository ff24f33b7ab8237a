// srun_report_test.cpp: srun's line about its task, its exit code read
// with it (a signal only when both say so), and a step found by its srun's
// pid in `scontrol -o show step` (lines as Slurm 22.05 prints them).
#include "exec/srun_report.hpp"

#include <signal.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using wgrun::srun_task_report;
using wgrun::srun_task_signal;
using wgrun::step_of_srun;

TEST(SrunReport, TaskLineGivesItsText) {
    EXPECT_EQ(srun_task_report("srun: error: vm: task 0: Terminated"), "Terminated");
    EXPECT_EQ(srun_task_report("srun: error: node-7: task 0: Exited with exit code 3"),
              "Exited with exit code 3");
    EXPECT_EQ(srun_task_report("srun: error: vm: task 0: Segmentation fault (core dumped)"),
              "Segmentation fault (core dumped)");
}

TEST(SrunReport, OtherLinesAreNoReport) {
    for (const char* line : {"", "Terminated", "srun: error: vm: task 1: Terminated",
                             "srun: forcing job termination", "srun: error: : task 0: Killed",
                             "srun: error: a b: task 0: Killed",
                             "slurmstepd-vm: error: *** STEP 13.0 ON vm CANCELLED ***",
                             "xsrun: error: vm: task 0: Killed"}) {
        EXPECT_EQ(srun_task_report(line), std::nullopt) << line;
    }
}

TEST(SrunReport, SignalWhenCodeAndTextAgree) {
    EXPECT_EQ(srun_task_signal(143, ::strsignal(SIGTERM)), SIGTERM);
    EXPECT_EQ(srun_task_signal(137, ::strsignal(SIGKILL)), SIGKILL);
    EXPECT_EQ(srun_task_signal(130, ::strsignal(SIGINT)), SIGINT);
    EXPECT_EQ(srun_task_signal(139, std::string(::strsignal(SIGSEGV)) + " (core dumped)"), SIGSEGV);
}

TEST(SrunReport, ExitCodeWhenTheyDoNot) {
    EXPECT_EQ(srun_task_signal(143, "Exited with exit code 143"), std::nullopt);
    EXPECT_EQ(srun_task_signal(143, ""), std::nullopt);                       // no report
    EXPECT_EQ(srun_task_signal(137, ::strsignal(SIGTERM)), std::nullopt);     // code and text differ
    EXPECT_EQ(srun_task_signal(3, "Exited with exit code 3"), std::nullopt);
    EXPECT_EQ(srun_task_signal(128, "Unknown signal 0"), std::nullopt);
    EXPECT_EQ(srun_task_signal(255, ::strsignal(127)), std::nullopt);
    EXPECT_EQ(srun_task_signal(143, std::string(::strsignal(SIGTERM)) + "!"), std::nullopt);
}

constexpr const char* kSteps =
    "StepId=17.batch UserId=0 StartTime=2026-12-04T00:18:08 TimeLimit=UNLIMITED State=RUNNING "
    "Partition=test NodeList=vm Nodes=1 CPUs=0 Tasks=1 Name=batch Network=(null) TRES=(null) "
    "ResvPorts=(null) CPUFreqReq=Default SrunHost:Pid=(null):0\n"
    "StepId=17.1 UserId=0 StartTime=2026-12-04T00:18:10 TimeLimit=UNLIMITED State=RUNNING "
    "Partition=test NodeList=vm Nodes=1 CPUs=1 Tasks=1 Name=sh Network=(null) "
    "TRES=cpu=1,mem=0,node=1 ResvPorts=(null) CPUFreqReq=Default Dist=Cyclic "
    "SrunHost:Pid=login1:9308\n"
    "StepId=17.2 UserId=0 Name=sleep SrunHost:Pid=login1:19308 Dist=Cyclic\n";

TEST(SrunReport, StepFoundByItsSrunsPid) {
    EXPECT_EQ(step_of_srun(kSteps, 9308), "17.1");
    EXPECT_EQ(step_of_srun(kSteps, 19308), "17.2");  // not the end of "...:19308" for 9308
}

TEST(SrunReport, NoStepForAnotherPid) {
    EXPECT_EQ(step_of_srun(kSteps, 308), std::nullopt);
    EXPECT_EQ(step_of_srun(kSteps, 1), std::nullopt);
    EXPECT_EQ(step_of_srun("", 9308), std::nullopt);
    EXPECT_EQ(step_of_srun("No steps in the system\n", 9308), std::nullopt);
}

}  // namespace
