// grouped_output.hpp: the default output mode (--group): each job's stdout
// and stderr are written whole when it ends, never mixed with another job's.
#pragma once

#include <string>

#include "output/unordered_output.hpp"

namespace wgrun {

class GroupedOutput : public UnorderedOutput {
public:
    /// Jobs' stdout goes to `out_fd`, their stderr to `err_fd`; spill files
    /// go to `tmpdir`. With `tags` enabled every line is prefixed. With
    /// `background`, a BackgroundWriter writes finished jobs (see
    /// OutputMode::written_fd()), so that the event loop never waits for
    /// the reader.
    GroupedOutput(int out_fd, int err_fd, std::string tmpdir, TagFormat tags = {},
                  bool background = false, OutputGuard* guard = nullptr)
        : UnorderedOutput(out_fd, err_fd, std::move(tmpdir), std::move(tags), false, false,
                          background, guard) {}
};

}  // namespace wgrun
