// shard_test.cpp: --shard K/N: the rule (which job numbers a shard takes,
// how many of a total are its) and the parse of K/N, auto and auto/N.
#include "input/shard.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using wgrun::parse_shard;
using wgrun::parse_shard_number;
using wgrun::Shard;
using wgrun::ShardSpec;

std::vector<std::uint64_t> taken(const Shard& shard, std::uint64_t jobs) {
    std::vector<std::uint64_t> seqs;
    for (std::uint64_t seq = 1; seq <= jobs; ++seq) {
        if (shard.takes(seq)) seqs.push_back(seq);
    }
    return seqs;
}

std::string error_of(std::string_view text) {
    try {
        parse_shard(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(Shard, TakesEveryNthJobFromK) {
    EXPECT_EQ(taken(Shard{1, 3}, 10), (std::vector<std::uint64_t>{1, 4, 7, 10}));
    EXPECT_EQ(taken(Shard{2, 3}, 10), (std::vector<std::uint64_t>{2, 5, 8}));
    EXPECT_EQ(taken(Shard{3, 3}, 10), (std::vector<std::uint64_t>{3, 6, 9}));
}

TEST(Shard, TheShardsOfNTakeEveryJobExactlyOnce) {
    for (std::uint64_t n = 1; n <= 7; ++n) {
        for (std::uint64_t seq = 1; seq <= 50; ++seq) {
            int takers = 0;
            for (std::uint64_t k = 1; k <= n; ++k) takers += Shard{k, n}.takes(seq) ? 1 : 0;
            EXPECT_EQ(takers, 1) << "job " << seq << " of " << n << " shards";
        }
    }
}

TEST(Shard, OneOfOneTakesEverything) {
    EXPECT_EQ(taken(Shard{1, 1}, 5), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(Shard{}, (Shard{1, 1}));
}

TEST(Shard, ShareCountsTheJobsTakenOfATotal) {
    for (std::uint64_t n = 1; n <= 6; ++n) {
        for (std::uint64_t k = 1; k <= n; ++k) {
            for (std::uint64_t jobs = 0; jobs <= 20; ++jobs) {
                EXPECT_EQ((Shard{k, n}).share(jobs), taken(Shard{k, n}, jobs).size())
                    << k << "/" << n << " of " << jobs;
            }
        }
    }
}

TEST(Shard, ShardsNearTheLimitsOfTheNumbers) {
    const std::uint64_t max = UINT64_MAX;
    EXPECT_TRUE((Shard{max, max}).takes(max));
    EXPECT_FALSE((Shard{max, max}).takes(1));
    EXPECT_EQ((Shard{max, max}).share(max), 1u);
    EXPECT_EQ((Shard{2, 2}).share(max), max / 2);
}

TEST(Shard, PrintsAsKSlashN) { EXPECT_EQ(to_string(Shard{3, 8}), "3/8"); }

TEST(ShardParse, KSlashN) {
    const ShardSpec spec = parse_shard("3/8");
    EXPECT_FALSE(spec.from_environment);
    EXPECT_EQ(spec.shard, (Shard{3, 8}));
    EXPECT_EQ(parse_shard("1/1").shard, (Shard{1, 1}));
    EXPECT_EQ(parse_shard("08/10").shard, (Shard{8, 10}));
    EXPECT_EQ(parse_shard("18446744073709551615/18446744073709551615").shard,
              (Shard{UINT64_MAX, UINT64_MAX}));
}

TEST(ShardParse, AutoAndAutoSlashN) {
    const ShardSpec plain = parse_shard("auto");
    EXPECT_TRUE(plain.from_environment);
    EXPECT_FALSE(plain.count);
    const ShardSpec counted = parse_shard("auto/8");
    EXPECT_TRUE(counted.from_environment);
    EXPECT_EQ(counted.count, 8u);
}

TEST(ShardParse, KOutsideOneToNIsRefused) {
    EXPECT_EQ(error_of("0/3"), "invalid --shard '0/3': K must be from 1 to N (3)");
    EXPECT_EQ(error_of("4/3"), "invalid --shard '4/3': K must be from 1 to N (3)");
    EXPECT_EQ(error_of("1/0"), "invalid --shard '1/0': N must be at least 1");
    EXPECT_EQ(error_of("0/0"), "invalid --shard '0/0': N must be at least 1");
    EXPECT_EQ(error_of("auto/0"), "invalid --shard 'auto/0': N must be at least 1");
}

TEST(ShardParse, NoKSlashNIsRefused) {
    const std::string usage = "give K/N (this run takes jobs K, K+N, K+2N, ...), auto or auto/N";
    EXPECT_EQ(error_of("3"), "invalid --shard '3': " + usage);
    EXPECT_EQ(error_of(""), "invalid --shard '': " + usage);
    EXPECT_EQ(error_of("automatic"), "invalid --shard 'automatic': " + usage);
    const std::string numbers = "K and N must be whole numbers, as in 2/8";
    for (const char* text : {"a/b", "1/b", "a/3", "/3", "1/", "-1/3", "+1/3", " 1/3", "1/3 ",
                             "1.0/3", "1/3/5", "0x1/3", "1/18446744073709551616"}) {
        EXPECT_EQ(error_of(text), "invalid --shard '" + std::string(text) + "': " + numbers);
    }
    EXPECT_EQ(error_of("auto/x"),
              "invalid --shard 'auto/x': N in auto/N must be a whole number, as in auto/8");
    EXPECT_EQ(error_of("auto/"),
              "invalid --shard 'auto/': N in auto/N must be a whole number, as in auto/8");
    EXPECT_EQ(error_of("AUTO"), "invalid --shard 'AUTO': " + usage);
}

TEST(ShardParse, NumbersAreDigitsOnly) {
    EXPECT_EQ(parse_shard_number("0"), 0u);
    EXPECT_EQ(parse_shard_number("007"), 7u);
    EXPECT_EQ(parse_shard_number("18446744073709551615"), UINT64_MAX);
    for (const char* text : {"", "-1", "+1", " 1", "1 ", "1e3", "x", "18446744073709551616"}) {
        EXPECT_FALSE(parse_shard_number(text)) << "'" << text << "'";
    }
}

}  // namespace
