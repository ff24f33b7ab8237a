// scheduler.cpp: epoll over a SIGCHLD signalfd, the input's eventfd and every
// running job's two pipes.
#include "schedule/scheduler.hpp"

#include "exec/fd_headroom.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "base/printable.hpp"

namespace wgrun {
namespace {

using namespace std::chrono_literals;

// epoll tags: a job's pipe is seq * 2 + stream (seq >= 1, so >= 2).
constexpr std::uint64_t kSignalTag = 0;
constexpr std::uint64_t kInputTag = 1;
constexpr std::uint64_t kWrittenTag = ~std::uint64_t{0};  // the output mode's written_fd()
// A full destination (stdout, stderr) that jobs wait for: kRoomTag - stream.
constexpr std::uint64_t kRoomTag = ~std::uint64_t{0} - 1;
// The reader of our stdout (a pipe) went away: kReaderTag.
constexpr std::uint64_t kReaderTag = kRoomTag - 2;
// The StopWatcher heard SIGINT or SIGTERM: kStopTag.
constexpr std::uint64_t kStopTag = kReaderTag - 1;
// A detached pipe (Scheduler::detached_): kDetachedBit | fd. Job tags are below it.
constexpr std::uint64_t kDetachedBit = std::uint64_t{1} << 62;

bool is_job_tag(std::uint64_t tag) { return tag >= 2 && tag < kDetachedBit; }

constexpr std::size_t kReadChunk = std::size_t{256} << 10;
constexpr int kReadsPerWakeup = 4;  // then let other jobs have a turn
constexpr int kHeadRounds = 8;      // see Scheduler::run()
// Jobs started (or failed to start) per round of the loop: jobs that fail
// at once (input with NUL) must not keep the loop from signals and from the
// output mode's acknowledgements, whose results wait in memory meanwhile.
constexpr int kStartsPerRound = 256;

// The fds a start needs free, besides those of the output mode
// (Parts::fds_per_job): the two pipes' four ends while the job is spawned,
// of which two stay open while it runs, and two to spare for what running
// jobs open later, one at a time, in this thread (a spill file, the /proc
// files read while a job is ended). Without them a start waits for a job to
// end, as when the spawn itself finds no fd.
constexpr std::size_t kFdsToStart = 4 + 2;

bool lacks_resources(int error) {
    return error == EMFILE || error == ENFILE || error == EAGAIN || error == ENOMEM;
}

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::system_category(), what);
}

std::chrono::microseconds cpu_time(const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
}

}  // namespace

Scheduler::Scheduler(Parts parts)
    : parts_(parts),
      scratch_(new char[kReadChunk]),
      ender_(
          parts.rules.term_seq,
          [this](std::uint64_t seq) { return tree_of(jobs_.at(seq)); },
          [this] {
              std::vector<pid_t> leaders;
              leaders.reserve(jobs_.size());
              for (const auto& [seq, job] : jobs_) {
                  if (!job.reaped) leaders.push_back(job.pid);
              }
              return leaders;
          }),
      halt_(parts.rules.halt) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) fail("epoll_create1");
    sigset_t signals = parts_.rules.stop_signals;
    sigaddset(&signals, SIGCHLD);
    if (parts_.stop != nullptr) {
        sigdelset(&signals, SIGINT);
        sigdelset(&signals, SIGTERM);
    }
    signal_fd_ = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd_ < 0) fail("signalfd");
    watch(signal_fd_, kSignalTag);
    watch(parts_.input.event_fd(), kInputTag);
    watch_reader();
    if (parts_.stop != nullptr) watch(parts_.stop->event_fd(), kStopTag);
    if (const int written = parts_.output_flow.written_fd(); written >= 0) watch(written, kWrittenTag);
    // A live job whose destination is full waits in parked_, not in a
    // blocking splice: the loop goes on draining the others meanwhile.
    parts_.output_flow.splice_without_waiting();
}

