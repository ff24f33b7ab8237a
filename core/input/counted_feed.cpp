// counted_feed.cpp: read all, count, hand out.
#include "input/counted_feed.hpp"

namespace wgrun {

std::optional<std::vector<std::string>> CountedFeed::next() {
    if (!read_) {
        while (auto input = inner_->next()) inputs_.push_back(std::move(*input));
        read_ = true;
        inner_.reset();  // its files are read: close them now
        counted_(inputs_.size());
    }
    if (next_ == inputs_.size()) return std::nullopt;
    std::vector<std::string> input = std::move(inputs_[next_]);
    inputs_[next_++] = {};  // handed out: its memory goes with it
    return input;
}

}  // namespace wgrun
