// output_decorator.hpp: the one base of the decorators around an output mode
// (--ci github: github_annotations.hpp; --results: results_tee.hpp,
// results_table.hpp; --files: files_output.hpp; --retries:
// last_attempt_output.hpp). It
// passes every job event on to the inner mode unchanged; a decorator
// overrides only the events it changes and calls OutputDecorator's own to
// pass them on. Flow control is the inner mode's, never a decorator's: the
// event loop waits for room where the bytes really go.
#pragma once

#include <memory>
#include <utility>

#include "output/output_mode.hpp"

namespace wgrun {

class OutputDecorator : public OutputMode {
public:
    explicit OutputDecorator(std::unique_ptr<OutputMode> inner) : inner_(std::move(inner)) {}

    void started(const JobStart& job) override { inner_->started(job); }
    void skipped(std::uint64_t seq) override { inner_->skipped(seq); }
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        inner_->output(seq, stream, bytes);
    }
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override {
        return inner_->splice_from(seq, stream, fd);
    }
    std::uint64_t retrying(std::uint64_t seq) override { return inner_->retrying(seq); }
    std::string finished(std::uint64_t seq, const ExitStatus& status) override {
        return inner_->finished(seq, status);
    }
    OutputFlow& flow() final { return inner_->flow(); }

private:
    std::unique_ptr<OutputMode> inner_;
};

}  // namespace wgrun
