// options_compat.cpp: every other GNU parallel and xargs option, named: accepted and ignored, or refused with a reason.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_compat_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_compat_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
