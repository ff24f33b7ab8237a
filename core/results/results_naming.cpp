// results_naming.cpp: --results NAME's places for each job (GNU's naming)
// and its table endings.
#include "results/results_naming.hpp"

#include <algorithm>
#include <cctype>

namespace wgrun {

std::string results_component(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 2);
    for (const char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\0': out += "\\0"; break;
            case '/': out += "\\_"; break;
            default: out += c;
        }
    }
    // A lone leading '\' comes from no other value: every '\' of a value
    // is doubled.
    if (out.empty() || out == "." || out == "..") out.insert(0, 1, '\\');
    if (out.size() > kMaxNameBytes) out.resize(kMaxNameBytes);
    return out;
}

ResultsNaming::ResultsNaming(std::string name)
    : name_(std::move(name)), template_(CommandTemplate::parse(name_)) {
    templated_ = template_.has_replacement();
}

ResultsPlace ResultsNaming::place(std::span<const std::string> args, std::uint64_t seq,
                                  std::uint64_t slot) const {
    ResultsPlace place;
    if (!templated_) {
        place.path = name_;
        for (std::size_t i = 0; i < args.size(); ++i) {
            place.path += '/';
            place.path += std::to_string(i + 1);
            place.path += '/';
            place.path += results_component(args[i]);
        }
    } else {
        place.path = template_.expand_text(args, seq, slot);
        place.directory = place.path.empty() || place.path.back() == '/';
    }
    if (place.directory) {
        while (place.path.size() > 1 && place.path.back() == '/') place.path.pop_back();
        if (place.path.empty()) place.path.push_back('.');  // (= "." trips GCC 12's -Wrestrict)
    }
    return place;
}

ResultsTableKind results_table_kind(std::string_view name) {
    const auto ends_with = [name](std::string_view end) {
        return name.size() >= end.size() &&
               std::equal(end.begin(), end.end(), name.end() - static_cast<long>(end.size()),
                          [](char end_char, char name_char) {
                              return std::tolower(static_cast<unsigned char>(name_char)) ==
                                     end_char;
                          });
    };
    if (ends_with(".csv")) return ResultsTableKind::Csv;
    if (ends_with(".tsv")) return ResultsTableKind::Tsv;
    if (ends_with(".json")) return ResultsTableKind::Json;
    return ResultsTableKind::None;
}

}  // namespace wgrun
