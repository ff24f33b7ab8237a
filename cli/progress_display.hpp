// progress_display.hpp: --bar and --eta. A result sink that draws the run's
// progress (progress_text.hpp) on a terminal, redrawn in place at most 10
// times a second by a ticker thread of its own, and an output guard that
// keeps it from ever corrupting the jobs' output on the same screen.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "output/output_guard.hpp"
#include "results/progress_text.hpp"
#include "results/result_sink.hpp"

namespace wgrun::cli {

/// Guarantees:
/// - the line is drawn only while the cursor is at a line start: nothing was
///   written to the screen yet, or the last byte of job output written to
///   it was '\n' (else it would erase a half-written line);
/// - before job output is written to a screen fd, the line is cleared
///   ("\r\033[K") and the ticker cannot draw until the write is over; it
///   redraws on its next tick;
/// - at most one draw per 100 ms tick, and none when the text is the same
///   as the one on the screen;
/// - the line is cut to the terminal's width less one, so it never wraps.
/// finish() stops the ticker and leaves a final line ending in '\n', on a
/// line of its own (a '\n' first when the job output left the cursor
/// mid-line), so that the failure report follows on a fresh line.
/// Write failures to the terminal stop the drawing quietly: the display is
/// not a record, and the run goes on.
class ProgressDisplay : public ResultSink, public OutputGuard {
public:
    enum class Style { Bar, Line };

    /// Draws on `terminal` (which the caller checked is one); `screen` are
    /// the fds whose bytes show on the same screen (`terminal` among them).
    /// The ticker starts with the first job_started() or input_ended() (so
    /// that no thread exists before the run starts: main forks the job
    /// guardian first), with every signal blocked in it.
    ProgressDisplay(Style style, int terminal, std::vector<int> screen);
    ~ProgressDisplay() override;
    ProgressDisplay(const ProgressDisplay&) = delete;
    ProgressDisplay& operator=(const ProgressDisplay&) = delete;

    /// --total-jobs N: count to `total` until the input has ended (then
    /// input_ended()'s total, the number of jobs really read, replaces it);
    /// never below the jobs started so far. Before the run starts.
    void expect_total(std::uint64_t total);

    // ResultSink: from the scheduler's thread, finish() from main's.
    void job_started(std::uint64_t seq) override;
    void input_ended(std::uint64_t total) override;
    void job_ended(const JobResult& result) override;
    void finish(const RunSummary& summary) override;

    // OutputGuard: from whichever thread writes job output.
    bool guards(int fd) const override;
    void before_write(int fd) override;
    void after_write(int fd, int last) override;

private:
    using Clock = std::chrono::steady_clock;

    void tick();
    void start_ticker();
    void stop_ticker();
    ProgressFacts facts(bool over);
    std::string text(const ProgressFacts& facts) const;
    void put(const std::string& bytes);  // with screen_ held

    const Style style_;
    const int terminal_;
    const std::vector<int> screen_fds_;
    const Clock::time_point start_ = Clock::now();

    std::mutex state_;  // the counts; never held while writing
    std::uint64_t started_ = 0;
    std::uint64_t done_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t total_ = 0;
    bool total_known_ = false;
    bool total_given_ = false;  // total_ is --total-jobs', not counted yet

    // The screen: held by a job output writer from before_write() to
    // after_write(), and by the ticker while it draws. Order: screen_, then state_.
    std::mutex screen_;
    bool drawn_ = false;       // our line is on the screen
    bool line_start_ = true;   // the cursor is at a line start
    bool broken_ = false;      // a write to the terminal failed: draw no more
    std::string on_screen_;    // the text drawn last

    std::mutex ticker_mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    bool ticking_ = false;  // the ticker was started
    std::thread ticker_;  // last: started once everything above is ready
};

}  // namespace wgrun::cli
