// options_output.cpp: output to files: --files, --compress, --compress-program, --results NAME as GNU names it.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_output_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_output_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
