// shard.hpp: --shard K/N: which of the input's jobs a run takes (the rule)
// and the option's value (its parse). Where an array task finds its K and N
// in the environment (--shard auto) is shard_environment.hpp's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wgrun {

/// Shard K of N: the jobs numbered K, K+N, K+2N, ..., numbered as {#}
/// counts them over the whole input (after -n/-N/-X packing). N runs over
/// the same input, with K = 1 ... N, take every job exactly once; 1/1
/// takes them all.
struct Shard {
    std::uint64_t index = 1;  // K: 1 <= K <= N
    std::uint64_t count = 1;  // N: >= 1

    /// True when job `seq` (from 1) is this shard's: (seq - 1) mod N = K - 1.
    bool takes(std::uint64_t seq) const { return (seq - 1) % count == index - 1; }
    /// How many of jobs 1 ... `jobs` are this shard's.
    std::uint64_t share(std::uint64_t jobs) const {
        return jobs < index ? 0 : (jobs - index) / count + 1;
    }
    bool operator==(const Shard&) const = default;
};

/// "3/8".
std::string to_string(const Shard& shard);

/// --shard's value as given.
struct ShardSpec {
    bool from_environment = false;       // auto or auto/N: shard_from_environment()
    Shard shard;                         // K/N (unused when from_environment)
    std::optional<std::uint64_t> count;  // auto/N: N
};

/// Reads "K/N" (whole numbers, 1 <= K <= N), "auto" or "auto/N" (N >= 1).
/// Throws std::invalid_argument naming --shard and `text` ("invalid
/// --shard '4/3': K must be from 1 to N (3)").
ShardSpec parse_shard(std::string_view text);

/// A whole number as --shard and the array variables write it: decimal
/// digits only (no sign, no blanks), at most 2^64 - 1; nothing otherwise.
std::optional<std::uint64_t> parse_shard_number(std::string_view text);

}  // namespace wgrun
