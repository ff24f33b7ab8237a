// column_input.cpp: one lazy source, or several read first.
#include "input/column_input.hpp"

#include <utility>

namespace wgrun {
namespace {

bool is_file(const SourceSpec& spec) { return spec.kind == SourceSpec::Kind::File; }

// Every record of a file source, read through an InputCombiner of its own
// (so the errors name the file as always); under --csv a record whose quote
// is open goes on with the next one.
std::vector<std::string> read_records(const SourceSpec& spec, bool csv,
                                      const InputRules& input_rules, int stdin_fd) {
    const char delimiter = input_rules.delimiter;
    InputCombiner combiner({spec}, input_rules, stdin_fd);
    std::vector<std::string> records;
    bool open = false;  // the last record's quote is open
    while (auto values = combiner.next()) {
        std::string& record = values->front();
        if (open) {
            records.back() += delimiter;
            records.back() += record;
        } else {
            records.push_back(std::move(record));
        }
        open = csv && CsvSplitter::leaves_quote_open(records.back());
    }
    return records;
}

// --header 0: the k-th column is named by the k-th source's path, when it is a file.
std::vector<std::string> source_names(const std::vector<SourceSpec>& sources) {
    std::vector<std::string> names;
    for (const SourceSpec& spec : sources) names.push_back(is_file(spec) ? spec.values.front() : "");
    return names;
}

}  // namespace

ColumnInput open_column_input(std::vector<SourceSpec> sources,
                              std::shared_ptr<const ColumnRules> rules, ColumnHeader header,
                              const InputRules& input_rules, int stdin_fd) {
    const char delimiter = input_rules.delimiter;
    ColumnInput input;
    const bool csv = rules->csv.has_value();
    if (header == ColumnHeader::SourceNames) input.names = source_names(sources);
    const bool first_record = header == ColumnHeader::FirstRecord;
    if (sources.size() == 1 || (!first_record && !csv)) {
        const bool join = csv && sources.size() == 1 && is_file(sources.front());
        auto combined = std::make_unique<CombinerFeed>(
            std::make_unique<InputCombiner>(std::move(sources), input_rules, stdin_fd), false);
        auto feed = std::make_unique<ColumnFeed>(std::move(combined), rules, join, delimiter);
        if (first_record) input.names = feed->take_header();
        input.feed = std::move(feed);
        return input;
    }
    // Several sources: each one's header and records now, in command-line order.
    bool seen_stdin = false;
    for (const SourceSpec& spec : sources) {
        if (!is_file(spec) || spec.values.size() != 1 || spec.values.front() != "-") continue;
        if (seen_stdin) throw InputError("standard input is named twice as an input source");
        seen_stdin = true;
    }
    for (SourceSpec& spec : sources) {
        if (is_file(spec)) {
            spec.values = read_records(spec, csv, input_rules, stdin_fd);
            spec.kind = SourceSpec::Kind::Args;
        }
        if (!first_record || spec.values.empty()) continue;
        try {
            for (std::string& name : rules->names(spec.values.front())) {
                input.names.push_back(std::move(name));
            }
        } catch (const CsvFormatError& e) {
            throw InputError("--csv: a header is not CSV: " + std::string(e.what()));
        }
        spec.values.erase(spec.values.begin());
    }
    auto combined = std::make_unique<CombinerFeed>(
        std::make_unique<InputCombiner>(std::move(sources), input_rules, stdin_fd), false);
    input.feed = std::make_unique<ColumnFeed>(std::move(combined), std::move(rules));
    return input;
}

}  // namespace wgrun
