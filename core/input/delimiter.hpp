// delimiter.hpp: -d's argument, the byte that ends input records, read the
// way GNU xargs reads it.
#pragma once

#include <string_view>

namespace wgrun {

/// The record delimiter `text` names: one character, or an escape: \a \b \f
/// \n \r \t \v \\, an octal \NNN (\0 is NUL, up to \377) or a hex \xHH.
/// Throws std::invalid_argument naming `text` for anything else: an empty
/// text, several characters (xargs refuses them: GNU parallel would take a
/// string, wgrun a byte only), an unknown escape, a value above 255.
char parse_delimiter(std::string_view text);

}  // namespace wgrun
