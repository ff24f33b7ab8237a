// output_factory.cpp: options to output mode.
#include "output/output_factory.hpp"

#include "output/keep_order_output.hpp"

namespace wgrun {

std::unique_ptr<OutputMode> make_output_mode(const OutputOptions& o) {
    TagFormat tags(o.tag, o.tagstring, o.colour_out, o.colour_err, o.tagstring_syntax);
    if (o.keep_order && o.mode != Grouping::Ungroup) {
        auto mode = std::make_unique<KeepOrderOutput>(o.out_fd, o.err_fd, o.tmpdir,
                                                      std::move(tags),
                                                      o.mode == Grouping::LineBuffer, o.guard);
        mode->keep_ledger(o.ledger);
        mode->compress_spills(o.compression);
        return mode;
    }
    auto mode = std::make_unique<UnorderedOutput>(o.mode, o.out_fd, o.err_fd, o.tmpdir,
                                                  std::move(tags), o.background, o.guard);
    mode->keep_ledger(o.ledger);
    mode->compress_spills(o.compression);
    return mode;
}

}  // namespace wgrun
