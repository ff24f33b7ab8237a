// completion_test.cpp: the completion scripts (cli/completion.cpp) name every
// option the parser knows, give each value its kind, and --completion is
// wired as an "answer and exit" option.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "completion.hpp"
#include "options_compat.hpp"
#include "support/parse_args.hpp"

namespace wgrun::cli {
namespace {

using test::options_of;
using test::parse_args;
using test::usage_error_of;

const CompletionOption& option_named(const std::vector<CompletionOption>& options,
                                     const std::string& name) {
    const auto found = std::find_if(options.begin(), options.end(), [&](const auto& option) {
        return std::find(option.names.begin(), option.names.end(), name) != option.names.end();
    });
    if (found == options.end()) throw std::runtime_error("no option " + name);
    return *found;
}

TEST(Completion, EveryParserOptionIsInEveryScript) {
    const std::vector<CompletionOption> options = completion_options();
    for (const std::string_view shell : kCompletionShells) {
        const std::string script = completion_script(shell, options);
        ASSERT_FALSE(script.empty()) << shell;
        for (const std::string& name : parser_option_names()) {
            // fish names them -s j and -l jobs.
            const std::string spelled = shell != "fish"         ? name
                                        : name.starts_with("--") ? " -l " + name.substr(2) + " "
                                                                 : " -s " + name.substr(1) + " ";
            EXPECT_NE(script.find(spelled), std::string::npos) << shell << ": " << name;
        }
    }
}

TEST(Completion, ListsTheParsersOptionsOnly) {
    std::vector<std::string> names;
    for (const CompletionOption& option : completion_options()) {
        names.insert(names.end(), option.names.begin(), option.names.end());
    }
    EXPECT_EQ(names, parser_option_names());  // hidden spellings (--eof-none) left out
}

TEST(Completion, ValueKindsComeFromTheTable) {
    using Kind = CompletionOption::Kind;
    using Value = CompletionOption::Value;
    const std::vector<CompletionOption> options = completion_options();
    EXPECT_EQ(option_named(options, "--joblog").kind, Kind::File);
    EXPECT_EQ(option_named(options, "--joblog").value, Value::Required);
    EXPECT_EQ(option_named(options, "-a").kind, Kind::File);
    EXPECT_EQ(option_named(options, "--tmpdir").kind, Kind::Dir);
    EXPECT_EQ(option_named(options, "--workdir").kind, Kind::Dir);
    EXPECT_EQ(option_named(options, "--results").kind, Kind::Dir);
    EXPECT_EQ(option_named(options, "-S").kind, Kind::Host);
    EXPECT_EQ(option_named(options, "--bar").value, Value::None);
    EXPECT_EQ(option_named(options, "--color").value, Value::Optional);  // --color=WHEN only
    EXPECT_EQ(option_named(options, "--replace").value, Value::Optional);  // -iR, --replace=R
    EXPECT_EQ(option_named(options, "-l").value, Value::Optional);
    EXPECT_EQ(option_named(options, "--color").values,
              (std::vector<std::string>{"auto", "always", "never"}));
    EXPECT_EQ(option_named(options, "--ci").values, (std::vector<std::string>{"github", "none"}));
    EXPECT_EQ(option_named(options, "--completion").values,
              (std::vector<std::string>{"bash", "zsh", "fish"}));
}

// --halt's suggestions are checked by nothing but --halt's own validator.
TEST(Completion, HaltSuggestionsParse) {
    const std::vector<CompletionOption> options = completion_options();
    const CompletionOption& halt = option_named(options, "--halt");
    ASSERT_FALSE(halt.values.empty());
    EXPECT_NE(std::find(halt.values.begin(), halt.values.end(), "never"), halt.values.end());
    for (const std::string& value : halt.values) {
        EXPECT_EQ(options_of({"--halt", value, "true", ":::", "1"}).halt, value);
    }
}

TEST(Completion, AnswersAndExits) {
    testing::internal::CaptureStdout();
    const ParseResult result = parse_args({"--completion", "bash"});
    const std::string printed = testing::internal::GetCapturedStdout();
    EXPECT_EQ(result.outcome, ParseOutcome::Exit);
    EXPECT_EQ(result.status, 0);
    EXPECT_EQ(printed, completion_script("bash", completion_options()));
}

TEST(Completion, UnknownShellIsAUsageError) {
    EXPECT_EQ(usage_error_of({"--completion", "tcsh"}),
              "--completion takes bash, zsh or fish, not 'tcsh'");
    EXPECT_EQ(usage_error_of({"--completion"}), "--completion needs a value (SHELL)");
}

}  // namespace
}  // namespace wgrun::cli
