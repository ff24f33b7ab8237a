// option_checks.hpp: the CLI11 validators wgrun's option files share, and
// the mark that keeps a validator's message whole. Included by cli/options*.cpp
// only (CLI11 stays in those files).
#pragma once

#include <CLI/CLI.hpp>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun::cli {

// Marks a validator's message that is whole as it stands: CLI11 puts the
// option's name and a colon in front of every validator's message, and
// usage_message() takes them off again when this mark follows.
inline constexpr char kWhole = '\x01';
inline std::string whole(const std::string& message) { return kWhole + message; }

// An option given an empty value: `--junit "$UNSET"` must not quietly write
// nothing. CLI11 puts the option's name and a colon in front.
inline constexpr std::string_view kEmptyValue = "the value is empty (an unset variable?)";
inline const CLI::Validator kNotEmpty(
    [](const std::string& value) { return value.empty() ? std::string(kEmptyValue) : std::string(); },
    "", "not empty");

// A validator made of one of the core's parsers, which throw
// std::invalid_argument. Their messages name the text; the option's name is
// left in front unless they name the option themselves (as "invalid --halt
// 'x': ..." does). An empty value is kNotEmpty's to refuse, where it is.
template <class Parse>
CLI::Validator parsed_by(const std::string& option, Parse parse) {
    return CLI::Validator(
        [option, parse](const std::string& text) -> std::string {
            if (text.empty()) return {};
            try {
                parse(text);
            } catch (const std::invalid_argument& e) {
                const std::string what = e.what();
                return what.find(option) != std::string::npos ? whole(what) : what;
            }
            return {};
        },
        "");
}

// A value that must not be `refused`, said in wgrun's words.
inline CLI::Validator not_value(std::string refused, std::string message) {
    return CLI::Validator(
        [refused, message](const std::string& text) {
            return text == refused ? whole(message) : std::string();
        },
        "");
}

// The values a shell completes for an option are kept in the name of one of
// its validators: kValuesMark, then the values, one space between.
// completion_options() (options.cpp) reads them back, so one_of's list is
// written once.
inline constexpr std::string_view kValuesMark = "values:";
inline std::string values_name(std::initializer_list<std::string> values) {
    std::string name(kValuesMark);
    for (const std::string& value : values) name += (name.size() == kValuesMark.size() ? "" : " ") + value;
    return name;
}

// --results NAME is a folder (NAME.csv and the like a file): a shell
// completes folders for it, as for a DIR. Checks nothing.
inline constexpr std::string_view kCompletesDir = "complete:dir";
inline const CLI::Validator kFolderName([](const std::string&) { return std::string(); }, "",
                                        std::string(kCompletesDir));

// One of `values`; usage_message() words CLI11's "x not in {a,b}".
inline CLI::Validator one_of(std::initializer_list<std::string> values) {
    CLI::Validator member = CLI::IsMember(std::vector<std::string>(values));
    member.description("");  // --help names the values in the option's description
    member.name(values_name(values));
    return member;
}

// Values a shell offers for an option whose grammar is larger (--halt):
// checks nothing, the option's other validators do (a test parses each).
inline CLI::Validator suggests(std::initializer_list<std::string> values) {
    return CLI::Validator([](const std::string&) { return std::string(); }, "",
                          values_name(values));
}

}  // namespace wgrun::cli
