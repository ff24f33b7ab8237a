// runtime_median.cpp: the median runtime, exact for the first jobs and then
// from logarithmic buckets.
#include "schedule/runtime_median.hpp"

#include <algorithm>
#include <cmath>

namespace wgrun {
namespace {

// ln(1.01), the width of a bucket on a log scale: the geometric middle of a
// bucket is within sqrt(1.01) - 1 < 0.5% of any runtime in it. A literal,
// since std::log is not constexpr.
constexpr double kLogBase = 0.009950330853168092;

std::int64_t clamp_runtime(RuntimeMedian::Duration runtime) {
    return std::max<std::int64_t>(runtime.count(), 0);
}

// The mean of two runtimes, without overflow.
std::int64_t mean(std::int64_t a, std::int64_t b) { return a + (b - a) / 2; }

}  // namespace

std::size_t RuntimeMedian::bucket_of(std::int64_t ns) {
    if (ns <= 0) return 0;
    const double index = std::floor(std::log(static_cast<double>(ns)) / kLogBase) + 1;
    return index >= static_cast<double>(kBuckets - 1) ? kBuckets - 1
                                                      : static_cast<std::size_t>(index);
}

std::int64_t RuntimeMedian::bucket_middle(std::size_t bucket) {
    if (bucket == 0) return 0;
    return std::llround(std::exp((static_cast<double>(bucket) - 0.5) * kLogBase));
}

void RuntimeMedian::add(Duration runtime) {
    const std::int64_t ns = clamp_runtime(runtime);
    ++count_;
    if (buckets_.empty()) {
        if (count_ <= kExactSamples) {
            // Kept sorted: at most kExactSamples moves per insertion, and
            // median() is a lookup.
            exact_.insert(std::upper_bound(exact_.begin(), exact_.end(), ns), ns);
            return;
        }
        buckets_.assign(kBuckets, 0);
        for (const std::int64_t sample : exact_) ++buckets_[bucket_of(sample)];
        std::vector<std::int64_t>().swap(exact_);  // frees the memory, unlike clear()
    }
    ++buckets_[bucket_of(ns)];
}

std::optional<RuntimeMedian::Duration> RuntimeMedian::median() const {
    if (count_ < kMinSamples) return std::nullopt;
    // For an even count, the mean of the two middle runtimes: the usual
    // median, and symmetric, where picking the lower one would lean short.
    const std::uint64_t low = (count_ - 1) / 2, high = count_ / 2;
    if (buckets_.empty()) {
        return Duration(mean(exact_[low], exact_[high]));
    }
    std::uint64_t seen = 0;
    std::optional<std::int64_t> low_value;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        seen += buckets_[i];
        if (!low_value && seen > low) low_value = bucket_middle(i);
        if (seen > high) return Duration(mean(*low_value, bucket_middle(i)));
    }
    return std::nullopt;  // unreachable: the buckets hold count_ runtimes
}

}  // namespace wgrun
