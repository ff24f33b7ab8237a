// column_wiring.hpp: the column stage (--colsep, --csv, --header, --trim)
// built from the options: the input sources' feed with columns, and the
// command with the header's names replaced (see wgrun(1), COLUMNS).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "input/job_feed.hpp"
#include "options.hpp"

namespace wgrun::cli {

struct ColumnWiring {
    std::unique_ptr<JobFeed> feed;     // the sources' combinations, split and trimmed
    std::size_t sources = 0;           // the input sources it reads
    std::vector<std::string> command;  // the command words, {name} made {n}
    std::vector<std::string> names;    // the header's column names, in column order
};

/// The column stage of the input sources, when the options ask for one:
/// --colsep, --csv or --header (standard input is the source when none is
/// named), or --trim with named sources. Reads the header now. Nothing
/// otherwise. Throws UsageError for a --colsep std::regex refuses and when
/// standard input would be read but is a terminal (as for a template on
/// stdin: wgrun(1), Job sources), and InputError as the sources do.
std::optional<ColumnWiring> wire_columns(const Options& options, const InputRules& input_rules,
                                         bool stdin_is_terminal);

/// `feed` with --trim applied to its values (standard input's lines under
/// one command with a replacement string); `feed` itself without --trim.
std::unique_ptr<JobFeed> with_trim(const Options& options, std::unique_ptr<JobFeed> feed);

}  // namespace wgrun::cli
