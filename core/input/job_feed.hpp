// job_feed.hpp: where jobs' inputs come from: a fixed list (commands given on
// the command line) or the input sources' combinations.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/job.hpp"
#include "input/input_sources.hpp"

namespace wgrun {

/// Produces each job's input values in order. May block (reading stdin).
class JobFeed {
public:
    virtual ~JobFeed() = default;
    /// The next job's values, or nothing at the end. Throws InputError.
    virtual std::optional<std::vector<std::string>> next() = 0;
    /// The next job's input: next()'s values, and what the job reads on
    /// stdin for a feed that gives jobs one (--pipe's blocks). The pump
    /// numbers it.
    virtual std::optional<JobInput> next_input() {
        auto values = next();
        if (!values) return std::nullopt;
        return JobInput{0, std::move(*values)};
    }
    /// True for a feed whose inputs are all in memory already, which next()
    /// hands out without blocking, reading or throwing: the InputPump takes
    /// such a feed whole, with no thread.
    virtual bool in_memory() const { return false; }
};

/// Each given command is one job.
class ListFeed : public JobFeed {
public:
    explicit ListFeed(std::vector<std::string> commands) : commands_(std::move(commands)) {}
    std::optional<std::vector<std::string>> next() override;
    bool in_memory() const override { return true; }

private:
    std::vector<std::string> commands_;
    std::size_t next_ = 0;
};

/// Each combination of the input sources is one job. With `skip_empty`, a
/// combination whose only value is empty is skipped (lines read as commands).
class CombinerFeed : public JobFeed {
public:
    CombinerFeed(std::unique_ptr<InputCombiner> combiner, bool skip_empty)
        : combiner_(std::move(combiner)), skip_empty_(skip_empty) {}
    std::optional<std::vector<std::string>> next() override;

private:
    std::unique_ptr<InputCombiner> combiner_;
    bool skip_empty_;
};

}  // namespace wgrun
