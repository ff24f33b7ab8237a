// seq_skipper.cpp: a binary search per job.
#include "input/seq_skipper.hpp"

#include <algorithm>

namespace wgrun {

bool SeqSkipper::skip(std::uint64_t seq) const {
    const bool listed = std::binary_search(seqs_.begin(), seqs_.end(), seq);
    return which_ == Skip::Listed ? listed : !listed;
}

}  // namespace wgrun
