// template_rewrite_test.cpp: {-n} counted from the last source, and -I's
// replace string, rewritten before the template is parsed.
#include "command/template_rewrite.hpp"

#include <gtest/gtest.h>

#include <string>

#include "command/command_template.hpp"

namespace {

using wgrun::resolve_negative_sources;
using wgrun::TemplateError;

std::string error_of(std::string_view text, std::size_t sources) {
    try {
        resolve_negative_sources(text, sources);
    } catch (const TemplateError& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(NegativeSources, CountFromTheLast) {
    EXPECT_EQ(resolve_negative_sources("echo {-1} {-2}", 2), "echo {2} {1}");
    EXPECT_EQ(resolve_negative_sources("echo {-1}", 1), "echo {1}");
    EXPECT_EQ(resolve_negative_sources("{-1}{-3}", 3), "{3}{1}");
}

TEST(NegativeSources, ModifiersStay) {
    EXPECT_EQ(resolve_negative_sources("echo {-1.} {-1/} {-2//} {-1/.}", 2),
              "echo {2.} {2/} {1//} {2/.}");
}

TEST(NegativeSources, OtherTextStays) {
    EXPECT_EQ(resolve_negative_sources("awk '{-x}' {- 1} {-} {-1", 2), "awk '{-x}' {- 1} {-} {-1");
    EXPECT_EQ(resolve_negative_sources("echo {} {1} {#}", 2), "echo {} {1} {#}");
    EXPECT_EQ(resolve_negative_sources("{-{-1}", 2), "{-{2}");
}

TEST(NegativeSources, BeyondTheSourcesIsAnError) {
    EXPECT_EQ(error_of("echo {-3}", 2), "the command uses {-3} but there are only 2 input sources");
    EXPECT_EQ(error_of("echo {-2.}", 1), "the command uses {-2.} but there is only 1 input source");
    EXPECT_EQ(error_of("echo {-0}", 2), "the command uses {-0} but there are only 2 input sources");
}

}  // namespace
