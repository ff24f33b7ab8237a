// output_factory.hpp: the output mode for the command line's output options.
#pragma once

#include <memory>
#include <string>

#include "command/template_syntax.hpp"
#include "output/compression.hpp"
#include "output/output_guard.hpp"
#include "output/output_ledger.hpp"
#include "output/output_mode.hpp"
#include "output/unordered_output.hpp"

namespace wgrun {

struct OutputOptions {
    using Mode = Grouping;
    Mode mode = Mode::Group;
    bool keep_order = false;  // with Group or LineBuffer (ignored with Ungroup)
    bool tag = false;         // --tag
    std::string tagstring;    // --tagstring; non-empty implies tagging
    TemplateSyntax tagstring_syntax;  // the replacement strings it knows (--plus, {= =} ...)
    bool colour_out = false, colour_err = false;  // colour the tags on stdout / stderr
    std::string tmpdir = "/tmp";
    int out_fd = 1, err_fd = 2;
    OutputGuard* guard = nullptr;  // told of every write to out_fd/err_fd (--bar, --eta)
    // --group only: a thread of its own writes finished jobs' output, so
    // that a slow reader does not hold up the event loop. Off when other
    // records must come between jobs' output on the same stdout (--json -).
    bool background = true;
    // Told of the bytes each job's output holds, if any (output_ledger.hpp).
    OutputLedger* ledger = nullptr;
    // --compress: how spill files and the parking file are compressed.
    std::shared_ptr<const Compression> compression;
};

/// The mode: an UnorderedOutput with the options' Grouping, or a
/// KeepOrderOutput for -k with --group or --line-buffer. Throws
/// TemplateError for a tagstring that cannot be parsed.
std::unique_ptr<OutputMode> make_output_mode(const OutputOptions& options);

}  // namespace wgrun
