// options_packing.cpp: argument packing: -n -N -L -s -x -X -m --xargs --max-replace-args.
#include <CLI/CLI.hpp>

#include <charconv>
#include <string_view>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {
namespace {

// A whole number >= 1, or nothing.
std::optional<std::size_t> count_of(std::string_view text) {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n == 0) return std::nullopt;
    return n;
}

CLI::Validator positive(const std::string& option) {
    return CLI::Validator(
        [option](const std::string& text) {
            return count_of(text) ? std::string()
                                  : whole(option + " takes a whole number of 1 or more, not '" +
                                          text + "'");
        },
        "");
}

}  // namespace

void add_packing_options(CLI::App& app, Options& options) {
    PackingGroup& p = options.packing;
    app.add_option("-n,--max-args", p.max_args,
                   "Pack up to N lines of stdin (or input records) into each command; {} is "
                   "all of them, {n} the n-th")
        ->check(positive("-n"))
        ->type_name("N");
    app.add_option("-N,--max-replace-args", p.max_replace_args,
                   "Like -n, and a word holding {} is repeated per argument (GNU's -N)")
        ->check(positive("-N"))
        ->type_name("N");
    app.add_option("-L", p.max_lines_L,
                   "N input lines per command, each line one argument; a line ending in a "
                   "blank goes on with the next (GNU's -L)")
        ->check(positive("-L"))
        ->type_name("N");
    // -l takes N only when it is a number: `-l echo` runs echo (see
    // check_packing_options), `-l2` and `-l 2` give 2.
    app.add_option("-l,--max-lines", p.max_lines, "-L N; N is 1 when not given")
        ->expected(0, 1)
        ->default_str("1")
        ->type_name("[N]");
    app.add_option("-s,--max-chars", p.max_chars,
                   "Commands of at most N bytes (default 131072; capped at the system's limit)")
        ->check(positive("-s"))
        ->type_name("N");
    app.add_flag("-x,--exit", p.exit,
                 "Stop the run when a command cannot take its arguments within the size limit");
    app.add_flag("-X", p.context_replace,
                 "Pack as many arguments as fit; a word holding {} is repeated per argument");
    app.add_flag("-m", p.m, "Pack as many arguments as fit; {} is all of them");
    app.add_flag("--xargs", p.xargs, "Pack as many arguments as fit, as xargs does");
}

void check_packing_options(const CLI::App& app, Options& options) {
    PackingGroup& p = options.packing;
    // `-l echo`: CLI11 took the command's first word for -l's value.
    if (app.count("-l") > 0 && !p.max_lines.empty() && !count_of(p.max_lines)) {
        if (p.max_lines.starts_with('-')) {
            throw UsageError("-l takes a whole number of 1 or more, not '" + p.max_lines + "'");
        }
        options.command.insert(options.command.begin(), p.max_lines);
        p.max_lines = "1";
    }
    if (app.count("-l") > 0 && p.max_lines.empty()) p.max_lines = "1";
    if (!p.max_lines_L.empty() && !p.max_lines.empty()) {
        throw UsageError("-L and -l both give the lines per command: give one");
    }
    const std::string& lines = p.max_lines_L.empty() ? p.max_lines : p.max_lines_L;
    if (p.m + p.context_replace + p.xargs > 1) {
        throw UsageError("-m, -X and --xargs are three ways to pack: give one");
    }
    p.on = !p.max_args.empty() || !p.max_replace_args.empty() || !lines.empty() ||
           !p.max_chars.empty() || p.exit || p.context_replace || p.m || p.xargs;
    if (!p.on) return;
    // GNU parallel's order: -N wins, then -n, then -L/-l.
    if (!p.max_replace_args.empty()) {
        p.records = *count_of(p.max_replace_args);
    } else if (!p.max_args.empty()) {
        p.records = *count_of(p.max_args);
    } else if (!lines.empty()) {
        p.records = *count_of(lines);
    } else if (!p.context_replace && !p.m && !p.xargs) {
        p.records = 0;  // -s or -x alone: as many as fit, as xargs does
    }
    if (!p.max_chars.empty()) p.chars = *count_of(p.max_chars);
    p.lines = !lines.empty();
    p.context = p.context_replace ||
                ((!p.max_replace_args.empty() || p.lines) && !p.m && !p.xargs);
    p.spread = p.m || p.context_replace;
    options.stdin_arguments = true;
}

}  // namespace wgrun::cli
