// exec_wiring.hpp: how jobs start, made from the options: the shell
// (--shell, $PARALLEL_SHELL, the parent shell), what may run directly, and
// --env, --nice, --workdir, --tty. Only wiring: the parts are core's.
#pragma once

#include <memory>
#include <string>

#include "command/job_setup.hpp"
#include "command/shell_syntax.hpp"
#include "command/template_syntax.hpp"
#include "exec/temp_workdirs.hpp"
#include "options.hpp"

namespace wgrun::cli {

struct ExecWiring {
    DirectExec direct;                            // the shell, and the direct exec's rules
    JobSetup setup;                               // for CommandBuilder::set_setup
    std::unique_ptr<TempWorkdirs> temp_workdirs;  // --workdir ...: a result sink to add
};

/// Throws UsageError for a shell that is not there, --env _ without GNU's
/// ignored_vars file, and a --workdir that cannot be made. With `dry_run`
/// nothing is made on disk.
ExecWiring wire_exec(const Options& options, const TemplateSyntax& syntax,
                     const std::string& temp_dir, bool dry_run);

/// The config folder GNU parallel reads ignored_vars from: the first of
/// $PARALLEL_HOME, $XDG_CONFIG_HOME/parallel (~/.config/parallel),
/// each $XDG_CONFIG_DIRS/parallel and ~/.parallel that is a folder, else
/// ~/.parallel.
std::string parallel_config_dir();

/// The text put before each shell command for --env: for each NAME given
/// (NAME,NAME... split; `_` adds every variable not in `ignored`) that is an
/// exported bash function (BASH_FUNC_NAME%%, or NAME itself holding
/// "() {..."), "NAME() {...};\ncommand export -f NAME 2> /dev/null;\n",
/// so that a shell other than bash has it too: GNU parallel's text but for
/// `command`, without which dash exits at `export -f` (GNU's --env f
/// fails under dash).
/// `environment` is a NULL-ended "NAME=value" list.
/// The functions' names are added to `functions`.
std::string env_prelude(const std::vector<std::string>& names, const char* const* environment,
                        const std::vector<std::string>* ignored,
                        std::vector<std::string>* functions = nullptr);

}  // namespace wgrun::cli
