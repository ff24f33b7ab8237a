// github_annotations.cpp: group and error lines around each job's output.
#include "output/github_annotations.hpp"

#include "base/printable.hpp"

namespace wgrun {
namespace {

void escape(std::string_view text, bool property, std::string& to) {
    for (const char c : text) {
        switch (c) {
            case '%': to += "%25"; break;
            case '\r': to += "%0D"; break;
            case '\n': to += "%0A"; break;
            case ':': to += property ? "%3A" : ":"; break;
            case ',': to += property ? "%2C" : ","; break;
            default: to += c;
        }
    }
}

}  // namespace

std::string github_escape_data(std::string_view text) {
    std::string escaped;
    escape(text, false, escaped);
    return escaped;
}

std::string github_escape_property(std::string_view text) {
    std::string escaped;
    escape(text, true, escaped);
    return escaped;
}

GithubAnnotations::GithubAnnotations(std::unique_ptr<OutputMode> inner, bool groups)
    : OutputDecorator(std::move(inner)), groups_(groups) {}

void GithubAnnotations::inject(std::uint64_t seq, Running& job, std::string_view line) {
    std::string bytes;
    if (!job.line_start) bytes += '\n';
    bytes += line;
    bytes += '\n';
    OutputDecorator::output(seq, Stream::Out, bytes);
    job.line_start = true;
}

void GithubAnnotations::started(const JobStart& job) {
    OutputDecorator::started(job);
    Running& running = running_[job.seq];
    // Shown as the reports show it: no control character reaches the log
    // (GitHub's escaping keeps only CR, LF and % from being read as syntax).
    running.command = job.command != nullptr ? printable_command(*job.command) : std::string();
    if (groups_) inject(job.seq, running, "::group::" + github_escape_data(running.command));
}

void GithubAnnotations::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    if (stream == Stream::Out && !bytes.empty()) {
        if (const auto it = running_.find(seq); it != running_.end()) {
            it->second.line_start = bytes.back() == '\n';
        }
    }
    OutputDecorator::output(seq, stream, bytes);
}

ssize_t GithubAnnotations::splice_from(std::uint64_t seq, Stream stream, int fd) {
    if (stream == Stream::Out) return kCannotSplice;  // output() must see its last byte
    return OutputDecorator::splice_from(seq, stream, fd);
}

std::string GithubAnnotations::finished(std::uint64_t seq, const ExitStatus& status) {
    if (auto node = running_.extract(seq); !node.empty()) {
        Running& job = node.mapped();
        if (groups_) inject(seq, job, "::endgroup::");
        if (!status.ok()) {
            inject(seq, job,
                   "::error title=" + github_escape_property(job.command) + "::" +
                       github_escape_data("job " + std::to_string(seq) + " failed (" +
                                          status.describe() + "): " + job.command));
        }
    }
    return OutputDecorator::finished(seq, status);
}

}  // namespace wgrun
