// column_input.hpp: the input sources of a run with columns (--colsep, --csv,
// --header, --trim): the combined, split feed, and the names a header gives
// the columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "input/column_feed.hpp"
#include "input/input_sources.hpp"
#include "input/job_feed.hpp"

namespace wgrun {

/// Where column names come from (--header).
enum class ColumnHeader {
    None,         // no --header: no names
    FirstRecord,  // --header : (or a regex): each source's first record names its columns
    SourceNames,  // --header 0: a file source's path names its column
};

struct ColumnInput {
    std::unique_ptr<JobFeed> feed;
    /// The names of the columns in order, as the header gave them: the k-th
    /// name is column {k}'s. An empty name names nothing.
    std::vector<std::string> names;
};

/// Opens `sources` (as InputCombiner does, under `input_rules`: -d, -E, -r, --link,
/// `stdin_fd` standing for "-") for a run whose values are split by `rules`,
/// and reads the header now when there is one.
///
/// One source stays lazy: its first record is the header, and under --csv
/// a record may go on over lines (ColumnFeed's join). With several sources
/// and --header or --csv, each file source is read whole first (its first
/// record taken as the header, its CSV records joined), and a ::: source
/// gives its first value as the header. The columns of the sources follow
/// one another in source order, so the header's names do too.
///
/// Throws InputError as InputCombiner does, and for a header that is not CSV.
ColumnInput open_column_input(std::vector<SourceSpec> sources,
                              std::shared_ptr<const ColumnRules> rules, ColumnHeader header,
                              const InputRules& input_rules, int stdin_fd = 0);

}  // namespace wgrun
