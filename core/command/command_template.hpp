// command_template.hpp: a command template with GNU parallel's replacement
// strings, expanded into a shell command or an argv for one job.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "command/perl_evaluator.hpp"
#include "command/template_syntax.hpp"

namespace wgrun {

/// Thrown by CommandTemplate::parse and expand_argv on a template that cannot
/// be used; the message is one line, fit for a usage error.
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A command template. Replacement strings, with GNU parallel's meanings:
///
///   {}    the input: every source's value, joined by spaces
///   {.}   the input without its extension ("dir.d/a.tar.gz" -> "dir.d/a.tar")
///   {/}   basename ("a/b/c.txt" -> "c.txt")
///   {//}  dirname ("a/b/c.txt" -> "a/b"; "c.txt" -> ".")
///   {/.}  basename without extension ("a/b/c.txt" -> "c")
///   {#}   the job's sequence number, 1-based
///   {%}   the job's slot, 1-based
///   {n}   the n-th source's value (n >= 1), and {n.} {n/} {n//} {n/.}
///
/// The extension is the part of the basename from its last '.', when that dot
/// is not the basename's first byte ("a/.bashrc" has none). The modifiers of
/// {} apply to each source's value in turn. Any other brace text ("{foo}",
/// "{print $1}", "{ }") is literal. {-n} ({-1.} ...) counts from the last
/// value.
///
/// A TemplateSyntax configures the strings (GNU's -I, --er, --bnr, --dnr,
/// --bner, --seqreplace, --slotreplace, --plus, --parens, --rpl), and gives
/// the Perl interpreter for {= perl =} ({=n perl =} and {n= perl =} for the
/// n-th value): $_ is the value, the result is $_ afterwards, shell-quoted
/// unless the expression called uq(); skip() makes every expand* throw
/// JobSkipped, a runtime error throws PerlError. Each expression is
/// compiled once, at parse (a syntax error is a TemplateError), and
/// evaluated once per job and value. See wgrun(1), REPLACEMENT STRINGS.
class CommandTemplate {
public:
    /// An empty template: each job's input is itself the command.
    CommandTemplate() = default;

    /// Parses `text`. Throws TemplateError on "{0}" (sources count from 1).
    static CommandTemplate parse(std::string_view text);
    /// Parses `text` with the strings `syntax` defines.
    static CommandTemplate parse(std::string_view text, const TemplateSyntax& syntax);

    /// True when the template holds a Perl expression ({= =}, --rpl).
    bool uses_perl() const;

    /// True when it needs the number of jobs of the run ({##}, {0#}, Perl
    /// code naming total_jobs()): the input must be read first.
    bool uses_total() const;

    /// True when the template has no text at all.
    bool empty() const;

    /// True when the template holds at least one replacement string.
    bool has_replacement() const;

    /// The largest n of the {n...} strings used, 0 if none.
    std::size_t max_source() const;

    /// The command for one job, for `/bin/sh -c`. Substituted values are
    /// shell-quoted (shell_quote), unless, as in GNU parallel, the
    /// template's first word (up to a blank or '=') holds a replacement
    /// string: then the values are the command (`wgrun {} ::: 'ls -l'`)
    /// and none is quoted. With no replacement string the values are
    /// appended, quoted, each after one space. {n} beyond args.size() is
    /// replaced by nothing. An empty template gives the values joined by
    /// spaces, unquoted: each input is a command.
    std::string expand(std::span<const std::string> args, std::uint64_t seq,
                       std::uint64_t slot) const;

    /// The text for one job with every replacement string expanded and the
    /// values left as they are (not shell-quoted), as for --tagstring. Values
    /// are never appended: a template without replacement strings is its own
    /// text, and an empty template gives "".
    std::string expand_text(std::span<const std::string> args, std::uint64_t seq,
                            std::uint64_t slot) const;

    /// The argv for one job under --no-shell: the template is split into
    /// words first (split_words), then each replacement string is replaced
    /// within its word, unquoted; {} with several sources gives one word per
    /// source when it stands alone as a word. With no replacement string each
    /// value is appended as a word of its own. An empty template splits the
    /// values joined by spaces into words (each input is a command line).
    /// Throws TemplateError when the result has no word or a quote is
    /// unterminated.
    std::vector<std::string> expand_argv(std::span<const std::string> args, std::uint64_t seq,
                                         std::uint64_t slot) const;

    // --- Argument packing (-n -N -L -s -X -m --xargs; core/input/arg_packer) ---

    /// Context replace (-X, and GNU's -N and -L): a blank-separated word of
    /// the template holding {} (or {.} {/} ...) is repeated once per value,
    /// {} standing for that value alone, the copies separated by a space:
    /// "echo pic{}.jpg" with 1 2 -> "echo pic1.jpg pic2.jpg". {n}, {#} and
    /// {%} keep their meaning. Applies to expand() and expand_argv() (where a
    /// word of split_words() is the unit); expand_text() is unchanged.
    void set_context_replace(bool on);

