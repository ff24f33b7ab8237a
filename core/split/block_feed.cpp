// block_feed.cpp: blocks into jobs' inputs.
#include "split/block_feed.hpp"

#include "input/input_sources.hpp"

namespace wgrun {

namespace {
// --tee: at most this many bytes of stdin held for the slowest job.
constexpr std::size_t kTeeHeld = std::size_t{8} << 20;
}  // namespace

BlockFeed::BlockFeed(std::unique_ptr<BlockSource> source, std::size_t round_robin_jobs,
                     BlockFileKind file_kind, std::string file_dir)
    : source_(std::move(source)),
      round_robin_jobs_(round_robin_jobs),
      file_kind_(file_kind),
      file_dir_(std::move(file_dir)) {
    if (round_robin_jobs_ > 0) hub_ = std::make_shared<RoundRobinHub>(1);
}

std::optional<std::vector<std::string>> BlockFeed::next() {
    auto input = next_input();
    if (!input) return std::nullopt;
    return std::move(input->args);
}

std::optional<JobInput> BlockFeed::next_input() {
    if (hub_ && blocks_ >= round_robin_jobs_) {
        // Every job has started: the rest goes to them in turn. When none
        // is left to read, the rest is read and dropped (the producer
        // never meets a closed pipe).
        bool readers = true;
        while (auto block = source_->next()) {
            if (readers) readers = hub_->push(std::make_shared<const BlockData>(std::move(*block)));
        }
        hub_->close();
        return std::nullopt;
    }
    auto block = source_->next();
    if (!block) {
        if (hub_) hub_->close();
        return std::nullopt;
    }
    ++blocks_;
    auto data = std::make_shared<const BlockData>(std::move(*block));
    JobInput input;
    if (hub_) {
        input.stdin_data = std::make_shared<RoundRobinStdin>(hub_, std::move(data));
    } else if (file_kind_ != BlockFileKind::None) {
        input.args.push_back(file_dir_ + "/" + std::to_string(blocks_));
        input.stdin_data = std::make_shared<BlockStdin>(std::move(data));
    } else {
        input.stdin_data = std::make_shared<BlockStdin>(std::move(data));
    }
    return input;
}

TeeFeed::TeeFeed(std::unique_ptr<JobFeed> inner, int fd, std::uint64_t max_jobs)
    : inner_(std::move(inner)), fd_(fd), max_jobs_(max_jobs) {}

std::optional<std::vector<std::string>> TeeFeed::next() {
    auto input = next_input();
    if (!input) return std::nullopt;
    return std::move(input->args);
}

std::optional<JobInput> TeeFeed::next_input() {
    if (!read_) {
        read_ = true;
        while (auto values = inner_->next()) inputs_.push_back(std::move(*values));
        if (max_jobs_ != 0 && inputs_.size() > max_jobs_) {
            throw InputError("--tee runs all its " + std::to_string(inputs_.size()) +
                             " jobs at once, and -j allows " + std::to_string(max_jobs_) +
                             ": give -j 0 (the default with --tee) or -j " +
                             std::to_string(inputs_.size()));
        }
        hub_ = TeeHub::start(fd_, inputs_.size(), kTeeHeld);
    }
    if (next_ >= inputs_.size()) return std::nullopt;
    JobInput input;
    input.args = std::move(inputs_[next_]);
    input.stdin_data = std::make_shared<TeeStdin>(hub_, next_);
    ++next_;
    return input;
}

}  // namespace wgrun
