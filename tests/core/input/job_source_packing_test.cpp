// job_source_packing_test.cpp: the job source under argument packing: the
// command words are one template over stdin's lines (stdin_arguments), and
// -N N lets {n} reach N values a source.
#include "input/job_source.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using wgrun::choose_job_source;
using wgrun::JobSource;
using wgrun::JobSourceError;
using wgrun::JobSourceFacts;

TEST(JobSourcePacking, StdinArgumentsMakeTheWordsOneTemplate) {
    JobSourceFacts f;
    f.command = {"gzip", "--best"};
    f.stdin_arguments = true;
    const auto choice = choose_job_source(f);
    EXPECT_EQ(choice.source, JobSource::StdinValues);
    EXPECT_EQ(choice.command_template.expand(std::vector<std::string>{"a", "b"}, 1, 1),
              "gzip --best a b");
}

TEST(JobSourcePacking, RecordsPerJobWidenTheSourceNumbers) {
    JobSourceFacts f;
    f.command = {"echo", "{4}"};
    f.input_sources = 2;
    EXPECT_THROW(choose_job_source(f), JobSourceError);
    f.records_per_job = 2;  // -N2 ::: a b ::: 1 2: {4} is the second record's 2nd value
    EXPECT_EQ(choose_job_source(f).source, JobSource::InputSources);
    f.command = {"echo", "{5}"};
    EXPECT_THROW(choose_job_source(f), JobSourceError);
}

}  // namespace
