// job_source_columns_test.cpp: with columns (--colsep, --csv, --header) a
// template may use {n} beyond the number of input sources.
#include "input/job_source.hpp"

#include <gtest/gtest.h>

namespace {

using wgrun::choose_job_source;
using wgrun::JobSource;
using wgrun::JobSourceError;
using wgrun::JobSourceFacts;

TEST(JobSourceColumns, ColumnsMayPassTheNumberOfSources) {
    JobSourceFacts facts;
    facts.command = {"echo", "{3}", "{1}"};
    facts.input_sources = 1;
    EXPECT_THROW(choose_job_source(facts), JobSourceError);
    facts.columns = true;
    const auto choice = choose_job_source(facts);
    EXPECT_EQ(choice.source, JobSource::InputSources);
    EXPECT_EQ(choice.command_template.max_source(), 3u);
}

}  // namespace
