// halt_policy.hpp: --halt, when wgrun stops early, and the exit status it
// then gives, as GNU parallel does.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "results/exit_status.hpp"

namespace wgrun {

struct HaltPolicy {
    enum class When { Never, Soon, Now };  // soon: start no more jobs; now: also end the running
    enum class Why { Fail, Success, Done };
    When when = When::Never;
    Why why = Why::Fail;
    std::uint64_t count = 0;  // jobs, when !percent
    unsigned percent = 0;     // 1..100, when is_percent
    bool is_percent = false;
};

/// Parses GNU's grammar: "never", "now|soon,fail|success|done=N" or "=N%"
/// (N >= 1; N% in 1..100), and GNU's short forms: "0" never, "1"
/// soon,fail=1, "2" now,fail=1, "-1" soon,success=1, "-2" now,success=1,
/// "N%" soon,fail=N%. Throws std::invalid_argument with a message that names
/// the text and the grammar.
HaltPolicy parse_halt(std::string_view text);

/// Counts finished jobs against a policy. A job is counted once, after its
/// last attempt. Not thread-safe: the scheduler's thread alone uses it.
class HaltTracker {
public:
    explicit HaltTracker(HaltPolicy policy);

    /// The total number of jobs, once all input has been read. Percentages
    /// are of this total, so a percent policy cannot trigger before it is
    /// known; record() calls before it are counted, and set_total() itself
    /// returns true when the counts already reach the threshold.
    bool set_total(std::uint64_t total);

    /// Records one finished job. Returns true exactly once: when this job
    /// makes the policy trigger (never for When::Never).
    bool record(const ExitStatus& status, bool failed);

    bool triggered() const { return triggered_; }
    HaltPolicy::When when() const { return policy_.when; }

    /// wgrun's exit status when the policy triggered, as GNU computes it at
    /// that moment: for fail or done with a count of 1, the triggering job's
    /// shell_code() (exit code, or 128 + signal); with another count, the
    /// failures so far (at most 101); with a percent, ceil(100 * failed /
    /// total); for success, 0. Empty before the trigger.
    /// As in GNU, a percent that comes to exactly one job (50% of 2 jobs,
    /// total * N == 100) takes the count-of-1 rule; the triggering job is
    /// then the first counted one, even when set_total() comes later. Unlike
    /// GNU, which computes total * N / 100 in floating point (7% of 100
    /// triggers there only at 8 failures), the threshold and the percentage
    /// here are exact: counted * 100 >= total * N.
    std::optional<int> exit_status() const { return exit_status_; }

    /// The exit status at the end of a run that did not trigger: with a
    /// percent policy ceil(100 * failed / started), else the failures (at
    /// most 101), i.e. exit_status_for_failures().
    int final_status(std::uint64_t failed, std::uint64_t started) const;

private:
    HaltPolicy policy_;
    std::uint64_t done_ = 0, failed_ = 0, succeeded_ = 0;
    std::optional<std::uint64_t> total_;
    bool triggered_ = false;
    std::optional<int> exit_status_;
    ExitStatus first_counted_status_;  // for the count-of-1 rule
    std::uint64_t counted() const;     // the jobs the policy's Why counts
    bool threshold_is_one() const;
    bool reached() const;
    bool check();  // triggers when the counts reach the threshold
};

}  // namespace wgrun
