// seq_skipper.hpp: a JobSkipper from a sorted list of Seqs, for --resume and
// --resume-failed (leave the listed jobs out) and --retry-failed (run only
// the listed ones).
#pragma once

#include <cstdint>
#include <vector>

#include "input/job_skipper.hpp"

namespace wgrun {

class SeqSkipper : public JobSkipper {
public:
    enum class Skip {
        Listed,    // the listed jobs are done
        Unlisted,  // only the listed jobs run
    };

    /// `seqs` must be sorted and unique (JoblogHistory gives them so).
    /// Memory: the list itself, 8 bytes a Seq.
    SeqSkipper(std::vector<std::uint64_t> seqs, Skip which)
        : seqs_(std::move(seqs)), which_(which) {}

    bool skip(std::uint64_t seq) const override;

private:
    std::vector<std::uint64_t> seqs_;
    Skip which_;
};

}  // namespace wgrun
