// options_columns.cpp: columns: --colsep, --csv, --header, --trim (see
// wgrun(1), COLUMNS). The values are checked here; cli/column_wiring.cpp
// turns them into the column stage.
#include <CLI/CLI.hpp>

#include "input/column_splitter.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_columns_options(CLI::App& app, Options& options) {
    ColumnsGroup& columns = options.columns;
    app.add_option("-C,--colsep,--col-sep", columns.colsep,
                   "Split each input value into columns {1} {2}... at REGEX (a literal such as "
                   "'\\t' or ',' is fastest); turns on --trim lr")
        ->type_name("REGEX");
    app.add_flag("--csv", columns.csv,
                 "Read the input as CSV (RFC 4180): quoted fields may hold the separator, \"\" "
                 "and newlines; --colsep gives the separator (default ,)");
    app.add_option("--header", columns.header,
                   "The first line of each input source names its columns: {name} is the "
                   "column's value (any value but 0; 0: a :::: FILE names its column)")
        ->type_name(":");
    app.add_option("--trim", columns.trim,
                   "Trim white space off each value: n (none), l (left), r (right), lr or rl "
                   "(both); default lr with --colsep, else n")
        ->check(one_of({"n", "l", "r", "lr", "rl"}))
        ->type_name("n|l|r|lr");
}

void check_columns_options(const CLI::App& app, Options& options) {
    ColumnsGroup& columns = options.columns;
    columns.has_colsep = app.count("--colsep") > 0;
    columns.has_header = app.count("--header") > 0;
    if (columns.csv) {
        // The CSV separator is text: a literal pattern's text ("\t" is a TAB).
        const auto separator = columns.has_colsep ? literal_pattern(columns.colsep)
                                                  : std::optional<std::string>(",");
        if (!separator || separator->find('"') != std::string::npos) {
            throw UsageError("--csv takes a plain separator in --colsep ('" + columns.colsep +
                             "' is a regular expression or holds a quote)");
        }
    } else if (columns.has_colsep) {
        try {
            ColumnSplitter check(columns.colsep);
        } catch (const ColumnPatternError& e) {
            throw UsageError(std::string("--colsep: ") + e.what());
        }
    }
    // Values split into columns are standard input's when no source is named.
    if (columns.has_colsep || columns.csv || columns.has_header) options.stdin_arguments = true;
}

}  // namespace wgrun::cli
