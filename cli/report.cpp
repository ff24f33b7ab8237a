// report.cpp: the failure report.
#include "report.hpp"

#include <fmt/core.h>

#include "job_outcome.hpp"

namespace wgrun::cli {

void report_failures(const ResultCollector& results, std::FILE* to, bool colour) {
    const auto failed = results.failed();
    if (failed.empty()) return;
    const char* word = colour ? "\x1b[1;31mfailed\x1b[0m" : "failed";
    for (const auto& job : failed) {
        const std::string why = outcome_text(job);
        fmt::print(to, "wgrun: job {} {} ({}): {}\n", job.seq, word, why, job.command);
    }
    fmt::print(to, "wgrun: {} of {} job{} {}\n", failed.size(), results.total(),
               results.total() == 1 ? "" : "s", word);
    std::fflush(to);
}

}  // namespace wgrun::cli
