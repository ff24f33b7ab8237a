// options_output.cpp: output to files: --files, --results NAME as GNU names it,
// --compress and its programs.
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
    app.add_flag("--compress", options.output.compress,
                 "Compress output kept on disk (spill files, -k's parking file, --files' files) "
                 "with the first of GNU parallel's programs found in PATH (pzstd, zstd, pigz, "
                 "gzip, ...)");
    app.add_option("--compress-program", options.output.compress_program,
                   "Compress output kept on disk with the shell command PROG (stdin to "
                   "stdout); implies --compress")
        ->option_text("PROG");
    app.add_option("--decompress-program", options.output.decompress_program,
                   "Read compressed output back with the shell command PROG (default: the "
                   "compress program followed by -dc)")
        ->option_text("PROG");
}

void check_output_options(const CLI::App& app, Options& options) {
    auto blank = [](const std::string& text) {
        return text.find_first_not_of(" \t\n") == std::string::npos;
    };
    if (app.count("--compress-program") > 0 && blank(options.output.compress_program)) {
        throw UsageError("--compress-program needs a program");
    }
    if (app.count("--decompress-program") > 0 && blank(options.output.decompress_program)) {
        throw UsageError("--decompress-program needs a program");
    }
    if (!options.output.decompress_program.empty() && !options.output.compress &&
        options.output.compress_program.empty()) {
        throw UsageError("--decompress-program is for --compress or --compress-program");
    }
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
