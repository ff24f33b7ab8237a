// job_policy.cpp: the scheduler's decisions, from a job's acceptance to its
// result, with no I/O of its own.
#include "schedule/job_policy.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

#include "base/printable.hpp"

namespace wgrun {
namespace {

using namespace std::chrono_literals;

// Jobs started (or failed to start) per round of the loop: jobs that fail
// at once (input with NUL) must not keep the loop from signals and from the
// output mode's acknowledgements, whose results wait in memory meanwhile.
constexpr int kStartsPerRound = 256;

// The fds a start needs free, besides those of the output mode
// (Parts::fds_per_job): the two pipes' four ends while the job is spawned,
// of which two stay open while it runs, and two to spare for what running
// jobs open later, one at a time, in the loop's thread (a spill file, the
// /proc files read while a job is ended). Without them a start waits for a
// job to end, as when the spawn itself finds no fd.
constexpr std::size_t kFdsToStart = 4 + 2;

bool lacks_resources(int error) {
    return error == EMFILE || error == ENFILE || error == EAGAIN || error == ENOMEM;
}

std::chrono::microseconds cpu_time(const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
}

}  // namespace

JobPolicy::JobPolicy(Parts parts)
    : parts_(parts),
      ender_(parts.rules.term_seq,
             [this](std::uint64_t seq, int signal) { parts_.processes.signal(seq, signal); }),
      halt_(parts.rules.halt) {}

// --- The loop's round -------------------------------------------------------

void JobPolicy::tick() {
    ender_.advance(parts_.clock.now());
    check_lingering(parts_.clock.now());  // before the starts: it may free slots
    check_memory(parts_.clock.now());
    start_jobs();
    parts_.slots.settle();  // what ended this round and was not taken again goes back
    check_timeouts(parts_.clock.now());  // after the starts: a new job may need a deadline
}

bool JobPolicy::over() const {
    return !feeding_ && running_.empty() && retries_.empty() && !deferred_ && unwritten_.empty();
}

std::optional<JobPolicy::Clock::time_point> JobPolicy::next_due() const {
    const auto now = parts_.clock.now();
    if (more_to_start_) return now;
    std::optional<Clock::time_point> due = ender_.next_due();
    auto sooner = [&due](Clock::time_point t) {
        if (!due || t < *due) due = t;
    };
    if (next_timeout_) sooner(*next_timeout_);
    if (next_linger_) sooner(*next_linger_);
    if (parts_.gate != nullptr && (waiting_for_machine_ || !running_.empty())) {
        if (const auto check = parts_.gate->next_check(!running_.empty())) sooner(*check);
    }
    if (starting_ && last_start_ && parts_.rules.delay > 0ns) {
        const auto next_start = *last_start_ + parts_.rules.delay;
        if (next_start > now) sooner(next_start);
    }
    return due;
}

void JobPolicy::start_jobs() {
    more_to_start_ = false;
    waiting_for_slot_ = false;
    waiting_for_machine_ = false;
    for (int round = 0; starting_; ++round) {
        if (round == kStartsPerRound) {
            more_to_start_ = true;  // the loop comes back at once (next_due())
            return;
        }
        if (last_start_ && parts_.rules.delay > 0ns &&
            parts_.clock.now() < *last_start_ + parts_.rules.delay) {
            return;  // next_due() wakes the loop in time
        }
        // No slot is taken with no job to give it to (a jobserver's token
        // would go back and forth on every round while the input is slow).
        const bool job_ready = deferred_ || !retries_.empty() ||
                               (feeding_ && parts_.input.read() > popped_);
        if (!job_ready) {
            if (feeding_ && parts_.input.finished()) learn_total();  // may stop feeding
            if (feeding_ && parts_.input.finished()) release_input();  // every job was added
            return;
        }
        // --load, --memfree: next_due() says when to ask again.
        if (parts_.gate != nullptr && !parts_.gate->may_start(parts_.clock.now())) {
            waiting_for_machine_ = true;
            return;
        }
        const auto slot = parts_.slots.acquire();
        if (!slot && parts_.slots.exhausted()) {
            // Every host was left out: what waits fails, one job a round.
            std::optional<Job> job = next_job();
            if (!job) {
                if (feeding_ && parts_.input.finished()) learn_total();
                if (feeding_ && parts_.input.finished()) release_input();
                return;
            }
            fail_to_start(*job, 0, job->input.args.empty() ? "" : job->input.args.front(),
                          EHOSTUNREACH, "wgrun: no host left to run the job (every host failed)\n");
            continue;
        }
        if (!slot) {
            waiting_for_slot_ = true;
            return;
        }
        std::optional<Job> job = next_job();
        if (!job) {
            parts_.slots.release(*slot);
            if (feeding_ && parts_.input.finished()) learn_total();  // may stop feeding
            if (feeding_ && parts_.input.finished()) release_input();  // every job was added
            return;
        }
        if (!start(*job, *slot)) {
            parts_.slots.release(*slot);
            deferred_ = std::move(job);
            return;  // tried again when a running job ends
        }
        last_start_ = parts_.clock.now();
        if (parts_.gate != nullptr) parts_.gate->started();
    }
}

// The job to start next: one waiting for resources, a retry, or the next
// input the skipper does not leave out; nothing when none is there yet.
std::optional<JobPolicy::Job> JobPolicy::next_job() {
    std::optional<Job> job = std::move(deferred_);
    deferred_.reset();
    if (!job && !retries_.empty()) {
        job = std::move(retries_.front());
        retries_.pop_front();
    }
    while (!job && feeding_) {
        std::optional<JobInput> input = parts_.input.try_pop();
        if (!input) break;
        ++popped_;
        pass_over(input->seq);
        if (skip(*input)) continue;
        job.emplace();
        job->input = std::move(*input);
    }
    return job;
}

// Numbers the input left out before `seq` (the jobs of other shards,
// --shard) are passed over in the output mode as --resume's skipped jobs
// are, so that it still hears of every number in order (-k waits for none
// of them); nothing else hears of them, and they count nowhere.
void JobPolicy::pass_over(std::uint64_t seq) {
    for (; next_seq_ < seq; ++next_seq_) parts_.output.skipped(next_seq_);
    next_seq_ = seq + 1;
}

// A job the skipper leaves out (--resume) never starts: the output mode
// passes over its number, and nothing else hears of it.
bool JobPolicy::skip(const JobInput& input) {
    if (parts_.skipper == nullptr || !parts_.skipper->skip(input.seq)) return false;
    ++skipped_jobs_;
    parts_.output.skipped(input.seq);
    return true;
}

// Starts an attempt of `job` in `slot`: true when it is taken care of
// (running, or failed to start and finished), false when it must wait for
// resources (fds, processes) and stays with the caller.
bool JobPolicy::start(Job& job, std::uint64_t slot) {
    BuiltCommand built;
    try {
        built = parts_.builder.build(job.input, slot);
    } catch (const NulInputError& e) {  // never run shortened; warned once
        fail_to_start(job, slot, e.command(), EINVAL, e.warning());
        return true;
    } catch (const JobSkipped&) {  // skip() or --filter: not run, as --resume leaves jobs out
        if (job.attempts_done == 0) {
            ++skipped_jobs_;
            parts_.output.skipped(job.input.seq);
            parts_.slots.release(slot);
        } else {
            fail_to_start(job, slot, "", ECANCELED, "wgrun: a retry of the job was skipped\n");
        }
        return true;
    } catch (const std::exception& e) {
        fail_to_start(job, slot, job.input.args.empty() ? "" : job.input.args.front(), EINVAL,
                      "wgrun: " + printable(e.what()) + "\n");
        return true;
    }
    // Too few fds left for this job and those running: wait for one to end.
    // (With none running, try anyway: if the spawn finds no fd, that is the
    // job's own error.)
    if (!running_.empty() && !parts_.processes.room_for(kFdsToStart + parts_.fds_per_job)) {
        return false;
    }
    const std::uint64_t seq = job.input.seq;
    built.request.slot = slot;
    built.request.stdin_data = job.input.stdin_data;  // each attempt reads it from the start
    job.host = parts_.slots.host(slot);
    if (!job.host.empty()) {
        built.request.host = job.host;
        built.request.env.push_back("WGRUN_HOST=" + job.host);
    }
    if (const int error = parts_.processes.start(seq, built.request); error != 0) {
        if (lacks_resources(error) && !running_.empty()) return false;  // tried again later
        fail_to_start(job, slot, built.display, error,
                      "wgrun: cannot run '" + printable_command(built.request.argv.front()) +
                          "': " + std::strerror(error) + "\n");
        return true;
    }
    job.slot = slot;
    job.command = std::move(built.display);
    job.reaped = false;
    job.pipes_open = true;
    job.bytes[0] = job.bytes[1] = 0;
    job.tail.clear();
    job.ended_by = EndedBy::Nobody;
    job.timeout = {};
    if (job.attempts_done == 0) {
        accept(job, slot, job.command);
    } else {
        // A retry has started: the output mode drops the attempt before
        // (GNU writes the last attempt's output only). Not before it starts:
        // a retry that never does (the run stops, or it cannot start) ends
        // the job with the earlier attempt's output.
        job.result.dropped_output_bytes += parts_.output.retrying(seq);
    }
    job.started = parts_.clock.now();
    running_.emplace(seq, std::move(job));
    return true;
}

// THE wg.add(1) of a job: its first attempt has started, or failed to.
// (Never too late for wg.wait(): a job is accepted while the input's unit is
// held, and a retry holds the unit of its first attempt.) The job is then
// the output mode's and the collector's too.
void JobPolicy::accept(Job& job, std::uint64_t slot, const std::string& command) {
    parts_.wg.add(1);
    ++started_jobs_;
    job.result.start = parts_.clock.wall();
    parts_.output.started(JobStart{job.input.seq, slot, &job.input.args, &command});
    parts_.results.job_started(job.input.seq);
}

// A job that never ran still has a result and a line of stderr of its own.
void JobPolicy::fail_to_start(Job& job, std::uint64_t slot, std::string command, int error,
                              const std::string& message) {
    if (job.attempts_done == 0) accept(job, slot, command);
    JobResult result = std::move(job.result);
    result.attempts = ++job.attempts_done;
    result.end = parts_.clock.wall();
    result.args = job.input.args;
    if (!message.empty()) parts_.output.output(job.input.seq, Stream::Err, message);
    result.seq = job.input.seq;
    result.slot = slot;
    result.command = std::move(command);
    result.status = ExitStatus::not_started(error);
    result.ended_by = EndedBy::Nobody;
    result.runtime = {};
    if (!job.host.empty()) result.host = job.host;
    if (slot != 0) parts_.slots.release(slot);  // 0: no host was left to give one
    finish_job(std::move(result), false);
}

// --- What the processes report ----------------------------------------------

void JobPolicy::output(std::uint64_t seq, int stream, std::size_t n, std::string_view bytes) {
    const auto it = running_.find(seq);
    if (it == running_.end()) return;
    Job& job = it->second;
    job.bytes[stream] += n;
    if (!bytes.empty()) keep_tail(job, bytes);
    if (job.reaped) job.last_output = parts_.clock.now();  // see check_lingering()
}

// The last keep_tail bytes of the job's output, in the order they came.
void JobPolicy::keep_tail(Job& job, std::string_view bytes) const {
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

void JobPolicy::exited(std::uint64_t seq, const ExitStatus& status, const rusage& usage) {
    const auto it = running_.find(seq);
    if (it == running_.end()) return;
    Job& job = it->second;
    job.reaped = true;
    job.status = status;
    job.usage = usage;
    job.ended = parts_.clock.now();
    job.end = parts_.clock.wall();
    if (job.pipes_open) lingering_.insert(seq);
    finish_if_done(job);
}

void JobPolicy::closed(std::uint64_t seq) {
    const auto it = running_.find(seq);
    if (it == running_.end()) return;
    it->second.pipes_open = false;
    finish_if_done(it->second);
}

// An attempt is over once its process is reaped and its pipes are closed:
// the job runs again (--retries) or is finished.
void JobPolicy::finish_if_done(Job& job) {
    if (!job.reaped || job.pipes_open) return;
    const std::uint64_t seq = job.input.seq;
    ender_.forget(seq);
    lingering_.erase(seq);
    parts_.processes.forget(seq);
    JobResult& result = job.result;
    result.attempts = ++job.attempts_done;
    result.seq = seq;
    result.slot = job.slot;
    result.command = std::move(job.command);
    result.status = job.status;
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
    if (!job.host.empty()) result.host = job.host;
    // The host, not the job, failed (ssh lost its connection): the job goes
    // back to the front of the queue for another slot, as --memfree's do.
    const bool lost = job.ended_by == EndedBy::Nobody &&
                      parts_.slots.host_failed(job.slot, result.status);
    parts_.slots.release(job.slot);
    if (job.ended_by == EndedBy::Memory) {
        shedding_ = false;
        // It ended on its own before --memfree's signal reached it.
        if (result.status.ok()) result.ended_by = EndedBy::Nobody;
    }
    const bool shed = result.ended_by == EndedBy::Memory || lost;
    // A job ended for --memfree, or whose host failed, goes back to the
    // front of the queue; it counts as an attempt only under --retries.
    const bool again =
        starting_ && ((shed && parts_.rules.attempts == 1) ||
                      (result.attempts < parts_.rules.attempts &&
                       (!result.status.ok() || result.ended_by == EndedBy::Timeout || shed)));
    if (lost && parts_.notice) {
        parts_.notice("wgrun: job " + std::to_string(seq) + " lost its host " + job.host + " (" +
                      result.status.describe() + ": the connection went)" +
                      (again ? "; it goes back to the queue\n" : "\n"));
    }
    auto node = running_.extract(seq);
    if (again && shed) {
        retries_.push_front(std::move(node.mapped()));
        return;
    }
    if (again) {
        // Run it again, first thing; the output mode and the WaitGroup see
        // one job across its attempts (the mode drops this attempt's output
        // when the next one starts: see start()).
        retries_.push_back(std::move(node.mapped()));
        return;
    }
    Job& done = node.mapped();
    done.result.args = std::move(done.input.args);
    finish_job(std::move(done.result), true);
}

// The job's last attempt is over. Once its output is out, its result goes
// to the collector and the halt policy, then its WaitGroup unit is given back.
void JobPolicy::finish_job(JobResult result, bool ran) {
    result.problem = parts_.output.finished(result.seq, result.status);
    // The policies look at the job now, not once its output is out: --halt
    // soon must stop the next start, which the freed slot allows at once.
    if (ran && result.status.ok() && result.ended_by == EndedBy::Nobody) {
        median_.add(result.runtime);
    }
    learn_total();
    if (halt_.record(result.status, result.failed())) apply_halt();
    if (parts_.written_later) {  // the mode writes it later
        const std::uint64_t seq = result.seq;
        unwritten_.emplace(seq, std::move(result));
        return;
    }
    complete(std::move(result));
}

void JobPolicy::written(std::vector<std::pair<std::uint64_t, std::string>> jobs) {
    for (auto& [seq, problem] : jobs) {
        auto node = unwritten_.extract(seq);
        if (node.empty()) continue;
        JobResult& result = node.mapped();
        if (!problem.empty()) {
            result.problem += result.problem.empty() ? problem : "; " + problem;
        }
        complete(std::move(result));
    }
}

// THE wg.done() of a job: its result has reached the collector.
void JobPolicy::complete(JobResult result) {
    parts_.results.add(std::move(result));
    parts_.wg.done();
}

// --- What the rest of the run reports -----------------------------------------

void JobPolicy::input_arrived() { learn_total(); }

// --halt N% counts in percent of all jobs, known once the input has ended.
// Jobs the skipper leaves out do not count: with one, the total is known
// once every input has been popped (and asked about).
void JobPolicy::learn_total() {
    if (total_known_) return;
    if (parts_.skipper != nullptr && !parts_.input.finished()) return;
    if (const auto total = parts_.input.total()) {
        total_known_ = true;
        const std::uint64_t jobs = *total - skipped_jobs_;
        parts_.results.input_ended(jobs);
        if (halt_.set_total(jobs)) apply_halt();
    }
}

void JobPolicy::apply_halt() {
    if (halt_.when() == HaltPolicy::When::Never) return;
    stop_feeding();
    if (halt_.when() == HaltPolicy::When::Now) end_all(EndedBy::Halt, 0);
}

// As GNU parallel: start nothing more, let the running finish (main then
// dies of SIGHUP if jobs were left unstarted).
void JobPolicy::hangup(int signal) {
    if (drained_by_ == 0 && interrupted_by_ == 0 && starting_) {
        drained_by_ = signal;
        if (parts_.notice) {
            parts_.notice(running_.empty()
                              ? std::string("wgrun: SIGHUP: starting no more jobs\n")
                              : "wgrun: SIGHUP: starting no more jobs; waiting for the " +
                                    std::to_string(running_.size()) + " running to finish\n");
        }
    }
    stop_feeding();
}

// SIGINT or SIGTERM: start nothing, pass the signal on to every job's tree,
// then the termination sequence.
void JobPolicy::interrupt(int signal) {
    if (interrupted_by_ != 0) return;
    interrupted_by_ = signal;
    stop_feeding();
    end_all(EndedBy::Signal, signal);
}

void JobPolicy::kill_now() { ender_.kill_now(parts_.clock.now()); }

// Nobody reads our output any more: start nothing, and end the running jobs.
void JobPolicy::stdout_closed() {
    if (stdout_closed_) return;
    stdout_closed_ = true;
    stop_feeding();
    end_all(EndedBy::ClosedStdout, 0);
}

std::uint64_t JobPolicy::unstarted_jobs() const {
    const std::uint64_t read = parts_.input.read();
    const std::uint64_t popped = popped_;
    return (read > popped ? read - popped : 0) + abandoned_;
}

// Starts no more jobs. The input's WaitGroup unit is given back; a job that
// was waiting for a retry ends with the result of its last attempt.
void JobPolicy::stop_feeding() {
    starting_ = false;
    if (deferred_) {
        if (deferred_->attempts_done > 0) {
            retries_.push_back(std::move(*deferred_));
        } else {
            ++abandoned_;  // popped, never started
        }
        deferred_.reset();
    }
    if (feeding_) release_input();
    while (!retries_.empty()) {
        Job job = std::move(retries_.front());
        retries_.pop_front();
        // As it was left by its last attempt (its args are not set here, as
        // before the policy was split from the loop).
        finish_job(std::move(job.result), false);
    }
}

// The input's WaitGroup unit: no more jobs will be accepted.
void JobPolicy::release_input() {
    feeding_ = false;
    parts_.wg.done();
}

void JobPolicy::end_all(EndedBy why, int first_signal) {
    const auto now = parts_.clock.now();
    for (auto& [seq, job] : running_) {
        if (ender_.ending(seq)) continue;
        job.ended_by = why;
        ender_.begin(seq, now, first_signal);
    }
}

// --- --memfree -------------------------------------------------------------------

// Memory below half of --memfree: the youngest running job is ended (by
// --term-seq) and put back at the front of the queue, one at a time (the
// next once it is gone and memory is read again), as GNU parallel does.
void JobPolicy::check_memory(Clock::time_point now) {
    if (parts_.gate == nullptr || shedding_ || running_.empty() || !starting_) return;
    if (!parts_.gate->shed(now)) return;
    Job* youngest = nullptr;
    for (auto& [seq, job] : running_) {
        if (ender_.ending(seq) || job.reaped) continue;
        if (youngest == nullptr || job.input.seq > youngest->input.seq) youngest = &job;
    }
    if (youngest == nullptr) return;
    shedding_ = true;
    youngest->ended_by = EndedBy::Memory;
    ender_.begin(youngest->input.seq, now);
    if (parts_.notice) {
        parts_.notice("wgrun: --memfree: " + std::to_string(parts_.gate->last_available() >> 20) +
                      " MiB available, below half of --memfree: ending job " +
                      std::to_string(youngest->input.seq) +
                      " (the youngest) to run it again later\n");
    }
}

// --- Timeouts ------------------------------------------------------------------

std::optional<std::chrono::nanoseconds> JobPolicy::current_timeout() const {
    const RunRules& rules = parts_.rules;
    if (rules.timeout > 0ns) return rules.timeout;
    if (rules.timeout_percent == 0) return std::nullopt;
    const auto median = median_.median();
    if (!median) return std::nullopt;
    return *median * rules.timeout_percent / 100;
}

void JobPolicy::check_timeouts(Clock::time_point now) {
    next_timeout_ = std::nullopt;
    const auto limit = current_timeout();
    if (!limit) return;
    for (auto& [seq, job] : running_) {
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
// status; the pipes are detached. A job being ended (Ctrl-C, --halt now,
// --timeout before it exited) waits for its pipes to close, as its tree is
// being killed.
void JobPolicy::check_lingering(Clock::time_point now) {
    next_linger_ = std::nullopt;
    if (lingering_.empty()) return;
    const auto limit = current_timeout();
    std::vector<std::uint64_t> over;
    for (const std::uint64_t seq : lingering_) {
        const auto it = running_.find(seq);
        if (it == running_.end()) continue;
        Job& job = it->second;
        if (ender_.ending(seq)) continue;
        // Bytes waiting in a pipe (parked for a full stdout, or not read
        // yet) are the job's output, never silence.
        if (parts_.processes.has_unread(seq)) job.last_output = now;
        auto deadline = std::max(job.ended, job.last_output) + parts_.rules.output_grace;
        if (limit) deadline = std::min(deadline, std::max(job.ended, job.started + *limit));
        if (now >= deadline) {
            over.push_back(seq);
        } else if (!next_linger_ || deadline < *next_linger_) {
            next_linger_ = deadline;
        }
    }
    for (const std::uint64_t seq : over) {
        // Reads what is there, then reports the pipes closed: the job ends.
        if (running_.contains(seq)) parts_.processes.detach(seq);
    }
}

}  // namespace wgrun
