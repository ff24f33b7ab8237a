// progress_text.hpp: the words of the progress display (--bar, --eta): the
// facts of a run so far, as one line of plain text that fits a width. No
// terminal here: the display (cli/progress_display.hpp) draws the line.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace wgrun {

/// What the display knows at one moment.
struct ProgressFacts {
    std::uint64_t done = 0;                  // jobs that ended
    std::uint64_t failed = 0;                // of them, failed
    std::uint64_t running = 0;               // started, not ended
    std::optional<std::uint64_t> total;      // once the input has ended
    std::chrono::steady_clock::duration elapsed{};  // since the run started
    bool over = false;                       // the run is over: no ETA
};

/// "0:05", "12:34", "1:02:03" (hours:minutes:seconds, whole seconds, rounded down).
std::string format_clock(std::chrono::steady_clock::duration time);

/// The time left at the pace so far (elapsed / done per job, times the jobs
/// left), rounded up to a second; none while the total is unknown, before
/// the first job ends, once every job has ended, or when the run is over.
std::optional<std::chrono::seconds> time_left(const ProgressFacts& facts);

/// --eta: the facts on one line, e.g.
///   "3/10 done, 1 failed, 2 running, 0:05 elapsed, ETA 0:12"
///   "3/? done, 0 failed, 2 running, 0:05 elapsed"   (total not known yet)
/// cut to `width` - 1 characters (so that a terminal never wraps it).
std::string progress_line(const ProgressFacts& facts, std::size_t width);

/// --bar: a bar of '#' and '.' for done/total, then the same facts, e.g.
///   "[######..............] 3/10 30% 1 failed 2 running 0:05 ETA 0:12"
///   "[....................] 3/? 0 failed 2 running 0:05"   (total not known yet)
/// The bar takes the room the facts leave, 10 to 40 characters; with no
/// room for 10, only the facts are shown. At most `width` - 1 characters.
std::string progress_bar(const ProgressFacts& facts, std::size_t width);

}  // namespace wgrun
