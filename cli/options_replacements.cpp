// options_replacements.cpp: replacement strings: --plus, the --*replace names, --parens, --rpl, {= perl =}, --filter.
#include <CLI/CLI.hpp>

#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"

namespace wgrun::cli {

void add_replacements_options(CLI::App& app, Options& options) {
    ReplacementsGroup& r = options.replacements;
    app.add_flag("--plus", r.plus,
                 "More replacement strings: {+/} {+.} {..} {/..} {0%} {:-x} {%.gz} ... "
                 "(GNU parallel's --plus)");
    app.add_option("--extensionreplace,--er", r.extension_replace,
                   "Use STR instead of {.} (the input without its extension)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("--basenamereplace,--bnr", r.basename_replace,
                   "Use STR instead of {/} (the input's basename)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("--dirnamereplace,--dnr", r.dirname_replace,
                   "Use STR instead of {//} (the input's dirname)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("--basenameextensionreplace,--bner", r.basename_extension_replace,
                   "Use STR instead of {/.} (the basename without its extension)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("--seqreplace", r.seq_replace, "Use STR instead of {#} (the job's number)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("--slotreplace", r.slot_replace, "Use STR instead of {%} (the job's slot)")
        ->check(kNotEmpty)
        ->type_name("STR");
    app.add_option("--parens", r.parens,
                   "Use OPENCLOSE instead of {==}: its first half opens a Perl expression, "
                   "the rest closes it")
        ->check(kNotEmpty)
        ->type_name("OPENCLOSE");
    app.add_option("--rpl", r.rpl,
                   "Define a replacement string: 'TAG perl-expression' (repeatable; "
                   "TAG may hold (regexp) groups, $$1 in the expression)")
        ->check(kNotEmpty)
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("'TAG PERL'");
    app.add_option("--filter", r.filter,
                   "Run only the jobs for which the Perl expression EXPR (replacement strings "
                   "allowed) is true (repeatable); the others are skipped")
        ->check(kNotEmpty)
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("EXPR");
}

void check_replacements_options(const CLI::App& /*app*/, Options& options) {
    const ReplacementsGroup& r = options.replacements;
    if (!r.parens.empty() && r.parens.size() < 2) {
        throw UsageError("--parens '" + r.parens +
                         "': give the opening and the closing strings together, such as {==}");
    }
    for (const std::string& rpl : r.rpl) {
        if (rpl.find_first_of(" \t\n") == 0) {
            throw UsageError("--rpl '" + rpl + "': it starts with the replacement string, then "
                             "a blank, then the Perl expression");
        }
    }
}

}  // namespace wgrun::cli