Scheduler::~Scheduler() {
    for (auto& [seq, job] : jobs_) {
        for (int& fd : job.fds) {
            if (fd >= 0) close_pipe(fd);
        }
    }
    for (int fd : detached_) ::close(fd);
    if (signal_fd_ >= 0) ::close(signal_fd_);
    if (reader_fd_ >= 0) ::close(reader_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

// A pipe's write end reports EPOLLERR once its last reader has closed it
// (`wgrun ... | head -1`), whether we write to it or not: watched on a dup
// of stdout (the fd itself may be watched for room, see park()), so that
// jobs whose output nobody will read are ended at once, not when a write
// fails, which under --group may be never (`yes` spilling to disk).
void Scheduler::watch_reader() {
    const int out = parts_.output_flow.destination(Stream::Out);
    struct stat info {};
    if (out < 0 || ::fstat(out, &info) != 0 || !S_ISFIFO(info.st_mode)) return;
    reader_fd_ = ::fcntl(out, F_DUPFD_CLOEXEC, 3);
    if (reader_fd_ < 0) return;
    epoll_event event{};
    event.events = 0;  // EPOLLERR is always reported
    event.data.u64 = kReaderTag;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, reader_fd_, &event) != 0) {
        ::close(reader_fd_);
        reader_fd_ = -1;
    }
}

void Scheduler::close_pipe(int& fd) {
    if (parts_.ledger != nullptr) parts_.ledger->pipe_closing(fd);
    ::close(fd);
    fd = -1;
}

void Scheduler::reader_gone() {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, reader_fd_, nullptr);
    if (!stdout_closed_) stop_for_closed_stdout();
}

void Scheduler::watch(int fd, std::uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl");
}

void Scheduler::run() {
    epoll_event events[64];
    for (;;) {
        if (!stdout_closed_ && parts_.output_flow.stdout_closed()) stop_for_closed_stdout();
        ender_.advance(Clock::now());
        check_lingering(Clock::now());  // before the starts: it may free slots
        start_jobs();
        check_timeouts(Clock::now());  // after the starts: a new job may need a deadline
        if (!feeding_ && jobs_.empty() && retries_.empty() && !deferred_ && unwritten_.empty()) {
            return;
        }
        const auto now = Clock::now();
        const int n = ::epoll_wait(epoll_fd_, events, 64, wait_ms(now));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("epoll_wait");
        }
        // When the job the reader waits for has bytes, the other jobs'
        // stdout waits for the next round (see OutputFlow::waited_for()),
        // but never more than kHeadRounds rounds in a row: a head that
        // always has bytes slows the others down, it does not stop them.
        std::uint64_t skip_stdout_but = 0;
        if (const auto head = parts_.output_flow.waited_for(); head && head_rounds_ < kHeadRounds) {
            for (int i = 0; i < n; ++i) {
                if (events[i].data.u64 == *head * 2 && (events[i].events & EPOLLIN)) {
                    skip_stdout_but = *head;
                }
            }
        }
        head_rounds_ = skip_stdout_but != 0 ? head_rounds_ + 1 : 0;
        for (int i = 0; i < n; ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (skip_stdout_but != 0 && is_job_tag(tag) && tag % 2 == 0 &&
                tag / 2 != skip_stdout_but) {
                continue;
            }
            if (tag == kSignalTag) {
                handle_signals();
            } else if (tag == kWrittenTag) {
                written();
            } else if (tag == kReaderTag) {
                reader_gone();
            } else if (tag == kStopTag) {
                parts_.stop->clear_event();
                if (const int signal = parts_.stop->signal()) interrupt(signal);
                if (parts_.stop->second()) ender_.kill_now();
            } else if (tag == kRoomTag || tag == kRoomTag - 1) {
                unpark(tag == kRoomTag ? 0 : 1);
            } else if (tag >= kDetachedBit && tag < kStopTag) {
                drain_detached(static_cast<int>(tag - kDetachedBit));
            } else if (tag == kInputTag) {
                parts_.input.clear_event();  // start_jobs() pops whatever arrived
                learn_total();
            } else {
                drain(tag / 2, static_cast<int>(tag % 2));
            }
        }
    }
}

