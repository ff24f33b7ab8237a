// progress_display.cpp: the ticker, the terminal, and the guard around job output.
#include "progress_display.hpp"

#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "base/write_all.hpp"
#include "base/start_thread.hpp"

namespace wgrun::cli {
namespace {

constexpr auto kTick = std::chrono::milliseconds(100);
constexpr const char* kClearLine = "\r\033[K";

}  // namespace

ProgressDisplay::ProgressDisplay(Style style, int terminal, std::vector<int> screen)
    : style_(style), terminal_(terminal), screen_fds_(std::move(screen)) {}

ProgressDisplay::~ProgressDisplay() { stop_ticker(); }

void ProgressDisplay::start_ticker() {
    std::lock_guard lock(ticker_mutex_);
    if (ticking_ || stop_) return;
    ticking_ = true;
    // The ticker must never take a signal meant for the scheduler's signalfd
    // (nor SIGINT's default death): it starts with all of them blocked.
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &before);
    ticker_ = start_thread("the progress display thread", [this] { tick(); });
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

void ProgressDisplay::stop_ticker() {
    {
        std::lock_guard lock(ticker_mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    if (ticker_.joinable()) ticker_.join();
}

void ProgressDisplay::job_started(std::uint64_t) {
    start_ticker();
    std::lock_guard lock(state_);
    ++started_;
}

void ProgressDisplay::expect_total(std::uint64_t total) {
    std::lock_guard lock(state_);
    total_ = total;
    total_known_ = true;
    total_given_ = true;
}

void ProgressDisplay::input_ended(std::uint64_t total) {
    start_ticker();
    std::lock_guard lock(state_);
    total_ = total;
    total_known_ = true;
    total_given_ = false;
}

void ProgressDisplay::job_ended(const JobResult& result) {
    std::lock_guard lock(state_);
    ++done_;
    if (result.failed()) ++failed_;
}

ProgressFacts ProgressDisplay::facts(bool over) {
    ProgressFacts f;
    std::lock_guard lock(state_);
    f.done = done_;
    f.failed = failed_;
    f.running = started_ > done_ ? started_ - done_ : 0;
    if (total_known_) f.total = total_given_ ? std::max(total_, started_) : total_;
    f.elapsed = Clock::now() - start_;
    f.over = over;
    return f;
}

std::string ProgressDisplay::text(const ProgressFacts& f) const {
    winsize size{};
    std::size_t width = 80;
    if (::ioctl(terminal_, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) width = size.ws_col;
    return style_ == Style::Bar ? progress_bar(f, width) : progress_line(f, width);
}

void ProgressDisplay::put(const std::string& bytes) {
    if (broken_) return;
    if (write_all(terminal_, bytes) != 0) broken_ = true;
}

void ProgressDisplay::tick() {
    std::unique_lock wait_lock(ticker_mutex_);
    for (;;) {
        if (wake_.wait_for(wait_lock, kTick, [this] { return stop_; })) return;
        wait_lock.unlock();
        {
            std::lock_guard screen(screen_);
            if (line_start_ && !broken_) {
                const std::string now = text(facts(false));
                if (!drawn_ || now != on_screen_) {
                    put(kClearLine + now);
                    on_screen_ = now;
                    drawn_ = true;
                }
            }
        }
        wait_lock.lock();
    }
}

void ProgressDisplay::finish(const RunSummary&) {
    stop_ticker();
    std::lock_guard screen(screen_);
    std::string bytes = line_start_ ? kClearLine : "\n";
    bytes += text(facts(true));
    bytes += '\n';
    put(bytes);
    drawn_ = false;
    line_start_ = true;
}

bool ProgressDisplay::guards(int fd) const {
    return std::find(screen_fds_.begin(), screen_fds_.end(), fd) != screen_fds_.end();
}

void ProgressDisplay::before_write(int) {
    screen_.lock();  // until after_write(): the ticker cannot draw meanwhile
    if (drawn_) {
        put(kClearLine);
        drawn_ = false;
    }
}

void ProgressDisplay::after_write(int, int last) {
    if (last != kNothingWritten) line_start_ = last == '\n';
    screen_.unlock();
}

}  // namespace wgrun::cli
