// counted_feed_test.cpp: for {##}, {0#} and total_jobs(), every input is
// read first and counted, the count is told before the first input is
// handed out, and the inputs come out in their order.
#include "input/counted_feed.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "input/input_sources.hpp"

namespace {

using wgrun::CountedFeed;
using wgrun::JobFeed;

// A feed of "0".."n-1" that counts how far it was read; it throws after
// `fail_at` inputs when that is below n.
class NumbersFeed : public JobFeed {
public:
    NumbersFeed(int n, int* read, int fail_at = -1) : n_(n), read_(read), fail_at_(fail_at) {}
    std::optional<std::vector<std::string>> next() override {
        if (*read_ == fail_at_) throw wgrun::InputError("cannot read: it broke");
        if (*read_ == n_) return std::nullopt;
        return std::vector<std::string>{std::to_string((*read_)++)};
    }

private:
    int n_;
    int* read_;
    int fail_at_;
};

TEST(CountedFeed, ReadsAndCountsEverythingBeforeTheFirstInput) {
    int read = 0;
    std::vector<std::uint64_t> told;
    CountedFeed feed(std::make_unique<NumbersFeed>(100, &read),
                     [&](std::uint64_t jobs) { told.push_back(jobs); });
    EXPECT_EQ(read, 0) << "nothing is read before the first next()";
    EXPECT_TRUE(told.empty());
    auto first = feed.next();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(read, 100);
    EXPECT_EQ(told, std::vector<std::uint64_t>{100});
    EXPECT_EQ(*first, std::vector<std::string>{"0"});
    for (int i = 1; i < 100; ++i) {
        auto input = feed.next();
        ASSERT_TRUE(input.has_value());
        EXPECT_EQ(*input, std::vector<std::string>{std::to_string(i)}) << "in their order";
    }
    EXPECT_EQ(feed.next(), std::nullopt);
    EXPECT_EQ(feed.next(), std::nullopt);
    EXPECT_EQ(told.size(), 1u) << "told once";
}

TEST(CountedFeed, NoInputIsATotalOfZero) {
    int read = 0;
    std::vector<std::uint64_t> told;
    CountedFeed feed(std::make_unique<NumbersFeed>(0, &read),
                     [&](std::uint64_t jobs) { told.push_back(jobs); });
    EXPECT_EQ(feed.next(), std::nullopt);
    EXPECT_EQ(told, std::vector<std::uint64_t>{0});
}

TEST(CountedFeed, AnInputErrorComesOutOfTheFirstNextAndNoTotalIsTold) {
    int read = 0;
    bool told = false;
    CountedFeed feed(std::make_unique<NumbersFeed>(10, &read, 4),
                     [&](std::uint64_t) { told = true; });
    EXPECT_THROW(feed.next(), wgrun::InputError);
    EXPECT_FALSE(told);
}

}  // namespace
