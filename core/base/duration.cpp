// duration.cpp: parsing and formatting the durations of --delay and --timeout.
#include "base/duration.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace wgrun {
namespace {

constexpr std::uint64_t kNsPerMs = 1'000'000;
constexpr std::uint64_t kNsPerS = 1'000'000'000;
constexpr std::uint64_t kMaxNs = 100ull * 24 * 3600 * kNsPerS;  // 100 days

struct Unit {
    std::string_view name;
    int shift;            // the power of ten that turns the number into nanoseconds...
    std::uint64_t times;  // ...before this small factor
};

// Largest first: a part's unit must come later in this table than the
// previous part's.
constexpr Unit kUnits[] = {
    {"h", 9, 3600},
    {"m", 9, 60},
    {"s", 9, 1},
    {"ms", 6, 1},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[noreturn]] void fail(std::string_view text, const std::string& why) {
    throw std::invalid_argument("invalid duration '" + std::string(text) + "': " + why);
}

// digits[.digits] times the unit, in nanoseconds rounded half up; above kMaxNs
// it returns kMaxNs + 1. Decimal digits are shifted and multiplied exactly, so
// "0.1" is 100000000ns and not whatever the nearest double gives.
std::uint64_t to_nanoseconds(std::string_view integer, std::string_view fraction,
                             const Unit& unit) {
    // Shifting the decimal point moves the first `shift` fraction digits
    // (zeros past its end) into the integer part.
    std::string whole(integer);
    for (int i = 0; i < unit.shift; ++i) {
        whole += static_cast<std::size_t>(i) < fraction.size() ? fraction[i] : '0';
    }
    const std::string_view rest =
        fraction.size() > static_cast<std::size_t>(unit.shift) ? fraction.substr(unit.shift)
                                                               : std::string_view();

    std::uint64_t value = 0;
    for (const char c : whole) {
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        if (value > kMaxNs) return kMaxNs + 1;  // also keeps the next step from overflowing
    }
    if (value > kMaxNs / unit.times) return kMaxNs + 1;
    value *= unit.times;

    // rest * times, digit by digit from the right: the final carry is its
    // integer part, and the first digit of the product says how to round.
    std::uint64_t carry = 0;
    std::uint64_t first_digit = 0;
    for (std::size_t i = rest.size(); i-- > 0;) {
        const std::uint64_t x = static_cast<std::uint64_t>(rest[i] - '0') * unit.times + carry;
        first_digit = x % 10;
        carry = x / 10;
    }
    value += carry + (first_digit >= 5 ? 1 : 0);
    return value > kMaxNs ? kMaxNs + 1 : value;
}

// "3" for 3000ms, "2.5" for 2500ms, "0.05" for 50ms.
std::string seconds_text(std::uint64_t ms) {
    std::string text = std::to_string(ms / 1000);
    const std::uint64_t frac = ms % 1000;
    if (frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, 3 - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        text += '.' + digits;
    }
    return text;
}

}  // namespace

Duration parse_duration(std::string_view text) {
    if (text.empty()) fail(text, "empty");
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            fail(text, "spaces are not allowed");
        }
    }
    if (text[0] == '-' || text[0] == '+') fail(text, "a duration has no sign");

    std::uint64_t total = 0;
    std::size_t next_unit = 0;  // index in kUnits of the smallest unit still allowed
    bool first = true;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos;
        const std::string_view integer = text.substr(start, pos - start);
        std::string_view fraction;
        bool point = false;
        if (pos < text.size() && text[pos] == '.') {
            point = true;
            const std::size_t frac_start = ++pos;
            while (pos < text.size() && is_digit(text[pos])) ++pos;
            fraction = text.substr(frac_start, pos - frac_start);
        }
        const std::string_view number = text.substr(start, pos - start);

        // The unit is everything up to the next digit or point, so that "2sec"
        // and "5µs" are named whole in the message.
        const std::size_t unit_start = pos;
        while (pos < text.size() && !is_digit(text[pos]) && text[pos] != '.') ++pos;
        const std::string_view unit_name = text.substr(unit_start, pos - unit_start);

        if (integer.empty() && fraction.empty()) {
            if (point) fail(text, "'.' is not a number");
            fail(text, "no number before '" + std::string(unit_name) + "'");
        }
        if (unit_name.empty()) {
            if (pos < text.size()) {  // another point: "1.5.2"
                fail(text, "'" + std::string(number) + std::string(text.substr(pos)) +
                               "' is not a number");
            }
            if (!first) {
                fail(text, "no unit after '" + std::string(number) + "' (use ms, s, m or h)");
            }
            total = to_nanoseconds(integer, fraction, kUnits[2]);  // a plain number is seconds
            break;
        }

        std::size_t u = 0;
        while (u < std::size(kUnits) && kUnits[u].name != unit_name) ++u;
        if (u == std::size(kUnits)) {
            if ((unit_name == "e" || unit_name == "E") && pos < text.size()) {
                fail(text, "exponents are not allowed");
            }
            fail(text, "unknown unit '" + std::string(unit_name) + "' (use ms, s, m or h)");
        }
        if (u < next_unit) {
            fail(text, "units must go from largest to smallest, each at most once ('" +
                           std::string(unit_name) + "' comes too late)");
        }
        next_unit = u + 1;
        first = false;
        total += to_nanoseconds(integer, fraction, kUnits[u]);
        if (total > kMaxNs) break;  // each part is at most kMaxNs + 1: no overflow
    }
    if (total > kMaxNs) fail(text, "more than 100 days");
    return Duration(static_cast<Duration::rep>(total));
}

std::string format_duration(Duration duration) {
    const Duration::rep ns = duration.count();
    // The magnitude as unsigned, so that the most negative value does not overflow.
    const std::uint64_t magnitude =
        ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    const std::uint64_t ms = magnitude / kNsPerMs + (magnitude % kNsPerMs >= kNsPerMs / 2 ? 1 : 0);
    if (ms == 0) return "0s";
    const std::string sign = ns < 0 ? "-" : "";
    if (ms < 1000) return sign + std::to_string(ms) + "ms";

    const std::uint64_t hours = ms / 3'600'000;
    const std::uint64_t minutes = ms / 60'000 % 60;
    const std::uint64_t seconds_ms = ms % 60'000;
    std::string text = sign;
    if (hours != 0) text += std::to_string(hours) + "h";
    // Minutes are written when seconds follow hours ("1h0m5s"), so that no
    // unit is skipped between the first and the last.
    if (minutes != 0 || (hours != 0 && seconds_ms != 0)) text += std::to_string(minutes) + "m";
    if (seconds_ms != 0) text += seconds_text(seconds_ms) + "s";
    return text;
}

}  // namespace wgrun
