// results_naming_test.cpp: --results NAME's places: GNU's escaping of values
// as directory names (and wgrun's for "", ".", ".."), a templated NAME per
// job, and the table endings.
#include "results/results_naming.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using wgrun::ResultsNaming;
using wgrun::ResultsTableKind;
using wgrun::results_component;
using wgrun::results_table_kind;

TEST(ResultsComponent, EscapesAsGnuDoes) {
    EXPECT_EQ(results_component("abc"), "abc");
    EXPECT_EQ(results_component("a/b"), "a\\_b");
    EXPECT_EQ(results_component("a\\b"), "a\\\\b");
    EXPECT_EQ(results_component("a\tb"), "a\\tb");
    EXPECT_EQ(results_component(std::string("a\0b", 3)), "a\\0b");
    EXPECT_EQ(results_component("a\nb"), "a\nb");  // GNU keeps newlines
    EXPECT_EQ(results_component("/"), "\\_");
    EXPECT_EQ(results_component("../x"), "..\\_x");
}

TEST(ResultsComponent, DotsAndEmptyStayInside) {
    EXPECT_EQ(results_component(""), "\\");
    EXPECT_EQ(results_component("."), "\\.");
    EXPECT_EQ(results_component(".."), "\\..");
    EXPECT_EQ(results_component("..."), "...");
}

TEST(ResultsComponent, NoTwoValuesShareAName) {
    const std::vector<std::string> values{"",    ".",   "..",  "\\",  "\\.", "\\..", "/",
                                          "\\_", "\t",  "\\t", "a/b", "a\\_b", "\\\\",
                                          std::string(1, '\0'), "\\0"};
    std::set<std::string> names;
    for (const std::string& value : values) names.insert(results_component(value));
    EXPECT_EQ(names.size(), values.size());
}

TEST(ResultsComponent, LongValuesAreCutToAName) {
    EXPECT_EQ(results_component(std::string(300, 'x')), std::string(255, 'x'));
    EXPECT_EQ(results_component(std::string(200, '/')).size(), 255u);
}

TEST(ResultsNaming, PlainNameGetsSourceNumbersAndValues) {
    const ResultsNaming naming("out");
    EXPECT_FALSE(naming.templated());
    const std::vector<std::string> args{"a", "d/e"};
    const auto place = naming.place(args, 7, 1);
    EXPECT_EQ(place.path, "out/1/a/2/d\\_e");
    EXPECT_TRUE(place.directory);
    EXPECT_EQ(naming.place({}, 1, 1).path, "out");
}

TEST(ResultsNaming, TemplatedNameEndingInSlashIsADirectory) {
    const ResultsNaming naming("res/{#}/");
    EXPECT_TRUE(naming.templated());
    const std::vector<std::string> args{"v"};
    const auto place = naming.place(args, 12, 3);
    EXPECT_EQ(place.path, "res/12");
    EXPECT_TRUE(place.directory);
}

TEST(ResultsNaming, TemplatedNameWithoutSlashIsAFile) {
    const ResultsNaming naming("res/{1}-{%}");
    const std::vector<std::string> args{"a/b"};  // values as they are, as GNU
    const auto place = naming.place(args, 1, 2);
    EXPECT_EQ(place.path, "res/a/b-2");
    EXPECT_FALSE(place.directory);
}

TEST(ResultsNaming, TableEndings) {
    EXPECT_EQ(results_table_kind("x.csv"), ResultsTableKind::Csv);
    EXPECT_EQ(results_table_kind("X.CSV"), ResultsTableKind::Csv);
    EXPECT_EQ(results_table_kind("-.tsv"), ResultsTableKind::Tsv);
    EXPECT_EQ(results_table_kind("a/b.json"), ResultsTableKind::Json);
    EXPECT_EQ(results_table_kind("csv"), ResultsTableKind::None);
    EXPECT_EQ(results_table_kind("out.csv/"), ResultsTableKind::None);
}

}  // namespace
