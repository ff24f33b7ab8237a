// options_columns.cpp: columns: --colsep, --csv, --header, --trim.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_columns_options(CLI::App& /*app*/, Options& /*options*/) {}

void check_columns_options(const CLI::App& /*app*/, Options& /*options*/) {}

}  // namespace wgrun::cli
