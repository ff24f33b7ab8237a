// command_builder.hpp: a job's input and slot -> what to spawn and what to
// show the user.
#pragma once

#include <cstdint>
#include <string>

#include "command_template.hpp"
#include "job.hpp"
#include "spawner.hpp"

namespace wgrun {

struct BuiltCommand {
    std::string display;    // the command as the user reads it (dry run, reports)
    SpawnRequest request;   // argv and the job's environment variables
};

class CommandBuilder {
public:
    /// With `use_shell`, jobs run as `/bin/sh -c COMMAND`; without, the
    /// command is split into words and exec'ed directly (--no-shell).
    CommandBuilder(CommandTemplate command_template, bool use_shell)
        : template_(std::move(command_template)), use_shell_(use_shell) {}

    /// Builds job `input` for `slot`. Sets WGRUN_SEQ, WGRUN_SLOT,
    /// PARALLEL_SEQ and PARALLEL_JOBSLOT. Throws TemplateError when a
    /// --no-shell command cannot be split into words.
    BuiltCommand build(const JobInput& input, std::uint64_t slot) const;

private:
    CommandTemplate template_;
    bool use_shell_;
};

}  // namespace wgrun
