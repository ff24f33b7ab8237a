// shell_quote.hpp: quoting words for /bin/sh, and splitting a command line
// into words by sh's quoting rules without any expansion (for --no-shell).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

/// Returns `word` quoted so that /bin/sh reads it back as exactly one word
/// equal to `word`, with no expansion of any kind: a word made only of
/// [A-Za-z0-9_./:@%+,-] (and not empty) is returned as is; anything else is
/// put in single quotes, each ' written as '\''. The empty word is ''.
/// Bytes are opaque: newlines, NULs excepted (sh cannot hold them), tabs and
/// non-UTF-8 bytes are quoted like any other.
std::string shell_quote(std::string_view word);

/// shell_quote(word).size(), without building it.
std::size_t shell_quoted_size(std::string_view word);

/// Thrown by split_words on input that sh itself would reject.
class SplitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Splits `line` into words as sh does, with quoting but no expansion:
/// blanks (space, tab, newline) separate words; '...' is literal; "..." is
/// literal except that backslash escapes $ ` " \ and newline; outside quotes a
/// backslash escapes the next byte (backslash-newline joins lines). No
/// variable, command, tilde, glob or arithmetic expansion: `$HOME` stays
/// `$HOME`. Adjacent quoted and unquoted parts join into one word; '' makes an
/// empty word.
/// Throws SplitError("unterminated single quote" / "unterminated double
/// quote" / "trailing backslash") on bad input.
std::vector<std::string> split_words(std::string_view line);

}  // namespace wgrun
