// perl_evaluator.hpp: what a command template needs from Perl for
// {= perl expression =}, --rpl and --filter: compile an expression once,
// evaluate compiled expressions for one job, evaluate a --filter text.
// PerlCoprocess (perl_coprocess.hpp) is the real one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

/// A Perl expression died while a job's command was made (a runtime error:
/// `die`, a bad call): that job fails with what() as its message. Also
/// thrown when the interpreter itself is gone.
class PerlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An expression called skip() (or a --filter was false): the job is not
/// run. Thrown by CommandTemplate::expand* and CommandBuilder::build.
class JobSkipped : public std::runtime_error {
public:
    JobSkipped() : std::runtime_error("skipped") {}
};

/// One job, as the expressions see it: $job->seq(), $job->slot(), @arg.
struct PerlJob {
    std::uint64_t seq = 0;
    std::uint64_t slot = 0;
    std::span<const std::string> args;  // $arg[1] is args[0]
};

/// Evaluate compiled expression `expr` with $_ = args[arg].
struct PerlCall {
    std::size_t expr = 0;
    std::size_t arg = 0;
};

struct PerlValue {
    std::string text;       // $_ after the expression
    bool unquoted = false;  // the expression called uq()
};

struct PerlResults {
    bool skip = false;               // an expression called skip()
    std::vector<PerlValue> values;   // one per call, in order
};

class PerlEvaluator {
public:
    virtual ~PerlEvaluator() = default;
    /// Compiles `code` as the body of a sub (GNU parallel's
    /// `sub { no strict; no warnings; my $job = shift; CODE }`, in package
    /// Arg) and returns its id; the same code gives the same id. Throws
    /// PerlError with Perl's message on a syntax error.
    virtual std::size_t compile(std::string_view code) = 0;
    /// Runs `calls` for `job`, in order. Throws PerlError when one dies.
    virtual PerlResults evaluate(const PerlJob& job, std::span<const PerlCall> calls) = 0;
    /// --filter: evaluates the Perl text `code` (its replacement strings
    /// already expanded) and returns its truth; an error is false, as in
    /// GNU parallel.
    virtual bool filter(const PerlJob& job, std::string_view code) = 0;
    /// The run's number of jobs, for total_jobs(), once it is known (the
    /// input read first); until then total_jobs() dies saying so.
    virtual void set_total_jobs(std::uint64_t /*jobs*/) {}
};

}  // namespace wgrun
