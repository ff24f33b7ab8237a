// block_feed_test.cpp: --pipe's jobs: a job per block with its stdin;
// --round-robin: -j jobs, the other blocks in the hub; --cat/--fifo: {} is
// DIR/N; --tee: every job of the inner feed reads one hub, and too many
// jobs for -j is an error.
#include "split/block_feed.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <string>

#include "input/input_sources.hpp"

namespace {

using wgrun::BlockData;
using wgrun::BlockFeed;
using wgrun::BlockFileKind;
using wgrun::BlockSource;
using wgrun::TeeFeed;

class Blocks : public BlockSource {
public:
    explicit Blocks(int count) {
        for (int i = 1; i <= count; ++i) {
            BlockData block;
            block.body = std::to_string(i) + "\n";
            blocks_.push_back(std::move(block));
        }
    }
    std::optional<BlockData> next() override {
        if (blocks_.empty()) return std::nullopt;
        BlockData block = std::move(blocks_.front());
        blocks_.pop_front();
        return block;
    }

private:
    std::deque<BlockData> blocks_;
};

TEST(BlockFeed, AJobPerBlockWithNoValues) {
    BlockFeed feed(std::make_unique<Blocks>(3));
    int jobs = 0;
    while (auto input = feed.next_input()) {
        ++jobs;
        EXPECT_TRUE(input->args.empty());
        EXPECT_NE(input->stdin_data, nullptr);
    }
    EXPECT_EQ(jobs, 3);
}

TEST(BlockFeed, CatAndFifoNameTheBlocksFile) {
    BlockFeed feed(std::make_unique<Blocks>(2), 0, BlockFileKind::Cat, "/tmp/dir");
    EXPECT_EQ(feed.next_input()->args, (std::vector<std::string>{"/tmp/dir/1"}));
    EXPECT_EQ(feed.next_input()->args, (std::vector<std::string>{"/tmp/dir/2"}));
    EXPECT_FALSE(feed.next_input());
}

TEST(BlockFeed, RoundRobinStartsAtMostItsJobs) {
    BlockFeed feed(std::make_unique<Blocks>(10), 3);
    std::vector<std::shared_ptr<const wgrun::JobStdin>> jobs;
    for (int i = 0; i < 3; ++i) {
        auto input = feed.next_input();
        ASSERT_TRUE(input);
        jobs.push_back(input->stdin_data);
    }
    // The fourth call pushes the other 7 blocks into the hub (its capacity
    // is 1): with the jobs gone, nobody reads, and the rest is dropped.
    jobs.clear();
    EXPECT_FALSE(feed.next_input());
}

TEST(BlockFeed, RoundRobinWithFewerBlocksThanJobs) {
    BlockFeed feed(std::make_unique<Blocks>(2), 4);
    EXPECT_TRUE(feed.next_input());
    EXPECT_TRUE(feed.next_input());
    EXPECT_FALSE(feed.next_input());
}

class Values : public wgrun::JobFeed {
public:
    explicit Values(int count) : count_(count) {}
    std::optional<std::vector<std::string>> next() override {
        if (at_ >= count_) return std::nullopt;
        return std::vector<std::string>{std::to_string(++at_)};
    }

private:
    int count_;
    int at_ = 0;
};

TEST(TeeFeed, EveryJobReadsTheStream) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ::close(fds[1]);
    TeeFeed feed(std::make_unique<Values>(3), fds[0], 0);
    int jobs = 0;
    while (auto input = feed.next_input()) {
        ++jobs;
        EXPECT_EQ(input->args, (std::vector<std::string>{std::to_string(jobs)}));
        EXPECT_NE(input->stdin_data, nullptr);
    }
    EXPECT_EQ(jobs, 3);
    ::close(fds[0]);
}

TEST(TeeFeed, MoreJobsThanSlotsIsAnError) {
    TeeFeed feed(std::make_unique<Values>(3), 0, 2);
    try {
        feed.next_input();
        FAIL() << "no error";
    } catch (const wgrun::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("-j 0"), std::string::npos) << e.what();
    }
}

}  // namespace
