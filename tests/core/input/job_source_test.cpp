// job_source_test.cpp: which source a command line's jobs come from (first
// match wins: --retry-failed, input sources, one COMMAND with a replacement
// string, COMMANDs, stdin's lines), and the command lines that cannot form
// jobs.
#include "input/job_source.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using wgrun::choose_job_source;
using wgrun::JobSource;
using wgrun::JobSourceError;
using wgrun::JobSourceFacts;
using wgrun::TemplateError;

JobSourceFacts facts(std::vector<std::string> command, std::size_t sources = 0) {
    JobSourceFacts f;
    f.command = std::move(command);
    f.input_sources = sources;
    return f;
}

std::string error_of(const JobSourceFacts& f) {
    try {
        choose_job_source(f);
    } catch (const JobSourceError& e) {
        return e.what();
    }
    return "";
}

TEST(JobSource, RetryFailedWinsOverEverything) {
    JobSourceFacts f = facts({"echo", "{3}"}, 1);  // would be an error otherwise
    f.retry_failed = true;
    f.stdin_is_terminal = true;
    const auto choice = choose_job_source(f);
    EXPECT_EQ(choice.source, JobSource::JoblogFailures);
    EXPECT_TRUE(choice.command_template.empty());
}

TEST(JobSource, InputSourcesMakeTheCommandATemplate) {
    const auto choice = choose_job_source(facts({"echo", "{1}", "{2}"}, 2));
    EXPECT_EQ(choice.source, JobSource::InputSources);
    EXPECT_EQ(choice.command_template.max_source(), 2u);
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"a", "b"}, 1, 1), "echo a b");
}

TEST(JobSource, InputSourcesJoinTheCommandWordsBySpaces) {
    const auto choice = choose_job_source(facts({"echo", "x"}, 1));
    EXPECT_FALSE(choice.command_template.has_replacement());
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"v"}, 1, 1), "echo x v");
}

TEST(JobSource, InputSourcesWithNoCommandRunTheValues) {
    const auto choice = choose_job_source(facts({}, 1));
    EXPECT_EQ(choice.source, JobSource::InputSources);
    EXPECT_TRUE(choice.command_template.empty());
}

TEST(JobSource, InputSourcesIgnoreATerminalOnStdin) {
    JobSourceFacts f = facts({"echo {}"}, 1);
    f.stdin_is_terminal = true;
    EXPECT_EQ(choose_job_source(f).source, JobSource::InputSources);
}

TEST(JobSource, ASourceNumberBeyondTheSourcesIsAnError) {
    EXPECT_EQ(error_of(facts({"echo {3}"}, 2)),
              "the command uses {3} but there are only 2 input sources");
    EXPECT_EQ(error_of(facts({"echo {2}"}, 1)),
              "the command uses {2} but there is only 1 input source");
    EXPECT_EQ(choose_job_source(facts({"echo {2}"}, 2)).source, JobSource::InputSources);
}

TEST(JobSource, SourceZeroIsATemplateError) {
    EXPECT_THROW(choose_job_source(facts({"echo {0}"}, 1)), TemplateError);
    EXPECT_THROW(choose_job_source(facts({"echo {0}"})), TemplateError);
}

TEST(JobSource, OneCommandWithAReplacementReadsStdin) {
    const auto choice = choose_job_source(facts({"echo {}"}));
    EXPECT_EQ(choice.source, JobSource::StdinValues);
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"a"}, 1, 1), "echo a");
    EXPECT_EQ(choose_job_source(facts({"echo {1}"})).source, JobSource::StdinValues);
    EXPECT_EQ(choose_job_source(facts({"echo {#}"})).source, JobSource::StdinValues);
}

TEST(JobSource, OneCommandWithAReplacementAndATerminalIsAnError) {
    JobSourceFacts f = facts({"echo {}"});
    f.stdin_is_terminal = true;
    EXPECT_EQ(error_of(f),
              "the command has a replacement string but no input: give input on stdin or with "
              "::: (standard input is a terminal)");
}

TEST(JobSource, StdinIsOneSourceOnly) {
    EXPECT_EQ(error_of(facts({"echo {2}"})),
              "the command uses {2} but standard input is the only input source");
}

TEST(JobSource, OneCommandWithoutAReplacementIsOneJob) {
    JobSourceFacts f = facts({"echo hi"});
    f.stdin_is_terminal = true;  // not read
    const auto choice = choose_job_source(f);
    EXPECT_EQ(choice.source, JobSource::Commands);
    EXPECT_TRUE(choice.command_template.empty());
}

TEST(JobSource, SeveralCommandsAreAJobEachReplacementsOrNot) {
    // Several words without sources are several commands: their braces are
    // the shell's ({0} is not even parsed).
    const auto choice = choose_job_source(facts({"echo {}", "echo {0}"}));
    EXPECT_EQ(choice.source, JobSource::Commands);
    EXPECT_TRUE(choice.command_template.empty());
}

TEST(JobSource, NoCommandReadsCommandsFromStdin) {
    const auto choice = choose_job_source(facts({}));
    EXPECT_EQ(choice.source, JobSource::StdinCommands);
    EXPECT_TRUE(choice.command_template.empty());
    JobSourceFacts f = facts({});
    f.stdin_is_terminal = true;  // wgrun waits for commands, as xargs does
    EXPECT_EQ(choose_job_source(f).source, JobSource::StdinCommands);
}

}  // namespace
