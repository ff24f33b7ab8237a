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

// stdin_arguments (-I -i -d -E -r -0 and the packing options): the words
// form one template, stdin's lines its arguments (find . | wgrun -I{} mv {} {}.bak).
JobSourceFacts stdin_arguments(std::vector<std::string> command, std::size_t sources = 0) {
    JobSourceFacts f = facts(std::move(command), sources);
    f.stdin_arguments = true;
    return f;
}

TEST(JobSource, StdinArgumentsMakeTheWordsOneTemplate) {
    const auto choice = choose_job_source(stdin_arguments({"mv", "{}", "{}.bak"}));
    EXPECT_EQ(choice.source, JobSource::StdinValues);
    EXPECT_FALSE(choice.stdin_unread);
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"a b"}, 1, 1),
              "mv 'a b' 'a b'.bak");
    // No replacement string: the value is appended (... | wgrun -d '\n' rm -f).
    const auto appended = choose_job_source(stdin_arguments({"rm", "-f"}));
    EXPECT_EQ(appended.source, JobSource::StdinValues);
    EXPECT_EQ(appended.command_template.expand(std::vector<std::string>{"x"}, 1, 1), "rm -f x");
    // One word alone too.
    EXPECT_EQ(choose_job_source(stdin_arguments({"echo"})).source, JobSource::StdinValues);
}

TEST(JobSource, StdinArgumentsGiveWayToInputSourcesAndRetryFailed) {
    EXPECT_EQ(choose_job_source(stdin_arguments({"echo"}, 1)).source, JobSource::InputSources);
    JobSourceFacts f = stdin_arguments({"echo"});
    f.retry_failed = true;
    EXPECT_EQ(choose_job_source(f).source, JobSource::JoblogFailures);
}

TEST(JobSource, StdinArgumentsWithoutACommandReadCommands) {
    EXPECT_EQ(choose_job_source(stdin_arguments({})).source, JobSource::StdinCommands);
}

TEST(JobSource, StdinArgumentsFromATerminalOrBeyondOneSourceAreErrors) {
    JobSourceFacts f = stdin_arguments({"echo"});
    f.stdin_is_terminal = true;
    EXPECT_EQ(error_of(f),
              "the options make standard input's lines the arguments but no input: give input "
              "on stdin or with ::: (standard input is a terminal)");
    EXPECT_EQ(error_of(stdin_arguments({"echo", "{2}"})),
              "the command uses {2} but standard input is the only input source");
}

// The Commands form leaves stdin unread, and only it: the caller then looks
// whether input was left there.
TEST(JobSource, OnlyTheCommandsFormLeavesStdinUnread) {
    EXPECT_TRUE(choose_job_source(facts({"make -C a", "make -C b"})).stdin_unread);
    EXPECT_TRUE(choose_job_source(facts({"echo"})).stdin_unread);
    EXPECT_TRUE(choose_job_source(facts({"gzip", "--best"})).stdin_unread);
    EXPECT_FALSE(choose_job_source(facts({"echo {}"})).stdin_unread);
    EXPECT_FALSE(choose_job_source(facts({})).stdin_unread);
    EXPECT_FALSE(choose_job_source(facts({"echo"}, 1)).stdin_unread);
    EXPECT_FALSE(choose_job_source(stdin_arguments({"echo"})).stdin_unread);
    JobSourceFacts f = facts({"echo"});
    f.retry_failed = true;
    EXPECT_FALSE(choose_job_source(f).stdin_unread);
}

TEST(JobSource, UnreadStdinNoticeSaysWhatRanAndWhatToDo) {
    EXPECT_EQ(wgrun::unread_stdin_notice({"echo"}),
              "standard input was not read: the command ran once, without it; to run a command "
              "on each line of input, put {} in it or use -n 1, -I {} or :::: - (see wgrun(1), "
              "Job sources)");
    EXPECT_EQ(wgrun::unread_stdin_notice({"gzip", "--best"}),
              "standard input was not read: each of the 2 words ran as a command of its own; to "
              "run a command on each line of input, put {} in it or use -n 1, -I {} or :::: - "
              "(see wgrun(1), Job sources)");
}

TEST(JobSource, ReplaceStringStandsForTheInput) {
    JobSourceFacts f = stdin_arguments({"mv", "%", "%.bak"});
    f.syntax.input = "%";
    const auto choice = choose_job_source(f);
    EXPECT_EQ(choice.source, JobSource::StdinValues);
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"a"}, 1, 1), "mv a a.bak");
    f.command = {"echo", "X", "{.}"};
    f.syntax.input = "X";
    f.input_sources = 1;
    EXPECT_EQ(choose_job_source(f).command_template.expand(std::vector<std::string>{"f.c"}, 1, 1),
              "echo f.c f");
}

TEST(JobSource, NegativeSourcesCountFromTheLast) {
    const auto choice = choose_job_source(facts({"echo", "{-1}", "{-2/}"}, 2));
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"d/a", "b"}, 1, 1),
              "echo b a");
    // Standard input is one source.
    EXPECT_EQ(choose_job_source(facts({"echo {-1}"})).source, JobSource::StdinValues);
    EXPECT_THROW(choose_job_source(facts({"echo", "{-3}"}, 2)), TemplateError);
    EXPECT_THROW(choose_job_source(facts({"echo {-2}"})), TemplateError);
}

}  // namespace
