// options_output_test.cpp: the output group's options parsed (--files,
// --results NAME's replacement strings checked at parse time).
#include "options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace {

using wgrun::cli::Options;
using wgrun::cli::parse;
using wgrun::cli::ParseOutcome;
using wgrun::cli::ParseResult;
using wgrun::cli::UsageError;

ParseResult parse_args(std::initializer_list<std::string> args) {
    std::vector<std::string> words{"wgrun"};
    words.insert(words.end(), args);
    std::vector<const char*> argv;
    for (const auto& word : words) argv.push_back(word.c_str());
    return parse(static_cast<int>(argv.size()), argv.data());
}

Options options_of(std::initializer_list<std::string> args) {
    ParseResult result = parse_args(args);
    EXPECT_EQ(result.outcome, ParseOutcome::Run);
    return result.options;
}

std::string usage_error_of(std::initializer_list<std::string> args) {
    try {
        parse_args(args);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no usage error)";
}

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
