// options_columns_test.cpp: --colsep, --csv, --header and --trim parsed from
// argument lists, no job run.
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

TEST(ColumnsOptions, NoneGiven) {
    const Options o = options_of({"echo"});
    EXPECT_FALSE(o.columns.has_colsep);
    EXPECT_FALSE(o.columns.csv);
    EXPECT_FALSE(o.columns.has_header);
    EXPECT_EQ(o.columns.trim, "");
    EXPECT_FALSE(o.stdin_arguments);
}

TEST(ColumnsOptions, ColsepByEveryName) {
    for (const char* name : {"-C", "--colsep", "--col-sep"}) {
        const Options o = options_of({name, "\\t", "echo", "{2}"});
        EXPECT_TRUE(o.columns.has_colsep) << name;
        EXPECT_EQ(o.columns.colsep, "\\t") << name;
        EXPECT_EQ(o.command, (std::vector<std::string>{"echo", "{2}"})) << name;
    }
    EXPECT_EQ(options_of({"--colsep=,", "echo"}).columns.colsep, ",");
}

TEST(ColumnsOptions, AnEmptyColsepSplitsBytesAsGnus) {
    const Options o = options_of({"--colsep", "", "echo"});
    EXPECT_TRUE(o.columns.has_colsep);
    EXPECT_EQ(o.columns.colsep, "");
}

TEST(ColumnsOptions, ColsepMustBeARegexWgrunUnderstands) {
    EXPECT_EQ(usage_error_of({"--colsep", "(?i)x", "echo"}).rfind("--colsep: '(?i)x' is not a "
                                                                  "regular expression wgrun "
                                                                  "understands",
                                                                  0),
              0u);
    EXPECT_NE(usage_error_of({"--colsep", "[a", "echo"}), "(no usage error)");
    EXPECT_EQ(usage_error_of({"--colsep", "[,;]", "echo"}), "(no usage error)");
}

TEST(ColumnsOptions, CsvTakesAPlainSeparator) {
    EXPECT_TRUE(options_of({"--csv", "echo"}).columns.csv);
    EXPECT_EQ(options_of({"--csv", "--colsep", ";", "echo"}).columns.colsep, ";");
    EXPECT_EQ(options_of({"--csv", "-C", "\\t", "echo"}).columns.colsep, "\\t");
    EXPECT_EQ(usage_error_of({"--csv", "--colsep", "[,;]", "echo"}),
              "--csv takes a plain separator in --colsep ('[,;]' is a regular expression or holds "
              "a quote)");
    EXPECT_NE(usage_error_of({"--csv", "--colsep", "\"", "echo"}), "(no usage error)");
    EXPECT_NE(usage_error_of({"--csv", "--colsep", "", "echo"}), "(no usage error)");
}

TEST(ColumnsOptions, Header) {
    for (const char* value : {":", "0", "x.*"}) {
        const Options o = options_of({"--header", value, "echo"});
        EXPECT_TRUE(o.columns.has_header);
        EXPECT_EQ(o.columns.header, value);
    }
    EXPECT_FALSE(options_of({"echo", "--header"}).columns.has_header);  // COMMAND's word
    EXPECT_NE(usage_error_of({"--header"}), "(no usage error)");
}

TEST(ColumnsOptions, Trim) {
    for (const char* value : {"n", "l", "r", "lr", "rl"}) {
        EXPECT_EQ(options_of({"--trim", value, "echo"}).columns.trim, value);
    }
    EXPECT_EQ(usage_error_of({"--trim", "x", "echo"}), "--trim takes n, l, r, lr or rl, not 'x'");
}

TEST(ColumnsOptions, ColumnsMakeStandardInputTheArguments) {
    EXPECT_TRUE(options_of({"--colsep", ",", "echo"}).stdin_arguments);
    EXPECT_TRUE(options_of({"--csv", "echo"}).stdin_arguments);
    EXPECT_TRUE(options_of({"--header", ":", "echo"}).stdin_arguments);
    EXPECT_FALSE(options_of({"--trim", "lr", "echo"}).stdin_arguments);
}

TEST(ColumnsOptions, InputSourcesStillFollow) {
    const Options o = options_of({"-C", ",", "echo", "{1}", ":::", "a,b"});
    ASSERT_EQ(o.sources.size(), 1u);
    EXPECT_EQ(o.sources.front().values, (std::vector<std::string>{"a,b"}));
}

}  // namespace
