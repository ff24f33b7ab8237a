// shuffle_feed.hpp: --shuf: every job's input read first, then handed out in
// a random order (GNU parallel's --shuf).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "input/job_feed.hpp"

namespace wgrun {

/// Reads `inner` to its end at the first next() (no job starts before all
/// the input is in), shuffles the inputs with `seed`, then hands them out.
/// Job numbers ({#}) follow the new order, as in GNU parallel. The order
/// depends on the seed and the number of inputs alone, the same with any
/// compiler or library (Fisher-Yates over mt19937_64's numbers, no
/// library-defined distribution), so that the tasks of a --shard array,
/// which shuffle with kSharedSeed, number the jobs alike. Memory holds
/// every input. An InputError from `inner` comes out of the first next().
class ShuffleFeed : public JobFeed {
public:
    /// The seed of --shuf under --shard: every task of the array (and every
    /// --resume of one) must shuffle the same way.
    static constexpr std::uint64_t kSharedSeed = 20221122;

    ShuffleFeed(std::unique_ptr<JobFeed> inner, std::uint64_t seed)
        : inner_(std::move(inner)), random_(seed) {}
    std::optional<std::vector<std::string>> next() override;

private:
    std::unique_ptr<JobFeed> inner_;
    std::mt19937_64 random_;
    std::vector<std::vector<std::string>> inputs_;
    std::size_t next_ = 0;
    bool read_ = false;
};

}  // namespace wgrun
