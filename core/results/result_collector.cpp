// result_collector.cpp: counts and failures.
#include "results/result_collector.hpp"

#include <algorithm>

#include "base/printable.hpp"

namespace wgrun {

void ResultCollector::add_sink(ResultSink& sink) {
    std::lock_guard lock(mutex_);
    sinks_.push_back(&sink);
}

void ResultCollector::job_started(std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    for (ResultSink* sink : sinks_) sink->job_started(seq);
}

void ResultCollector::input_ended(std::uint64_t total) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    for (ResultSink* sink : sinks_) sink->input_ended(total);
}

void ResultCollector::add(JobResult result) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    ++total_;
    for (ResultSink* sink : sinks_) sink->job_ended(result);
    if (!result.failed()) return;
    ++failed_count_;
    const auto higher = [](const JobResult& a, const JobResult& b) { return a.seq < b.seq; };
    if (failed_.size() == kept_failures_) {
        if (failed_.empty() || failed_.front().seq < result.seq) return;
        std::pop_heap(failed_.begin(), failed_.end(), higher);
        failed_.pop_back();
    }
    // Only what the report shows is kept.
    result.output_tail = {};
    result.args = {};
    result.command = printable_command(result.command);
    failed_.push_back(std::move(result));
    std::push_heap(failed_.begin(), failed_.end(), higher);
}

void ResultCollector::finish(const RunSummary& summary) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    for (ResultSink* sink : sinks_) sink->finish(summary);
}

std::vector<std::string> ResultCollector::sink_errors() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> errors;
    for (const ResultSink* sink : sinks_) {
        if (const OsError error = sink->error()) errors.push_back(error.message());
    }
    return errors;
}

std::vector<JobResult> ResultCollector::failed() const {
    std::vector<JobResult> copy;
    {
        std::lock_guard lock(mutex_);
        copy = failed_;
    }
    std::sort(copy.begin(), copy.end(),
              [](const JobResult& a, const JobResult& b) { return a.seq < b.seq; });
    return copy;
}

std::uint64_t ResultCollector::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::uint64_t ResultCollector::failed_count() const {
    std::lock_guard lock(mutex_);
    return failed_count_;
}

int exit_status_for_failures(std::uint64_t failed) {
    return failed > 100 ? 101 : static_cast<int>(failed);
}

}  // namespace wgrun
