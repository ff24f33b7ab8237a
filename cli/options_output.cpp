// options_output.cpp: output to files: --files, --results NAME as GNU names it.
#include <CLI/CLI.hpp>

#include "command/command_template.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"
#include "results/results_naming.hpp"

namespace wgrun::cli {

void add_output_options(CLI::App& app, Options& options) {
    app.add_flag("--files", options.output.files,
                 "Write each job's stdout to a file of its own in the temporary directory "
                 "(--tmpdir) and print the file's name instead");
}

void check_output_options(const CLI::App& /*app*/, Options& options) {
    // --results NAME's replacement strings, parsed now: a bad one is a usage
    // error before any job runs.
    if (!options.results.empty()) {
        try {
            ResultsNaming naming(options.results);
        } catch (const TemplateError& e) {
            throw UsageError("--results " + options.results + ": " + e.what());
        }
    }
}

}  // namespace wgrun::cli
