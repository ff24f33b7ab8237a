// shard_wiring.cpp: --shard K/N as it is, auto from getenv.
#include "shard_wiring.hpp"

#include <fmt/core.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "input/shard_environment.hpp"

namespace wgrun::cli {

Shard choose_shard(const Options& options, std::FILE* say) {
    const std::optional<ShardSpec>& spec = options.input.shard;
    if (!spec) return Shard{};
    if (!spec->from_environment) return spec->shard;
    ShardFromEnvironment found;
    try {
        found = shard_from_environment(spec->count, [](std::string_view name) {
            const char* value = std::getenv(std::string(name).c_str());
            return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
        });
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    // The values are whole numbers: nothing to make printable. A line that
    // cannot be written (stderr closed or full) changes nothing else.
    try {
        fmt::print(say, "wgrun: --shard {}: shard {} from {}\n", options.input.shard_text,
                   to_string(found.shard), found.source);
        std::fflush(say);
    } catch (const std::exception&) {
    }
    std::clearerr(say);
    return found.shard;
}

}  // namespace wgrun::cli
