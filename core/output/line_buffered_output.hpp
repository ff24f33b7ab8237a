// line_buffered_output.hpp: --line-buffer: jobs' output is written while
// they run, one whole line at a time, so a line is never split or mixed with
// another job's. A job's last line without newline is written when it ends.
// A partial line is kept in memory up to OutputBuffer::kMemoryLimit per
// stream, then in a spill file: a long binary "line" costs disk, not memory.
#pragma once

#include <string>

#include "output/unordered_output.hpp"

namespace wgrun {

class LineBufferedOutput : public UnorderedOutput {
public:
    LineBufferedOutput(int out_fd, int err_fd, std::string tmpdir, TagFormat tags = {},
                       OutputGuard* guard = nullptr)
        : UnorderedOutput(out_fd, err_fd, std::move(tmpdir), std::move(tags), true, true,
                          false, guard) {}
};

}  // namespace wgrun
