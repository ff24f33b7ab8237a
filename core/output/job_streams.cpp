// job_streams.cpp: prefix, cut at the last newline, then write or keep.
#include "output/job_streams.hpp"

#include <algorithm>
#include <cstring>

namespace wgrun {
namespace {

// Complete lines up to this size are appended to a pending partial line so
// that both go out in one write; bigger ones are written on their own.
constexpr std::size_t kJoinLimit = std::size_t{64} << 10;

// The shared scratch buffer is given back above this capacity.
constexpr std::size_t kScratchKeep = std::size_t{1} << 20;

// The most one splice_from() moves at a time.
constexpr std::size_t kSpliceMax = std::size_t{1} << 20;

void release_memory(std::string& s) { std::string().swap(s); }

}  // namespace

JobStreams::JobStreams(const JobStart& job, OutputShared& shared, bool live)
    : shared_(shared),
      seq_(job.seq),
      live_(live),
      out_(Stream::Out, shared.tags.prefix(job, Stream::Out)),
      err_(Stream::Err, shared.tags.prefix(job, Stream::Err)) {}

// The ledger (output_ledger.hpp) counts what the job's streams hold: bytes
// enter in add() and splice_from(), and leave as they are written out.
void JobStreams::hold_in_ledger(std::uint64_t bytes) {
    if (shared_.ledger == nullptr || bytes == 0) return;
    shared_.ledger->held(seq_, bytes);
    in_ledger_ = true;
}

void JobStreams::ledger_done() {
    if (shared_.ledger != nullptr && in_ledger_) shared_.ledger->done(seq_);
    in_ledger_ = false;
}

void JobStreams::note(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
}

void JobStreams::add(Stream stream, std::string_view bytes) {
    if (bytes.empty() || (stream == Stream::Out && shared_.target.stdout_closed())) return;
    One& s = one(stream);
    if (s.prefixer.active()) {
        shared_.scratch.clear();
        s.prefixer.apply(bytes, shared_.scratch);
        bytes = shared_.scratch;
    }
    hold_in_ledger(bytes.size());
    if (shared_.line_buffered) {
        add_lines(s, bytes);
    } else {
        pass(s, bytes);
    }
    if (shared_.scratch.capacity() > kScratchKeep) release_memory(shared_.scratch);
}

ssize_t JobStreams::splice_from(Stream stream, int fd) {
    if (stream == Stream::Out && shared_.target.stdout_closed()) return kCannotSplice;
    One& s = one(stream);
    if (s.prefixer.active() || shared_.line_buffered) return kCannotSplice;
    if (live_) return shared_.target.splice_from(stream, fd, kSpliceMax);
    if (s.captured == nullptr) return kCannotSplice;
    const ssize_t n = s.captured->append_from_pipe(fd, kSpliceMax);
    if (n > 0) hold_in_ledger(static_cast<std::uint64_t>(n));
    return n;
}

void JobStreams::add_lines(One& s, std::string_view bytes) {
    if (s.line_open) {
        // The start of this line was passed on already (see hold()): the
        // rest of it follows directly.
        const void* newline = std::memchr(bytes.data(), '\n', bytes.size());
        if (newline == nullptr) {
            pass(s, bytes);
            return;
        }
        const std::size_t end = static_cast<const char*>(newline) - bytes.data() + 1;
        pass(s, bytes.substr(0, end));
        s.line_open = false;
        bytes.remove_prefix(end);
    }
    const void* last = ::memrchr(bytes.data(), '\n', bytes.size());
    if (last == nullptr) {
        hold(s, bytes);
        return;
    }
    const std::size_t complete = static_cast<const char*>(last) - bytes.data() + 1;
    const std::string_view lines = bytes.substr(0, complete);
    if (s.overflow == nullptr && !s.pending.empty() && lines.size() <= kJoinLimit) {
        s.pending.append(lines);  // one write for the pending line and these
        pass(s, s.pending);
        s.pending.clear();
        if (s.pending.capacity() > OutputBuffer::kMemoryLimit) release_memory(s.pending);
    } else {
        release_pending(s);
        pass(s, lines);
    }
    hold(s, bytes.substr(complete));
}

void JobStreams::hold(One& s, std::string_view bytes) {
    if (bytes.empty()) return;
    if (s.overflow != nullptr) {
        if (const int e = s.overflow->append(bytes); e != 0 && problem_.empty()) {
            note(kept_lost(*s.overflow, e));
        }
        return;
    }
    // A captured job's partial line shares the memory limit with what it
    // captured, so a stream never holds more than kMemoryLimit in memory.
    std::size_t limit = OutputBuffer::kMemoryLimit;
    if (!live_ && s.captured != nullptr) limit -= std::min(limit, s.captured->size());
    if (s.pending.size() + bytes.size() <= limit) {
        s.pending.append(bytes);
        return;
    }
    if (live_) {  // a long line: the rest of it goes to a spill file
        s.overflow = std::make_unique<OutputBuffer>(shared_.tmpdir, shared_.compression);
        int e = s.overflow->append(s.pending);
        if (e == 0) e = s.overflow->append(bytes);
        if (e != 0) note(kept_lost(*s.overflow, e));
        release_memory(s.pending);
        return;
    }
    // Captured and too long to hold: the line's start goes with the captured
    // bytes, to be written by go_live(). Only --keep-order's head goes live
    // after being captured, and the head is then the only job writing, so
    // the line still cannot be mixed with another job's.
    pass(s, s.pending);
    release_memory(s.pending);
    pass(s, bytes);
    s.line_open = true;
}

void JobStreams::release_pending(One& s) {
    if (s.overflow != nullptr) {
        write_buffer(s.stream, *s.overflow);
        s.overflow.reset();
    } else if (!s.pending.empty()) {
        pass(s, s.pending);
        s.pending.clear();
        if (s.pending.capacity() > OutputBuffer::kMemoryLimit) release_memory(s.pending);
    }
}

void JobStreams::pass(One& s, std::string_view bytes) {
    if (bytes.empty()) return;
    if (live_) {
        const LedgerWrite counted(in_ledger_ ? shared_.ledger : nullptr, seq_, bytes.size());
        if (const int e = shared_.target.write(s.stream, bytes)) note(write_lost(s.stream, e));
        return;
    }
    if (s.captured == nullptr) {
        s.captured = std::make_unique<OutputBuffer>(shared_.tmpdir, shared_.compression);
    }
    if (const int e = s.captured->append(bytes); e != 0 && problem_.empty()) {
        note(kept_lost(*s.captured, e));
    }
}

void JobStreams::write_buffer(Stream stream, const OutputBuffer& buffer) {
    // Write what was kept even when part was lost: never less than we have.
    if (buffer.error() != 0) note(kept_lost(buffer, buffer.error()));
    const LedgerWrite counted(in_ledger_ ? shared_.ledger : nullptr, seq_, buffer.size());
    if (const int e = shared_.target.write(stream, buffer)) {
        note(e < 0 && !buffer.problem().empty() ? kept_lost(buffer, e) : write_lost(stream, e));
    }
}

// "output lost: cannot keep it in TMPDIR: " and why: the errno, or what the
// --compress program did wrong.
std::string JobStreams::kept_lost(const OutputBuffer& buffer, int error) const {
    const std::string what = "cannot keep it in " + shared_.tmpdir;
    if (buffer.problem().empty()) return output_lost(what, error);
    return "output lost: --compress in " + shared_.tmpdir + ": " + buffer.problem();
}

void JobStreams::go_live() {
    live_ = true;
    for (One* s : {&out_, &err_}) {
        if (s->captured == nullptr) continue;
        write_buffer(s->stream, *s->captured);
        s->captured.reset();
    }
    if (ended_) ledger_done();
}

void JobStreams::end() {
    for (One* s : {&out_, &err_}) {
        release_pending(*s);
        s->line_open = false;
        // Nothing more comes: with --compress, the program ends now and
        // gives back its process and fds while the bytes wait.
        if (s->captured != nullptr) s->captured->seal();
    }
    ended_ = true;
    if (live_) ledger_done();
}

}  // namespace wgrun
