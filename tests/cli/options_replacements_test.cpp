// options_replacements_test.cpp: the replacement string options (--plus,
// --er --bnr --dnr --bner --seqreplace --slotreplace, --parens, --rpl,
// --filter) land in options.replacements; bad values are usage errors.
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

TEST(ReplacementsOptions, DefaultsAreEmpty) {
    const Options o = options_of({"echo", "{}", ":::", "a"});
    const auto& r = o.replacements;
    EXPECT_FALSE(r.plus);
    EXPECT_TRUE(r.extension_replace.empty());
    EXPECT_TRUE(r.parens.empty());
    EXPECT_TRUE(r.rpl.empty());
    EXPECT_TRUE(r.filter.empty());
}

TEST(ReplacementsOptions, EveryOptionLands) {
    const Options o = options_of({"--plus", "--er", "E", "--bnr", "B", "--dnr", "D", "--bner", "N",
                                  "--seqreplace", "S", "--slotreplace", "L", "--parens", ",,,",
                                  "--rpl", "{..} s/a//", "--rpl", "{x} uc", "--filter", "{} > 1",
                                  "--filter", "1", "echo", ":::", "a"});
    const auto& r = o.replacements;
    EXPECT_TRUE(r.plus);
    EXPECT_EQ(r.extension_replace, "E");
    EXPECT_EQ(r.basename_replace, "B");
    EXPECT_EQ(r.dirname_replace, "D");
    EXPECT_EQ(r.basename_extension_replace, "N");
    EXPECT_EQ(r.seq_replace, "S");
    EXPECT_EQ(r.slot_replace, "L");
    EXPECT_EQ(r.parens, ",,,");
    EXPECT_EQ(r.rpl, (std::vector<std::string>{"{..} s/a//", "{x} uc"}));
    EXPECT_EQ(r.filter, (std::vector<std::string>{"{} > 1", "1"}));
    EXPECT_EQ(o.command, (std::vector<std::string>{"echo"}));
}

TEST(ReplacementsOptions, LongNamesToo) {
    const Options o = options_of({"--extensionreplace=E", "--basenamereplace=B",
                                  "--dirnamereplace=D", "--basenameextensionreplace=N", "echo",
                                  ":::", "a"});
    EXPECT_EQ(o.replacements.extension_replace, "E");
    EXPECT_EQ(o.replacements.basename_replace, "B");
    EXPECT_EQ(o.replacements.dirname_replace, "D");
    EXPECT_EQ(o.replacements.basename_extension_replace, "N");
}

TEST(ReplacementsOptions, BadValuesAreUsageErrors) {
    EXPECT_NE(usage_error_of({"--parens", "{", "echo", ":::", "a"}).find("--parens"),
              std::string::npos);
    EXPECT_NE(usage_error_of({"--rpl", " x", "echo", ":::", "a"}).find("--rpl"),
              std::string::npos);
    EXPECT_NE(usage_error_of({"--er", "", "echo", ":::", "a"}).find("empty"), std::string::npos);
    EXPECT_NE(usage_error_of({"--filter", "", "echo", ":::", "a"}).find("empty"),
              std::string::npos);
}

}  // namespace
