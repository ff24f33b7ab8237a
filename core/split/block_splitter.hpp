// block_splitter.hpp: --pipe's blocks, cut from a stream exactly where GNU
// parallel 20221122 cuts them: it reads up to the next multiple of --block,
// cuts after the last record end (followed by a record start) in what it
// holds, and carries the rest over; with -N it passes every N records; a
// record longer than the block grows the block by 1.3 (a warning, once);
// at the end the rest goes as the last block. --header's lines are read
// first and given to every block.
//
// From a pipe the bytes pass through memory, a block at a time. From a
// regular file (stdin redirected from one) only the tail of each block is
// read, to find the cut: the block is a range of the file that the job's
// writer splices (stdin_block.hpp).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/unique_fd.hpp"
#include "split/record_format.hpp"
#include "split/stdin_block.hpp"

namespace wgrun {

/// --header with --pipe or --pipepart: none, N lines (":" is 1), or a
/// regular expression the input starts with.
struct HeaderRule {
    std::size_t lines = 0;
    std::string regex;  // when not empty
    bool any() const { return lines > 0 || !regex.empty(); }
};

/// Parses --header's value: a number, ":" or a regular expression.
HeaderRule parse_header_rule(const std::string& text);

/// How blocks are cut.
struct SplitRules {
    std::uint64_t block = std::uint64_t{1} << 20;  // --block (positive here)
    RecordFormat format;
    std::size_t records_per_job = 0;  // -N; 0: by size
    HeaderRule header;
    bool remove_separators = false;   // --rrs
};

/// Where blocks come from: a stream (StreamSplitter) or a file's parts
/// (PartPlanner).
class BlockSource {
public:
    virtual ~BlockSource() = default;
    /// The next block, or nothing at the end. Throws InputError.
    virtual std::optional<BlockData> next() = 0;
};

/// The header found at the start of `bytes` by `rule`: its length, or
/// nothing when `bytes` (all there is when `at_end`) does not hold it yet.
std::optional<std::size_t> header_length(const HeaderRule& rule, std::string_view bytes, bool at_end);

class StreamSplitter : public BlockSource {
public:
    /// Reads `fd` (not owned; a dup of it is kept for a regular file's
    /// ranges). `warn` is told one line (no "wgrun: ", no newline) when a
    /// record outgrows the block, once.
    StreamSplitter(int fd, SplitRules rules, std::function<void(const std::string&)> warn);
    ~StreamSplitter() override;
    std::optional<BlockData> next() override;

private:
    void read_header();
    bool read_block();    // from a pipe: false at end of input
    bool plan_block();    // from a file: false at end of input
    void round();         // one of GNU's rounds: read, cut, maybe grow
    void grow();
    BlockData make(std::string body);
    BlockData make_range(std::uint64_t offset, std::uint64_t length);
    std::size_t last_cut_in_file();

    int fd_;
    SplitRules rules_;
    std::function<void(const std::string&)> warn_;
    std::shared_ptr<const std::string> header_;
    std::uint64_t block_;
    bool warned_ = false;
    bool eof_ = false;
    bool done_ = false;
    bool started_ = false;
    std::deque<BlockData> ready_;
    // From a pipe: what is held, and how much of its start holds no separator.
    std::string buf_;
    std::size_t clean_ = 0;
    // From a regular file: what is held is [pos_, pos_ + held_).
    std::shared_ptr<const UniqueFd> file_;
    std::uint64_t pos_ = 0;
    std::uint64_t held_ = 0;
    std::string scratch_;
};

/// --pipepart: FILE's parts as GNU parallel 20221122 finds them: one starts
/// at the first cut at or after each multiple of the block (after the
/// header), so parts are about a block each; each is given with the header.
class PartPlanner : public BlockSource {
public:
    /// Opens `path` (InputError when it cannot be read).
    PartPlanner(const std::string& path, SplitRules rules);
    std::optional<BlockData> next() override;
    std::uint64_t size() const { return size_; }

private:
    std::optional<std::uint64_t> next_position();

    SplitRules rules_;
    std::shared_ptr<const UniqueFd> file_;
    std::shared_ptr<const std::string> header_;
    std::uint64_t size_ = 0;
    std::uint64_t start_ = 0;      // the next part's start
    std::uint64_t probe_ = 0;      // where the next search for a cut begins
    bool done_ = false;
};

}  // namespace wgrun
