// block_splitter_test.cpp: --pipe's blocks from a pipe (through memory) and
// from a regular file (ranges) are the same blocks, cut where GNU parallel
// cuts; the block grows for a long record (one warning); --header goes with
// every block; -N passes N records a block; --pipepart's parts.
#include "split/block_splitter.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "input/input_sources.hpp"
#include "support/test_support.hpp"

namespace {

using wgrun::BlockData;
using wgrun::HeaderRule;
using wgrun::PartPlanner;
using wgrun::RecordFormat;
using wgrun::SplitRules;
using wgrun::StreamSplitter;
using wgrun::parse_header_rule;
using wgrun::test::Fd;
using wgrun::test::TempDir;

std::string bytes_of(const BlockData& block) {
    std::string out = block.header ? *block.header : "";
    if (!block.file) return out + block.body;
    std::string range(block.length, '\0');
    EXPECT_EQ(::pread(block.file->get(), range.data(), range.size(), static_cast<off_t>(block.offset)),
              static_cast<ssize_t>(range.size()));
    return out + range;
}

struct Split {
    std::vector<std::string> blocks;
    std::vector<std::string> warnings;
    bool ranges = false;  // the blocks were ranges of the file
};

Split split(wgrun::BlockSource& source) {
    Split result;
    while (auto block = source.next()) {
        result.ranges = result.ranges || block->file != nullptr;
        result.blocks.push_back(bytes_of(*block));
    }
    return result;
}

// Through a pipe (a writer thread feeds it).
Split from_pipe(const std::string& data, const SplitRules& rules) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    Fd read_end(fds[0]);
    std::thread writer([fd = fds[1], &data] {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::write(fd, data.data() + done, std::min<std::size_t>(data.size() - done, 4096));
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    });
    std::vector<std::string> warnings;
    StreamSplitter splitter(read_end.get(), rules,
                            [&](const std::string& line) { warnings.push_back(line); });
    Split result = split(splitter);
    writer.join();
    result.warnings = warnings;
    return result;
}

// From a regular file.
Split from_file(const std::string& data, const SplitRules& rules) {
    TempDir dir;
    const std::string path = dir.file("input");
    {
        Fd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600));
        EXPECT_EQ(::write(out.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
    }
    Fd in(::open(path.c_str(), O_RDONLY));
    std::vector<std::string> warnings;
    StreamSplitter splitter(in.get(), rules,
                            [&](const std::string& line) { warnings.push_back(line); });
    Split result = split(splitter);
    result.warnings = warnings;
    // The input is read to its end, as from a pipe.
    EXPECT_EQ(::lseek(in.get(), 0, SEEK_CUR), static_cast<off_t>(data.size()));
    return result;
}

std::string numbers(int count) {
    std::string text;
    for (int i = 1; i <= count; ++i) text += std::to_string(i) + "\n";
    return text;
}

std::string joined(const std::vector<std::string>& blocks) {
    std::string all;
    for (const auto& block : blocks) all += block;
    return all;
}

SplitRules rules_of(std::uint64_t block) {
    SplitRules rules;
    rules.block = block;
    return rules;
}

TEST(StreamSplitter, CutsAfterTheLastNewlineOfEachBlock) {
    const std::string data = numbers(30);  // 1..9: 2 bytes each, then 3
    const Split piped = from_pipe(data, rules_of(10));
    // GNU: buf is filled to 10 bytes, cut after its last "\n"; the rest is carried.
    ASSERT_GE(piped.blocks.size(), 2u);
    EXPECT_EQ(piped.blocks[0], "1\n2\n3\n4\n5\n");
    EXPECT_EQ(piped.blocks[1], "6\n7\n8\n9\n");
    EXPECT_EQ(piped.blocks[2], "10\n11\n12\n");  // "10" carried, 8 more read
    EXPECT_EQ(joined(piped.blocks), data);
    for (const auto& block : piped.blocks) EXPECT_EQ(block.back(), '\n');
    EXPECT_FALSE(piped.ranges);
    EXPECT_TRUE(piped.warnings.empty());
}

TEST(StreamSplitter, AFileGivesTheSameBlocksAsRanges) {
    const std::string data = numbers(5000) + "no final newline";
    for (const std::uint64_t block : {7u, 100u, 4096u, 100000u}) {
        const Split piped = from_pipe(data, rules_of(block));
        const Split filed = from_file(data, rules_of(block));
        EXPECT_EQ(filed.blocks, piped.blocks) << "block " << block;
        EXPECT_TRUE(filed.ranges);
        EXPECT_EQ(joined(filed.blocks), data);
    }
}

TEST(StreamSplitter, ALongRecordGrowsTheBlockWithOneWarning) {
    const std::string data = "short\n" + std::string(1000, 'x') + "\nafter\n";
    for (const bool file : {false, true}) {
        const Split result = file ? from_file(data, rules_of(8)) : from_pipe(data, rules_of(8));
        ASSERT_EQ(result.warnings.size(), 1u) << file;
        EXPECT_NE(result.warnings[0].find("longer than --block 8"), std::string::npos);
        EXPECT_EQ(joined(result.blocks), data);
        for (const auto& block : result.blocks) EXPECT_EQ(block.back(), '\n') << "a record was cut";
    }
}

