// options_replacements.cpp: replacement strings: --plus, the --*replace names, --parens, --rpl, {= perl =}, --filter.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_replacements_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_replacements_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
