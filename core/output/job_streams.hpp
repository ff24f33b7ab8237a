// job_streams.hpp: one job's stdout and stderr on their way out, shared by
// every output mode. A job is either live (its bytes are written to the
// destinations as they come) or captured (kept in OutputBuffers until the
// mode lets it write: go_live()). Under --line-buffer only whole lines are
// passed on; with tags every line is prefixed first.
//
// Memory: each stream keeps at most OutputBuffer::kMemoryLimit in memory
// (captured bytes and a partial line together), the rest in spill files.
// A captured job's partial line that does not fit is captured as it is and
// the line stays open: it is then written by go_live() before its newline
// has come. Only --keep-order's head goes live after being captured, and the
// head is the only job writing until it ends, so even that line is never
// mixed with another job's; it may just show before it is complete.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "output/line_prefixer.hpp"
#include "output/output_buffer.hpp"
#include "output/output_ledger.hpp"
#include "output/output_mode.hpp"
#include "output/output_target.hpp"

namespace wgrun {

/// What all the jobs of one output mode share.
struct OutputShared {
    OutputShared(int out_fd, int err_fd, std::string tmpdir_, bool line_buffered_,
                 TagFormat tags_, OutputGuard* guard = nullptr)
        : target(out_fd, err_fd, guard),
          tmpdir(std::move(tmpdir_)),
          line_buffered(line_buffered_),
          tags(std::move(tags_)) {}

    OutputTarget target;
    OutputLedger* ledger = nullptr;  // told of the bytes held, if any
    std::string tmpdir;   // for spill files
    std::shared_ptr<const Compression> compression;  // --compress: of spill files
    bool line_buffered;   // pass on whole lines only
    TagFormat tags;
    std::string scratch;  // reused for each piece of prefixed bytes
};

class JobStreams {
public:
    /// A job as it starts; `shared` must outlive it.
    JobStreams(const JobStart& job, OutputShared& shared, bool live);
    JobStreams(const JobStreams&) = delete;
    JobStreams& operator=(const JobStreams&) = delete;

    /// Bytes from the job. Live: written now (under --line-buffer, up to the
    /// last complete line; the rest waits for its newline or end()).
    /// Captured: kept. Stdout bytes are dropped once stdout is closed.
    void add(Stream stream, std::string_view bytes);

    /// add() without the copy, for bytes it would pass on untouched (no tags,
    /// no --line-buffer): spliced from the pipe `fd` to the destination when
    /// live, or to the end of the spill file when captured and spilling.
    /// Returns as OutputMode::splice_from(); kCannotSplice: read and add().
    ssize_t splice_from(Stream stream, int fd);

    /// Writes what was captured (stdout, then stderr) and writes the job's
    /// later bytes as they come.
    void go_live();

    /// Both streams are closed: a last line without newline is complete now
    /// (written when live, captured otherwise).
    void end();

    bool live() const { return live_; }

    /// The bytes kept for `stream` while captured, or nullptr if none.
    const OutputBuffer* captured(Stream stream) const { return one(stream).captured.get(); }

    /// The first "output lost: ..." of this job, or "".
    const std::string& problem() const { return problem_; }
    void note(std::string problem);

private:
    struct One {
        One(Stream stream_, std::string prefix) : stream(stream_), prefixer(std::move(prefix)) {}
        Stream stream;
        LinePrefixer prefixer;
        std::string pending;                     // the last, partial line (--line-buffer)
        std::unique_ptr<OutputBuffer> overflow;  // the rest of a partial line past the
                                                 // memory limit (live jobs only)
        bool line_open = false;                  // a partial line was passed on already
        std::unique_ptr<OutputBuffer> captured;  // the bytes kept until go_live()
    };

    One& one(Stream stream) { return stream == Stream::Out ? out_ : err_; }
    const One& one(Stream stream) const { return stream == Stream::Out ? out_ : err_; }
    void add_lines(One& s, std::string_view bytes);
    void hold(One& s, std::string_view bytes);
    void release_pending(One& s);
    void pass(One& s, std::string_view bytes);
    void write_buffer(Stream stream, const OutputBuffer& buffer);
    std::string kept_lost(const OutputBuffer& buffer, int error) const;

    void hold_in_ledger(std::uint64_t bytes);
    void ledger_done();

    OutputShared& shared_;
    std::uint64_t seq_;
    bool live_;
    bool ended_ = false;     // end() was called
    bool in_ledger_ = false; // bytes were told to the ledger
    One out_;
    One err_;
    std::string problem_;
};

}  // namespace wgrun
