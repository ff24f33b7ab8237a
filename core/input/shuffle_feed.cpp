// shuffle_feed.cpp: read all, Fisher-Yates (std::shuffle), hand out.
#include "input/shuffle_feed.hpp"

#include <algorithm>

namespace wgrun {

std::optional<std::vector<std::string>> ShuffleFeed::next() {
    if (!read_) {
        read_ = true;
        while (auto input = inner_->next()) inputs_.push_back(std::move(*input));
        inner_.reset();  // its files are read: close them now
        std::shuffle(inputs_.begin(), inputs_.end(), random_);
    }
    if (next_ == inputs_.size()) return std::nullopt;
    return std::move(inputs_[next_++]);
}

}  // namespace wgrun
