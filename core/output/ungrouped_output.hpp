// ungrouped_output.hpp: -u/--ungroup: jobs' bytes are written as soon as
// they arrive, so lines of different jobs may mix (even within a line, when
// a job writes a line in pieces). With tags the prefix is put at each line
// start of each job and stream as it comes: best effort, since a line that
// arrives in pieces may be cut by another job's bytes.
#pragma once

#include <string>

#include "output/unordered_output.hpp"

namespace wgrun {

class UngroupedOutput : public UnorderedOutput {
public:
    UngroupedOutput(int out_fd, int err_fd, std::string tmpdir, TagFormat tags = {},
                    OutputGuard* guard = nullptr)
        : UnorderedOutput(out_fd, err_fd, std::move(tmpdir), std::move(tags), true, false,
                          false, guard) {}
};

}  // namespace wgrun
