// output_factory.cpp: options to output mode.
#include "output/output_factory.hpp"

#include "output/grouped_output.hpp"
#include "output/keep_order_output.hpp"
#include "output/line_buffered_output.hpp"
#include "output/ungrouped_output.hpp"

namespace wgrun {

std::unique_ptr<OutputMode> make_output_mode(const OutputOptions& o) {
    TagFormat tags(o.tag, o.tagstring, o.colour_out, o.colour_err);
    using Mode = OutputOptions::Mode;
    if (o.mode == Mode::Ungroup) {
        auto mode = std::make_unique<UngroupedOutput>(o.out_fd, o.err_fd, o.tmpdir,
                                                      std::move(tags), o.guard);
        mode->keep_ledger(o.ledger);
        return mode;
    }
    const bool lines = o.mode == Mode::LineBuffer;
    if (o.keep_order) {
        auto mode = std::make_unique<KeepOrderOutput>(o.out_fd, o.err_fd, o.tmpdir,
                                                      std::move(tags), lines, o.guard);
        mode->keep_ledger(o.ledger);
        return mode;
    }
    if (lines) {
        auto mode = std::make_unique<LineBufferedOutput>(o.out_fd, o.err_fd, o.tmpdir,
                                                         std::move(tags), o.guard);
        mode->keep_ledger(o.ledger);
        return mode;
    }
    auto mode = std::make_unique<GroupedOutput>(o.out_fd, o.err_fd, o.tmpdir, std::move(tags),
                                                o.background, o.guard);
    mode->keep_ledger(o.ledger);
    return mode;
}

}  // namespace wgrun
