// unordered_output.cpp: one JobStreams per running job.
#include "output/unordered_output.hpp"

namespace wgrun {

UnorderedOutput::UnorderedOutput(Grouping grouping, int out_fd, int err_fd, std::string tmpdir,
                                 TagFormat tags, bool background, OutputGuard* guard)
    : grouping_(grouping),
      shared_(out_fd, err_fd, std::move(tmpdir), grouping == Grouping::LineBuffer,
              std::move(tags), guard),
      live_(grouping != Grouping::Group) {
    if (background && !live_) writer_ = std::make_unique<BackgroundWriter>();
}

void UnorderedOutput::started(const JobStart& job) {
    jobs_.emplace(job.seq, std::make_unique<JobStreams>(job, shared_, live_));
}

void UnorderedOutput::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    jobs_.at(seq)->add(stream, bytes);
}

ssize_t UnorderedOutput::splice_from(std::uint64_t seq, Stream stream, int fd) {
    return jobs_.at(seq)->splice_from(stream, fd);
}

std::string UnorderedOutput::finished(std::uint64_t seq, const ExitStatus&) {
    const auto node = jobs_.extract(seq);
    JobStreams& job = *node.mapped();
    job.end();
    if (writer_) {
        writer_->deliver(seq, std::move(node.mapped()));
        return "";
    }
    if (!job.live()) job.go_live();
    return job.problem();
}

}  // namespace wgrun
