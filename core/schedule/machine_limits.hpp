// machine_limits.hpp: --load and --memfree, their values and grammar.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace wgrun {

struct MachineLimits {
    double load = 0;            // --load: busy threads at or above this hold starts back (0: none)
    std::uint64_t memfree = 0;  // --memfree, bytes (0: none)
    bool any() const { return load > 0 || memfree > 0; }
};

/// Thrown by the parsers; the message is one line naming the bad value.
class LimitError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// --load MAX, the grammar of -j (GNU's): a number (1.5 too), N% of `cpus`,
/// +N or -N `cpus`. Always above 0.
double parse_load(std::string_view text, unsigned cpus);

/// --memfree SIZE, GNU's units: a number (2.5 too), then K M G T P (powers
/// of 1024, also written Ki Mi...), or k m g t p (powers of 1000); none for
/// bytes. Always above 0. Errors name `option` (--block takes the same).
std::uint64_t parse_size(std::string_view text, std::string_view option = "--memfree");

}  // namespace wgrun
