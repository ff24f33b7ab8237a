// arg_packer.cpp: records in, packed jobs out, one record read ahead.
#include "input/arg_packer.hpp"

#include <utility>

namespace wgrun {
namespace {

constexpr std::size_t kPointer = sizeof(char*);

bool ends_in_blank(const std::string& value) {
    if (value.empty()) return false;
    switch (value.back()) {
    case ' ': case '\t': case '\r': case '\f': case '\v': return true;
    default: return false;
    }
}

// The first bytes of `value`, for a message.
std::string head_of(const std::vector<std::string>& record) {
    std::string text;
    for (const std::string& value : record) text += (text.empty() ? "" : " ") + value;
    constexpr std::size_t kShown = 50;
    if (text.size() > kShown) text = text.substr(0, kShown) + "...";
    return text;
}

}  // namespace

ArgPacker::ArgPacker(std::unique_ptr<JobFeed> records, CommandSize size, PackingRules rules)
    : records_(std::move(records)), size_(std::move(size)), rules_(std::move(rules)) {}

std::optional<std::vector<std::string>> ArgPacker::read() {
    if (ended_) return std::nullopt;
    auto record = records_->next();
    if (!record) {
        ended_ = true;
        return std::nullopt;
    }
    // GNU's -L: "a b \nc" is the one line "a b c".
    while (rules_.continued_lines && record->size() == 1 && ends_in_blank(record->front())) {
        auto more = records_->next();
        if (!more) {
            ended_ = true;
            break;
        }
        if (more->size() != 1) {
            ahead_.push_back(std::move(*more));
            break;
        }
        record->front() += more->front();
    }
    return record;
}

std::optional<std::vector<std::string>> ArgPacker::take() {
    if (!ahead_.empty()) {
        std::vector<std::string> record = std::move(ahead_.front());
        ahead_.pop_front();
        return record;
    }
    return read();
}

bool ArgPacker::at_end() {
    if (!ahead_.empty()) return false;
    auto record = read();
    if (!record) return true;
    ahead_.push_front(std::move(*record));  // before a record read() put back
    return false;
}

bool ArgPacker::fits(std::size_t bytes, std::size_t values) const {
    if (rules_.max_bytes != 0 && bytes > rules_.max_bytes) return false;
    return rules_.max_exec_bytes == 0 || bytes + kPointer * values <= rules_.max_exec_bytes;
}

void ArgPacker::stop(const std::vector<std::string>& record, std::size_t bytes) const {
    throw PackingError("-x: job " + std::to_string(jobs_ + 1) + "'s arguments do not fit in " +
                       rules_.limit_text + ": with '" + head_of(record) +
                       "' the command would be " + std::to_string(bytes) +
                       " bytes; no more jobs are started");
}

std::optional<std::vector<std::string>> ArgPacker::next() {
    std::vector<std::string> values;
    std::vector<std::size_t> sizes;  // each record's count of values, in order
    values.reserve(last_values_);    // jobs tend to be alike: no regrowth
    sizes.reserve(last_records_);
    std::size_t bytes = size_.fixed;
    for (;;) {
        if (rules_.max_records != 0 && sizes.size() >= rules_.max_records) break;
        auto record = take();
        if (!record) break;
        std::size_t added = 0;
        for (std::size_t k = 0; k < record->size(); ++k) {
            added += size_.value((*record)[k], values.size() + k);
        }
        if (!fits(bytes + added, values.size() + record->size())) {
            if (rules_.stop_on_overflow) {
                // xargs -x: stop when the record does not fit alone, or
                // when the job cannot have its -n/-L count.
                std::size_t alone = size_.fixed;
                for (std::size_t k = 0; k < record->size(); ++k) {
                    alone += size_.value((*record)[k], k);
                }
                if (sizes.empty() || rules_.max_records != 0 || !fits(alone, record->size())) {
                    stop(*record, sizes.empty() ? alone : bytes + added);
                }
            }
            if (!sizes.empty()) {
                ahead_.push_front(std::move(*record));
                break;
            }
            // Too long even alone: a job of its own, which the command
            // stage refuses with the job's number and size.
            values = std::move(*record);
            sizes.push_back(values.size());
            break;
        }
        bytes += added;
        sizes.push_back(record->size());
        for (std::string& value : *record) values.push_back(std::move(value));
    }
    if (sizes.empty()) return std::nullopt;

    // GNU's -m and -X: the first job to reach the end of input spreads its
    // records over the job slots.
    if (rules_.spread_over > 1 && !spread_done_ && at_end()) {
        spread_done_ = true;
        if (sizes.size() > 1) {
            const std::size_t per = (sizes.size() + rules_.spread_over - 1) / rules_.spread_over;
            rules_.max_records = per;
            // Put back the records beyond `per`, last first.
            while (sizes.size() > per) {
                const std::size_t n = sizes.back();
                sizes.pop_back();
                std::vector<std::string> record(std::make_move_iterator(values.end() - n),
                                                std::make_move_iterator(values.end()));
                values.resize(values.size() - n);
                ahead_.push_front(std::move(record));
            }
        }
    }
    ++jobs_;
    last_values_ = values.size();
    last_records_ = sizes.size();
    return values;
}

}  // namespace wgrun
