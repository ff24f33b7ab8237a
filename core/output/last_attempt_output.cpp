// last_attempt_output.cpp: a job's output held per attempt; the retried
// attempts' dropped, the last one's passed on when the job finishes.
#include "output/last_attempt_output.hpp"

#include <cstring>

namespace wgrun {

LastAttemptOutput::LastAttemptOutput(std::unique_ptr<OutputMode> inner, std::string tmpdir,
                                     std::shared_ptr<const Compression> compression)
    : OutputDecorator(std::move(inner)),
      tmpdir_(std::move(tmpdir)),
      compression_(std::move(compression)) {}

void LastAttemptOutput::started(const JobStart& job) {
    OutputDecorator::started(job);
    jobs_[job.seq] = std::make_unique<Held>(tmpdir_, compression_);
}

void LastAttemptOutput::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    const auto it = jobs_.find(seq);
    if (it == jobs_.end()) {
        OutputDecorator::output(seq, stream, bytes);
        return;
    }
    // A failure to keep them (a full disk) is met again in finished().
    (stream == Stream::Out ? it->second->out : it->second->err).append(bytes);
}

std::uint64_t LastAttemptOutput::retrying(std::uint64_t seq) {
    const auto it = jobs_.find(seq);
    if (it == jobs_.end()) return OutputDecorator::retrying(seq);
    const std::uint64_t dropped = it->second->out.size() + it->second->err.size();
    it->second = std::make_unique<Held>(tmpdir_, compression_);
    return dropped;
}

std::string LastAttemptOutput::finished(std::uint64_t seq, const ExitStatus& status) {
    auto node = jobs_.extract(seq);
    std::string lost;
    if (!node.empty()) {
        const Held& held = *node.mapped();
        for (const Stream stream : {Stream::Out, Stream::Err}) {
            const OutputBuffer& buffer = stream == Stream::Out ? held.out : held.err;
            int error = buffer.error();
            const int read_error = buffer.read_back(
                [&](std::string_view bytes) { OutputDecorator::output(seq, stream, bytes); });
            if (error == 0) error = read_error;
            if (error != 0 && lost.empty()) {
                lost = std::string("output lost: cannot keep ") +
                       (stream == Stream::Out ? "stdout" : "stderr") + " for --retries: " +
                       (buffer.problem().empty() ? std::strerror(error) : buffer.problem());
            }
        }
    }
    std::string problem = OutputDecorator::finished(seq, status);
    if (!lost.empty()) problem = problem.empty() ? lost : problem + "; " + lost;
    return problem;
}

}  // namespace wgrun
