// github_annotations.hpp: --ci github. A decorator around any output mode
// that adds GitHub Actions workflow commands to the jobs' stdout: each job's
// output folded in a group, and an error annotation for each failed job.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "output/output_decorator.hpp"

namespace wgrun {

/// GitHub's escaping of a workflow command's message (and group title):
/// % -> %25, \r -> %0D, \n -> %0A.
std::string github_escape_data(std::string_view text);

/// GitHub's escaping of a property value (title=...): the data escapes,
/// and : -> %3A, , -> %2C.
std::string github_escape_property(std::string_view text);

/// Passes every call on to `inner` and injects, as the job's own stdout bytes
/// (so that every mode puts them where the job's output goes):
///   ::group::COMMAND                  first, at started()   (not with `groups` off)
///   ::endgroup::                      last, at finished()   (not with `groups` off)
///   ::error title=COMMAND::job N failed (STATUS): COMMAND
///                                     after it, when the job's status failed
/// COMMAND is shown printable_command() (printable.hpp: control characters
/// escaped, cut after 1000 bytes), then escaped GitHub's way.
/// Each injected line starts a line: when the job's stdout did not end with
/// a newline, one is written first. So that this is known, the job's stdout
/// is never spliced (its stderr still is). `groups` is off where lines of
/// jobs mix (--ungroup, --line-buffer without --keep-order): only the error
/// lines are written then.
/// Jobs left out (skipped()) get no lines at all.
class GithubAnnotations : public OutputDecorator {
public:
    GithubAnnotations(std::unique_ptr<OutputMode> inner, bool groups);

    void started(const JobStart& job) override;
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t seq, Stream stream, int fd) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;

private:
    struct Running {
        std::string command;
        bool line_start = true;  // the job's stdout so far ends with a newline (or is empty)
    };

    void inject(std::uint64_t seq, Running& job, std::string_view line);

    bool groups_;
    std::unordered_map<std::uint64_t, Running> running_;  // started, not finished
};

}  // namespace wgrun
