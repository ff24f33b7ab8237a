// options_sources.cpp: where input comes from: -I -i -d -E -r --arg-sep --arg-file-sep --link --shuf --process-slot-var.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_sources_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_sources_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
