// report.cpp: the failure report.
#include "report.hpp"

#include <fmt/core.h>

namespace wgrun::cli {

void report_failures(const ResultCollector& results, std::FILE* to) {
    const auto failed = results.failed();
    if (failed.empty()) return;
    for (const auto& job : failed) {
        std::string why = job.status.describe();
        if (!job.problem.empty()) why += "; " + job.problem;
        fmt::print(to, "wgrun: job {} failed ({}): {}\n", job.seq, why, job.command);
    }
    fmt::print(to, "wgrun: {} of {} job{} failed\n", failed.size(), results.total(),
               results.total() == 1 ? "" : "s");
    std::fflush(to);
}

}  // namespace wgrun::cli
