// job_feed.cpp: the two feeds.
#include "input/job_feed.hpp"

namespace wgrun {

std::optional<std::vector<std::string>> ListFeed::next() {
    if (next_ == commands_.size()) return std::nullopt;
    return std::vector<std::string>{std::move(commands_[next_++])};
}

std::optional<std::vector<std::string>> CombinerFeed::next() {
    for (;;) {
        auto values = combiner_->next();
        if (!values || !skip_empty_ || values->size() != 1 || !values->front().empty()) {
            return values;
        }
    }
}

}  // namespace wgrun
