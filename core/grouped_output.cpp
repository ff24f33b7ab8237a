// grouped_output.cpp: capture while running, write whole at the end.
#include "grouped_output.hpp"

#include <cerrno>
#include <cstring>

namespace wgrun {
namespace {

std::string lost(const char* what, int error) {
    return std::string("output lost: ") + what + ": " + std::strerror(error < 0 ? -error : error);
}

}  // namespace

GroupedOutput::GroupedOutput(int out_fd, int err_fd, std::string tmpdir)
    : out_fd_(out_fd), err_fd_(err_fd), tmpdir_(std::move(tmpdir)) {}

void GroupedOutput::started(const JobStart& job) {
    jobs_.emplace(job.seq, std::make_unique<Captured>(tmpdir_));
}

void GroupedOutput::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    Captured& job = *jobs_.at(seq);
    (stream == Stream::Out ? job.out : job.err).append(bytes);
}

std::string GroupedOutput::finished(std::uint64_t seq, const ExitStatus&) {
    const auto node = jobs_.extract(seq);
    const Captured& job = *node.mapped();
    std::string problem;
    for (const auto* buffer : {&job.out, &job.err}) {
        if (buffer->error() != 0 && problem.empty()) {
            problem = lost(("cannot keep it in " + tmpdir_).c_str(), buffer->error());
        }
    }
    // Write what was kept even when part was lost: never less than we have.
    // Once the reader of stdout is gone, stdout bytes are dropped quietly.
    const int out_error = stdout_closed_ ? 0 : job.out.write_to(out_fd_);
    if (out_error == EPIPE) stdout_closed_ = true;
    const int err_error = job.err.write_to(err_fd_);
    if (problem.empty() && out_error != 0 && !stdout_closed_) {
        problem = lost(out_error < 0 ? "cannot read the spill file" : "cannot write stdout",
                       out_error);
    }
    if (problem.empty() && err_error != 0) {
        problem = lost(err_error < 0 ? "cannot read the spill file" : "cannot write stderr",
                       err_error);
    }
    return problem;
}

}  // namespace wgrun
