// shard.cpp: --shard's value, K/N or auto[/N].
#include "input/shard.hpp"

#include <charconv>
#include <stdexcept>

namespace wgrun {
namespace {

[[noreturn]] void refuse(std::string_view text, const std::string& why) {
    throw std::invalid_argument("invalid --shard '" + std::string(text) + "': " + why);
}

}  // namespace

std::string to_string(const Shard& shard) {
    return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

std::optional<std::uint64_t> parse_shard_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

ShardSpec parse_shard(std::string_view text) {
    const std::size_t slash = text.find('/');
    const std::string_view first = text.substr(0, slash);
    ShardSpec spec;
    if (first == "auto") {
        spec.from_environment = true;
        if (slash == std::string_view::npos) return spec;
        const std::optional<std::uint64_t> count = parse_shard_number(text.substr(slash + 1));
        if (!count) refuse(text, "N in auto/N must be a whole number, as in auto/8");
        if (*count == 0) refuse(text, "N must be at least 1");
        spec.count = count;
        return spec;
    }
    if (slash == std::string_view::npos) {
        refuse(text, "give K/N (this run takes jobs K, K+N, K+2N, ...), auto or auto/N");
    }
    const std::optional<std::uint64_t> index = parse_shard_number(first);
    const std::optional<std::uint64_t> count = parse_shard_number(text.substr(slash + 1));
    if (!index || !count) refuse(text, "K and N must be whole numbers, as in 2/8");
    if (*count == 0) refuse(text, "N must be at least 1");
    if (*index == 0 || *index > *count) {
        refuse(text, "K must be from 1 to N (" + std::to_string(*count) + ")");
    }
    spec.shard = Shard{*index, *count};
    return spec;
}

}  // namespace wgrun
