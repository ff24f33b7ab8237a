// scheduler.cpp: epoll over a SIGCHLD signalfd, the input's eventfd, the
// StopWatcher, the output mode's flow control and every running job's two
// pipes (the ProcessSet's); the JobPolicy decides.
#include "schedule/scheduler.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace wgrun {
namespace {

// epoll tags: the ProcessSet's are from 2 up to ProcessSet::kTagsEnd (a
// job's pipe is seq * 2 + stream); the loop's are 0, 1 and the top ones.
constexpr std::uint64_t kSignalTag = 0;
constexpr std::uint64_t kInputTag = 1;
constexpr std::uint64_t kWrittenTag = ~std::uint64_t{0};  // the output mode's written_fd()
// A full destination (stdout, stderr) that jobs wait for: kRoomTag - stream.
constexpr std::uint64_t kRoomTag = ~std::uint64_t{0} - 1;
// The reader of our stdout (a pipe) went away: kReaderTag.
constexpr std::uint64_t kReaderTag = kRoomTag - 2;
// The StopWatcher heard SIGINT or SIGTERM: kStopTag.
constexpr std::uint64_t kStopTag = kReaderTag - 1;
// The slot source may have a slot (SlotPool::ready_fd()): kSlotTag.
constexpr std::uint64_t kSlotTag = kStopTag - 1;
static_assert(kSlotTag >= ProcessSet::kTagsEnd);

constexpr int kHeadRounds = 8;  // see Scheduler::run()

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::system_category(), what);
}

int new_epoll() {
    const int fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) fail("epoll_create1");
    return fd;
}

Stream stream_of(int stream) { return stream == 0 ? Stream::Out : Stream::Err; }

}  // namespace

Scheduler::Scheduler(Parts parts)
    : parts_(parts),
      epoll_fd_(new_epoll()),
      source_(parts.input),
      processes_(parts.executor, epoll_fd_.get(), *this, parts.guardian),
      policy_(JobPolicy::Parts{source_, parts.builder, parts.slots, processes_, parts.output,
                               parts.results, parts.wg, parts.rules, clock_, parts.skipper,
                               parts.gate, parts.keep_tail, parts.fds_per_job,
                               parts.output_flow.written_fd() >= 0, parts.notice}) {
    sigset_t signals = parts_.rules.stop_signals;
    sigaddset(&signals, SIGCHLD);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGUSR2);
    if (parts_.stop != nullptr) {
        sigdelset(&signals, SIGINT);
        sigdelset(&signals, SIGTERM);
    }
    signal_fd_.reset(::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!signal_fd_) fail("signalfd");
    watch(signal_fd_.get(), kSignalTag);
    watch(parts_.input.event_fd(), kInputTag);
    watch_reader();
    if (parts_.stop != nullptr) watch(parts_.stop->event_fd(), kStopTag);
    if (const int written = parts_.output_flow.written_fd(); written >= 0) watch(written, kWrittenTag);
    // A live job whose destination is full waits in its pipe, not in a
    // blocking splice: the loop goes on draining the others meanwhile.
    parts_.output_flow.splice_without_waiting();
}

Scheduler::~Scheduler() { processes_.close_all(); }

// A pipe's write end reports EPOLLERR once its last reader has closed it
// (`wgrun ... | head -1`), whether we write to it or not: watched on a dup
// of stdout (the fd itself may be watched for room, see park()), so that
// jobs whose output nobody will read are ended at once, not when a write
// fails, which under --group may be never (`yes` spilling to disk).
void Scheduler::watch_reader() {
    const int out = parts_.output_flow.destination(Stream::Out);
    struct stat info {};
    if (out < 0 || ::fstat(out, &info) != 0 || !S_ISFIFO(info.st_mode)) return;
    reader_fd_.reset(::fcntl(out, F_DUPFD_CLOEXEC, 3));
    if (!reader_fd_) return;
    epoll_event event{};
    event.events = 0;  // EPOLLERR is always reported
    event.data.u64 = kReaderTag;
    if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, reader_fd_.get(), &event) != 0) {
        reader_fd_.reset();
    }
}

void Scheduler::watch(int fd, std::uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl");
}

void Scheduler::run() {
    epoll_event events[64];
    for (;;) {
        if (!policy_.stdout_closed_seen() && parts_.output_flow.stdout_closed()) {
            policy_.stdout_closed();
        }
        policy_.tick();
        if (policy_.over()) return;
        watch_slots();
        const int n = ::epoll_wait(epoll_fd_.get(), events, 64, wait_ms());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("epoll_wait");
        }
        // When the job the reader waits for has bytes, the other jobs'
        // stdout waits for the next round (see OutputMode::waited_for()),
        // but never more than kHeadRounds rounds in a row: a head that
        // always has bytes slows the others down, it does not stop them.
        std::uint64_t skip_stdout_but = 0;
        if (const auto head = parts_.output_flow.waited_for(); head && head_rounds_ < kHeadRounds) {
            for (int i = 0; i < n; ++i) {
                if (events[i].data.u64 == ProcessSet::tag_of(*head, 0) &&
                    (events[i].events & EPOLLIN)) {
                    skip_stdout_but = *head;
                }
            }
        }
        head_rounds_ = skip_stdout_but != 0 ? head_rounds_ + 1 : 0;
        for (int i = 0; i < n; ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (skip_stdout_but != 0 && ProcessSet::is_pipe_tag(tag) && tag % 2 == 0 &&
                tag / 2 != skip_stdout_but) {
                continue;
            }
            if (ProcessSet::owns(tag)) {
                processes_.handle(tag);
            } else if (tag == kSignalTag) {
                handle_signals();
            } else if (tag == kWrittenTag) {
                policy_.written(parts_.output_flow.take_written());
            } else if (tag == kReaderTag) {
                ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, reader_fd_.get(), nullptr);
                policy_.stdout_closed();
            } else if (tag == kStopTag) {
                stop_signal();
            } else if (tag == kRoomTag || tag == kRoomTag - 1) {
                unpark(tag == kRoomTag ? 0 : 1);
            } else if (tag == kInputTag) {
                parts_.input.clear_event();  // the policy pops whatever arrived
                policy_.input_arrived();
            }
            // kSlotTag: the next round's tick() asks the slot source again.
        }
    }
}

