// files_output.hpp: --files: each job's stdout goes to a file of its own in
// the temporary directory, and the file's name is written in its place.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "base/unique_fd.hpp"
#include "output/compression.hpp"
#include "output/output_decorator.hpp"

namespace wgrun {

/// Makes TMPDIR/parXXXXXX.par for each job as it starts (GNU's names:
/// "par", random letters, ".par"; mode 0600), writes the job's stdout there
/// and, when it finishes, passes the file's name and a newline on as its
/// stdout: the inner mode writes it in its order (-k: job order) with its
/// tags. The job's stderr is passed on as it is (GNU 20221122 loses it).
/// The files stay: they are the user's. A file that cannot be made or
/// written is the job's problem ("output lost: --files: PATH: <strerror>")
/// and its name is not written; the file is removed. With a `compression`
/// (--compress), the file holds what the compress program makes of the
/// stdout, as GNU's does.
class FilesOutput : public OutputDecorator {
public:
    FilesOutput(std::unique_ptr<OutputMode> inner, std::string tmpdir,
                std::shared_ptr<const Compression> compression = nullptr);

    void started(const JobStart& job) override;
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override;
    std::uint64_t retrying(std::uint64_t seq) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;

private:
    struct File {
        std::string path;
        UniqueFd fd;
        bool made = false;  // the file was created (and is ours to remove)
        int error = 0;      // the first failure: the file is then gone
        std::string problem;  // or the compress program's failure
        std::unique_ptr<CompressingWriter> compressor;  // --compress
    };
    void fail(File& file, int error);
    void start_compressor(File& file);

    std::shared_ptr<const Compression> compression_;
    std::string tmpdir_;
    std::unordered_map<std::uint64_t, File> jobs_;
};

}  // namespace wgrun
