// utf8.hpp: making any bytes valid UTF-8, for the formats that require it
// (JSON Lines, JUnit XML). Commands, input values and output are bytes; a
// file name in Latin-1 must not make a whole report unreadable.
#pragma once

#include <string>
#include <string_view>

namespace wgrun {

/// U+FFFD REPLACEMENT CHARACTER, in UTF-8.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

/// True when `bytes` is well-formed UTF-8 (RFC 3629): no stray continuation
/// bytes, no truncated sequences, no overlong forms, no surrogates
/// (U+D800..U+DFFF), nothing above U+10FFFF.
bool is_valid_utf8(std::string_view bytes);

/// A copy of `bytes` that is valid UTF-8: well-formed sequences are kept
/// as they are, and each ill-formed part becomes U+FFFD. Parts are cut as
/// Unicode recommends ("maximal subparts", chapter 3, U+FFFD substitution),
/// as Python's `decode('utf-8', 'replace')`, WHATWG encoders and browsers
/// do: a truncated sequence (E2 82) is one U+FFFD; a byte that can start no
/// well-formed sequence (80, C0, C1, F5..FF), and each byte of an overlong
/// form (E0 80 80) or of a surrogate (ED A0 80), is one U+FFFD each.
/// NUL and other control characters are valid UTF-8 and are kept.
std::string valid_utf8(std::string_view bytes);

}  // namespace wgrun
