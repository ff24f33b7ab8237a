// shuffle_feed.cpp: read all, Fisher-Yates, hand out.
#include "input/shuffle_feed.hpp"

#include <utility>

namespace wgrun {

std::optional<std::vector<std::string>> ShuffleFeed::next() {
    if (!read_) {
        read_ = true;
        while (auto input = inner_->next()) inputs_.push_back(std::move(*input));
        inner_.reset();  // its files are read: close them now
        // Not std::shuffle: its order is the library's to choose. The modulo's
        // bias is below n / 2^64.
        for (std::size_t i = inputs_.size(); i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(random_() % i);
            std::swap(inputs_[i - 1], inputs_[j]);
        }
    }
    if (next_ == inputs_.size()) return std::nullopt;
    return std::move(inputs_[next_++]);
}

}  // namespace wgrun