// Signal handling happens here, in the loop: the signals are blocked and read
// from the signalfd, so no handler ever runs.
void Scheduler::handle_signals() {
    bool child = false;
    signalfd_siginfo info[16];
    for (;;) {
        const ssize_t n = ::read(signal_fd_, info, sizeof info);
        if (n <= 0) break;
        for (std::size_t i = 0; i < static_cast<std::size_t>(n) / sizeof info[0]; ++i) {
            const int signal = static_cast<int>(info[i].ssi_signo);
            if (signal == SIGCHLD) {
                child = true;
            } else if (signal == SIGHUP) {
                // As GNU parallel: start nothing more, let the running finish
                // (main then dies of SIGHUP if jobs were left unstarted).
                if (drained_by_ == 0 && interrupted_by_ == 0 && starting_) {
                    drained_by_ = signal;
                    if (parts_.notice) {
                        parts_.notice(jobs_.empty()
                                          ? std::string("wgrun: SIGHUP: starting no more jobs\n")
                                          : "wgrun: SIGHUP: starting no more jobs; waiting for "
                                            "the " + std::to_string(jobs_.size()) +
                                                " running to finish\n");
                    }
                }
                stop_feeding();
            } else if (interrupted_by_ == 0) {
                interrupt(signal);
            } else {
                ender_.kill_now();  // asked again: no more patience
            }
        }
    }
    if (child) reap();
}

// SIGINT or SIGTERM: start nothing, pass the signal on to every job's tree,
// then the termination sequence.
void Scheduler::interrupt(int signal) {
    if (interrupted_by_ != 0) return;
    interrupted_by_ = signal;
    stop_feeding();
    end_all(EndedBy::Signal, signal);
}

Scheduler::Unstarted Scheduler::unstarted() const {
    Unstarted left;
    const std::uint64_t read = parts_.input.read();
    left.jobs = (read > popped_ ? read - popped_ : 0) + abandoned_;
    left.rest_of_input = !parts_.input.total().has_value();
    return left;
}

// Starts no more jobs. The input's WaitGroup unit is given back; a job that
// was waiting for a retry ends with the result of its last attempt.
void Scheduler::stop_feeding() {
    starting_ = false;
    if (deferred_) {
        if (attempts_.contains(deferred_->seq)) {
            retries_.push_back(std::move(*deferred_));
        } else {
            ++abandoned_;  // popped, never started
        }
        deferred_.reset();
    }
    if (feeding_) {
        feeding_ = false;
        parts_.wg.done();  // the input's unit: no more jobs will be added
    }
    while (!retries_.empty()) {
        const std::uint64_t seq = retries_.front().seq;
        retries_.pop_front();
        const auto node = attempts_.extract(seq);
        JobResult result = std::move(node.mapped().last);
        finish_job(std::move(result), false);
    }
}

void Scheduler::end_all(EndedBy why, int first_signal) {
    const auto now = Clock::now();
    for (auto& [seq, job] : jobs_) {
        if (ender_.ending(seq)) continue;
        job.ended_by = why;
        ender_.begin(seq, now, first_signal);
    }
}

// Nobody reads our output any more: start nothing, and end the running jobs.
void Scheduler::stop_for_closed_stdout() {
    stdout_closed_ = true;
    stop_feeding();
    end_all(EndedBy::ClosedStdout, 0);
}

std::optional<std::chrono::nanoseconds> Scheduler::current_timeout() const {
    const RunRules& rules = parts_.rules;
    if (rules.timeout > 0ns) return rules.timeout;
    if (rules.timeout_percent == 0) return std::nullopt;
    const auto median = median_.median();
    if (!median) return std::nullopt;
    return *median * rules.timeout_percent / 100;
}

