// column_wiring.cpp: ColumnRules from the options, GNU parallel's defaults
// included: --header splits at a TAB when --colsep is not given, and
// --colsep (given, not implied by --csv or --header) turns on --trim lr.
#include "column_wiring.hpp"

#include <utility>

#include "command/column_names.hpp"
#include "input/column_input.hpp"

namespace wgrun::cli {
namespace {

std::shared_ptr<const ColumnRules> rules_of(const ColumnsGroup& columns) {
    auto rules = std::make_shared<ColumnRules>();
    try {
        if (columns.csv) {
            const auto separator =
                columns.has_colsep ? literal_pattern(columns.colsep) : std::optional<std::string>(",");
            rules->csv.emplace(separator.value_or(","));
        } else if (columns.has_colsep) {
            rules->splitter.emplace(columns.colsep);
        } else if (columns.has_header) {
            rules->splitter.emplace("\\t");
        }
    } catch (const std::exception& e) {  // checked at the parse already
        throw UsageError(std::string("--colsep: ") + e.what());
    }
    rules->trim = !columns.trim.empty() ? parse_trim(columns.trim).value_or(Trim::None)
                  : columns.has_colsep  ? Trim::Both
                                        : Trim::None;
    return rules;
}

ColumnHeader header_of(const ColumnsGroup& columns) {
    if (!columns.has_header) return ColumnHeader::None;
    return columns.header == "0" ? ColumnHeader::SourceNames : ColumnHeader::FirstRecord;
}

}  // namespace

std::optional<ColumnWiring> wire_columns(const Options& options, const InputRules& input_rules,
                                         bool stdin_is_terminal) {
    const ColumnsGroup& columns = options.columns;
    const bool splits = columns.has_colsep || columns.csv || columns.has_header;
    if (!splits && (columns.trim.empty() || options.sources.empty())) return std::nullopt;
    std::vector<SourceSpec> sources = options.sources;
    if (sources.empty()) {
        if (stdin_is_terminal) {
            throw UsageError("--colsep, --csv and --header read standard input when no input "
                             "source is named, and it is a terminal: give input on stdin or "
                             "with ::: or ::::");
        }
        sources.push_back({SourceSpec::Kind::File, {"-"}, false});
    }
    ColumnWiring wiring;
    wiring.sources = sources.size();
    ColumnInput input =
        open_column_input(std::move(sources), rules_of(columns), header_of(columns), input_rules);
    wiring.feed = std::move(input.feed);
    wiring.names = std::move(input.names);
    for (const std::string& word : options.command) {
        wiring.command.push_back(name_columns(word, wiring.names));
    }
    return wiring;
}

std::unique_ptr<JobFeed> with_trim(const Options& options, std::unique_ptr<JobFeed> feed) {
    if (options.columns.trim.empty()) return feed;
    return std::make_unique<ColumnFeed>(std::move(feed), rules_of(options.columns));
}

}  // namespace wgrun::cli
