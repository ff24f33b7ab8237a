// options_sources.cpp: where input comes from: -I -i -d -E -e -r --arg-sep
// --arg-file-sep --link --shuf --shard --process-slot-var, and the words
// CLI11 must not see as they are (source_words.hpp).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <string_view>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"
#include "source_words.hpp"
#include "input/delimiter.hpp"
#include "input/shard.hpp"

namespace wgrun::cli {
namespace {

// An environment variable's name, as the shell takes it.
bool is_variable_name(std::string_view name) {
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
    for (const char c : name) {
        const bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

// How many words after it an option of `app` named `name` takes when its
// value is not attached: 1 for an option with a value (CLI11 takes the
// next word whatever it is), 0 for a flag; -1 for no such option.
int words_taken(const CLI::App& app, const std::string& name) {
    const CLI::Option* option = app.get_option_no_throw(name);
    if (option == nullptr) return -1;
    return option->get_items_expected_max() > 0 ? 1 : 0;
}

}  // namespace

bool is_separator(std::string_view word, const Separators& separators) {
    for (const std::string& separator : {separators.args, separators.files}) {
        if (word.size() >= separator.size() && word.substr(0, separator.size()) == separator) {
            const std::string_view rest = word.substr(separator.size());
            if (rest.empty() || rest == "+") return true;
        }
    }
    return false;
}

Separators prepare_words(const CLI::App& app, std::vector<std::string>& words) {
    Separators separators;
    std::size_t i = 0;
    while (i < words.size()) {
        const std::string word = words[i];
        if (is_separator(word, separators) || word == "--" || word.size() < 2 ||
            word.front() != '-') {
            break;  // the command (or the input) starts here
        }
        if (word.starts_with("--")) {
            const std::size_t equals = word.find('=');
            const std::string name = word.substr(0, equals);
            const bool attached = equals != std::string::npos;
            if (name == "--replace" && !attached) {
                words[i] = "--replace={}";
            } else if (name == "--eof" && !attached) {
                words[i] = "--eof-none";
            }
            const int taken = words_taken(app, name);
            if (taken < 0) break;  // unknown: CLI11 says so
            const bool value_next = taken > 0 && !attached && i + 1 < words.size();
            const std::string value = attached     ? word.substr(equals + 1)
                                      : value_next ? words[i + 1]
                                                   : std::string();
            if (name == "--arg-sep" || name == "--argsep") separators.args = value;
            if (name == "--arg-file-sep" || name == "--argfilesep") separators.files = value;
            i += value_next ? 2 : 1;
            continue;
        }
        // Short options, several in one word (-kj4, -ki%).
        bool next_is_value = false;
        bool unknown = false;
        for (std::size_t k = 1; k < word.size(); ++k) {
            const char c = word[k];
            if (c == 'i' || c == 'e') {
                const std::string rest = word.substr(k + 1);
                std::vector<std::string> replacement;
                if (k > 1) replacement.push_back(word.substr(0, k));  // the flags before
                if (c == 'i') replacement.push_back("--replace=" + (rest.empty() ? "{}" : rest));
                if (c == 'e') replacement.push_back(rest.empty() ? "--eof-none" : "--eof=" + rest);
                words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
                words.insert(words.begin() + static_cast<std::ptrdiff_t>(i), replacement.begin(),
                             replacement.end());
                i += replacement.size() - 1;  // the loop's ++i steps past them
                break;
            }
            const int taken = words_taken(app, std::string("-") + c);
            if (taken < 0) {
                unknown = true;
                break;
            }
            if (taken > 0) {
                next_is_value = k + 1 == word.size();  // else the rest is its value
                break;
            }
        }
        if (unknown) break;
        i += next_is_value ? 2 : 1;
    }
    separators.options_end = std::min(i, words.size());
    return separators;
}

void add_sources_options(CLI::App& app, Options& options) {
    SourcesGroup& input = options.input;
    app.add_option("-I", input.replace,
                   "Use R instead of {} for the input (one template, stdin's lines its input)")
        ->check(kNotEmpty)
        ->type_name("R");
    app.add_option("-i,--replace", input.replace,
                   "Like -I R; R must be attached (-iR, --replace=R); alone it is {}")
        ->check(kNotEmpty)
        ->type_name("R");
    app.add_option("-d,--delimiter", input.delimiter_text,
                   "Input records end at D: a character, or \\n \\t \\0 \\\\ \\NNN \\xHH")
        ->check(kNotEmpty)
        ->check(parsed_by("--delimiter", parse_delimiter))
        ->type_name("D");
    app.add_option("-E", input.eof, "A line equal to STR ends the input (it and the rest unread)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("-e,--eof", input.eof, "Like -E STR; STR must be attached (-eSTR, --eof=STR)")
        ->type_name("STR");
    // -e and --eof alone, as prepare_words() writes them: no end-of-file
    // string, and stdin's lines are arguments all the same (xargs).
    app.add_flag("--eof-none")->group("");
    app.add_flag("-r,--no-run-if-empty", input.no_run_if_empty,
                 "Skip input lines that are empty or only blanks: blank input runs nothing");
    app.add_option("--arg-sep,--argsep", input.arg_sep, "Use SEP instead of ::: (SEP+ for :::+)")
        ->check(kNotEmpty)
        ->type_name("SEP");
    app.add_option("--arg-file-sep,--argfilesep", input.arg_file_sep,
                   "Use SEP instead of :::: (SEP+ for ::::+)")
        ->check(kNotEmpty)
        ->type_name("SEP");
    app.add_flag("--link,--xapply", input.link,
                 "Take the input sources side by side, shorter ones wrapping around");
    app.add_flag("--shuf", input.shuf, "Read all input first, then run the jobs in random order");
    app.add_option("--shard", input.shard_text,
                   "Run only jobs K, K+N, K+2N, ... ({#} over the whole input), so that N runs "
                   "share the work; auto or auto/N: K and N from a Slurm, Kubernetes or AWS "
                   "Batch array task's variables (said on stderr)")
        ->check(kNotEmpty)
        ->check(parsed_by("--shard", parse_shard))
        ->type_name("K/N");
    app.add_option("--process-slot-var", input.process_slot_var,
                   "Set NAME to the job's slot less one (0, 1, ...) in each job")
        ->check(kNotEmpty)
        ->type_name("NAME");
}

void check_sources_options(const CLI::App& app, Options& options) {
    SourcesGroup& input = options.input;
    if (!input.process_slot_var.empty() && !is_variable_name(input.process_slot_var)) {
        throw UsageError("--process-slot-var '" + input.process_slot_var +
                         "' is not a variable name (letters, digits and _, not first a digit)");
    }
    if (input.arg_sep == input.arg_file_sep) {
        throw UsageError("--arg-sep and --arg-file-sep are both '" + input.arg_sep +
                         "': they must differ");
    }
    if (!input.shard_text.empty()) input.shard = parse_shard(input.shard_text);
    input.delimiter = !input.delimiter_text.empty() ? parse_delimiter(input.delimiter_text)
                      : options.null                ? '\0'
                                                    : '\n';
    // Options that only mean something when stdin's lines are arguments
    // make them so (see choose_job_source()): xargs' -I -i -d -E -e -r,
    // and -0, which is -d '\0'.
    for (const char* name : {"-I", "--replace", "--delimiter", "-E", "--eof", "--eof-none",
                             "--no-run-if-empty", "--null"}) {
        if (app.count(name) > 0) options.stdin_arguments = true;
    }
}

}  // namespace wgrun::cli
