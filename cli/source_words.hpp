// source_words.hpp: the words of wgrun's command line before CLI11 sees
// them: the input separators (::: :::: :::+ ::::+, or --arg-sep's and
// --arg-file-sep's), and GNU's options whose value must be attached
// (-i[R], --replace[=R], -e[STR], --eof[=STR]). Defined in
// cli/options_sources.cpp (CLI11 stays in cli/options*.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace wgrun::cli {

/// The separators that start input sources; each with "+" links.
struct Separators {
    std::string args = ":::";     // --arg-sep
    std::string files = "::::";   // --arg-file-sep
    std::size_t options_end = 0;  // words[0, options_end) are options and their values
};

/// The options prepare_words() rewrites, whose value is only ever attached
/// (-iR, --replace=R, -eSTR, --eof=STR): the completions know them so.
inline constexpr std::string_view kAttachedValueOptions[] = {"-i", "--replace", "-e", "--eof"};

/// True when `word` is one of the four separators `separators` make.
bool is_separator(std::string_view word, const Separators& separators);

/// Goes through the option words at the front of `words` (up to the first
/// word that is no option of `app`, or a separator) as CLI11 will: reads
/// --arg-sep and --arg-file-sep, and rewrites -i, -iR, --replace as
/// --replace=R ({} when R is not attached) and -eSTR, --eof=STR as
/// --eof=STR (-e and --eof alone, no end-of-file string: --eof-none), so
/// that CLI11 never takes the next word (the command) as their value, as
/// xargs does not. Returns the separators, and where the options end (a
/// separator there, as --arg-sep's value, separates nothing).
Separators prepare_words(const CLI::App& app, std::vector<std::string>& words);

}  // namespace wgrun::cli
