// job_outcome.cpp: failure kinds and descriptions.
#include "results/job_outcome.hpp"

#include "base/duration.hpp"

namespace wgrun {

std::string failure_type(const JobResult& job) {
    if (!job.failed()) return {};
    switch (job.ended_by) {
        case EndedBy::Timeout: return "timeout";
        case EndedBy::Halt: return "halt";
        case EndedBy::Memory: return "memory";
        case EndedBy::Signal:
        case EndedBy::ClosedStdout: return "interrupted";
        case EndedBy::Nobody: break;
    }
    switch (job.status.kind) {
        case ExitStatus::Kind::NotStarted: return "not-started";
        case ExitStatus::Kind::Signaled: return "signal";
        case ExitStatus::Kind::Exited: break;
    }
    return job.status.code != 0 ? "exit" : "output";
}

std::string outcome_text(const JobResult& job) {
    std::string text;
    switch (job.ended_by) {
        case EndedBy::Timeout: text = "timed out after " + format_duration(job.timeout); break;
        case EndedBy::Halt: text = "ended by --halt, " + job.status.describe(); break;
        case EndedBy::Signal: text = "ended by wgrun's signal, " + job.status.describe(); break;
        case EndedBy::ClosedStdout: text = "ended: stdout closed, " + job.status.describe(); break;
        case EndedBy::Memory: text = "ended by --memfree (memory low), " + job.status.describe(); break;
        case EndedBy::Nobody: text = job.status.describe(); break;
    }
    if (job.attempts > 1) text += ", after " + std::to_string(job.attempts) + " attempts";
    if (!job.problem.empty()) text += "; " + job.problem;
    return text;
}

}  // namespace wgrun
