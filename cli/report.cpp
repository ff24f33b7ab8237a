// report.cpp: the failure report.
#include "report.hpp"

#include <fmt/core.h>

#include "duration.hpp"

namespace wgrun::cli {

std::string describe_end(const JobResult& job) {
    std::string why;
    switch (job.ended_by) {
        case EndedBy::Timeout: why = "timed out after " + format_duration(job.timeout); break;
        case EndedBy::Halt: why = "ended by --halt, " + job.status.describe(); break;
        case EndedBy::Signal: why = "ended by wgrun's signal, " + job.status.describe(); break;
        case EndedBy::ClosedStdout: why = "ended: stdout closed, " + job.status.describe(); break;
        case EndedBy::Nobody: why = job.status.describe(); break;
    }
    if (job.attempts > 1) why += fmt::format(", after {} attempts", job.attempts);
    return why;
}

void report_failures(const ResultCollector& results, std::FILE* to, bool colour) {
    const auto failed = results.failed();
    if (failed.empty()) return;
    const char* word = colour ? "\x1b[1;31mfailed\x1b[0m" : "failed";
    for (const auto& job : failed) {
        std::string why = describe_end(job);
        if (!job.problem.empty()) why += "; " + job.problem;
        fmt::print(to, "wgrun: job {} {} ({}): {}\n", job.seq, word, why, job.command);
    }
    fmt::print(to, "wgrun: {} of {} job{} {}\n", failed.size(), results.total(),
               results.total() == 1 ? "" : "s", word);
    std::fflush(to);
}

}  // namespace wgrun::cli
