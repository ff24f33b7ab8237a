// column_names.hpp: --header's column names in a command template ({name},
// {name.} ...), rewritten to the column positions ({1}, {1.} ...) before the
// template is parsed, as GNU parallel does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

/// `text` with column names replaced by positions. The k-th name NAME
/// (1-based, `names[k-1]`; an empty name names nothing) is replaced in
///   {NAME} {NAME/} {NAME//} {NAME.} {NAME/.}  ->  {k} {k/} {k//} {k.} {k/.}
///   {=NAME EXPR=}                             ->  {=k EXPR=}  (white space after NAME)
/// Names are plain text (GNU reads them as regular expressions). Where two
/// names fit, the first wins; the text is read once, so a position put in
/// is never read as a name.
std::string name_columns(std::string_view text, const std::vector<std::string>& names);

}  // namespace wgrun
