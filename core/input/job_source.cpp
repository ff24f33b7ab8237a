// job_source.cpp: the four job sources (and --retry-failed's), first match wins.
#include "input/job_source.hpp"

namespace wgrun {

JobSourceChoice choose_job_source(const JobSourceFacts& facts) {
    JobSourceChoice choice;
    if (facts.retry_failed) {
        choice.source = JobSource::JoblogFailures;
        return choice;
    }
    if (facts.input_sources > 0) {
        std::string text;
        for (const auto& word : facts.command) text += (text.empty() ? "" : " ") + word;
        choice.source = JobSource::InputSources;
        choice.command_template = CommandTemplate::parse(text);
        const std::size_t used = choice.command_template.max_source();
        const std::size_t per_job = facts.records_per_job > 1 ? facts.records_per_job : 1;
        if (used > facts.input_sources * per_job) {
            const bool one = facts.input_sources == 1;
            throw JobSourceError("the command uses {" + std::to_string(used) + "} but there " +
                                 (one ? "is" : "are") + " only " +
                                 std::to_string(facts.input_sources) + " input source" +
                                 (one ? "" : "s"));
        }
        return choice;
    }
    if (facts.stdin_arguments) {  // -n 10 gzip --best: one template for stdin's lines
        std::string text;
        for (const auto& word : facts.command) text += (text.empty() ? "" : " ") + word;
        choice.source = JobSource::StdinValues;
        choice.command_template = CommandTemplate::parse(text);
        return choice;
    }
    if (facts.command.size() == 1) {
        CommandTemplate single = CommandTemplate::parse(facts.command.front());
        if (single.has_replacement()) {
            if (facts.stdin_is_terminal) {
                throw JobSourceError(
                    "the command has a replacement string but no input: "
                    "give input on stdin or with ::: (standard input is a terminal)");
            }
            if (single.max_source() > 1) {
                throw JobSourceError("the command uses {" + std::to_string(single.max_source()) +
                                     "} but standard input is the only input source");
            }
            choice.source = JobSource::StdinValues;
            choice.command_template = std::move(single);
            return choice;
        }
    }
    choice.source = facts.command.empty() ? JobSource::StdinCommands : JobSource::Commands;
    return choice;
}

}  // namespace wgrun
