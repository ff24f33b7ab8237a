// retry_feed.cpp: failed commands with placeholders in between.
#include "input/retry_feed.hpp"

namespace wgrun {

std::optional<std::vector<std::string>> RetryFeed::next() {
    if (next_failed_ == failed_.size()) return std::nullopt;
    ++seq_;
    FailedJob& job = failed_[next_failed_];
    if (job.seq != seq_) return std::vector<std::string>{std::string()};
    ++next_failed_;
    std::string command = std::move(job.command);
    job.command = std::string();  // give its memory back now
    return std::vector<std::string>{std::move(command)};
}

}  // namespace wgrun
