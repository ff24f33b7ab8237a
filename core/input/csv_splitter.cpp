// csv_splitter.cpp: one pass over a CSV record, field by field.
#include "input/csv_splitter.hpp"

#include <algorithm>

namespace wgrun {
namespace {

[[noreturn]] void bad(const char* what, std::size_t at) {
    throw CsvFormatError(std::string(what) + ", at byte " + std::to_string(at + 1));
}

}  // namespace

CsvSplitter::CsvSplitter(std::string separator) : separator_(std::move(separator)) {
    if (separator_.empty()) throw std::invalid_argument("the CSV separator is empty");
    if (separator_.find('"') != std::string::npos) {
        throw std::invalid_argument("the CSV separator holds a quote");
    }
}

bool CsvSplitter::leaves_quote_open(std::string_view text) {
    return std::count(text.begin(), text.end(), '"') % 2 == 1;
}

void CsvSplitter::split(std::string_view record, std::vector<std::string>& out) const {
    // The line end's "\r" is not data.
    if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
    const std::string_view sep = separator_;
    std::size_t pos = 0;
    for (;;) {
        if (pos < record.size() && record[pos] == '"') {
            std::string field;
            const std::size_t opening = pos++;
            for (;;) {
                const std::size_t quote = record.find('"', pos);
                if (quote == std::string_view::npos) bad("a quoted field is not closed", opening);
                field.append(record, pos, quote - pos);
                if (quote + 1 < record.size() && record[quote + 1] == '"') {
                    field += '"';
                    pos = quote + 2;
                    continue;
                }
                pos = quote + 1;
                break;
            }
            out.push_back(std::move(field));
            if (pos == record.size()) return;
            if (record.compare(pos, sep.size(), sep) != 0) {
                bad("text after a quoted field's closing quote", pos);
            }
            pos += sep.size();
            continue;
        }
        const std::size_t next = record.find(sep, pos);
        const std::size_t stop = next == std::string_view::npos ? record.size() : next;
        const std::size_t quote = record.find('"', pos);
        if (quote < stop) bad("a quote inside an unquoted field", quote);
        out.emplace_back(record.substr(pos, stop - pos));
        if (next == std::string_view::npos) return;
        pos = next + sep.size();
    }
}

}  // namespace wgrun