    /// The bytes of expand() with no value, its terminating NUL included
    /// ({#} and {%} counted at 20 digits): the fixed part of the command's
    /// length, as xargs -s counts it.
    std::size_t fixed_cost() const;

    /// The bytes expand() grows by when `value` is added as the `index`-th
    /// value (0-based): shell quoting, modifiers and separating spaces
    /// included, times the uses of the value. fixed_cost() plus the
    /// value_cost() of each value is expand()'s size plus 1, exact unless {#}
    /// or {%} are used (then above it), or a {n} shares a word with {} under
    /// context replace (then below it: that word's copies are counted
    /// without their {n}); and it is never below the bytes of expand_argv()'s
    /// words with their NULs.
    std::size_t value_cost(std::string_view value, std::size_t index) const;

private:
    struct Part {
        // TotalJobs: {##}; PaddedSeq: {0#}, {#} padded to the digits of {##}.
        enum class Kind {
            Text,
            Input,
            Seq,
            Slot,
            PaddedSlot,
            TotalJobs,
            PaddedSeq,
            Perl,
            Host,      // {host}: the slot's host
            SshLogin,  // {sshlogin}: the slot's login
        } kind =
            Kind::Text;
        std::string text;        // Kind::Text
        // Kind::Input and Kind::Perl: 0 = each value, n > 0 the n-th,
        // n < 0 the n-th from the last.
        long long source = 0;
        enum class Modifier {
            None, NoExt, Base, Dir, BaseNoExt,                      // {} {.} {/} {//} {/.}
            PlusDir, PlusExt, PlusExt2, PlusExt3,                   // {+/} {+.} {+..} {+...}
            NoExt2, NoExt3, BaseNoExt2, BaseNoExt3                  // {..} {...} {/..} {/...}
        } modifier = Modifier::None;
        std::size_t expr = 0;    // Kind::Perl: the compiled expression
        int width = 1;           // Kind::PaddedSlot: {0%}'s digits
    };
    using Parts = std::vector<Part>;
    class Parser;
    // The Perl values of one job, looked up by (expression, value index).
    struct JobPerl {
        std::vector<PerlCall> calls;
        PerlResults results;
        const PerlValue* find(std::size_t expr, std::size_t arg) const;
    };

    // `value` with `modifier` applied: always a view into `value`, or ".".
    static std::string_view modify(std::string_view value, Part::Modifier modifier);
    // The value index `source` stands for, or npos.
    static std::size_t value_index(long long source, std::size_t values);
    // Evaluates the Perl parts of `parts` for one job (nothing without any).
    JobPerl run_perl(const std::vector<const Parts*>& parts, std::span<const std::string> args,
                     std::uint64_t seq, std::uint64_t slot) const;
    // The same for the --no-shell words (words_).
    JobPerl run_words_perl(std::span<const std::string> args, std::uint64_t seq,
                           std::uint64_t slot) const;
    // Appends what `part` stands for; values shell-quoted when `quote`.
    void append_part(std::string& out, const Part& part, std::span<const std::string> args,
                     std::uint64_t seq, std::uint64_t slot, bool quote,
                     const JobPerl& perl) const;

    std::string text_;
    std::vector<Part> parts_;
    bool has_replacement_ = false;
    std::size_t max_source_ = 0;
    std::size_t value_uses_ = 0;  // times the values appear in expand(), for reserve()
    // For expand_argv: the template split into words, each word parsed.
    std::vector<Parts> words_;
    bool words_have_replacement_ = false;
    std::string words_error_;  // non-empty when the template cannot be split
    bool uses_perl_ = false;
    std::shared_ptr<PerlEvaluator> perl_;
    bool uses_total_ = false;  // {##}, {0#}, or Perl code naming total_jobs
    std::shared_ptr<const JobTotal> total_;
    std::shared_ptr<const SlotHosts> hosts_;
    // GNU parallel: a replacement string in the first word (before a blank
    // or '=') makes the values the command itself: expand() quotes none.
    bool quote_values_ = true;
    // Context replace: parts_ cut into blank-separated words and the blanks
    // between them; a word holding {} is repeated per value.
    struct Segment {
        Parts parts;
        bool repeated = false;
    };
    bool context_ = false;
    std::vector<Segment> segments_;
    std::string expand_context(std::span<const std::string> args, std::uint64_t seq,
                               std::uint64_t slot) const;
    // Context replace: a part standing for every value ({}, {.}, {= =}), and
    // that part taking the `index`-th value alone.
    static bool stands_for_each_value(const Part& part);
    static Part one_value(const Part& part, std::size_t index);
    std::vector<std::string> expand_argv_context(std::span<const std::string> args,
                                                 std::uint64_t seq, std::uint64_t slot) const;
};

}  // namespace wgrun
