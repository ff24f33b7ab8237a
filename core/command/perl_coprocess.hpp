// perl_coprocess.hpp: one `perl` for the whole run, started on first use,
// speaking a small length-prefixed protocol over two pipes (wgrun(1),
// REPLACEMENT STRINGS: Perl expressions).
#pragma once

#include <sys/types.h>

#include <map>
#include <mutex>
#include <string>

#include "base/unique_fd.hpp"
#include "command/perl_evaluator.hpp"

namespace wgrun {

/// The Perl interpreter of a run. Nothing is started until the first
/// compile(): a run whose templates hold no Perl never starts perl. perl
/// runs `perl` from PATH with wgrun's stdout and stderr (an expression's
/// `print` goes where GNU parallel's would), stdin /dev/null, the protocol
/// on its fds 3 and 4, no other fd of wgrun's, in a process group of its
/// own (a terminal's Ctrl-C is wgrun's to handle), every signal default and
/// unblocked. Our ends of the pipes are close-on-exec: no job holds them.
/// It ends when wgrun does: at the destructor (its input closed, then it is
/// reaped through a pidfd, so that a scheduler's wait4(-1) that reaped it
/// first does no harm and no other process is waited for), or at end of
/// file on its input when wgrun dies. Thread-safe: calls are serialized.
class PerlCoprocess final : public PerlEvaluator {
public:
    /// `perl`: the program to run (a name looked up in PATH, or a path).
    explicit PerlCoprocess(std::string perl = "perl");
    ~PerlCoprocess() override;
    PerlCoprocess(const PerlCoprocess&) = delete;
    PerlCoprocess& operator=(const PerlCoprocess&) = delete;

    std::size_t compile(std::string_view code) override;
    PerlResults evaluate(const PerlJob& job, std::span<const PerlCall> calls) override;
    bool filter(const PerlJob& job, std::string_view code) override;
    void set_total_jobs(std::uint64_t jobs) override;

    /// The pid of the interpreter, 0 before it is started.
    pid_t pid() const;

private:
    void start();                                 // throws PerlError
    void send(const std::string& request);        // throws PerlError
    void read_exact(char* out, std::size_t n);    // throws PerlError
    std::uint32_t read_u32();
    std::string read_string();
    [[noreturn]] void lost(const std::string& what);

    mutable std::mutex mutex_;
    std::uint64_t total_jobs_ = 0;  // sent with each job; 0: not known
    std::string program_;
    pid_t pid_ = 0;
    UniqueFd pidfd_;
    UniqueFd to_perl_;
    UniqueFd from_perl_;
    std::string buffer_;        // read from perl, not yet taken
    std::size_t taken_ = 0;
    std::map<std::string, std::size_t, std::less<>> compiled_;
};

}  // namespace wgrun
