// packing_wiring.cpp: the limit computed (wgrun(1), ARGUMENT PACKING) and the
// ArgPacker put in place.
#include "packing_wiring.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "exec/arg_limit.hpp"
#include "input/arg_packer.hpp"

extern char** environ;

namespace wgrun::cli {

std::optional<PackedLimit> wire_packing(const Options& options, CommandTemplate& command_template,
                                        std::unique_ptr<JobFeed>& feed, std::uint64_t jobs) {
    const PackingGroup& p = options.packing;
    if (!p.on) return std::nullopt;
    command_template.set_context_replace(p.context);

    // The system's limit: ARG_MAX less the environment less a margin; a
    // shell command, one string for sh -c, is held to MAX_ARG_STRLEN too.
    const ArgLimit system = arg_limit(environ);
    const std::size_t cap =
        options.no_shell ? system.usable : std::min(system.usable, kMaxArgString);
    const std::string cap_text =
        options.no_shell || system.usable < kMaxArgString
            ? fmt::format("{} bytes (ARG_MAX {} less the environment's {} and a margin of {})",
                          cap, system.arg_max, system.environment, kArgMargin)
            : fmt::format("{} bytes (Linux's limit on one argument, which a shell command is)",
                          cap);
    PackedLimit limit;
    if (p.chars != 0 && p.chars <= cap) {
        limit.max_bytes = p.chars;
        limit.text = fmt::format("{} bytes (-s {})", p.chars, p.chars);
    } else if (p.chars != 0) {
        fmt::print(stderr, "wgrun: warning: -s {} is above the limit of {}: using {}\n", p.chars,
                   cap_text, cap);
        limit.max_bytes = cap;
        limit.text = cap_text;
    } else if (cap >= kMaxArgString) {  // xargs' default buffer
        limit.max_bytes = kMaxArgString;
        limit.text = fmt::format("{} bytes (the default; -s sets it)", kMaxArgString);
    } else {
        limit.max_bytes = cap;
        limit.text = cap_text;
    }

    PackingRules rules;
    rules.max_records = p.records;
    rules.max_bytes = limit.max_bytes;
    rules.max_exec_bytes = system.usable;
    rules.limit_text = limit.text;
    rules.stop_on_overflow = p.exit;
    rules.spread_over = p.spread ? jobs : 0;
    rules.continued_lines = p.lines;
    CommandSize size;
    size.fixed = command_template.fixed_cost();
    // The packer runs on the input pump's thread, which may outlive the
    // plan: it holds a copy of the template of its own.
    size.value = [tmpl = std::make_shared<const CommandTemplate>(command_template)](
                     std::string_view value, std::size_t index) {
        return tmpl->value_cost(value, index);
    };
    feed = std::make_unique<ArgPacker>(std::move(feed), std::move(size), std::move(rules));
    return limit;
}

}  // namespace wgrun::cli
