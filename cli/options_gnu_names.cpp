// options_gnu_names.cpp: GNU's spellings and meanings of the options people type first: -t/--verbose, -v, -q/--quote, --progress, --total-jobs.
// (GNU's other spellings of wgrun's options, -P --dryrun --linebuffer
// --termseq, are names of those options in cli/options.cpp.)
#include <CLI/CLI.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "command/shell_quote.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {
namespace {

// --total-jobs N: a whole number of jobs.
std::uint64_t parse_total_jobs(std::string_view text) {
    const bool digits = !text.empty() && text.size() <= 19 &&
                        text.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits) {
        throw std::invalid_argument("invalid --total-jobs '" + std::string(text) +
                                    "': N is a whole number of jobs");
    }
    return std::stoull(std::string(text));
}

}  // namespace

void add_gnu_names_options(CLI::App& app, Options& options) {
    GnuNamesGroup& g = options.gnu_names;
    app.add_flag("-t,--verbose", g.print_commands,
                 "Print each command on stderr as it starts (GNU parallel's -t)");
    app.add_flag("-v", g.echo_count,
                 "Print each command on stdout before its output, as part of it (GNU parallel's "
                 "-v; in wgrun 0.1, -v was --report)");
    app.add_flag("--silent", g.silent, "Undo -v: print no command before its output");
    app.add_flag("-q,--quote", g.quote,
                 "Quote each word of the command for the shell, replacement strings replaced "
                 "within it (GNU parallel's -q; in wgrun 0.1, -q was --quiet)");
    app.add_flag("--progress", g.progress,
                 "GNU parallel's name for --eta: the run's progress on one line of stderr");
    app.add_option("--total-jobs,--total", g.total_jobs_text,
                   "The number of jobs --eta and --bar count to until the input has ended")
        ->check(kNotEmpty)
        ->check(parsed_by("--total-jobs", parse_total_jobs))
        ->type_name("N");
}

void check_gnu_names_options(const CLI::App& /*app*/, Options& options) {
    GnuNamesGroup& g = options.gnu_names;
    g.echo_commands = g.echo_count > 0 && !g.silent;
    if (g.progress) options.eta = true;
    if (!g.total_jobs_text.empty()) g.total_jobs = parse_total_jobs(g.total_jobs_text);
    // GNU's -q: the command words are one template, each word a word of the
    // command (with no ::: input, standard input's lines are its
    // arguments). Each word is shell-quoted here, so that the template
    // joined from them splits back into exactly these words; the builder
    // (quote_words) expands each and quotes it whole again.
    if (g.quote && !options.command.empty()) {
        options.stdin_arguments = true;
        for (std::string& word : options.command) word = shell_quote(word);
    }
}

}  // namespace wgrun::cli
