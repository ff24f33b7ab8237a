// output_factory_test.cpp: make_output_mode picks the mode for the options,
// passes tags and colour on, and rejects a bad tagstring.
#include "output/output_factory.hpp"

#include <gtest/gtest.h>

#include <string>

#include "command/command_template.hpp"
#include "output/grouped_output.hpp"
#include "output/keep_order_output.hpp"
#include "output/line_buffered_output.hpp"
#include "support/output_test_support.hpp"
#include "output/ungrouped_output.hpp"

namespace {

using wgrun::OutputOptions;
using Mode = wgrun::OutputOptions::Mode;
using wgrun::Stream;

template <typename T>
bool made(Mode mode, bool keep_order) {
    OutputOptions options;
    options.mode = mode;
    options.keep_order = keep_order;
    const auto output = wgrun::make_output_mode(options);
    return dynamic_cast<T*>(output.get()) != nullptr;
}

TEST(OutputFactory, PicksTheMode) {
    EXPECT_TRUE(made<wgrun::GroupedOutput>(Mode::Group, false));
    EXPECT_TRUE(made<wgrun::LineBufferedOutput>(Mode::LineBuffer, false));
    EXPECT_TRUE(made<wgrun::UngroupedOutput>(Mode::Ungroup, false));
    EXPECT_TRUE(made<wgrun::UngroupedOutput>(Mode::Ungroup, true)) << "-k is ignored with -u";
    EXPECT_TRUE(made<wgrun::KeepOrderOutput>(Mode::Group, true));
    EXPECT_TRUE(made<wgrun::KeepOrderOutput>(Mode::LineBuffer, true));
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
            EXPECT_EQ(output->written_fd() >= 0, background)
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
