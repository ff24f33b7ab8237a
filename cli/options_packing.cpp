// options_packing.cpp: argument packing: -n -N -L -s -x -X -m --xargs --max-replace-args.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_packing_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_packing_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
