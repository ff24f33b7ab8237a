// completion.hpp: wgrun's options, as plain values, into completion scripts
// for bash, zsh and fish (`wgrun --completion SHELL`). The options come from
// the parser's own table (completion_options() in options.cpp), so a script
// never names an option the parser does not know.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wgrun::cli {

/// One option of the parser, as a shell completes it.
struct CompletionOption {
    enum class Value { None, Optional, Required };  // a flag; --color[=WHEN]; --joblog FILE
    enum class Kind { Word, File, Dir, Host };       // what a value is (Word: anything)
    std::vector<std::string> names;  // as typed, short ones first: "-j", "-P", "--jobs"
    Value value = Value::None;
    Kind kind = Kind::Word;
    std::string value_name;           // FILE, WHEN, N: the value's name in --help
    std::vector<std::string> values;  // the values offered, when the option names them
    std::string description;          // --help's text
};

/// The shells there is a script for, as --completion takes them.
inline constexpr std::string_view kCompletionShells[] = {"bash", "zsh", "fish"};

/// The parser's options but the hidden ones (the spellings it writes
/// itself), in --help's order. In options.cpp, where CLI11 is.
std::vector<CompletionOption> completion_options();

/// The script for `shell` (one of kCompletionShells; anything else: empty).
std::string completion_script(std::string_view shell, const std::vector<CompletionOption>& options);

}  // namespace wgrun::cli
