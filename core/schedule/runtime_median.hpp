// runtime_median.hpp: the median runtime of the jobs finished so far, for
// --timeout N%, in bounded memory whatever the number of jobs.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace wgrun {

class RuntimeMedian {
public:
    using Duration = std::chrono::nanoseconds;

    /// Records one finished job's runtime (negative ones count as 0).
    void add(Duration runtime);

    /// The median of the runtimes added, or empty before kMinSamples. Exact
    /// while at most kExactSamples were added; beyond, within 1% (runtimes
    /// are then counted in logarithmic buckets, and the vector is freed).
    /// For an even count it is the mean of the two middle runtimes (rounded
    /// down to the nanosecond).
    std::optional<Duration> median() const;

    std::uint64_t count() const { return count_; }

    static constexpr std::uint64_t kMinSamples = 3;  // as GNU parallel
    static constexpr std::size_t kExactSamples = 1024;

private:
    // Bucket 0 holds 0ns, bucket i >= 1 runtimes in [1.01^(i-1), 1.01^i) ns;
    // the last one starts just above a year and takes all longer runtimes.
    static constexpr std::size_t kBuckets = 3821;
    static std::size_t bucket_of(std::int64_t ns);
    static std::int64_t bucket_middle(std::size_t bucket);  // its geometric middle

    std::uint64_t count_ = 0;
    std::vector<std::int64_t> exact_;   // nanoseconds, sorted, while count_ <= kExactSamples
    std::vector<std::uint64_t> buckets_;  // afterwards: kBuckets counters, allocated once

    friend struct RuntimeMedianTestPeer;  // the unit test checks the memory bound
};

}  // namespace wgrun
