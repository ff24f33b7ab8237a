// options_pipe_test.cpp: --pipe's options as parsed: --block's units and
// -N, what -N -0 --header mean under --pipe, --tee's -j, --cat implying
// --pipe, and the combinations refused (usage errors).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "options.hpp"
#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::usage_error_of;

TEST(PipeOptions, BlockSizesInGnuUnits) {
    EXPECT_EQ(options_of({"--pipe", "--block", "10k", "wc"}).pipe.block_size, 10000);
    EXPECT_EQ(options_of({"--pipe", "--block", "1M", "wc"}).pipe.block_size, 1 << 20);
    EXPECT_EQ(options_of({"--pipe", "--block-size", "2K", "wc"}).pipe.block_size, 2048);
    EXPECT_EQ(options_of({"--pipe", "wc"}).pipe.block_size, 0);  // the default, decided later
    EXPECT_EQ(options_of({"--pipepart", "--block=-3", "-a", "f", "wc"}).pipe.block_size, -3);
    EXPECT_NE(usage_error_of({"--pipe", "--block", "3G", "wc"}).find("2G-1"), std::string::npos);
    EXPECT_NE(usage_error_of({"--pipe", "--block", "x", "wc"}).find("--block"), std::string::npos);
}

TEST(PipeOptions, MinusNIsRecordsPerJobNotPacking) {
    const auto o = options_of({"--pipe", "-N", "3", "wc"});
    EXPECT_EQ(o.pipe.records, 3u);
    EXPECT_FALSE(o.packing.on);
    EXPECT_FALSE(o.stdin_arguments);
    EXPECT_NE(usage_error_of({"--pipe", "-X", "wc"}).find("-N N gives the records"), std::string::npos);
}

TEST(PipeOptions, NullEndsRecordsAtNul) {
    const auto o = options_of({"--pipe", "-0", "wc"});
    EXPECT_TRUE(o.pipe.has_recend);
    EXPECT_EQ(o.pipe.recend, std::string(1, '\0'));
    // --recend given wins.
    EXPECT_EQ(options_of({"--pipe", "-0", "--recend", "x", "wc"}).pipe.recend, "x");
}

TEST(PipeOptions, HeaderGoesToTheBlocks) {
    const auto o = options_of({"--pipe", "--header", ":", "wc"});
    EXPECT_TRUE(o.pipe.has_header);
    EXPECT_EQ(o.pipe.header, ":");
    EXPECT_FALSE(o.columns.has_header);
    EXPECT_NE(usage_error_of({"--pipe", "--header", "(", "wc"}).find("--header"), std::string::npos);
}

TEST(PipeOptions, CatAndFifoImplyPipe) {
    EXPECT_TRUE(options_of({"--cat", "wc {}"}).pipe.on);
    EXPECT_TRUE(options_of({"--fifo", "wc {}"}).pipe.pipe);
    EXPECT_FALSE(options_of({"--pipepart", "--cat", "-a", "f", "wc {}"}).pipe.pipe);
}

TEST(PipeOptions, TeeRunsAllJobsAtOnce) {
    EXPECT_EQ(options_of({"--pipe", "--tee", "grep {}", ":::", "a", "b"}).jobs, "0");
    EXPECT_EQ(options_of({"--pipe", "--tee", "-j", "2", "grep {}", ":::", "a"}).jobs, "2");
    EXPECT_NE(usage_error_of({"--pipe", "--tee", "wc"}).find(":::"), std::string::npos);
}

TEST(PipeOptions, RefusedCombinations) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--pipe"}, "need a command"},
        {{"--pipepart", "-N", "2", "-a", "f", "wc"}, "-N with --pipepart"},
        {{"--pipe", "--tee", "--retries", "2", "wc", ":::", "a"}, "--retries cannot be used with --tee"},
        {{"--block", "1M", "wc"}, "--block needs --pipe"},
        {{"--recend", "x", "wc"}, "--recend needs --pipe"},
        {{"--tee", "wc", ":::", "a"}, "--tee needs --pipe"},
        {{"--pipe", "--cat", "--fifo", "wc"}, "cannot be used together"},
        {{"--pipe", "--round-robin", "--cat", "wc"}, "--round-robin cannot"},
        {{"--pipe", "--round-robin", "--tee", "wc", ":::", "a"}, "cannot be used together"},
        {{"--pipe", "wc", ":::", "a"}, "input sources"},
        {{"--pipepart", "wc"}, "-a FILE"},
        {{"--pipepart", "-a", "-", "wc"}, "-a FILE"},
        {{"--pipepart", "-a", "f", "wc", ":::", "x"}, "one file"},
        {{"--pipe", "--shuf", "wc"}, "--shuf cannot be used with --pipe"},
        {{"--pipe", "-S", "host", "wc"}, "-S/--slf hosts cannot"},
        {{"--pipe", "--regexp", "--recstart", "(", "wc"}, "not a regular expression"},
        {{"--pipe", "--colsep", ",", "wc"}, "--colsep"},
    };
    for (const auto& [args, expected] : cases) {
        const std::string error = usage_error_of(args);
        EXPECT_NE(error.find(expected), std::string::npos) << args.front() << ": " << error;
    }
}

}  // namespace