// Signal handling happens here, in the loop: the signals are blocked and read
// from the signalfd, so no handler ever runs.
void Scheduler::handle_signals() {
    bool child = false;
    signalfd_siginfo info[16];
    for (;;) {
        const ssize_t n = ::read(signal_fd_.get(), info, sizeof info);
        if (n <= 0) break;
        for (std::size_t i = 0; i < static_cast<std::size_t>(n) / sizeof info[0]; ++i) {
            const int signal = static_cast<int>(info[i].ssi_signo);
            if (signal == SIGCHLD) {
                child = true;
            } else if (signal == SIGUSR1 || signal == SIGUSR2) {
                parts_.slots.adjust_limit(signal == SIGUSR1 ? 1 : -1);
            } else if (signal == SIGHUP) {
                policy_.hangup(signal);
            } else if (policy_.interrupted_by() == 0) {
                policy_.interrupt(signal);
            } else {
                policy_.kill_now();  // asked again: no more patience
            }
        }
    }
    if (child) processes_.reap();
}

void Scheduler::stop_signal() {
    parts_.stop->clear_event();
    if (const int signal = parts_.stop->signal()) policy_.interrupt(signal);
    if (parts_.stop->second()) policy_.kill_now();
}

Scheduler::Unstarted Scheduler::unstarted() const {
    Unstarted left;
    left.jobs = policy_.unstarted_jobs();
    left.rest_of_input = !parts_.input.total().has_value();
    return left;
}

void Scheduler::kill_running() const { processes_.kill_all(); }

int Scheduler::wait_ms() const {
    const auto due = policy_.next_due();
    if (!due) return -1;
    const auto ms =
        std::chrono::ceil<std::chrono::milliseconds>(*due - std::chrono::steady_clock::now()).count();
    return ms < 0 ? 0 : static_cast<int>(std::min<long long>(ms, 1 << 30));
}

// A slot source that can tell when a slot may have come (a jobserver's
// pipe, a remote host) is watched while a start waits for one; a local count
// gets its slots back only from jobs that end, which the loop sees anyway.
void Scheduler::watch_slots() {
    const int wanted = policy_.waiting_for_slot() ? parts_.slots.ready_fd() : -1;
    if (wanted == slots_watched_) return;
    if (slots_watched_ >= 0) ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, slots_watched_, nullptr);
    if (wanted >= 0) watch(wanted, kSlotTag);
    slots_watched_ = wanted;
}

// --- What the process set reports -------------------------------------------

// The output mode moves the bytes itself when it can (splice); with a tail
// to keep, they are always read.
ssize_t Scheduler::splice(std::uint64_t seq, int stream, int fd) {
    if (parts_.keep_tail > 0) return ProcessSet::kRead;
    const ssize_t n = parts_.output.splice_from(seq, stream_of(stream), fd);
    if (n == kCannotSplice) return ProcessSet::kRead;
    if (n == kDestinationFull) return ProcessSet::kFull;
    return n;
}

void Scheduler::output(std::uint64_t seq, int stream, std::size_t n, std::string_view bytes) {
    if (!bytes.empty()) parts_.output.output(seq, stream_of(stream), bytes);
    policy_.output(seq, stream, n, bytes);
}

void Scheduler::full(std::uint64_t, int stream) { park(stream); }

void Scheduler::exited(std::uint64_t seq, const ExitStatus& status, const rusage& usage) {
    policy_.exited(seq, status, usage);
}

void Scheduler::closed(std::uint64_t seq) { policy_.closed(seq); }

void Scheduler::pipe_opened(std::uint64_t seq, int fd) {
    if (parts_.ledger != nullptr) parts_.ledger->pipe_opened(seq, fd);
}

void Scheduler::pipe_closing(int fd) {
    if (parts_.ledger != nullptr) parts_.ledger->pipe_closing(fd);
}

// A job's stream met a full destination: the reader sets the pace. Stop
// watching that stream's pipe of every running job until the destination
// has room: each job then waits on its own pipe (1 MiB, pipe_size.hpp), as
// it would on a blocking write, and no job's bytes are copied to a spill
// file only to be copied out again, work the reader would wait for on a
// busy machine. Jobs are read again as soon as there is room; a job that
// is slow to write never makes the others wait (it never fills stdout).
void Scheduler::park(int stream) {
    const int destination = parts_.output_flow.destination(stream_of(stream));
    if (destination < 0 || parked_now_[stream]) return;
    epoll_event event{};
    event.events = EPOLLOUT;
    event.data.u64 = kRoomTag - static_cast<std::uint64_t>(stream);
    if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, destination, &event) != 0) {
        // A destination epoll cannot watch (EPERM: a regular file, which is
        // never full for long): nothing to wait for; the job's pipe is read
        // again in the next round.
        if (errno == EPERM) return;
        fail("epoll_ctl");
    }
    parked_now_[stream] = true;
    processes_.pause(stream);
}

// The destination of `stream` has room again: watch its jobs' pipes again.
void Scheduler::unpark(int stream) {
    const int destination = parts_.output_flow.destination(stream_of(stream));
    ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, destination, nullptr);
    parked_now_[stream] = false;
    processes_.resume(stream);
}

}  // namespace wgrun
