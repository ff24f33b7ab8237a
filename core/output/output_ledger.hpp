// output_ledger.hpp: how many bytes of each job's output wgrun holds and has
// not got out yet (captured in memory or spill files, a partial line, a
// write in progress), and the job pipes whose unread bytes count too. Read
// from another thread when wgrun gives up on a stdout nobody reads, to say
// what it drops ("output dropped: 2999808 bytes of job 1 ...").
//
// Thread-safe: the output modes update it from the event loop and the
// background writer; pending() may be called from any thread, while either
// of them is blocked in a write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace wgrun {

class OutputLedger {
public:
    /// `bytes` more of job `seq`'s output are held.
    void held(std::uint64_t seq, std::uint64_t bytes);
    /// `bytes` of what job `seq` held left (written out, or lost to an error).
    void released(std::uint64_t seq, std::uint64_t bytes);
    /// Nothing of job `seq` is held any more (its output is out).
    void done(std::uint64_t seq);

    /// Job `seq`'s pipe `fd`: its unread bytes count as held by the job
    /// until pipe_closing(fd), which must come before the fd is closed.
    void pipe_opened(std::uint64_t seq, int fd);
    void pipe_closing(int fd);

    struct Pending {
        std::uint64_t seq = 0;
        std::uint64_t bytes = 0;
    };
    /// The jobs with bytes held or unread in their pipes, by job number.
    std::vector<Pending> pending() const;

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::uint64_t> held_;  // by seq
    std::map<int, std::uint64_t> pipes_;           // fd -> seq
};

/// Scoped, around one write of `bytes` of job `seq`'s held output: every
/// byte write_all() and copy_file_to() get out on this thread meanwhile is
/// released at once (so that a write stuck half-way counts only what is
/// left), and whatever is not written by the end (an error) is released
/// then. Does nothing without a ledger.
class LedgerWrite {
public:
    LedgerWrite(OutputLedger* ledger, std::uint64_t seq, std::uint64_t bytes);
    ~LedgerWrite();
    LedgerWrite(const LedgerWrite&) = delete;
    LedgerWrite& operator=(const LedgerWrite&) = delete;

private:
    OutputLedger* ledger_;
    std::uint64_t seq_;
    std::uint64_t bytes_;
    std::uint64_t written_ = 0;
    void* previous_ = nullptr;
    friend void note_written(std::size_t bytes);
};

/// Called by write_all(), copy_file_to() and splice_pipe() for every byte
/// written: counts it in bytes_out() and tells the innermost LedgerWrite of
/// this thread, if any.
void note_written(std::size_t bytes);

/// How many bytes note_written() was told of, on any thread, since the
/// process started: it stops growing when every write is stuck.
std::uint64_t bytes_out();

}  // namespace wgrun
