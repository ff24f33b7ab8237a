// report.cpp: the failure report.
#include "report.hpp"

#include <fmt/core.h>

#include "results/job_outcome.hpp"
#include "base/printable.hpp"

namespace wgrun::cli {

void report_failures(const ResultCollector& results, std::FILE* to, bool colour) {
    const std::uint64_t count = results.failed_count();
    if (count == 0) return;
    const auto failed = results.failed();
    const char* word = colour ? "\x1b[1;31mfailed\x1b[0m" : "failed";
    for (const auto& job : failed) {
        // job.command is printable already (ResultCollector::failed()).
        fmt::print(to, "wgrun: job {} {} ({}): {}\n", job.seq, word, printable(outcome_text(job)),
                   job.command);
    }
    if (count > failed.size()) {
        const std::uint64_t more = count - failed.size();
        fmt::print(to, "wgrun: ... and {} more failed job{} (not listed)\n", more,
                   more == 1 ? "" : "s");
    }
    fmt::print(to, "wgrun: {} of {} job{} {}\n", count, results.total(),
               results.total() == 1 ? "" : "s", word);
    std::fflush(to);
}

}  // namespace wgrun::cli
