// job_source.hpp: where a run's jobs come from, decided from the command
// line's facts alone (see wgrun(1), JOB SOURCES). Pure: it opens nothing,
// reads nothing; the caller builds the feed the choice names.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "command/command_template.hpp"

namespace wgrun {

/// The sources, in the order they are tried; the first that applies wins.
enum class JobSource {
    JoblogFailures,  // --retry-failed: the job log's failed commands, COMMAND ignored
    InputSources,    // -a, :::, ::::, :::+, ::::+: COMMAND is a template, a job per combination
    StdinValues,     // stdin's lines are the arguments of one template: the COMMAND words
                     // under -I -d -E -n... (stdin_arguments), or one COMMAND with a
                     // replacement string
    Commands,        // one or more COMMANDs without input: a job each, stdin unread
    StdinCommands,   // no COMMAND: each line of stdin is a command (empty lines skipped)
};

/// What the command line says, as plain facts.
struct JobSourceFacts {
    std::vector<std::string> command;  // the words before the first separator
    std::size_t input_sources = 0;     // -a files, ::: lists, :::: files, linked or not
    bool stdin_is_terminal = false;    // standard input is a terminal
    bool retry_failed = false;         // --retry-failed (its feed comes from the job log)
    /// An option that makes stdin's lines the arguments of one template was
    /// given (-n -N -L -s -x -X -m --xargs -I -i -d -E -r -0: Options::stdin_arguments).
    bool stdin_arguments = false;
    TemplateSyntax syntax;             // the replacement strings the template knows
    bool columns = false;              // values are split into columns (--colsep, --csv,
                                       // --header): {n} may pass the number of sources
    // Argument packing: the most values a job gets from one record's worth
    // of sources (-N 3 ::: a b c: {3} is valid); 0 or 1: one record.
    std::size_t records_per_job = 0;
};

/// The choice: the source, and the template each job's input fills in.
struct JobSourceChoice {
    JobSource source = JobSource::StdinCommands;
    /// The command words joined by spaces and parsed, for InputSources and
    /// StdinValues; empty otherwise (each job's input is its command).
    CommandTemplate command_template;
    /// Commands: standard input is not read. The caller looks once, when the
    /// run is over, whether it holds input nobody read, and if so says
    /// unread_stdin_notice() (see wgrun(1), Job sources).
    bool stdin_unread = false;
};

/// The one line (no "wgrun: " in front, no newline) said when the Commands
/// form left input on standard input: the words ran as commands of their
/// own, and how to give the lines to a command instead.
std::string unread_stdin_notice(const std::vector<std::string>& command);

/// A command line whose jobs could not be formed (a {n} beyond the sources,
/// a template with no input to fill it); what() is one line, fit for a
/// usage error.
class JobSourceError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Chooses the source. A template's text is the words joined by spaces,
/// with -I's R as {} and each {-n} as the n-th source from the end
/// (template_rewrite.hpp). Throws JobSourceError as above, and TemplateError
/// for a template that cannot be parsed ("{0}", {-3} with 2 sources).
JobSourceChoice choose_job_source(const JobSourceFacts& facts);

}  // namespace wgrun
