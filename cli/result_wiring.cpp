// result_wiring.cpp: the sinks and the skipper for the options given.
#include "result_wiring.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "input/joblog_reader.hpp"
#include "results/joblog_writer.hpp"
#include "results/json_lines_sink.hpp"
#include "results/junit_sink.hpp"
#include "results/report_path.hpp"
#include "results/results_naming.hpp"
#include "base/os_error.hpp"
#include "base/printable.hpp"
#include "base/unique_fd.hpp"
#include "progress_display.hpp"
#include "input/retry_feed.hpp"
#include "input/seq_skipper.hpp"

namespace wgrun::cli {
namespace {

// --bar, --eta (--progress): drawn only when stderr is a terminal; stdout
// shares its screen when it is one too. --total-jobs N counts the whole
// input, as {#} does: the shard has its share of it to do.
void wire_progress(const Options& options, Shard shard, ResultWiring& wiring) {
    if ((!options.bar && !options.eta) || ::isatty(STDERR_FILENO) == 0) return;
    std::vector<int> screen{STDERR_FILENO};
    if (::isatty(STDOUT_FILENO) != 0) screen.push_back(STDOUT_FILENO);
    auto display = std::make_unique<ProgressDisplay>(
        options.bar ? ProgressDisplay::Style::Bar : ProgressDisplay::Style::Line, STDERR_FILENO,
        std::move(screen));
    if (options.gnu_names.total_jobs) {
        display->expect_total(shard.share(*options.gnu_names.total_jobs));
    }
    wiring.output_guard = display.get();
    wiring.sinks.push_back(std::move(display));
}

// --- --joblog, --resume, --resume-failed, --retry-failed -------------------

bool resuming(const Options& options) {
    return options.resume || options.resume_failed || options.retry_failed;
}

// The file --joblog names, without the '+' that asks to append.
std::string joblog_path(const Options& options) {
    const std::string& joblog = options.joblog;
    return !joblog.empty() && joblog.front() == '+' ? joblog.substr(1) : joblog;
}

// --joblog FILE, +FILE or -; a resume option appends to FILE.
std::unique_ptr<ResultSink> open_joblog(const Options& options) {
    if (options.joblog.empty()) return nullptr;
    const std::string path = joblog_path(options);
    const std::string name = "--joblog " + path;
    if (path == "-") return std::make_unique<JoblogWriter>(STDOUT_FILENO, name);
    const bool append = resuming(options) || options.joblog.front() == '+';
    std::unique_ptr<JoblogWriter> writer = JoblogWriter::open(
        path, append ? JoblogWriter::Open::Append : JoblogWriter::Open::Truncate, name);
    // With a resume option read_resume() has warned already.
    if (writer->cut_bytes() > 0 && !resuming(options)) {
        fmt::print(stderr,
                   "wgrun: warning: {}: the last line had no newline (a run was killed while "
                   "writing it): cut off before appending\n",
                   printable(name));
    }
    return writer;
}

// --json FILE|- and --junit FILE.
void wire_formats(const Options& options, const std::string& temp_dir, ResultWiring& wiring) {
    if (options.json == "-") {
        wiring.sinks.push_back(std::make_unique<JsonLinesSink>(STDOUT_FILENO, false, "--json -"));
    } else if (!options.json.empty()) {
        wiring.sinks.push_back(JsonLinesSink::create(options.json, "--json " + options.json));
    }
    if (!options.junit.empty()) {
        wiring.sinks.push_back(
            std::make_unique<JunitSink>(options.junit, "--junit " + options.junit, temp_dir));
        wiring.keep_tail = std::max(wiring.keep_tail, JunitSink::kTailBytes);
    }
}

// --results DIR is saved into as jobs end (results_tee.hpp); a DIR that
// cannot take files stops the run here, as the other output files do.
void check_results_dir(const Options& options) {
    // Only a plain NAME is a directory known now (a table is a file, opened
    // with the output; a templated NAME is per job).
    if (options.results.empty() || results_table_kind(options.results) != ResultsTableKind::None ||
        ResultsNaming(options.results).templated()) {
        return;
    }
    if (const int e = output_dir_error(options.results)) {
        throw_os_error(e, "--results " + options.results);
    }
}

}  // namespace

ResultWiring wire_results(const Options& options, const std::string& temp_dir, Shard shard) {
    ResultWiring wiring;
    check_results_dir(options);  // first: it creates nothing
    wire_progress(options, shard, wiring);
    // --joblog (job log and resume)
    if (auto joblog = open_joblog(options)) wiring.sinks.push_back(std::move(joblog));
    wire_formats(options, temp_dir, wiring);  // --json, --junit
    return wiring;
}

ResumePlan read_resume(const Options& options) {
    ResumePlan plan;
    if (!resuming(options)) return plan;
    const std::string path = joblog_path(options);
    const std::string name = "--joblog " + path;
    const ResumeMode mode = options.resume          ? ResumeMode::Resume
                            : options.resume_failed ? ResumeMode::ResumeFailed
                                                    : ResumeMode::RetryFailed;
    JoblogHistory history;
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno != ENOENT) throw_os_error(errno, name);
    if (fd) {
        // Another wgrun appending to the log writes each row under an
        // exclusive flock (joblog_writer.hpp): read between its rows.
        while (::flock(fd.get(), LOCK_SH) != 0 && errno == EINTR) {
        }
        history = read_joblog(fd.get(), name, mode);
    }
    if (history.torn_line != 0) {
        fmt::print(stderr,
                   "wgrun: warning: {}: line {} has no newline (a run was killed while writing "
                   "it): its job counts as not run; the line is cut off before new rows go in\n",
                   printable(name), history.torn_line);
    }
    if (mode == ResumeMode::RetryFailed) {
        std::vector<std::uint64_t> seqs;
        seqs.reserve(history.failed.size());
        for (const FailedJob& job : history.failed) seqs.push_back(job.seq);
        plan.skipper = std::make_unique<SeqSkipper>(std::move(seqs), SeqSkipper::Skip::Unlisted);
        plan.retry_feed = std::make_unique<RetryFeed>(std::move(history.failed));
    } else {
        plan.skipper = std::make_unique<SeqSkipper>(std::move(history.done), SeqSkipper::Skip::Listed);
    }
    return plan;
}

}  // namespace wgrun::cli
