// value_trim.hpp: --trim: white space taken off a job's values, as GNU
// parallel's --trim n|l|r|lr|rl does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wgrun {

/// Which ends of a value lose their white space.
enum class Trim { None, Left, Right, Both };

/// "n", "l", "r", "lr" or "rl" as a Trim; nothing for any other text.
std::optional<Trim> parse_trim(std::string_view text);

/// Takes white space off `value`'s ends as `trim` says. White space is
/// Perl's \s on bytes, as GNU's: space, \t, \n, \v, \f, \r.
void trim_value(std::string& value, Trim trim);

}  // namespace wgrun
