// pipe_wiring.cpp: the options' values into a BlockSource and a BlockFeed.
#include "pipe_wiring.hpp"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <system_error>

#include "input/input_sources.hpp"
#include "split/block_feed.hpp"
#include "split/block_splitter.hpp"
#include "split/record_format.hpp"

namespace wgrun::cli {
namespace {

constexpr std::int64_t kDefaultBlock = std::int64_t{1} << 20;  // GNU's 1M
constexpr std::int64_t kPipepartDefault = -10;                  // 10 blocks per job slot

// --block -N: the input's size shared out as N blocks per job slot (GNU's
// 1 + size / slots / N).
std::uint64_t blocks_per_slot(std::uint64_t size, std::uint64_t jobs, std::int64_t n) {
    const std::uint64_t slots = jobs == 0 ? 1 : jobs;
    return 1 + size / slots / static_cast<std::uint64_t>(-n);
}

}  // namespace

PipeWiring wire_pipe(const Options& options, std::uint64_t jobs, const std::string& temp_dir) {
    const PipeGroup& pipe = options.pipe;
    SplitRules rules;
    rules.format = RecordFormat(pipe.has_recstart ? std::optional(pipe.recstart) : std::nullopt,
                                pipe.has_recend ? std::optional(pipe.recend) : std::nullopt,
                                pipe.regexp);
    rules.records_per_job = pipe.records;
    rules.remove_separators = pipe.remove_rec_sep;
    if (pipe.has_header) rules.header = parse_header_rule(pipe.header);
    std::int64_t block = pipe.block_size;
    if (block == 0) block = pipe.pipepart ? (pipe.round_robin ? -1 : kPipepartDefault) : kDefaultBlock;

    PipeWiring wiring;
    std::unique_ptr<BlockSource> source;
    if (pipe.pipepart) {
        const std::string& path = options.sources.front().values.front();
        if (block < 0) {
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) {
                throw UsageError(fmt::format("--pipepart: cannot read {}: {}", path,
                                             std::strerror(errno)));
            }
            block = static_cast<std::int64_t>(
                blocks_per_slot(static_cast<std::uint64_t>(st.st_size), jobs, block));
        }
        rules.block = static_cast<std::uint64_t>(block);
        try {
            source = std::make_unique<PartPlanner>(path, rules);
        } catch (const InputError& e) {
            throw UsageError(e.what());
        }
    } else {
        if (block < 0) {
            struct stat st {};
            if (::fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) {
                throw UsageError("--block -N shares the input's size among the job slots: with "
                                 "--pipe, stdin must then be a regular file (< FILE)");
            }
            const off_t at = ::lseek(STDIN_FILENO, 0, SEEK_CUR);
            const std::uint64_t size = static_cast<std::uint64_t>(st.st_size - (at > 0 ? at : 0));
            block = static_cast<std::int64_t>(blocks_per_slot(size, jobs, block));
        }
        rules.block = static_cast<std::uint64_t>(block);
        source = std::make_unique<StreamSplitter>(
            STDIN_FILENO, rules, [](const std::string& line) {
                fmt::print(stderr, "wgrun: warning: {}\n", line);
            });
    }
    if (pipe.cat || pipe.fifo) {
        wiring.stdin_file = pipe.cat ? StdinFile::Cat : StdinFile::Fifo;
        try {
            wiring.block_files = std::make_unique<TempWorkdirs>(temp_dir);
        } catch (const std::system_error& e) {
            throw UsageError(e.what());
        }
    }
    const std::size_t round_robin = pipe.round_robin ? (jobs == 0 ? 1 : jobs) : 0;
    wiring.feed = std::make_unique<BlockFeed>(
        std::move(source), round_robin,
        pipe.cat ? BlockFileKind::Cat : pipe.fifo ? BlockFileKind::Fifo : BlockFileKind::None,
        wiring.block_files ? wiring.block_files->root() : std::string());
    return wiring;
}

std::unique_ptr<JobFeed> wrap_tee(std::unique_ptr<JobFeed> feed, std::uint64_t jobs) {
    return std::make_unique<TeeFeed>(std::move(feed), STDIN_FILENO, jobs);
}

}  // namespace wgrun::cli
