// output_mode.hpp: what happens to the bytes jobs write. Grouped output today;
// keep-order, line-buffered, tagged and ungrouped modes slot in here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wgrun {

enum class Stream { Out, Err };

/// The scheduler's calls for each job, in this order: started(), any number
/// of output() calls as bytes arrive from either stream, then finished() once
/// both streams are closed and the job has exited. All calls come from the
/// scheduler's thread.
class OutputMode {
public:
    virtual ~OutputMode() = default;
    virtual void started(std::uint64_t seq) = 0;
    virtual void output(std::uint64_t seq, Stream stream, std::string_view bytes) = 0;
    /// Returns why the job's output was not delivered whole ("output lost:
    /// ..."), or an empty string when all of it was.
    virtual std::string finished(std::uint64_t seq) = 0;
};

}  // namespace wgrun
