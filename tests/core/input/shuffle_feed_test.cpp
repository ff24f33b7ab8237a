// shuffle_feed_test.cpp: --shuf reads every input first, then hands each out
// once, in an order its seed alone decides.
#include "input/shuffle_feed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using wgrun::JobFeed;
using wgrun::ListFeed;
using wgrun::ShuffleFeed;

using Inputs = std::vector<std::vector<std::string>>;

// A feed of "0".."n-1" that counts how far it was read.
class CountingFeed : public JobFeed {
public:
    CountingFeed(int n, int* read) : n_(n), read_(read) {}
    std::optional<std::vector<std::string>> next() override {
        if (*read_ == n_) return std::nullopt;
        return std::vector<std::string>{std::to_string((*read_)++)};
    }

private:
    int n_;
    int* read_;
};

Inputs drain(JobFeed& feed) {
    Inputs out;
    while (auto input = feed.next()) out.push_back(std::move(*input));
    EXPECT_EQ(feed.next(), std::nullopt);
    return out;
}

TEST(ShuffleFeed, ReadsEverythingBeforeTheFirstInput) {
    int read = 0;
    ShuffleFeed feed(std::make_unique<CountingFeed>(100, &read), 1);
    EXPECT_EQ(read, 0) << "nothing is read before the first next()";
    ASSERT_TRUE(feed.next().has_value());
    EXPECT_EQ(read, 100);
}

TEST(ShuffleFeed, EachInputOnceInAnotherOrder) {
    int read = 0;
    ShuffleFeed feed(std::make_unique<CountingFeed>(50, &read), 7);
    Inputs out = drain(feed);
    ASSERT_EQ(out.size(), 50u);
    Inputs in;
    for (int i = 0; i < 50; ++i) in.push_back({std::to_string(i)});
    EXPECT_NE(out, in) << "50 inputs kept their order: 1 chance in 50!";
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::stoi(a.front()) < std::stoi(b.front());
    });
    EXPECT_EQ(out, in);
}

TEST(ShuffleFeed, TheSeedDecidesTheOrder) {
    std::vector<std::string> words{"a", "b", "c", "d", "e", "f", "g", "h"};
    ShuffleFeed one(std::make_unique<ListFeed>(words), 42);
    ShuffleFeed two(std::make_unique<ListFeed>(words), 42);
    EXPECT_EQ(drain(one), drain(two));
}

// The tasks of a --shard array shuffle with the shared seed and must agree
// on the order, whichever build of wgrun each runs: the order is pinned.
TEST(ShuffleFeed, TheOrderOfASeedIsFixed) {
    std::vector<std::string> words{"a", "b", "c", "d", "e", "f", "g", "h"};
    ShuffleFeed feed(std::make_unique<ListFeed>(words), ShuffleFeed::kSharedSeed);
    std::string order;
    for (const auto& input : drain(feed)) order += input.front();
    EXPECT_EQ(order, "hbdegacf");  // checked with an independent MT19937-64
}

TEST(ShuffleFeed, EmptyInputGivesNothing) {
    ShuffleFeed feed(std::make_unique<ListFeed>(std::vector<std::string>{}), 3);
    EXPECT_EQ(feed.next(), std::nullopt);
}

}  // namespace
