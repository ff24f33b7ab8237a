// block_feed.hpp: --pipe's jobs: one job per block (its stdin), or with
// --round-robin a job for each of the first -j blocks and the rest handed
// to them in turn; with --cat or --fifo, {} is a file holding the block.
// --tee's jobs (TeeFeed) are the input sources' jobs, each reading all of
// stdin.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "input/job_feed.hpp"
#include "split/block_splitter.hpp"
#include "split/stdin_block.hpp"

namespace wgrun {

/// --cat, --fifo: {} names a file holding the block (made by the job's
/// wrapper, command_builder.hpp), or a named pipe it is written to: job N's
/// is DIR/N (removed with DIR/N by a TempWorkdirs).
enum class BlockFileKind { None, Cat, Fifo };

class BlockFeed : public JobFeed {
public:
    /// `round_robin_jobs` > 0: --round-robin with that many jobs at most.
    /// `file_dir`: where --cat/--fifo's files go (a private folder).
    BlockFeed(std::unique_ptr<BlockSource> source, std::size_t round_robin_jobs = 0,
              BlockFileKind file_kind = BlockFileKind::None, std::string file_dir = {});
    std::optional<std::vector<std::string>> next() override;
    std::optional<JobInput> next_input() override;

private:
    std::unique_ptr<BlockSource> source_;
    std::size_t round_robin_jobs_;
    BlockFileKind file_kind_;
    std::string file_dir_;
    std::shared_ptr<RoundRobinHub> hub_;
    std::uint64_t blocks_ = 0;
};

/// --tee: the jobs of `inner` (read whole first, to count them), each
/// given all of `fd` through one TeeHub. More jobs than `max_jobs` (when
/// not 0) cannot all run at once, as the hub needs: an InputError.
class TeeFeed : public JobFeed {
public:
    TeeFeed(std::unique_ptr<JobFeed> inner, int fd, std::uint64_t max_jobs);
    std::optional<std::vector<std::string>> next() override;
    std::optional<JobInput> next_input() override;

private:
    std::unique_ptr<JobFeed> inner_;
    int fd_;
    std::uint64_t max_jobs_;
    bool read_ = false;
    std::vector<std::vector<std::string>> inputs_;
    std::size_t next_ = 0;
    std::shared_ptr<TeeHub> hub_;
};

}  // namespace wgrun
