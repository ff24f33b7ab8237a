// options_output_test.cpp: the output group's options parsed (--files,
// --results NAME's replacement strings checked at parse time).
#include "options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "output_files_wiring.hpp"
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

TEST(OutputOptions, CompressAndItsPrograms) {
    EXPECT_FALSE(options_of({"echo", ":::", "a"}).output.compress);
    EXPECT_TRUE(options_of({"--compress", "echo", ":::", "a"}).output.compress);
    const wgrun::cli::Options o = options_of(
        {"--compress-program", "zstd -c", "--decompress-program", "zstd -dc", "echo", ":::", "a"});
    EXPECT_EQ(o.output.compress_program, "zstd -c");
    EXPECT_EQ(o.output.decompress_program, "zstd -dc");
    // GNU's other spellings are rewritten to these.
    EXPECT_EQ(options_of({"--use-compress-program", "gzip", "echo"}).output.compress_program,
              "gzip");
    EXPECT_EQ(options_of({"--compress", "--decompressprogram", "cat", "echo"})
                  .output.decompress_program,
              "cat");
}

TEST(OutputOptions, CompressProgramsMustBeGivenAndDecompressNeedsCompress) {
    EXPECT_EQ(usage_error_of({"--compress-program", "", "echo"}),
              "--compress-program needs a program");
    EXPECT_EQ(usage_error_of({"--compress", "--decompress-program", " ", "echo"}),
              "--decompress-program needs a program");
    EXPECT_EQ(usage_error_of({"--decompress-program", "gzip -dc", "echo"}),
              "--decompress-program is for --compress or --compress-program");
}

TEST(OutputOptions, CompressionFollowsGnusRules) {
    using wgrun::cli::output_compression;
    EXPECT_EQ(output_compression(options_of({"echo", ":::", "a"})), nullptr);
    auto c = output_compression(options_of({"--compress-program", "gzip -9", "echo"}));
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->compress, "gzip -9");
    EXPECT_EQ(c->decompress, "gzip -9 -dc");  // GNU: PROG -dc
    c = output_compression(
        options_of({"--compress-program", "xz", "--decompress-program", "unxz", "echo"}));
    EXPECT_EQ(c->decompress, "unxz");
    c = output_compression(options_of({"--compress", "--decompress-program", "cat", "echo"}));
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->decompress, "cat");
    EXPECT_FALSE(c->compress.empty());  // the first of GNU's list in PATH, or cat
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
