// progress_text.cpp: counts and times to text.
#include "results/progress_text.hpp"

#include <algorithm>

namespace wgrun {
namespace {

constexpr std::size_t kMinBar = 10;
constexpr std::size_t kMaxBar = 40;

std::string fit(std::string text, std::size_t width) {
    const std::size_t room = width > 0 ? width - 1 : 0;
    if (text.size() > room) text.resize(room);
    return text;
}

std::string two_digits(long long n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string eta_words(const ProgressFacts& facts) {
    const auto left = time_left(facts);
    return left ? " ETA " + format_clock(*left) : "";
}

std::string count(const ProgressFacts& facts) {
    return std::to_string(facts.done) + "/" +
           (facts.total ? std::to_string(*facts.total) : std::string("?"));
}

}  // namespace

std::string format_clock(std::chrono::steady_clock::duration time) {
    using namespace std::chrono;
    const long long total = std::max<long long>(0, duration_cast<seconds>(time).count());
    const long long hours = total / 3600, minutes = total / 60 % 60, secs = total % 60;
    if (hours > 0) return std::to_string(hours) + ":" + two_digits(minutes) + ":" + two_digits(secs);
    return std::to_string(minutes) + ":" + two_digits(secs);
}

std::optional<std::chrono::seconds> time_left(const ProgressFacts& facts) {
    using namespace std::chrono;
    if (facts.over || !facts.total || facts.done == 0 || facts.done >= *facts.total) {
        return std::nullopt;
    }
    const auto per_job = duration_cast<nanoseconds>(facts.elapsed) / facts.done;
    const auto left = per_job * (*facts.total - facts.done);
    return ceil<seconds>(left);
}

std::string progress_line(const ProgressFacts& facts, std::size_t width) {
    std::string line = count(facts) + " done, " + std::to_string(facts.failed) + " failed, " +
                       std::to_string(facts.running) + " running, " +
                       format_clock(facts.elapsed) + " elapsed";
    if (const auto left = time_left(facts)) line += ", ETA " + format_clock(*left);
    return fit(std::move(line), width);
}

std::string progress_bar(const ProgressFacts& facts, std::size_t width) {
    std::string words = count(facts);
    if (facts.total) {
        const std::uint64_t percent =
            *facts.total == 0 ? 100 : std::min<std::uint64_t>(100, facts.done * 100 / *facts.total);
        words += " " + std::to_string(percent) + "%";
    }
    words += " " + std::to_string(facts.failed) + " failed " + std::to_string(facts.running) +
             " running " + format_clock(facts.elapsed) + eta_words(facts);
    const std::size_t room = width > 0 ? width - 1 : 0;
    if (room < words.size() + 3 + kMinBar) return fit(std::move(words), width);
    const std::size_t bar = std::min(kMaxBar, room - words.size() - 3);
    std::size_t filled = 0;
    if (facts.total) {
        filled = *facts.total == 0 ? bar
                                   : static_cast<std::size_t>(
                                         std::min<std::uint64_t>(facts.done, *facts.total) * bar /
                                         *facts.total);
    }
    return "[" + std::string(filled, '#') + std::string(bar - filled, '.') + "] " + words;
}

}  // namespace wgrun
