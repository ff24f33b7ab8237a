// gnu_options.hpp: every option of GNU parallel 20221122 and of GNU
// findutils' xargs, with its status in wgrun: the one table that the
// parser's refusals, the alias spellings and the man page's COMPATIBILITY
// section come from. Plain data: no CLI11 here.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun::cli {

enum class CompatStatus {
    Same,         // wgrun has it, with the same meaning
    Differs,      // wgrun has it; `note` says how it differs
    Ignored,      // accepted and ignored; `note` says why
    Unsupported,  // refused with `note`: why, and what to use instead
    Own,          // wgrun's own option, not GNU's nor xargs' (for the parser's walk)
};

enum class CompatOrigin { Gnu, Xargs, Both, Wgrun };

struct CompatOption {
    /// Every spelling, separated by spaces, as GNU parallel and xargs take
    /// them: "--sql-master --sqlmaster". Single letters are short options.
    std::string_view names;
    CompatOrigin from;
    CompatStatus status;
    /// The long name wgrun's parser knows the option by: a spelling in
    /// `names` the parser does not know is read as this one. Empty for
    /// Unsupported rows.
    std::string_view wgrun;
    /// Differs: how; Ignored: why; Unsupported: why, and what to use instead.
    std::string_view note;
};

/// The table, in GNU parallel's order of topics, then xargs' own options,
/// then wgrun's own.
std::span<const CompatOption> compat_options();

/// The names of a row, one by one ("--sql-master", "--sqlmaster").
std::vector<std::string_view> names_of(const CompatOption& option);

/// The row that has `name` ("--sqlmaster", "-S"), or nullptr.
const CompatOption* find_compat_option(std::string_view name);

/// The refusal of an Unsupported option as given (`spelled` is the name
/// the user typed): "--sqlmaster is a GNU parallel option that wgrun does
/// not support: ...".
std::string unsupported_message(const CompatOption& option, std::string_view spelled);

/// The version of GNU parallel whose options wgrun follows (--minversion
/// answers for it).
inline constexpr long kGnuParallelVersion = 20221122;

/// The COMPATIBILITY section's table in mdoc, made from compat_options():
/// man/wgrun.1 holds it between the lines kManTableBegin and kManTableEnd.
std::string compat_man_table();
inline constexpr std::string_view kManTableBegin =
    ".\\\" BEGIN compat table: made from cli/gnu_options.cpp, do not edit by hand";
inline constexpr std::string_view kManTableEnd = ".\\\" END compat table";

}  // namespace wgrun::cli
