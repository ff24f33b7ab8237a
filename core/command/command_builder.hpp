// command_builder.hpp: a job's input and slot -> what to spawn and what to
// show the user.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "command/command_template.hpp"
#include "command/job_setup.hpp"
#include "command/shell_syntax.hpp"
#include "base/job.hpp"
#include "exec/spawner.hpp"

namespace wgrun {

struct BuiltCommand {
    std::string display;    // the command as the user reads it (dry run, reports)
    SpawnRequest request;   // argv and the job's environment variables
};

/// Thrown by CommandBuilder::build for a job whose input holds a NUL byte
/// (read without -0): no command can receive a NUL (argv and `sh -c` are C
/// strings, cut at the first NUL), so such a job is never run, rather than
/// run shortened.
class NulInputError : public std::runtime_error {
public:
    NulInputError(std::string command, std::string warning)
        : std::runtime_error("input holds a NUL byte"),
          command_(std::move(command)),
          warning_(std::move(warning)) {}
    /// The command as it would have been, each NUL shown as the two
    /// characters \0: what the reports and files record for the job.
    const std::string& command() const { return command_; }
    /// The one-line warning to print (ending in a newline), naming -0: for
    /// the first such job of the builder only, empty for the others.
    const std::string& warning() const { return warning_; }

private:
    std::string command_;
    std::string warning_;
};

/// Thrown by CommandBuilder::build for a command longer than the limit
/// limit_size() set: such a job is never run (it fails with this message).
class CommandTooLongError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CommandBuilder {
public:
    /// With `use_shell`, jobs run as `SHELL -c COMMAND` (DirectExec::shell,
    /// /bin/sh by default); without, the
    /// command is split into words and exec'ed directly (--no-shell).
    /// `direct` (DirectExec::here(), wgrun's own) lets a shell command that
    /// needs no shell (plain_command_words) run directly, with the shell
    /// form beside it (SpawnRequest::shell_argv); the default leaves every
    /// shell command to the shell.
    /// With `quote_words` (GNU parallel's -q), the template's words are the
    /// command's words: each is expanded as under --no-shell (values
    /// unquoted within their word, a lone {} one word per value) and then
    /// shell-quoted whole, so that the shell runs exactly those words.
    CommandBuilder(CommandTemplate command_template, bool use_shell, DirectExec direct = {},
                   bool quote_words = false)
        : template_(std::move(command_template)),
          use_shell_(use_shell),
          direct_(std::move(direct)),
          quote_words_(quote_words) {}
    CommandBuilder(const CommandBuilder&) = delete;
    CommandBuilder& operator=(const CommandBuilder&) = delete;

    /// --process-slot-var NAME: each job also gets NAME=slot-1 (from 0), as
    /// GNU parallel and xargs set it. Empty: none.
    void set_process_slot_var(std::string name) { slot_var_ = std::move(name); }

    /// --filter: a job runs only when each of `filters`, expanded as text
    /// (values unquoted), is true as Perl code evaluated by `perl`.
    void set_filters(std::vector<CommandTemplate> filters, std::shared_ptr<PerlEvaluator> perl) {
        filters_ = std::move(filters);
        filter_perl_ = std::move(perl);
    }

    /// Builds job `input` for `slot`. Sets WGRUN_SEQ, WGRUN_SLOT,
    /// PARALLEL_SEQ and PARALLEL_JOBSLOT (and the
    /// --process-slot-var). Throws TemplateError when a
    /// --no-shell command cannot be split into words, NulInputError when
    /// an input value holds a NUL byte, JobSkipped when a Perl expression
    /// called skip() or a --filter is false, PerlError when an expression
    /// died.
    BuiltCommand build(const JobInput& input, std::uint64_t slot) const;

    /// How every job starts besides its command (--nice, --workdir, --tty,
    /// --env): copied into each request.
    void set_setup(JobSetup setup) { setup_ = std::move(setup); }

    /// Argument packing (core/input/arg_packer): from now on build() throws
    /// CommandTooLongError for a command of more than `max_bytes` (the
    /// shell command with its NUL, or the argv's words with theirs), or one
    /// whose any single argv string (the shell command under sh -c) is over
    /// Linux's 128 KiB (MAX_ARG_STRLEN). `limit_text` names the limit in the
    /// message ("-s 20"). Not thread-safe: call before the first build().
    void limit_size(std::size_t max_bytes, std::string limit_text);

private:
    static void make_workdir(const std::string& dir);
    static void wrap_stdin_file(SpawnRequest& request, const std::string& path, StdinFile kind);
    void check_size(const BuiltCommand& built, std::uint64_t seq) const;

    BuiltCommand build_unchecked(const JobInput& input, std::uint64_t slot) const;

    CommandTemplate template_;
    bool use_shell_;
    DirectExec direct_;
    bool quote_words_ = false;
    std::string slot_var_;
    std::vector<CommandTemplate> filters_;
    std::shared_ptr<PerlEvaluator> filter_perl_;
    JobSetup setup_;
    mutable std::atomic<bool> warned_nul_{false};
    std::size_t max_bytes_ = 0;  // limit_size(); 0: none
    std::string limit_text_;
};

}  // namespace wgrun
