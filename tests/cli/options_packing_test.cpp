// options_packing_test.cpp: -n -N -L -l -s -x -X -m --xargs parsed into
// Options::packing, what each decides (records per job, context replace,
// spreading, line continuation), stdin_arguments, and the usage errors.
#include "options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::parse_args;
using wgrun::test::usage_error_of;

using wgrun::cli::Options;

TEST(PackingOptions, NoneByDefault) {
    const Options o = options_of({"echo"});
    EXPECT_FALSE(o.packing.on);
    EXPECT_FALSE(o.stdin_arguments);
}

TEST(PackingOptions, MaxArgs) {
    for (const char* flag : {"-n", "--max-args"}) {
        const Options o = options_of({flag, "10", "gzip", "--best"});
        EXPECT_TRUE(o.packing.on);
        EXPECT_EQ(o.packing.records, 10u);
        EXPECT_FALSE(o.packing.context);
        EXPECT_FALSE(o.packing.spread);
        EXPECT_TRUE(o.stdin_arguments);
        EXPECT_EQ(o.command, (std::vector<std::string>{"gzip", "--best"}));
    }
    EXPECT_EQ(options_of({"-n3", "echo"}).packing.records, 3u);
}

TEST(PackingOptions, MaxReplaceArgsIsContextReplace) {
    for (const char* flag : {"-N", "--max-replace-args"}) {
        const Options o = options_of({flag, "2", "echo", "{1}", "{2}"});
        EXPECT_EQ(o.packing.records, 2u);
        EXPECT_TRUE(o.packing.context);
        EXPECT_TRUE(o.stdin_arguments);
    }
    // -N wins over -n, as in GNU.
    EXPECT_EQ(options_of({"-n", "5", "-N", "2", "echo"}).packing.records, 2u);
}

TEST(PackingOptions, LinesUpperAndLower) {
    const Options upper = options_of({"-L", "3", "echo"});
    EXPECT_EQ(upper.packing.records, 3u);
    EXPECT_TRUE(upper.packing.lines);
    EXPECT_TRUE(upper.packing.context);
    EXPECT_EQ(options_of({"-l2", "echo"}).packing.records, 2u);
    EXPECT_EQ(options_of({"-l", "4", "echo"}).packing.records, 4u);
    EXPECT_EQ(options_of({"--max-lines=5", "echo"}).packing.records, 5u);
    // -l without N is 1, and the next word, not a number, starts the command.
    const Options bare = options_of({"-l", "echo", "x"});
    EXPECT_EQ(bare.packing.records, 1u);
    EXPECT_EQ(bare.command, (std::vector<std::string>{"echo", "x"}));
    EXPECT_EQ(options_of({"-k", "-l"}).packing.records, 1u);
    // -n wins over -L, as in GNU.
    EXPECT_EQ(options_of({"-L", "3", "-n", "2", "echo"}).packing.records, 2u);
}

TEST(PackingOptions, MaxCharsAndExit) {
    const Options o = options_of({"-s", "100", "-x", "echo"});
    EXPECT_EQ(o.packing.chars, 100u);
    EXPECT_TRUE(o.packing.exit);
    EXPECT_EQ(o.packing.records, 0u);  // as many as fit
    EXPECT_TRUE(o.stdin_arguments);
    EXPECT_TRUE(options_of({"--max-chars", "50", "echo"}).packing.on);
    EXPECT_TRUE(options_of({"--exit", "echo"}).packing.exit);
}

TEST(PackingOptions, XmAndXargs) {
    const Options x = options_of({"-X", "echo", "pic{}.jpg"});
    EXPECT_TRUE(x.packing.context);
    EXPECT_TRUE(x.packing.spread);
    EXPECT_EQ(x.packing.records, 0u);
    const Options m = options_of({"-m", "echo"});
    EXPECT_FALSE(m.packing.context);
    EXPECT_TRUE(m.packing.spread);
    const Options xargs = options_of({"--xargs", "echo"});
    EXPECT_FALSE(xargs.packing.context);
    EXPECT_FALSE(xargs.packing.spread);
    EXPECT_TRUE(xargs.stdin_arguments);
    // -m and --xargs take context replace away from -N and -L, as in GNU.
    EXPECT_FALSE(options_of({"-m", "-N", "2", "echo"}).packing.context);
    EXPECT_FALSE(options_of({"--xargs", "-L", "2", "echo"}).packing.context);
}

TEST(PackingOptions, UsageErrors) {
    EXPECT_EQ(usage_error_of({"-n", "0", "echo"}),
              "-n takes a whole number of 1 or more, not '0'");
    EXPECT_EQ(usage_error_of({"-N", "x", "echo"}),
              "-N takes a whole number of 1 or more, not 'x'");
    EXPECT_EQ(usage_error_of({"-s", "-5", "echo"}).find("-s"), 0u);
    EXPECT_EQ(usage_error_of({"-L", "2", "-l", "3", "echo"}),
              "-L and -l both give the lines per command: give one");
    EXPECT_EQ(usage_error_of({"-m", "-X", "echo"}),
              "-m, -X and --xargs are three ways to pack: give one");
}

}  // namespace
