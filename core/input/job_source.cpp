// job_source.cpp: the four job sources (and --retry-failed's), first match wins.
#include "input/job_source.hpp"

#include "command/template_rewrite.hpp"

namespace wgrun {
namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    return text;
}

// The template the words make with `sources` sources (stdin is one).
CommandTemplate template_of(const JobSourceFacts& facts, const std::string& text,
                            std::size_t sources) {
    return CommandTemplate::parse(resolve_negative_sources(text, sources), facts.syntax);
}

// Stdin's lines fill `command_template`: a terminal is not input, and stdin
// is the only source.
void check_stdin_template(const CommandTemplate& command_template, bool stdin_is_terminal,
                          const char* what, std::size_t values_per_job = 1) {
    if (stdin_is_terminal) {
        throw JobSourceError(std::string(what) +
                             " but no input: give input on stdin or with ::: "
                             "(standard input is a terminal)");
    }
    if (command_template.max_source() > values_per_job) {
        throw JobSourceError("the command uses {" + std::to_string(command_template.max_source()) +
                             "} but standard input is the only input source");
    }
}

}  // namespace

std::string unread_stdin_notice(const std::vector<std::string>& command) {
    const bool one = command.size() == 1;
    return std::string("standard input was not read: ") +
           (one ? "the command ran once, without it"
                : "each of the " + std::to_string(command.size()) +
                      " words ran as a command of its own") +
           "; to run a command on each line of input, put {} in it or use -n 1, -I {} or "
           ":::: - (see wgrun(1), Job sources)";
}

JobSourceChoice choose_job_source(const JobSourceFacts& facts) {
    JobSourceChoice choice;
    if (facts.retry_failed) {
        choice.source = JobSource::JoblogFailures;
        return choice;
    }
    if (facts.input_sources > 0) {
        choice.source = JobSource::InputSources;
        // -N 2 ::: a b c d: a job's values are two records' worth.
        const std::size_t per_job = facts.records_per_job > 1 ? facts.records_per_job : 1;
        choice.command_template =
            template_of(facts, joined(facts.command), facts.input_sources * per_job);
        const std::size_t used = choice.command_template.max_source();
        if (used > facts.input_sources * per_job && !facts.columns) {
            const bool one = facts.input_sources == 1;
            throw JobSourceError("the command uses {" + std::to_string(used) + "} but there " +
                                 (one ? "is" : "are") + " only " +
                                 std::to_string(facts.input_sources) + " input source" +
                                 (one ? "" : "s"));
        }
        return choice;
    }
    // -I, -d, -n and the like: the words are one template, stdin its input
    // (with no words, each line is a command, below).
    if (facts.stdin_arguments && !facts.command.empty()) {
        // -N 3: {1} {2} {3} (and {-1} is {3}) are the job's three values.
        const std::size_t per_job = facts.records_per_job > 1 ? facts.records_per_job : 1;
        CommandTemplate words = template_of(facts, joined(facts.command), per_job);
        check_stdin_template(words, facts.stdin_is_terminal,
                             "the options make standard input's lines the arguments", per_job);
        choice.source = JobSource::StdinValues;
        choice.command_template = std::move(words);
        return choice;
    }
    if (facts.command.size() == 1) {
        CommandTemplate single = template_of(facts, facts.command.front(), 1);
        if (single.has_replacement()) {
            check_stdin_template(single, facts.stdin_is_terminal,
                                 "the command has a replacement string");
            choice.source = JobSource::StdinValues;
            choice.command_template = std::move(single);
            return choice;
        }
    }
    choice.source = facts.command.empty() ? JobSource::StdinCommands : JobSource::Commands;
    choice.stdin_unread = choice.source == JobSource::Commands;
    return choice;
}

}  // namespace wgrun
