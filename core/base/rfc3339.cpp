// rfc3339.cpp: UTC timestamps with milliseconds.
#include "base/rfc3339.hpp"

#include <cstdio>
#include <ctime>

namespace wgrun {

std::string rfc3339_utc_ms(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(time.time_since_epoch());
    const auto secs = floor<seconds>(ms);
    const std::time_t t = static_cast<std::time_t>(secs.count());
    std::tm utc{};
    ::gmtime_r(&t, &utc);
    char text[64];  // room for any int year
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>((ms - secs).count()));
    return text;
}

double seconds_ms(std::chrono::nanoseconds duration) {
    const auto ms = std::chrono::round<std::chrono::milliseconds>(duration);
    return static_cast<double>(ms.count()) / 1000.0;
}

}  // namespace wgrun