void Scheduler::check_timeouts(Clock::time_point now) {
    next_timeout_ = std::nullopt;
    const auto limit = current_timeout();
    if (!limit) return;
    for (auto& [seq, job] : jobs_) {
        // A job whose own process has exited is not timed out: what holds
        // its pipes is a background child (see check_lingering()).
        if (ender_.ending(seq) || job.reaped) continue;
        const auto deadline = job.started + *limit;
        if (now >= deadline) {
            job.ended_by = EndedBy::Timeout;
            job.timeout = *limit;
            ender_.begin(seq, now);
        } else if (!next_timeout_ || deadline < *next_timeout_) {
            next_timeout_ = deadline;
        }
    }
}

// A job whose own process has exited but whose pipes a background child
// still holds (`nohup cmd &`, `setsid -f`, `ssh -f`): its output is read
// while it comes, and once the pipes have been silent for --output-grace
// (or the job's --timeout has passed) the job is over with its own exit
// status; the pipes are detached (detach_pipes()). A job being ended
// (Ctrl-C, --halt now, --timeout before it exited) waits for its pipes to
// close, as its tree is being killed.
void Scheduler::check_lingering(Clock::time_point now) {
    next_linger_ = std::nullopt;
    if (lingering_.empty()) return;
    const auto limit = current_timeout();
    std::vector<std::uint64_t> over;
    for (const std::uint64_t seq : lingering_) {
        const auto it = jobs_.find(seq);
        if (it == jobs_.end()) continue;
        Running& job = it->second;
        if (ender_.ending(seq)) continue;
        // Bytes waiting in a pipe (parked for a full stdout, or not read
        // yet) are the job's output, never silence.
        for (const int fd : job.fds) {
            int unread = 0;
            if (fd >= 0 && ::ioctl(fd, FIONREAD, &unread) == 0 && unread > 0) job.last_output = now;
        }
        auto deadline = std::max(job.ended, job.last_output) + parts_.rules.output_grace;
        if (limit) deadline = std::min(deadline, std::max(job.ended, job.started + *limit));
        if (now >= deadline) {
            over.push_back(seq);
        } else if (!next_linger_ || deadline < *next_linger_) {
            next_linger_ = deadline;
        }
    }
    for (const std::uint64_t seq : over) {
        const auto it = jobs_.find(seq);
        if (it == jobs_.end()) continue;
        // What is in the pipes now is the job's: read it first.
        for (int which : {0, 1}) drain(seq, which);
        const auto still = jobs_.find(seq);
        if (still != jobs_.end()) detach_pipes(still->second);
    }
}

// The job is over but a background child holds its pipes: they stay open,
// read and dropped, until the child closes them or wgrun exits (closing
// them now would give the child SIGPIPE at its next write).
void Scheduler::detach_pipes(Running& job) {
    for (int& fd : job.fds) {
        if (fd < 0) continue;
        if (parts_.ledger != nullptr) parts_.ledger->pipe_closing(fd);
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // not watched when parked
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = kDetachedBit | static_cast<std::uint64_t>(fd);
        if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0) {
            detached_.insert(fd);
        } else {
            ::close(fd);
        }
        fd = -1;
    }
    finish_if_done(job);
}

void Scheduler::drain_detached(int fd) {
    for (int reads = 0; reads < kReadsPerWakeup; ++reads) {
        const ssize_t n = ::read(fd, scratch_.get(), kReadChunk);
        if (n > 0) continue;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        detached_.erase(fd);
        return;
    }
}

// The job's process tree as the ender and kill_running() find it. The pipes'
// inodes are read when asked: a read end we still hold is one some process
// may still write to; a closed one has no writer left to find (0).
JobEnder::Tree Scheduler::tree_of(const Running& job) {
    const JobPipes pipes{job.fds[0] >= 0 ? pipe_inode(job.fds[0]) : 0,
                         job.fds[1] >= 0 ? pipe_inode(job.fds[1]) : 0};
    return JobEnder::Tree{job.pid, job.reaped ? 0 : job.pid, pipes};
}

