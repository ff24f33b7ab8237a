// parse_args.hpp: wgrun's command line parsed in the cli tests, from a list
// of words (argv[0] is added), with no job run.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "options.hpp"

namespace wgrun::test {

inline cli::ParseResult parse_args(const std::vector<std::string>& args) {
    std::vector<std::string> words{"wgrun"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const auto& word : words) argv.push_back(word.c_str());
    return cli::parse(static_cast<int>(argv.size()), argv.data());
}

// The options of a command line that must parse.
inline cli::Options options_of(const std::vector<std::string>& args) {
    cli::ParseResult result = parse_args(args);
    EXPECT_EQ(result.outcome, cli::ParseOutcome::Run);
    return result.options;
}

// The message of a command line that must be a usage error.
inline std::string usage_error_of(const std::vector<std::string>& args) {
    try {
        parse_args(args);
    } catch (const cli::UsageError& e) {
        return e.what();
    }
    return "(no usage error)";
}

}  // namespace wgrun::test
