// rfc3339.hpp: wall-clock times as RFC 3339 text, for the result formats
// (JSON Lines, JUnit XML).
#pragma once

#include <chrono>
#include <string>

namespace wgrun {

/// `time` in UTC with milliseconds (rounded down): "2026-11-28T11:10:57.123Z".
std::string rfc3339_utc_ms(std::chrono::system_clock::time_point time);

/// A duration in seconds, rounded to the nearest millisecond, as a number
/// (0.123 for 123456 microseconds).
double seconds_ms(std::chrono::nanoseconds duration);

}  // namespace wgrun
