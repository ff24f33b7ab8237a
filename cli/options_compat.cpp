// options_compat.cpp: every other GNU parallel and xargs option, named:
// accepted and ignored, or refused with a reason (the table is
// cli/gnu_options.cpp); $PARALLEL; --citation, --minversion, --shellquote,
// --plain, --no-keep-order.
#include "options_compat.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>

#include "command/shell_quote.hpp"
#include "gnu_options.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {
namespace {

// --minversion VERSION: a whole number, as GNU parallel's =i takes.
bool is_whole_number(std::string_view text) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// VERSION is above the GNU parallel version wgrun follows.
bool above_followed_version(std::string_view text) {
    if (text.front() == '-') return false;
    if (text.front() == '+') text.remove_prefix(1);
    text.remove_prefix(std::min(text.find_first_not_of('0'), text.size()));
    const std::string followed = std::to_string(kGnuParallelVersion);
    if (text.size() != followed.size()) return text.size() > followed.size();
    return text > std::string_view(followed);
}

// One option of the words scanned: its words (the option, and its value
// when that is the next word) and the options it names (a bundle of short
// ones names several).
struct Unit {
    std::size_t first = 0;
    std::size_t count = 1;
    std::vector<const CLI::Option*> options;
};

// The option words at the front of `words`, GNU's spellings made wgrun's.
struct Scan {
    std::vector<std::string> words;
    std::vector<Unit> units;
    std::size_t end = 0;  // the first word that is not an option's (COMMAND, or "--")
};

bool takes_value(const CLI::Option* option) { return option->get_items_expected_min() > 0; }

std::string spelled(const std::string& name, bool from_env) {
    return from_env ? name + " (in $PARALLEL)" : name;
}

[[noreturn]] void refuse(const CompatOption& row, const std::string& name, bool from_env) {
    throw UsageError(unsupported_message(row, spelled(name, from_env)));
}

Scan scan(const CLI::App& app, std::vector<std::string> words, bool from_env) {
    Scan scan;
    std::size_t i = 0;
    while (i < words.size()) {
        std::string& word = words[i];
        if (word == "--" || word.size() < 2 || word.front() != '-') break;
        Unit unit;
        unit.first = i;
        if (word.starts_with("--")) {
            const std::size_t equals = word.find('=');
            const std::string name = word.substr(0, equals);
            const CLI::Option* option = app.get_option_no_throw(name);
            if (option == nullptr) {
                if (const CompatOption* row = find_compat_option(name)) {
                    if (row->status == CompatStatus::Unsupported) refuse(*row, name, from_env);
                    if (!row->wgrun.empty()) option = app.get_option_no_throw(std::string(row->wgrun));
                    if (option != nullptr) {
                        word = std::string(row->wgrun) +
                               (equals == std::string::npos ? "" : word.substr(equals));
                    }
                }
            }
            if (option != nullptr) {
                unit.options.push_back(option);
                if (equals == std::string::npos && takes_value(option)) unit.count = 2;
            }
        } else {
            for (std::size_t j = 1; j < word.size(); ++j) {
                const std::string name{'-', word[j]};
                const CLI::Option* option = app.get_option_no_throw(name);
                if (option == nullptr) {
                    const CompatOption* row = find_compat_option(name);
                    if (row != nullptr && row->status == CompatStatus::Unsupported) {
                        refuse(*row, name, from_env);
                    }
                    break;  // CLI11 says what it is
                }
                unit.options.push_back(option);
                if (takes_value(option)) {
                    if (j + 1 == word.size()) unit.count = 2;
                    break;
                }
            }
        }
        scan.units.push_back(unit);
        i += unit.count;
    }
    scan.end = std::min(i, words.size());
    scan.words = std::move(words);
    return scan;
}

bool names(const Scan& scan, const CLI::Option* option) {
    return std::any_of(scan.units.begin(), scan.units.end(), [option](const Unit& unit) {
        return std::find(unit.options.begin(), unit.options.end(), option) != unit.options.end();
    });
}

}  // namespace

