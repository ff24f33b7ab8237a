// printable.hpp: how messages and reports meant for a human show a command
// or an input value: on one line, with no byte the terminal would act on,
// and not megabytes long.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wgrun {

/// Commands longer than this many bytes are cut in reports and messages.
inline constexpr std::size_t kShownCommandBytes = 1000;

/// `text` with every byte a terminal could act on, or that would break the
/// line, shown as an escape: newline, tab, carriage return and NUL as \n,
/// \t, \r and \0; the other C0 control characters and DEL as \xNN (ESC is
/// \x1b); the C1 control characters (U+0080..U+009F, encoded C2 80..C2 9F)
/// as \xc2\xNN; and each byte that is not part of well-formed UTF-8 as \xNN.
/// Everything else, backslashes and well-formed UTF-8 included, is kept.
/// When `text` is longer than `limit` bytes, only its first `limit` bytes
/// (fewer, to end on a character boundary) are shown, followed by
/// "... (N bytes)" with N the whole size.
std::string printable(std::string_view text, std::size_t limit = std::string_view::npos);

/// printable(command, kShownCommandBytes): a command as reports show it.
inline std::string printable_command(std::string_view command) {
    return printable(command, kShownCommandBytes);
}

}  // namespace wgrun
