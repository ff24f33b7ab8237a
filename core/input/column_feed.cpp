// column_feed.cpp: ColumnRules applied to each input, one at a time.
#include "input/column_feed.hpp"

#include <utility>

#include "input/input_sources.hpp"

namespace wgrun {

void ColumnRules::columns(std::string_view value, std::vector<std::string>& out) const {
    const std::size_t first = out.size();
    if (csv) {
        csv->split(value, out);
    } else if (splitter) {
        splitter->split(value, out);
    } else {
        out.emplace_back(value);
    }
    if (trim == Trim::None) return;
    for (std::size_t i = first; i < out.size(); ++i) trim_value(out[i], trim);
}

std::vector<std::string> ColumnRules::names(std::string_view header) const {
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    std::vector<std::string> names;
    if (csv) {
        csv->split(header, names);
        return names;
    }
    if (!splitter) {
        names.emplace_back(header);
        return names;
    }
    splitter->split(header, names);
    while (!names.empty() && names.back().empty()) names.pop_back();
    return names;
}

ColumnFeed::ColumnFeed(std::unique_ptr<JobFeed> inner, std::shared_ptr<const ColumnRules> rules,
                       bool join_records, char delimiter)
    : inner_(std::move(inner)),
      rules_(std::move(rules)),
      join_records_(join_records),
      delimiter_(delimiter) {}

std::optional<std::vector<std::string>> ColumnFeed::next_raw() {
    auto values = inner_->next();
    if (!values) return values;
    ++inputs_;
    if (!join_records_ || values->size() != 1) return values;
    std::string& record = values->front();
    while (CsvSplitter::leaves_quote_open(record)) {
        auto more = inner_->next();
        if (!more || more->empty()) break;  // the split says the quote is open
        record += delimiter_;
        record += more->front();
    }
    return values;
}

std::optional<std::vector<std::string>> ColumnFeed::next() {
    auto values = next_raw();
    if (!values) return values;
    std::vector<std::string> columns;
    columns.reserve(values->size() * 2);
    try {
        for (const std::string& value : *values) rules_->columns(value, columns);
    } catch (const CsvFormatError& e) {
        throw InputError("--csv: input record " + std::to_string(inputs_) + " is not CSV: " + e.what());
    }
    return columns;
}

std::vector<std::string> ColumnFeed::take_header() {
    auto values = next_raw();
    std::vector<std::string> names;
    if (!values) return names;
    try {
        for (const std::string& value : *values) {
            for (std::string& name : rules_->names(value)) names.push_back(std::move(name));
        }
    } catch (const CsvFormatError& e) {
        throw InputError("--csv: the header is not CSV: " + std::string(e.what()));
    }
    return names;
}

}  // namespace wgrun
