// job_skipper.hpp: which jobs a run leaves out (--resume, --resume-failed,
// --retry-failed: those the job log says are done).
#pragma once

#include <cstdint>

namespace wgrun {

class JobSkipper {
public:
    virtual ~JobSkipper() = default;
    /// True when job `seq` must not run. Asked once per job, in increasing
    /// order of seq, from the scheduler's thread.
    virtual bool skip(std::uint64_t seq) const = 0;
};

}  // namespace wgrun