void Scheduler::set_tree(std::uint64_t seq, const Running* job) {
    std::lock_guard lock(trees_mutex_);
    if (job == nullptr) {
        trees_.erase(seq);
        return;
    }
    trees_[seq] = tree_of(*job);
}

void Scheduler::kill_running() const {
    std::lock_guard lock(trees_mutex_);
    std::vector<pid_t> leaders;
    for (const auto& [seq, tree] : trees_) {
        if (tree.leader != 0) leaders.push_back(tree.leader);
    }
    for (const auto& [seq, tree] : trees_) {
        signal_job_tree(tree.pgid, tree.leader, leaders, tree.pipes, SIGKILL);
    }
}

int Scheduler::wait_ms(Clock::time_point now) const {
    if (more_to_start_) return 0;
    std::optional<Clock::time_point> due = ender_.next_due();
    auto sooner = [&due](Clock::time_point t) {
        if (!due || t < *due) due = t;
    };
    if (next_timeout_) sooner(*next_timeout_);
    if (next_linger_) sooner(*next_linger_);
    if (starting_ && last_start_ && parts_.rules.delay > 0ns) {
        const auto next_start = *last_start_ + parts_.rules.delay;
        if (next_start > now) sooner(next_start);
    }
    if (!due) return -1;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*due - now).count();
    return ms < 0 ? 0 : static_cast<int>(std::min<long long>(ms, 1 << 30));
}

void Scheduler::start_jobs() {
    more_to_start_ = false;
    for (int round = 0; starting_; ++round) {
        if (round == kStartsPerRound) {
            more_to_start_ = true;  // the loop comes back at once (wait_ms())
            return;
        }
        if (last_start_ && parts_.rules.delay > 0ns &&
            Clock::now() < *last_start_ + parts_.rules.delay) {
            return;  // wait_ms() wakes the loop in time
        }
        const auto slot = parts_.slots.acquire();
        if (!slot) return;
        std::optional<JobInput> input = std::move(deferred_);
        deferred_.reset();
        if (!input && !retries_.empty()) {
            input = std::move(retries_.front());
            retries_.pop_front();
        }
        while (!input && feeding_) {
            input = parts_.input.try_pop();
            if (input) ++popped_;
            if (!input || !skip(*input)) break;
            input.reset();
        }
        if (!input) {
            parts_.slots.release(*slot);
            if (feeding_ && parts_.input.finished()) learn_total();  // may stop feeding
            if (feeding_ && parts_.input.finished()) {
                feeding_ = false;
                parts_.wg.done();  // the input's unit: every job has been added
            }
            return;
        }
        if (!start(*input, *slot)) {
            parts_.slots.release(*slot);
            deferred_ = std::move(input);
            return;  // retried when a running job ends
        }
        last_start_ = Clock::now();
    }
}

// A job the skipper leaves out (--resume) never starts: the output mode
// passes over its number, and nothing else hears of it.
bool Scheduler::skip(const JobInput& input) {
    if (parts_.skipper == nullptr || !parts_.skipper->skip(input.seq)) return false;
    ++skipped_jobs_;
    parts_.output.skipped(input.seq);
    return true;
}

