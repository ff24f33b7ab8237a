// value_trim.cpp: --trim on one value, in place.
#include "input/value_trim.hpp"

namespace wgrun {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

std::optional<Trim> parse_trim(std::string_view text) {
    if (text == "n") return Trim::None;
    if (text == "l") return Trim::Left;
    if (text == "r") return Trim::Right;
    if (text == "lr" || text == "rl") return Trim::Both;
    return std::nullopt;
}

void trim_value(std::string& value, Trim trim) {
    if (trim == Trim::Right || trim == Trim::Both) {
        std::size_t end = value.size();
        while (end > 0 && is_space(value[end - 1])) --end;
        value.resize(end);
    }
    if (trim == Trim::Left || trim == Trim::Both) {
        std::size_t begin = 0;
        while (begin < value.size() && is_space(value[begin])) ++begin;
        value.erase(0, begin);
    }
}

}  // namespace wgrun
