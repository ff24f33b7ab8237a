// counted_feed.cpp: read all, count, hand out.
#include "input/counted_feed.hpp"

namespace wgrun {

std::optional<std::vector<std::string>> CountedFeed::next() {
    auto input = next_input();
    if (!input) return std::nullopt;
    return std::move(input->args);
}

std::optional<JobInput> CountedFeed::next_input() {
    if (!read_) {
        while (auto input = inner_->next_input()) inputs_.push_back(std::move(*input));
        read_ = true;
        inner_.reset();  // its files are read: close them now
        counted_(inputs_.size());
    }
    if (next_ == inputs_.size()) return std::nullopt;
    JobInput input = std::move(inputs_[next_]);
    inputs_[next_++] = {};  // handed out: its memory goes with it
    return input;
}

}  // namespace wgrun
