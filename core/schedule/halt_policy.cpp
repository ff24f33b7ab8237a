// halt_policy.cpp: the --halt grammar, and counting finished jobs against it
// as GNU parallel's should_we_halt() and halt() do.
#include "schedule/halt_policy.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include "results/result_collector.hpp"

namespace wgrun {
namespace {

constexpr const char* kGrammar = "expected never, or now|soon,fail|success|done=N or =N%";

using u128 = unsigned __int128;

[[noreturn]] void fail(std::string_view text, const std::string& why = "") {
    throw std::invalid_argument("invalid --halt '" + std::string(text) + "': " +
                                (why.empty() ? kGrammar : why + " (" + kGrammar + ")"));
}

// ceil(100 * part / whole) as an exit status. A whole of 0 counts as 1, as in
// GNU's halt(); past 100% (more failures than jobs, which callers should not
// report) it stays at 100.
int percent_status(std::uint64_t part, std::uint64_t whole) {
    if (whole == 0) whole = 1;
    const u128 pct = (static_cast<u128>(part) * 100 + whole - 1) / whole;
    return pct > 100 ? 100 : static_cast<int>(pct);
}

// The N of "=N" or "=N%": decimal digits only, N >= 1, a percent at most 100.
void parse_amount(std::string_view text, std::string_view amount, HaltPolicy& policy) {
    policy.is_percent = !amount.empty() && amount.back() == '%';
    if (policy.is_percent) amount.remove_suffix(1);
    if (amount.empty()) fail(text);
    std::uint64_t n = 0;
    for (const char c : amount) {
        if (c < '0' || c > '9') fail(text);
        if (n > (UINT64_MAX - 9) / 10) fail(text, "N is too large");
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (policy.is_percent) {
        if (n < 1 || n > 100) fail(text, "N% must be 1% to 100%");
        policy.percent = static_cast<unsigned>(n);
    } else {
        if (n < 1) fail(text, "N must be 1 or more");
        policy.count = n;
    }
}

}  // namespace

HaltPolicy parse_halt(std::string_view text) {
    using When = HaltPolicy::When;
    using Why = HaltPolicy::Why;
    // GNU's short forms.
    if (text == "0" || text == "never") return {};
    if (text == "1") return {When::Soon, Why::Fail, 1, 0, false};
    if (text == "2") return {When::Now, Why::Fail, 1, 0, false};
    if (text == "-1") return {When::Soon, Why::Success, 1, 0, false};
    if (text == "-2") return {When::Now, Why::Success, 1, 0, false};

    HaltPolicy policy;
    if (!text.empty() && text.back() == '%' && text.find_first_of(",=") == std::string_view::npos) {
        // "N%" is soon,fail=N%.
        policy.when = When::Soon;
        policy.why = Why::Fail;
        parse_amount(text, text, policy);
        return policy;
    }

    const std::size_t comma = text.find(',');
    if (comma == std::string_view::npos) fail(text);
    const std::string_view when = text.substr(0, comma);
    if (when == "soon") {
        policy.when = When::Soon;
    } else if (when == "now") {
        policy.when = When::Now;
    } else {
        fail(text);
    }
    const std::string_view rest = text.substr(comma + 1);
    const std::size_t equals = rest.find('=');
    if (equals == std::string_view::npos) fail(text);
    const std::string_view why = rest.substr(0, equals);
    if (why == "fail") {
        policy.why = Why::Fail;
    } else if (why == "success") {
        policy.why = Why::Success;
    } else if (why == "done") {
        policy.why = Why::Done;
    } else {
        fail(text);
    }
    parse_amount(text, rest.substr(equals + 1), policy);
    return policy;
}

HaltTracker::HaltTracker(HaltPolicy policy) : policy_(policy) {}

bool HaltTracker::set_total(std::uint64_t total) {
    total_ = total;
    return check();
}

bool HaltTracker::record(const ExitStatus& status, bool failed) {
    ++done_;
    if (failed) {
        ++failed_;
    } else {
        ++succeeded_;
    }
    const bool counts = policy_.why == HaltPolicy::Why::Done ||
                        failed == (policy_.why == HaltPolicy::Why::Fail);
    if (counts && counted() == 1) first_counted_status_ = status;
    return check();
}

std::uint64_t HaltTracker::counted() const {
    switch (policy_.why) {
        case HaltPolicy::Why::Fail: return failed_;
        case HaltPolicy::Why::Success: return succeeded_;
        case HaltPolicy::Why::Done: return done_;
    }
    return 0;
}

bool HaltTracker::threshold_is_one() const {
    if (!policy_.is_percent) return policy_.count == 1;
    return total_ && static_cast<u128>(*total_) * policy_.percent == 100;
}

bool HaltTracker::reached() const {
    // GNU only checks when a job is counted, so never at 0 (which would
    // otherwise reach any percent of 0 jobs).
    const std::uint64_t n = counted();
    if (n == 0) return false;
    if (!policy_.is_percent) return n >= policy_.count;
    if (!total_) return false;
    return static_cast<u128>(n) * 100 >= static_cast<u128>(*total_) * policy_.percent;
}

bool HaltTracker::check() {
    if (triggered_ || policy_.when == HaltPolicy::When::Never || !reached()) return false;
    triggered_ = true;
    if (policy_.why == HaltPolicy::Why::Success) {
        exit_status_ = 0;
    } else if (threshold_is_one()) {
        // The job that reached a threshold of one is the first counted one,
        // also when set_total() finds the threshold already passed: GNU knows
        // the total before any job starts, so it would have stopped there.
        exit_status_ = first_counted_status_.shell_code();
    } else if (policy_.is_percent) {
        exit_status_ = percent_status(failed_, *total_);
    } else {
        exit_status_ = exit_status_for_failures(failed_);
    }
    return true;
}

int HaltTracker::final_status(std::uint64_t failed, std::uint64_t started) const {
    if (policy_.when != HaltPolicy::When::Never && policy_.is_percent) {
        return percent_status(failed, started);
    }
    return exit_status_for_failures(failed);
}

}  // namespace wgrun
