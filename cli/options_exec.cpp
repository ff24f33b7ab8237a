// options_exec.cpp: how a job is started: --shell, --env, --nice, --workdir, --tty.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_exec_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_exec_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
