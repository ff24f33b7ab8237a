// retry_feed.hpp: --retry-failed's jobs: the failed commands of a job log,
// each at its own Seq.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "input/job_feed.hpp"
#include "input/joblog_reader.hpp"

namespace wgrun {

/// Feeds Seqs 1 up to the last failed job's: a failed job's command as its
/// only value (run as in command mode, with an empty template), and an empty
/// placeholder for every Seq in between, which a SeqSkipper over the same
/// failed Seqs (Skip::Unlisted) leaves out. Each command is given up as it
/// is fed.
class RetryFeed : public JobFeed {
public:
    /// `failed` sorted by Seq, unique (JoblogHistory::failed).
    explicit RetryFeed(std::vector<FailedJob> failed) : failed_(std::move(failed)) {}
    std::optional<std::vector<std::string>> next() override;

private:
    std::vector<FailedJob> failed_;
    std::size_t next_failed_ = 0;
    std::uint64_t seq_ = 0;  // of the last job fed
};

}  // namespace wgrun
