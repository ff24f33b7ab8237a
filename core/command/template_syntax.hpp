// template_syntax.hpp: which replacement strings a command template knows,
// as options configure them (GNU parallel's -I, --extensionreplace, ...,
// --plus, --parens, --rpl), and the Perl interpreter for {= =} and --rpl.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "command/job_total.hpp"
#include "command/perl_evaluator.hpp"
#include "command/slot_hosts.hpp"

namespace wgrun {

struct TemplateSyntax {
    std::string input = "{}";         // -I/--replace: the input
    std::string no_ext = "{.}";       // --extensionreplace/--er
    std::string base = "{/}";         // --basenamereplace/--bnr
    std::string dir = "{//}";         // --dirnamereplace/--dnr
    std::string base_no_ext = "{/.}"; // --basenameextensionreplace/--bner
    std::string seq = "{#}";          // --seqreplace
    std::string slot = "{%}";         // --slotreplace
    /// --parens: the first half (rounded down) opens a Perl expression, the
    /// rest closes it: "{==}" gives {= =}, ",,," gives , and ,,.
    std::string parens = "{==}";
    bool plus = false;                // --plus: GNU's --plus strings
    /// --rpl 'TAG PERL', in order: TAG stands for the Perl expression
    /// (a later TAG replaces an earlier one, and a built-in string). A TAG
    /// may hold one (regexp) group or more: its matches are $$1, $$2, ...
    std::vector<std::string> rpl;
    /// -j: the number of slots, for {0%}'s width; 0 when unknown.
    std::uint64_t jobs = 0;
    /// Perl for {= =}, --rpl and --plus's Perl strings; started on first
    /// use. Null: Perl expressions are plain text.
    std::shared_ptr<PerlEvaluator> perl;
    /// The run's number of jobs, for --plus's {##} and {0#}: set once the
    /// input is all read (wgrun reads it first when a template uses them).
    /// Null: they expand to 0 and to {#}.
    std::shared_ptr<JobTotal> total;
    /// -S hosts, for --plus's {host} and {sshlogin}. Null: ":".
    std::shared_ptr<SlotHosts> hosts;
};

}  // namespace wgrun