bool Scheduler::start(const JobInput& input, std::uint64_t slot) {
    const bool retry = attempts_.contains(input.seq);
    BuiltCommand built;
    try {
        built = parts_.builder.build(input, slot);
    } catch (const NulInputError& e) {  // never run shortened; warned once
        fail_to_start(input, slot, e.command(), EINVAL, e.warning());
        return true;
    } catch (const std::exception& e) {
        fail_to_start(input, slot, input.args.empty() ? "" : input.args.front(), EINVAL,
                      "wgrun: " + printable(e.what()) + "\n");
        return true;
    }
    // Too few fds left for this job and those running: wait for one to end.
    // (With none running, try anyway: if the spawn finds no fd, that is the
    // job's own error.)
    if (!jobs_.empty() && !fds_available(kFdsToStart + parts_.fds_per_job)) return false;
    if (!retry) parts_.wg.add(1);  // before the job starts; a retry still holds its unit
    SpawnedJob spawned;
    try {
        spawned = parts_.executor.spawn(built.request);
    } catch (const std::system_error& e) {
        const int error = e.code().value();
        if (lacks_resources(error) && !jobs_.empty()) {
            if (!retry) parts_.wg.done();  // not started after all; added again on the retry
            return false;
        }
        if (!retry) parts_.wg.done();
        fail_to_start(input, slot, built.display, error,
                      "wgrun: cannot run '" + printable_command(built.request.argv.front()) +
                          "': " + std::strerror(error) + "\n");
        return true;
    }
    Running job;
    job.seq = input.seq;
    job.slot = slot;
    job.command = std::move(built.display);
    job.args = input.args;
    job.pid = spawned.pid;
    job.fds[0] = spawned.stdout_fd;
    job.fds[1] = spawned.stderr_fd;
    job.start = retry ? attempts_.at(input.seq).last.start : std::chrono::system_clock::now();
    job.started = Clock::now();
    if (!retry) {
        ++started_jobs_;
        parts_.output.started(JobStart{job.seq, slot, &input.args, &job.command});
        parts_.results.job_started(job.seq);
    }
    for (int stream : {0, 1}) {
        if (parts_.ledger != nullptr) parts_.ledger->pipe_opened(job.seq, job.fds[stream]);
        if (parked_now_[stream]) {
            parked_[stream].push_back(job.seq);  // watched once there is room
        } else {
            watch(job.fds[stream], job.seq * 2 + static_cast<std::uint64_t>(stream));
        }
    }
    by_pid_.emplace(job.pid, job.seq);
    set_tree(job.seq, &job);
    if (parts_.guardian != nullptr) parts_.guardian->watch(job.pid);
    jobs_.emplace(job.seq, std::move(job));
    return true;
}

// A job that never ran still has a result and a line of stderr of its own.
void Scheduler::fail_to_start(const JobInput& input, std::uint64_t slot, std::string command,
                              int error, const std::string& message) {
    const auto retried = attempts_.find(input.seq);
    JobResult result;
    if (retried != attempts_.end()) {
        result = std::move(retried->second.last);
        attempts_.erase(retried);
        ++result.attempts;
    } else {
        parts_.wg.add(1);
        ++started_jobs_;
        parts_.output.started(JobStart{input.seq, slot, &input.args, &command});
        parts_.results.job_started(input.seq);
        result.start = std::chrono::system_clock::now();
    }
    result.end = std::chrono::system_clock::now();
    result.args = input.args;
    if (!message.empty()) parts_.output.output(input.seq, Stream::Err, message);
    result.seq = input.seq;
    result.slot = slot;
    result.command = std::move(command);
    result.status = ExitStatus::not_started(error);
    result.ended_by = EndedBy::Nobody;
    result.runtime = {};
    parts_.slots.release(slot);
    finish_job(std::move(result), false);
}

