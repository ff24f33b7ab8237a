// gnu_quote.hpp: quoting a string for the shell exactly as GNU parallel's
// Q() does (its shell_quote_scalar_default), for --shellquote, whose output
// scripts compare and feed back to a shell.
#pragma once

#include <string>
#include <string_view>

namespace wgrun {

/// `text` quoted as GNU parallel 20221122 quotes it for a Bourne shell: a
/// non-empty string of only [-_.+a-zA-Z0-9/] as it is; the empty string as
/// ''; anything else in single quotes, each ' written as '"'"', and an ''
/// left at either end by that dropped ("it's" -> 'it'"'"'s', "'a" ->
/// "'"'a').
std::string gnu_quote(std::string_view text);

}  // namespace wgrun
