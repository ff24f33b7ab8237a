// machine_limits.cpp: numbers with a percent, a sign or a unit.
#include "schedule/machine_limits.hpp"

#include <cmath>
#include <string>

#include "base/printable.hpp"

namespace wgrun {
namespace {

// A plain decimal number: digits, at most one '.', at least one digit.
bool decimal(std::string_view text, double& value) {
    bool digit = false;
    bool dot = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    if (!digit || text.size() > 30) return false;
    value = std::stod(std::string(text));
    return true;
}

}  // namespace

double parse_load(std::string_view text, unsigned cpus) {
    const auto error = [text] {
        return LimitError("invalid --load value '" + printable(std::string(text)) +
                          "': expected N, N%, +N or -N (N a number above 0)");
    };
    double value = 0;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        if (!decimal(text.substr(1), value)) throw error();
        value = text.front() == '+' ? cpus + value : cpus - value;
    } else if (!text.empty() && text.back() == '%') {
        if (!decimal(text.substr(0, text.size() - 1), value)) throw error();
        value = value * cpus / 100;
    } else if (!decimal(text, value)) {
        throw error();
    }
    if (!(value > 0)) {
        throw LimitError("invalid --load value '" + printable(std::string(text)) +
                         "': it must come to more than 0 threads");
    }
    return value;
}

std::uint64_t parse_size(std::string_view text, std::string_view option) {
    const auto error = [text, option] {
        return LimitError("invalid " + std::string(option) + " value '" + printable(std::string(text)) +
                          "': expected a size such as 500M, 2G or 1.5G");
    };
    std::string_view number = text;
    double unit = 1;
    if (number.size() >= 2 && (number.back() == 'i' || number.back() == 'I')) {
        number.remove_suffix(1);  // Ki, Mi...: binary, whatever the case
        switch (number.empty() ? '\0' : number.back()) {
            case 'k': case 'K': unit = 0x1p10; break;
            case 'm': case 'M': unit = 0x1p20; break;
            case 'g': case 'G': unit = 0x1p30; break;
            case 't': case 'T': unit = 0x1p40; break;
            case 'p': case 'P': unit = 0x1p50; break;
            default: throw error();
        }
        number.remove_suffix(1);
    } else if (!number.empty()) {
        switch (number.back()) {
            case 'K': unit = 0x1p10; break;
            case 'M': unit = 0x1p20; break;
            case 'G': unit = 0x1p30; break;
            case 'T': unit = 0x1p40; break;
            case 'P': unit = 0x1p50; break;
            case 'k': unit = 1e3; break;
            case 'm': unit = 1e6; break;
            case 'g': unit = 1e9; break;
            case 't': unit = 1e12; break;
            case 'p': unit = 1e15; break;
            default: break;
        }
        if (unit != 1) number.remove_suffix(1);
    }
    double value = 0;
    if (!decimal(number, value)) throw error();
    const double bytes = std::round(value * unit);
    if (!(bytes >= 1) || bytes > 0x1p62) {
        throw LimitError("invalid " + std::string(option) + " value '" +
                         printable(std::string(text)) + "': it must be at least 1 byte and below 4 EiB");
    }
    return static_cast<std::uint64_t>(bytes);
}

}  // namespace wgrun