void Scheduler::drain(std::uint64_t seq, int which) {
    const auto it = jobs_.find(seq);
    if (it == jobs_.end()) return;
    Running& job = it->second;
    int& fd = job.fds[which];
    if (fd < 0) return;
    const Stream stream = which == 0 ? Stream::Out : Stream::Err;
    for (int reads = 0; reads < kReadsPerWakeup; ++reads) {
        // The mode moves the bytes itself when it can (splice), else they
        // are read here and handed to it.
        ssize_t n = parts_.keep_tail > 0 ? kCannotSplice : parts_.output.splice_from(seq, stream, fd);
        if (n == kCannotSplice) {
            n = ::read(fd, scratch_.get(), kReadChunk);
            if (n > 0) {
                const std::string_view bytes{scratch_.get(), static_cast<std::size_t>(n)};
                keep_tail(job, bytes);
                parts_.output.output(seq, stream, bytes);
            }
        }
        if (n > 0) {
            job.bytes[which] += static_cast<std::uint64_t>(n);
            if (job.reaped) job.last_output = Clock::now();  // see check_lingering()
            continue;
        }
        if (n == kDestinationFull) {
            park(job, which);
            return;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close_pipe(fd);  // end of file (or a broken pipe): the stream is over
        finish_if_done(job);
        return;
    }
}

// The last keep_tail bytes of the job's output, in the order they came.
void Scheduler::keep_tail(Running& job, std::string_view bytes) const {
    const std::size_t keep = parts_.keep_tail;
    if (keep == 0) return;
    if (bytes.size() >= keep) {
        job.tail.assign(bytes.substr(bytes.size() - keep));
        return;
    }
    job.tail.append(bytes);
    // Trimmed once it holds twice the tail: amortized, a byte moves at most once.
    if (job.tail.size() >= 2 * keep) job.tail.erase(0, job.tail.size() - keep);
}

// A job's stream met a full destination: the reader sets the pace. Stop
// watching that stream's pipe of every running job until the destination
// has room: each job then waits on its own pipe (1 MiB, pipe_size.hpp), as
// it would on a blocking write, and no job's bytes are copied to a spill
// file only to be copied out again, work the reader would wait for on a
// busy machine. Jobs are read again as soon as there is room; a job that
// is slow to write never makes the others wait (it never fills stdout).
void Scheduler::park(Running&, int which) {
    const int stream = which;
    const int destination = parts_.output_flow.destination(stream == 0 ? Stream::Out : Stream::Err);
    if (destination < 0 || parked_now_[stream]) return;
    epoll_event event{};
    event.events = EPOLLOUT;
    event.data.u64 = kRoomTag - static_cast<std::uint64_t>(stream);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, destination, &event) != 0) {
        // A destination epoll cannot watch (EPERM: a regular file, which is
        // never full for long): nothing to wait for; the job's pipe is read
        // again in the next round.
        if (errno == EPERM) return;
        fail("epoll_ctl");
    }
    parked_now_[stream] = true;
    for (auto& [seq, job] : jobs_) {
        if (job.fds[stream] < 0) continue;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, job.fds[stream], nullptr);
        parked_[stream].push_back(seq);
    }
}

// The destination of `stream` has room again: watch its jobs' pipes again.
void Scheduler::unpark(int stream) {
    const int destination = parts_.output_flow.destination(stream == 0 ? Stream::Out : Stream::Err);
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, destination, nullptr);
    parked_now_[stream] = false;
    for (const std::uint64_t seq : std::exchange(parked_[stream], {})) {
        const auto it = jobs_.find(seq);
        if (it == jobs_.end() || it->second.fds[stream] < 0) continue;
        watch(it->second.fds[stream], seq * 2 + static_cast<std::uint64_t>(stream));
    }
}

void Scheduler::reap() {
    for (;;) {
        int status = 0;
        rusage usage{};
        const pid_t pid = ::wait4(-1, &status, WNOHANG, &usage);
        if (pid <= 0) return;
        const auto owner = by_pid_.find(pid);
        if (owner == by_pid_.end()) continue;  // an orphan we inherited as subreaper
        Running& job = jobs_.at(owner->second);
        by_pid_.erase(owner);
        job.reaped = true;
        job.status = ExitStatus::from_wait_status(status);
        job.usage = usage;
        job.ended = Clock::now();
        job.end = std::chrono::system_clock::now();
        set_tree(job.seq, &job);  // the leader's number is free now
        if (job.fds[0] >= 0 || job.fds[1] >= 0) lingering_.insert(job.seq);
        finish_if_done(job);
    }
}

