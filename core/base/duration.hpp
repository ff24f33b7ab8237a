// duration.hpp: the durations of --delay and --timeout: "2.5", "500ms",
// "2s", "1m30s".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace wgrun {

using Duration = std::chrono::nanoseconds;

/// Parses a duration. A plain number is seconds ("2.5", "0", ".5"); else one
/// or more parts, each a number and a unit, largest unit first, each unit at
/// most once: "500ms", "2s", "1m30s", "1h", "1.5m", "1h2m3.5s". Units: h, m,
/// s, ms. No sign, no spaces, no exponent. Zero is allowed; anything above
/// 100 days is refused. Throws std::invalid_argument with a message that
/// names the text and says what is wrong, e.g.
/// "invalid duration '5x': unknown unit 'x' (use ms, s, m or h)".
Duration parse_duration(std::string_view text);

/// A duration for messages, as short as it can be said exactly to the
/// millisecond: "0s", "250ms", "2s", "2.5s", "1m30s", "1h", "1h0m5s"
/// (sub-millisecond parts are rounded to the nearest millisecond).
std::string format_duration(Duration duration);

}  // namespace wgrun
