// files_output.cpp: --files, a file per job's stdout and its name written.
#include "output/files_output.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/write_all.hpp"

namespace wgrun {

FilesOutput::FilesOutput(std::unique_ptr<OutputMode> inner, std::string tmpdir,
                         std::shared_ptr<const Compression> compression)
    : OutputDecorator(std::move(inner)),
      compression_(std::move(compression)),
      tmpdir_(std::move(tmpdir)) {
    while (tmpdir_.size() > 1 && tmpdir_.back() == '/') tmpdir_.pop_back();
}

void FilesOutput::fail(File& file, int error) {
    if (file.error != 0) return;
    file.error = error;
    if (file.compressor != nullptr) {
        const std::string problem = file.compressor->finish();
        if (file.problem.empty()) file.problem = problem;
    }
    file.fd.reset();
    if (file.made) ::unlink(file.path.c_str());
}

void FilesOutput::started(const JobStart& job) {
    OutputDecorator::started(job);
    File& file = jobs_[job.seq];
    std::string path = tmpdir_ + "/parXXXXXX.par";
    const int fd = ::mkostemps(path.data(), 4, O_CLOEXEC);
    if (fd < 0) {
        file.error = errno;
        file.path = tmpdir_;  // what the failure is about
        return;
    }
    file.path = std::move(path);
    file.fd.reset(fd);
    file.made = true;
    if (compression_ != nullptr) start_compressor(file);
}

void FilesOutput::start_compressor(File& file) {
    if (file.compressor == nullptr) file.compressor = std::make_unique<CompressingWriter>();
    if (const int e = file.compressor->start(compression_->compress, file.fd.get())) fail(file, e);
}

void FilesOutput::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    const auto it = jobs_.find(seq);
    if (stream == Stream::Err || it == jobs_.end()) {
        OutputDecorator::output(seq, stream, bytes);
        return;
    }
    File& file = it->second;
    if (file.error != 0) return;
    const int error = file.compressor != nullptr ? file.compressor->write(bytes)
                                                 : write_all(file.fd.get(), bytes);
    if (error != 0) fail(file, error);
}

ssize_t FilesOutput::splice_from(std::uint64_t seq, Stream stream, int fd) {
    if (stream == Stream::Err) return OutputDecorator::splice_from(seq, stream, fd);
    return kCannotSplice;
}

// An attempt to be retried: its stdout is dropped (the file starts again).
std::uint64_t FilesOutput::retrying(std::uint64_t seq) {
    std::uint64_t dropped = OutputDecorator::retrying(seq);
    const auto it = jobs_.find(seq);
    if (it == jobs_.end() || it->second.error != 0) return dropped;
    File& file = it->second;
    if (file.compressor != nullptr) file.compressor->finish();  // the attempt's, dropped
    const off_t size = ::lseek(file.fd.get(), 0, SEEK_CUR);
    if (size > 0) dropped += static_cast<std::uint64_t>(size);
    if (::ftruncate(file.fd.get(), 0) != 0 || ::lseek(file.fd.get(), 0, SEEK_SET) != 0) {
        fail(file, errno);
    } else if (file.compressor != nullptr) {
        start_compressor(file);
    }
    return dropped;
}

std::string FilesOutput::finished(std::uint64_t seq, const ExitStatus& status) {
    auto node = jobs_.extract(seq);
    std::string lost;
    if (!node.empty()) {
        File& file = node.mapped();
        if (file.error == 0 && file.compressor != nullptr) {
            file.problem = file.compressor->finish();
            if (!file.problem.empty()) fail(file, EIO);
        }
        if (file.error == 0) {
            if (const int e = file.fd.close()) fail(file, e);
        }
        if (file.error == 0) {
            OutputDecorator::output(seq, Stream::Out, file.path + "\n");
        } else {
            lost = "output lost: --files: " + file.path + ": " +
                   (file.problem.empty() ? std::strerror(file.error) : file.problem);
        }
    }
    std::string problem = OutputDecorator::finished(seq, status);
    if (!lost.empty()) problem = problem.empty() ? lost : problem + "; " + lost;
    return problem;
}

}  // namespace wgrun