void add_compat_options(CLI::App& app, Options& options) {
    CompatGroup& compat = options.compat;
    app.add_flag("--will-cite,--willcite,--no-notice,--nonotice,--nn", compat.will_cite,
                 "Accepted and ignored: wgrun prints no citation notice to silence");
    app.add_flag("--gnu", compat.gnu, "Accepted and ignored: wgrun always follows GNU parallel");
    app.add_flag("--citation,--bibtex", compat.citation,
                 "Say that wgrun has no citation notice, run nothing and exit");
    app.add_flag("--shellquote,--shell-quote,--shell_quote", compat.shellquote,
                 "Print each job's command quoted for the shell as GNU parallel quotes it (once "
                 "per --shellquote); run nothing");
    app.add_option("--minversion,--min-version", compat.minversion,
                   "Print 20221122, the GNU parallel version whose options wgrun follows; exit 0 "
                   "when VERSION is not above it, else 255")
        ->check(CLI::Validator(
            [](const std::string& text) {
                return is_whole_number(text)
                           ? std::string()
                           : whole("--minversion takes a whole number (a GNU parallel version, "
                                   "such as 20221122), not '" + text + "'");
            },
            ""))
        ->type_name("VERSION");
    app.add_flag("--plain", compat.plain, "Ignore the options in $PARALLEL");
    app.add_flag("--no-keep-order,--nokeeporder,--nok,--no-k", compat.no_keep_order,
                 "Undo a -k given before (in $PARALLEL, say)");
}

void check_compat_options(const CLI::App& /*app*/, Options& options) {
    if (options.compat.no_keep_order) options.keep_order = false;
}

std::vector<std::string> gnu_words(const CLI::App& app, const std::vector<std::string>& words,
                                   const char* parallel_env) {
    Scan given = scan(app, words, false);
    const CLI::Option* plain = app.get_option_no_throw("--plain");
    if (parallel_env == nullptr || *parallel_env == '\0' || names(given, plain)) {
        return std::move(given.words);
    }
    std::vector<std::string> env_words;
    try {
        env_words = split_words(parallel_env);
    } catch (const SplitError& e) {
        throw UsageError(std::string("$PARALLEL: ") + e.what());
    }
    const Scan env = scan(app, std::move(env_words), true);
    std::vector<std::string> out;
    for (const Unit& unit : env.units) {
        // The command line's own wins, but for the options that add up.
        const bool overridden =
            std::any_of(unit.options.begin(), unit.options.end(), [&](const CLI::Option* o) {
                return o->get_multi_option_policy() != CLI::MultiOptionPolicy::TakeAll &&
                       names(given, o);
            });
        if (overridden) continue;
        const std::size_t last = std::min(unit.first + unit.count, env.words.size());
        out.insert(out.end(), env.words.begin() + static_cast<std::ptrdiff_t>(unit.first),
                   env.words.begin() + static_cast<std::ptrdiff_t>(last));
    }
    auto given_end = given.words.begin() + static_cast<std::ptrdiff_t>(given.end);
    out.insert(out.end(), given.words.begin(), given_end);
    auto env_rest = env.words.begin() + static_cast<std::ptrdiff_t>(env.end);
    if (env_rest != env.words.end() && *env_rest == "--") ++env_rest;
    if (env_rest != env.words.end()) {  // $PARALLEL's words that are no option start COMMAND
        out.emplace_back("--");
        out.insert(out.end(), env_rest, env.words.end());
        if (given_end != given.words.end() && *given_end == "--") ++given_end;
    }
    out.insert(out.end(), given_end, given.words.end());
    return out;
}

std::string unknown_option_message(const std::string& word) {
    const std::string name =
        word.starts_with("--") ? word.substr(0, word.find('=')) : word.substr(0, 2);
    if (const CompatOption* row = find_compat_option(name);
        row != nullptr && row->status == CompatStatus::Unsupported) {
        return unsupported_message(*row, name);
    }
    // GNU parallel takes a long option abbreviated (--keep for --keep-order).
    if (name.size() > 3 && name.starts_with("--")) {
        const CompatOption* only = nullptr;
        std::string_view full;
        for (const CompatOption& row : compat_options()) {
            for (std::string_view n : names_of(row)) {
                if (!n.starts_with(name)) continue;
                if (only != nullptr && only != &row) return "unknown option '" + word + "'";
                if (only == nullptr) full = n;
                only = &row;
            }
        }
        if (only != nullptr) {
            return "unknown option '" + word + "': wgrun takes no abbreviations (GNU parallel " +
                   "reads it as " + std::string(full) + ")";
        }
    }
    return "unknown option '" + word + "'";
}

std::optional<int> compat_exit(const Options& options) {
    const CompatGroup& compat = options.compat;
    if (compat.citation) {
        fmt::print("wgrun has no citation notice to silence (GNU parallel's --citation does "
                   "that); nothing was run\n");
        return 0;
    }
    if (!compat.minversion.empty()) {
        fmt::print("{}\n", kGnuParallelVersion);
        return above_followed_version(compat.minversion) ? kUsageErrorStatus : 0;
    }
    return std::nullopt;
}

}  // namespace wgrun::cli
