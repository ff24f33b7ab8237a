// template_rewrite.hpp: rewrites of a template's text before it is parsed,
// for the replacement strings that depend on the command line: GNU
// parallel's {-n} (counted from the last source).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wgrun {

/// `text` with each {-n...} (n >= 1, any modifier after it: {-1}, {-2.},
/// {-1/}) rewritten as {m...}, m = sources + 1 - n: the n-th source from the
/// end. Throws TemplateError (command_template.hpp) when n is beyond the
/// sources ("{-3}" with 2 sources; GNU parallel gives the first source's
/// value then, wgrun refuses) or is 0.
std::string resolve_negative_sources(std::string_view text, std::size_t sources);


}  // namespace wgrun
