// runtime_median_test.cpp: the median runtime, exact for few jobs and within
// 1% for many, in memory that stays the same whatever the number of jobs.
#include "schedule/runtime_median.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace wgrun {

// Reads the private storage, for the memory bound.
struct RuntimeMedianTestPeer {
    static std::size_t exact_capacity(const RuntimeMedian& m) { return m.exact_.capacity(); }
    static std::size_t bucket_count(const RuntimeMedian& m) { return m.buckets_.size(); }
    static std::size_t bucket_capacity(const RuntimeMedian& m) { return m.buckets_.capacity(); }
    static constexpr std::size_t kBuckets = RuntimeMedian::kBuckets;
    static std::size_t bucket_of(std::int64_t ns) { return RuntimeMedian::bucket_of(ns); }
    static std::int64_t bucket_middle(std::size_t i) { return RuntimeMedian::bucket_middle(i); }
};

}  // namespace wgrun

namespace {

using namespace std::chrono_literals;
using wgrun::RuntimeMedian;
using Peer = wgrun::RuntimeMedianTestPeer;
using Duration = RuntimeMedian::Duration;

constexpr Duration kYear = std::chrono::duration_cast<Duration>(std::chrono::years(1));

// The exact median of `samples` (the mean of the middle two for an even count).
std::int64_t exact_median(std::vector<std::int64_t> samples) {
    std::sort(samples.begin(), samples.end());
    const std::size_t n = samples.size();
    return samples[(n - 1) / 2] + (samples[n / 2] - samples[(n - 1) / 2]) / 2;
}

// True when `actual` is within 1% of `expected`.
bool within_one_percent(Duration actual, std::int64_t expected) {
    return std::abs(static_cast<double>(actual.count()) - static_cast<double>(expected)) <=
           0.01 * static_cast<double>(expected);
}

TEST(RuntimeMedian, EmptyBeforeThreeSamples) {
    RuntimeMedian median;
    EXPECT_FALSE(median.median());
    median.add(5s);
    EXPECT_FALSE(median.median());
    median.add(7s);
    EXPECT_FALSE(median.median());
    EXPECT_EQ(median.count(), 2u);
    median.add(6s);
    EXPECT_EQ(median.median(), 6s);
    EXPECT_EQ(median.count(), 3u);
}

TEST(RuntimeMedian, ExactForAnOddCount) {
    RuntimeMedian median;
    for (const Duration d : {9s, 1s, 100s, 3s, 2s}) median.add(d);
    EXPECT_EQ(median.median(), 3s);
}

TEST(RuntimeMedian, EvenCountIsTheMeanOfTheMiddleTwo) {
    RuntimeMedian median;
    for (const Duration d : {10s, 1s, 2s, 4s}) median.add(d);
    EXPECT_EQ(median.median(), 3s);
    median.add(1ns);
    median.add(Duration(3));
    // 1ns 3ns 1s 2s 4s 10s: (1s + 2s) / 2.
    EXPECT_EQ(median.median(), 1500ms);
}

TEST(RuntimeMedian, EvenMeanRoundsDown) {
    RuntimeMedian median;
    for (const std::int64_t ns : {1, 2, 5, 6}) median.add(Duration(ns));
    EXPECT_EQ(median.median(), Duration(3));  // (2 + 5) / 2
}

TEST(RuntimeMedian, NegativeRuntimesCountAsZero) {
    RuntimeMedian median;
    median.add(-5s);
    median.add(-1ns);
    median.add(1s);
    EXPECT_EQ(median.median(), 0s);
}

TEST(RuntimeMedian, ExactUpToTheLimit) {
    RuntimeMedian median;
    std::vector<std::int64_t> samples;
    std::mt19937_64 random(1);
    std::uniform_int_distribution<std::int64_t> runtime(0, 10'000'000'000);
    for (std::size_t i = 0; i < RuntimeMedian::kExactSamples; ++i) {
        samples.push_back(runtime(random));
        median.add(Duration(samples.back()));
        if (i + 1 >= RuntimeMedian::kMinSamples) {
            ASSERT_EQ(median.median(), Duration(exact_median(samples))) << i;
        }
    }
    EXPECT_EQ(Peer::bucket_count(median), 0u);
}

TEST(RuntimeMedian, WithinOnePercentOfALogNormalSample) {
    RuntimeMedian median;
    std::vector<std::int64_t> samples;
    std::mt19937_64 random(42);
    // Around 2s, spread over orders of magnitude, as job runtimes are.
    std::lognormal_distribution<double> runtime(std::log(2e9), 1.5);
    for (int i = 0; i < 100'000; ++i) {
        samples.push_back(static_cast<std::int64_t>(runtime(random)));
        median.add(Duration(samples.back()));
    }
    EXPECT_EQ(median.count(), 100'000u);
    const std::int64_t expected = exact_median(samples);
    ASSERT_TRUE(median.median());
    EXPECT_TRUE(within_one_percent(*median.median(), expected))
        << median.median()->count() << " vs " << expected;
}

TEST(RuntimeMedian, WithinOnePercentRightAfterTheSwitch) {
    RuntimeMedian median;
    std::vector<std::int64_t> samples;
    std::mt19937_64 random(7);
    std::uniform_int_distribution<std::int64_t> runtime(1'000'000, 60'000'000'000);
    for (std::size_t i = 0; i < RuntimeMedian::kExactSamples + 3; ++i) {
        samples.push_back(runtime(random));
        median.add(Duration(samples.back()));
        const std::int64_t expected = exact_median(samples);
        if (i + 1 >= RuntimeMedian::kMinSamples) {
            ASSERT_TRUE(within_one_percent(*median.median(), expected)) << i;
        }
    }
}

TEST(RuntimeMedian, WithinOnePercentAtEveryScale) {
    for (const std::int64_t ns :
         {std::int64_t{1}, std::int64_t{37}, std::int64_t{1'000}, std::int64_t{999'999},
          std::int64_t{123'456'789}, std::int64_t{3'600'000'000'000},
          std::int64_t{8'640'000'000'000'000}}) {
        RuntimeMedian median;
        for (std::size_t i = 0; i <= RuntimeMedian::kExactSamples; ++i) median.add(Duration(ns));
        ASSERT_EQ(Peer::bucket_count(median), Peer::kBuckets);
        EXPECT_TRUE(within_one_percent(*median.median(), ns)) << median.median()->count()
                                                              << " vs " << ns;
    }
}

TEST(RuntimeMedian, ZeroStaysZeroInTheBuckets) {
    RuntimeMedian median;
    for (int i = 0; i < 2000; ++i) median.add(i % 3 == 0 ? 5s : 0s);
    EXPECT_EQ(median.median(), 0s);
}

TEST(RuntimeMedian, RuntimesAboveAYearShareTheLastBucket) {
    EXPECT_EQ(Peer::bucket_of(kYear.count()), Peer::kBuckets - 2);
    EXPECT_EQ(Peer::bucket_of(Duration::max().count()), Peer::kBuckets - 1);
    EXPECT_GE(Peer::bucket_middle(Peer::kBuckets - 1), kYear.count());

    RuntimeMedian median;
    for (std::size_t i = 0; i <= RuntimeMedian::kExactSamples; ++i) median.add(Duration::max());
    ASSERT_TRUE(median.median());
    EXPECT_GE(*median.median(), kYear);
    EXPECT_LT(*median.median(), 2 * kYear);
}

TEST(RuntimeMedian, MemoryIsBounded) {
    RuntimeMedian median;
    for (std::size_t i = 0; i < RuntimeMedian::kExactSamples; ++i) median.add(1s);
    EXPECT_LE(Peer::exact_capacity(median), 2 * RuntimeMedian::kExactSamples);
    EXPECT_EQ(Peer::bucket_capacity(median), 0u);

    median.add(1s);  // one past the exact limit: into the buckets
    EXPECT_EQ(Peer::exact_capacity(median), 0u);
    EXPECT_EQ(Peer::bucket_count(median), Peer::kBuckets);
    const std::size_t capacity = Peer::bucket_capacity(median);

    std::mt19937_64 random(3);
    std::uniform_int_distribution<std::int64_t> runtime(0, Duration::max().count());
    for (int i = 0; i < 1'000'000; ++i) median.add(Duration(runtime(random)));
    EXPECT_EQ(median.count(), RuntimeMedian::kExactSamples + 1 + 1'000'000);
    EXPECT_EQ(Peer::exact_capacity(median), 0u);
    EXPECT_EQ(Peer::bucket_count(median), Peer::kBuckets);
    EXPECT_EQ(Peer::bucket_capacity(median), capacity);
    EXPECT_LE(Peer::kBuckets * sizeof(std::uint64_t), 32u * 1024);
}

}  // namespace
