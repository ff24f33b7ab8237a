// output_files_wiring.cpp: --results NAME, --files and --retries' output
// decorators, wired from the options.
#include "output_files_wiring.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/os_error.hpp"
#include "base/unique_fd.hpp"
#include "output/files_output.hpp"
#include "output/last_attempt_output.hpp"
#include "results/results_naming.hpp"
#include "results/results_table.hpp"
#include "results/results_tee.hpp"

namespace wgrun::cli {

bool results_table_on_stdout(const Options& options) {
    return options.results == "-.csv" || options.results == "-.tsv" ||
           options.results == "-.json";
}

int null_output_fd() {
    static const UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    if (!null) throw_os_error(errno, "/dev/null");
    return null.get();
}

namespace {

bool compresses(const Options& options) {
    return options.output.compress || !options.output.compress_program.empty();
}

// An attempt's output is dropped when the job runs again, where it is held
// until the job ends: grouped output, with or without -k (GNU too); under -u
// and --line-buffer it is out already (GNU writes every attempt's there as
// well). A job runs again when it is retried (--retries), ended for memory
// (--memfree) or has lost its host (-S, --slf), an attempt or not.
bool drops_retried_output(const Options& options) {
    const bool runs_again = options.rules.attempts > 1 || !options.memfree.empty() ||
                            !options.remote.sshlogin.empty() ||
                            !options.remote.sshloginfile.empty();
    return runs_again && !options.ungroup && !options.line_buffer;
}

}  // namespace

std::shared_ptr<const Compression> output_compression(const Options& options) {
    const OutputGroup& o = options.output;
    if (!compresses(options)) return nullptr;
    Compression compression;
    if (!o.compress_program.empty()) {
        compression.compress = o.compress_program;
        compression.decompress = o.compress_program + " -dc";
    } else {
        const char* path = std::getenv("PATH");
        compression = default_compression(path != nullptr ? path : "/usr/bin:/bin");
    }
    if (!o.decompress_program.empty()) compression.decompress = o.decompress_program;
    return std::make_shared<const Compression>(std::move(compression));
}

std::unique_ptr<OutputMode> wrap_output_files(const Options& options,
                                              std::unique_ptr<OutputMode> mode,
                                              const std::string& tmpdir,
                                              std::shared_ptr<const Compression> compression) {
    if (options.output.files) {
        mode = std::make_unique<FilesOutput>(std::move(mode), tmpdir, std::move(compression));
    }
    if (!options.results.empty()) {
        const ResultsTableKind kind = results_table_kind(options.results);
        if (kind == ResultsTableKind::None) {
            mode = std::make_unique<ResultsTee>(std::move(mode), options.results);
        } else {
            UniqueFd fd;
            if (results_table_on_stdout(options)) {
                fd.reset(::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3));
            } else {
                fd.reset(::open(options.results.c_str(),
                                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
            }
            if (!fd) throw_os_error(errno, "--results " + options.results);
            mode = std::make_unique<ResultsTable>(std::move(mode), kind, std::move(fd),
                                                  options.results);
        }
    }
    return mode;
}

std::unique_ptr<OutputMode> wrap_last_attempt_output(
    const Options& options, std::unique_ptr<OutputMode> mode, const std::string& tmpdir,
    std::shared_ptr<const Compression> compression) {
    if (drops_retried_output(options)) {
        mode = std::make_unique<LastAttemptOutput>(std::move(mode), tmpdir, std::move(compression));
    }
    return mode;
}

std::size_t output_fds_per_job(const Options& options) {
    std::size_t fds = 0;
    // stdout, stderr while it runs; seq and status as it ends
    if (!options.results.empty() && results_table_kind(options.results) == ResultsTableKind::None) {
        fds += 4;
    }
    // --compress: a compress program's stdin, its status pipe and its pidfd
    // beside each file it writes (compression.hpp)
    const std::size_t per_file = compresses(options) ? 4 : 1;
    if (options.output.files) fds += per_file;
    if (drops_retried_output(options)) fds += 2 * per_file;  // spill files
    // --compress with output held (not -u): the programs of the job's two
    // spill files while it runs, and a decompress program's fds while its
    // output is written (its pipes, its pidfd, the file reopened).
    if (per_file > 1 && !options.ungroup) fds += 2 * (per_file - 1) + 5;
    return fds;
}

}  // namespace wgrun::cli