TEST(StreamSplitter, EmptyInputHasNoBlock) {
    EXPECT_TRUE(from_pipe("", rules_of(10)).blocks.empty());
    EXPECT_TRUE(from_file("", rules_of(10)).blocks.empty());
}

TEST(StreamSplitter, RecordsPerJob) {
    SplitRules rules = rules_of(1 << 20);
    rules.records_per_job = 3;
    const Split result = from_pipe(numbers(10), rules);
    EXPECT_EQ(result.blocks, (std::vector<std::string>{"1\n2\n3\n", "4\n5\n6\n", "7\n8\n9\n", "10\n"}));
    // -N goes through memory from a file too (it counts every record).
    EXPECT_FALSE(from_file(numbers(10), rules).ranges);
}

TEST(StreamSplitter, HeaderGoesWithEveryBlock) {
    SplitRules rules = rules_of(6);
    rules.header = parse_header_rule(":");
    const std::string data = "id\n1\n2\n3\n4\n5\n6\n";
    for (const bool file : {false, true}) {
        const Split result = file ? from_file(data, rules) : from_pipe(data, rules);
        ASSERT_GE(result.blocks.size(), 2u);
        std::string bodies;
        for (const auto& block : result.blocks) {
            ASSERT_EQ(block.rfind("id\n", 0), 0u) << block;
            bodies += block.substr(3);
        }
        EXPECT_EQ(bodies, "1\n2\n3\n4\n5\n6\n") << file;
    }
}

TEST(StreamSplitter, HeaderByCountAndByRegex) {
    EXPECT_EQ(parse_header_rule("2").lines, 2u);
    EXPECT_EQ(parse_header_rule(":").lines, 1u);
    const HeaderRule regex = parse_header_rule("#.*\\n");
    EXPECT_EQ(regex.lines, 0u);
    EXPECT_EQ(wgrun::header_length(regex, "#h\nx\n", true), std::optional<std::size_t>(3));
    EXPECT_EQ(wgrun::header_length(regex, "x\n", true), std::optional<std::size_t>(0));
    EXPECT_EQ(wgrun::header_length(parse_header_rule("2"), "a\nb", false), std::nullopt);
}

TEST(StreamSplitter, BinaryBlocksAreExact) {
    SplitRules rules = rules_of(1000);
    rules.format = RecordFormat(std::nullopt, std::string(""), false);
    const std::string data = wgrun::test::random_bytes(4500, 7);
    for (const bool file : {false, true}) {
        const Split result = file ? from_file(data, rules) : from_pipe(data, rules);
        ASSERT_EQ(result.blocks.size(), 5u);
        for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(result.blocks[i].size(), 1000u);
        EXPECT_EQ(joined(result.blocks), data);
    }
}

TEST(StreamSplitter, RemoveSeparatorsGoesThroughMemory) {
    SplitRules rules = rules_of(1 << 20);
    rules.remove_separators = true;
    const Split result = from_file("a\nb\n", rules);
    EXPECT_EQ(result.blocks, (std::vector<std::string>{"ab"}));
    EXPECT_FALSE(result.ranges);
}

TEST(PartPlanner, PartsStartAtTheFirstCutAfterEachMultiple) {
    TempDir dir;
    const std::string path = dir.file("parts");
    const std::string data = numbers(30);
    {
        Fd out(::open(path.c_str(), O_WRONLY | O_CREAT, 0600));
        ASSERT_EQ(::write(out.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
    }
    PartPlanner planner(path, rules_of(10));
    const Split result = split(planner);
    EXPECT_TRUE(result.ranges);
    EXPECT_EQ(joined(result.blocks), data);
    // GNU: positions 0, then the first "\n" end at or after 10, 10+that...
    ASSERT_GE(result.blocks.size(), 2u);
    EXPECT_EQ(result.blocks[0], "1\n2\n3\n4\n5\n6\n");  // cut at 12 (the "\n" at 11)
    for (const auto& block : result.blocks) EXPECT_EQ(block.back(), '\n');
}

TEST(PartPlanner, HeaderGoesWithEveryPart) {
    TempDir dir;
    const std::string path = dir.file("parts");
    const std::string data = "h\n" + numbers(20);
    {
        Fd out(::open(path.c_str(), O_WRONLY | O_CREAT, 0600));
        ASSERT_EQ(::write(out.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
    }
    SplitRules rules = rules_of(8);
    rules.header = parse_header_rule("1");
    PartPlanner planner(path, rules);
    const Split result = split(planner);
    std::string bodies;
    for (const auto& block : result.blocks) {
        ASSERT_EQ(block.rfind("h\n", 0), 0u);
        bodies += block.substr(2);
    }
    EXPECT_EQ(bodies, numbers(20));
}

TEST(PartPlanner, AMissingFileIsAnInputError) {
    EXPECT_THROW(PartPlanner("/nonexistent/wgrun", rules_of(10)), wgrun::InputError);
    EXPECT_THROW(PartPlanner("/dev/null", rules_of(10)), wgrun::InputError);  // not a regular file
}

}  // namespace