void Scheduler::finish_if_done(Running& job) {
    if (!job.reaped || job.fds[0] >= 0 || job.fds[1] >= 0) return;
    ender_.forget(job.seq);
    lingering_.erase(job.seq);
    set_tree(job.seq, nullptr);
    if (parts_.guardian != nullptr) parts_.guardian->unwatch(job.pid);
    const auto retried = attempts_.find(job.seq);
    JobResult result;
    if (retried != attempts_.end()) {
        result = std::move(retried->second.last);
        attempts_.erase(retried);
        ++result.attempts;
    }
    result.seq = job.seq;
    result.slot = job.slot;
    result.command = std::move(job.command);
    result.status = job.status;
    result.start = job.start;
    result.end = job.end;
    result.runtime = job.ended - job.started;
    result.stdout_bytes += job.bytes[0];
    result.stderr_bytes += job.bytes[1];
    if (parts_.keep_tail > 0) {
        keep_tail(job, {});
        if (job.tail.size() > parts_.keep_tail) {
            job.tail.erase(0, job.tail.size() - parts_.keep_tail);
        }
        result.output_tail = std::move(job.tail);
    }
    result.ended_by = job.ended_by;
    result.timeout = job.timeout;
    result.user_cpu += cpu_time(job.usage.ru_utime);
    result.system_cpu += cpu_time(job.usage.ru_stime);
    result.max_rss_kb = std::max(result.max_rss_kb, job.usage.ru_maxrss);
    const std::uint64_t slot = job.slot;
    const bool again = starting_ && result.attempts < parts_.rules.attempts &&
                       (!result.status.ok() || result.ended_by == EndedBy::Timeout);
    JobInput input{job.seq, std::move(job.args)};
    jobs_.erase(job.seq);
    parts_.slots.release(slot);
    if (again) {
        // Run it again, first thing; the output mode and the WaitGroup see
        // one job across its attempts.
        attempts_.emplace(input.seq, Attempts{std::move(result)});
        retries_.push_back(std::move(input));
        return;
    }
    result.args = std::move(input.args);
    finish_job(std::move(result), true);
}

// The job's last attempt is over. Once its output is out, its result goes
// to the collector and the halt policy, then its WaitGroup unit is given back.
void Scheduler::finish_job(JobResult result, bool ran) {
    result.problem = parts_.output.finished(result.seq, result.status);
    // The policies look at the job now, not once its output is out: --halt
    // soon must stop the next start, which the freed slot allows at once.
    if (ran && result.status.ok() && result.ended_by == EndedBy::Nobody) {
        median_.add(result.runtime);
    }
    learn_total();
    if (halt_.record(result.status, result.failed())) apply_halt();
    if (parts_.output_flow.written_fd() >= 0) {  // the mode writes it later
        const std::uint64_t seq = result.seq;
        unwritten_.emplace(seq, std::move(result));
        return;
    }
    complete(std::move(result));
}

void Scheduler::written() {
    for (auto& [seq, problem] : parts_.output_flow.take_written()) {
        auto node = unwritten_.extract(seq);
        if (node.empty()) continue;
        JobResult& result = node.mapped();
        if (!problem.empty()) {
            result.problem += result.problem.empty() ? problem : "; " + problem;
        }
        complete(std::move(result));
    }
}

void Scheduler::complete(JobResult result) {
    parts_.results.add(std::move(result));
    parts_.wg.done();
}

// --halt N% counts in percent of all jobs, known once the input has ended.
// Jobs the skipper leaves out do not count: with one, the total is known
// once every input has been popped (and asked about).
void Scheduler::learn_total() {
    if (total_known_) return;
    if (parts_.skipper != nullptr && !parts_.input.finished()) return;
    if (const auto total = parts_.input.total()) {
        total_known_ = true;
        const std::uint64_t jobs = *total - skipped_jobs_;
        parts_.results.input_ended(jobs);
        if (halt_.set_total(jobs)) apply_halt();
    }
}

void Scheduler::apply_halt() {
    if (halt_.when() == HaltPolicy::When::Never) return;
    stop_feeding();
    if (halt_.when() == HaltPolicy::When::Now) end_all(EndedBy::Halt, 0);
}

}  // namespace wgrun
