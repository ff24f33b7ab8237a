// output_factory_test.cpp: make_output_mode picks the mode for the options,
// passes tags and colour on, and rejects a bad tagstring.
#include "output/output_factory.hpp"

#include <gtest/gtest.h>

#include <string>

#include "command/command_template.hpp"
#include "output/keep_order_output.hpp"
#include "output/unordered_output.hpp"
#include "support/output_test_support.hpp"

namespace {

using wgrun::OutputOptions;
using Mode = wgrun::OutputOptions::Mode;
using wgrun::Stream;

// The mode made: "keep-order" (a KeepOrderOutput), or an UnorderedOutput's
// grouping ("group", "line-buffer", "ungroup").
std::string made(Mode mode, bool keep_order) {
    OutputOptions options;
    options.mode = mode;
    options.keep_order = keep_order;
    const auto output = wgrun::make_output_mode(options);
    if (dynamic_cast<wgrun::KeepOrderOutput*>(output.get()) != nullptr) return "keep-order";
    const auto* unordered = dynamic_cast<wgrun::UnorderedOutput*>(output.get());
    if (unordered == nullptr) return "something else";
    switch (unordered->grouping()) {
        case Mode::Group: return "group";
        case Mode::LineBuffer: return "line-buffer";
        case Mode::Ungroup: return "ungroup";
    }
    return "no grouping";
}

TEST(OutputFactory, PicksTheMode) {
    EXPECT_EQ(made(Mode::Group, false), "group");
    EXPECT_EQ(made(Mode::LineBuffer, false), "line-buffer");
    EXPECT_EQ(made(Mode::Ungroup, false), "ungroup");
    EXPECT_EQ(made(Mode::Ungroup, true), "ungroup") << "-k is ignored with -u";
    EXPECT_EQ(made(Mode::Group, true), "keep-order");
    EXPECT_EQ(made(Mode::LineBuffer, true), "keep-order");
}

TEST(OutputFactory, ABadTagstringThrows) {
    OutputOptions options;
    options.tagstring = "{0}";
    EXPECT_THROW(wgrun::make_output_mode(options), wgrun::TemplateError);
}

TEST(OutputFactory, OnlyGroupedOutputWritesInTheBackground) {
    for (const Mode mode : {Mode::Group, Mode::LineBuffer, Mode::Ungroup}) {
        for (const bool keep_order : {false, true}) {
            OutputOptions options;
            options.mode = mode;
            options.keep_order = keep_order;
            const auto output = wgrun::make_output_mode(options);
            const bool background = mode == Mode::Group && !keep_order;
            EXPECT_EQ(output->flow().written_fd() >= 0, background)
                << "mode " << static_cast<int>(mode) << " keep_order " << keep_order;
        }
    }
}

TEST(OutputFactory, TagsAndColourReachTheMode) {
    for (const Mode mode : {Mode::Group, Mode::LineBuffer, Mode::Ungroup}) {
        for (const bool keep_order : {false, true}) {
            wgrun::test::Files files;
            OutputOptions options;
            options.mode = mode;
            options.keep_order = keep_order;
            options.tagstring = "{#}={}";
            options.colour_err = true;
            options.tmpdir = files.spill.path();
            options.out_fd = files.out.get();
            options.err_fd = files.err.get();
            auto output = wgrun::make_output_mode(options);
            wgrun::test::TestJob job(1, {"v"});
            output->started(job.start);
            output->output(1, Stream::Out, "o\n");
            output->output(1, Stream::Err, "e");
            EXPECT_EQ(output->finished(1, wgrun::ExitStatus{}), "");
            output.reset();  // a background writer has written everything by then
            EXPECT_EQ(files.out_text(), "1=v\to\n");
            EXPECT_EQ(files.err_text(), "\x1b[31m1=v\x1b[0m\te");
        }
    }
}

}  // namespace
