// options_compat.hpp: what cli/options_compat.cpp gives parse() beyond its
// option group: the words of the command line read as GNU parallel reads
// them ($PARALLEL in front, GNU's other spellings, its options wgrun does
// not support refused by name), and the options that answer and exit.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wgrun::cli {

struct Options;

/// The option words before COMMAND, read as GNU parallel reads them, for
/// CLI11 to parse: `parallel_env` ($PARALLEL, or null) split as the shell
/// splits words, its options put before the command line's (an option the
/// command line gives again is the command line's, as in GNU parallel,
/// save for those that add up, such as -a) and its other words before
/// COMMAND, unless the command line has --plain; every spelling of
/// GNU's that wgrun's parser does not know made the one it does
/// (--keeporder: --keep-order). Throws UsageError for a GNU parallel or
/// xargs option wgrun does not support, naming it and saying why.
std::vector<std::string> gnu_words(const CLI::App& app, const std::vector<std::string>& words,
                                   const char* parallel_env);

/// The message for an option the parser did not know (`word` as CLI11
/// left it): GNU's and xargs' named with the reason, others "unknown option".
std::string unknown_option_message(const std::string& word);

/// --citation, --minversion: prints their answer and returns the exit
/// status, or nothing when neither was given. Throws UsageError.
std::optional<int> compat_exit(const Options& options);

/// Every name wgrun's parser knows ("-j", "--jobs", ...), for the tests
/// that hold the table in cli/gnu_options.cpp to the parser (defined in
/// cli/options.cpp, which builds the parser).
std::vector<std::string> parser_option_names();

}  // namespace wgrun::cli
