// options_output_test.cpp: the output group's options parsed (--files,
// --results NAME's replacement strings checked at parse time).
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

using wgrun::cli::parse;

TEST(OutputOptions, FilesIsOffByDefault) {
    EXPECT_FALSE(options_of({"echo", ":::", "a"}).output.files);
    EXPECT_TRUE(options_of({"--files", "echo", ":::", "a"}).output.files);
}

TEST(OutputOptions, ResultsTakesAnyName) {
    EXPECT_EQ(options_of({"--results", "out", "echo"}).results, "out");
    EXPECT_EQ(options_of({"--results", "out/{#}/", "echo"}).results, "out/{#}/");
    EXPECT_EQ(options_of({"--results", "t.csv", "echo"}).results, "t.csv");
    EXPECT_EQ(options_of({"--results=-.json", "echo"}).results, "-.json");
}

TEST(OutputOptions, ResultsWithABadReplacementStringIsAUsageError) {
    const std::string message = usage_error_of({"--results", "out/{0}/", "echo"});
    EXPECT_EQ(message.rfind("--results out/{0}/: ", 0), 0u) << message;
}

TEST(OutputOptions, ResultsEmptyIsAUsageError) {
    EXPECT_NE(usage_error_of({"--results", "", "echo"}), "(no usage error)");
}

}  // namespace
