// arg_packer.hpp: argument packing (xargs' -n -L -s -x, GNU parallel's -N -X
// -m --xargs): the stage between the record source and the jobs, which puts
// several records into one job's values, as many as the rules and the
// command's length allow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input/input_sources.hpp"
#include "input/job_feed.hpp"

namespace wgrun {

/// A job's command length in bytes, asked of the command stage
/// (CommandTemplate::fixed_cost and value_cost): the command with no value
/// (its NUL included), and what each value adds at its place (0-based).
struct CommandSize {
    std::size_t fixed = 0;
    std::function<std::size_t(std::string_view value, std::size_t index)> value;
};

/// How records are packed into jobs.
struct PackingRules {
    /// -n -N -L: records per job at most; 0: as many as fit.
    std::size_t max_records = 0;
    /// A command's bytes (CommandSize) at most: -s, or the system's limit;
    /// 0: no limit.
    std::size_t max_bytes = 0;
    /// What exec() takes at most: the command's bytes plus a pointer per
    /// value (wgrun(1), ARGUMENT PACKING); 0: no limit.
    std::size_t max_exec_bytes = 0;
    /// What the limit is, for messages ("-s 20").
    std::string limit_text;
    /// -x: a record that cannot join a job within the limit (alone, or
    /// before the job has its max_records) ends the packing: next() throws
    /// PackingError, and the job being packed is dropped, as xargs -x does.
    bool stop_on_overflow = false;
    /// -m, -X: GNU parallel spreads the values of the first job that reaches
    /// the end of input over this many job slots (each job then takes
    /// ceil(values / slots) records); 0 or 1: no spreading.
    std::size_t spread_over = 0;
    /// -L (GNU's meaning): a single-value record ending in a blank (space,
    /// tab, CR, FF, VT) continues with the next one, joined as they are.
    bool continued_lines = false;
};

/// Thrown by ArgPacker::next() under -x. An InputError: the run ends as on
/// a read error (wgrun(1), ARGUMENT PACKING).
class PackingError : public InputError {
public:
    using InputError::InputError;
};

/// A JobFeed of packed jobs, reading records from another JobFeed lazily:
/// it holds one job's records and at most one record read ahead, whatever
/// the input's size. A record that cannot fit the limit even alone becomes
/// a job of its own (the command stage refuses to run it:
/// CommandBuilder::limit_size), unless -x stops the run.
class ArgPacker : public JobFeed {
public:
    ArgPacker(std::unique_ptr<JobFeed> records, CommandSize size, PackingRules rules);

    /// The next job's values: its records' values in order. Throws what the
    /// records' feed throws, and PackingError (-x).
    std::optional<std::vector<std::string>> next() override;

private:
    // The next record: one read ahead or put back, else the feed's (with
    // continued lines joined); nothing at the end.
    std::optional<std::vector<std::string>> take();
    std::optional<std::vector<std::string>> read();
    // True when no record is left (reads one ahead to know).
    bool at_end();
    bool fits(std::size_t bytes, std::size_t values) const;
    [[noreturn]] void stop(const std::vector<std::string>& record, std::size_t bytes) const;

    std::unique_ptr<JobFeed> records_;
    CommandSize size_;
    PackingRules rules_;
    std::deque<std::vector<std::string>> ahead_;  // records read, not packed yet
    bool ended_ = false;                          // the feed has no more
    bool spread_done_ = false;
    std::uint64_t jobs_ = 0;  // jobs handed out
    std::size_t last_values_ = 0;   // the last job's values and records,
    std::size_t last_records_ = 0;  // to reserve for the next
};

}  // namespace wgrun
