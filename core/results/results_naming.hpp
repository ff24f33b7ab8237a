// results_naming.hpp: where --results NAME puts a job's files, as GNU
// parallel names them: NAME/1/VALUE1/2/VALUE2/ for a plain NAME; NAME with a
// replacement string expanded per job (a directory when it ends in '/', else
// the stdout file itself, with .err, .seq beside it).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "command/command_template.hpp"

namespace wgrun {

/// One job's place under --results.
struct ResultsPlace {
    /// A directory (its files are stdout, stderr, seq, status), or the
    /// stdout file itself (then PATH.err, PATH.seq, PATH.status beside it).
    /// Never empty; a directory has no trailing '/'.
    std::string path;
    bool directory = true;
};

/// A value as one directory name, GNU parallel's way: '\' -> "\\", TAB ->
/// "\t", NUL -> "\0", '/' -> "\_" (so a value never makes more than one
/// level). Unlike GNU, "" -> "\", "." -> "\.", ".." -> "\.." (GNU writes
/// those into NAME/1/ itself or its parent), and a name longer than
/// kMaxNameBytes is cut to that many bytes (GNU cuts to what the file
/// system takes). No two values shorter than the limit get the same name.
std::string results_component(std::string_view value);

/// Longest directory name results_component() gives (NAME_MAX on Linux).
inline constexpr std::size_t kMaxNameBytes = 255;

class ResultsNaming {
public:
    /// `name` as given to --results (not empty). Throws TemplateError for a
    /// replacement string that cannot be parsed.
    explicit ResultsNaming(std::string name);

    /// True when NAME holds a replacement string (expanded per job).
    bool templated() const { return templated_; }

    /// Where job `seq` with these values (one per input source) goes.
    /// Plain NAME: NAME/1/v1/2/v2 (each v by results_component); no values:
    /// NAME itself. Templated: the expansion, values as they are (a value
    /// with '/' makes directories, as in GNU).
    ResultsPlace place(std::span<const std::string> args, std::uint64_t seq,
                       std::uint64_t slot) const;

private:
    std::string name_;
    bool templated_ = false;
    CommandTemplate template_;
};

/// The table forms: NAME ending in .csv, .tsv or .json (any case): one table
/// for the whole run, a row per job; "-.csv" etc. is standard output.
enum class ResultsTableKind { None, Csv, Tsv, Json };
ResultsTableKind results_table_kind(std::string_view name);

}  // namespace wgrun
