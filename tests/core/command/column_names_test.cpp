// column_names_test.cpp: --header's names in a template rewritten to
// positions, with GNU parallel's modifiers and {=NAME perl=}.
#include "command/column_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using wgrun::name_columns;

const std::vector<std::string> kNames{"name", "age", "", "dir.x"};

TEST(ColumnNames, NamesBecomePositions) {
    EXPECT_EQ(name_columns("echo {name} is {age}", kNames), "echo {1} is {2}");
    EXPECT_EQ(name_columns("{dir.x}", kNames), "{4}");
}

TEST(ColumnNames, GnusModifiersAreKept) {
    EXPECT_EQ(name_columns("{name.} {name/} {name//} {name/.}", kNames), "{1.} {1/} {1//} {1/.}");
    EXPECT_EQ(name_columns("{dir.x.}", kNames), "{4.}");
}

TEST(ColumnNames, PerlExpressionsOnAColumn) {
    EXPECT_EQ(name_columns("{=age $_+=1 =}", kNames), "{=2 $_+=1 =}");
    EXPECT_EQ(name_columns("{= s/age// =}", kNames), "{= s/age// =}");
    EXPECT_EQ(name_columns("{=ages/a/b/=}", kNames), "{=ages/a/b/=}");
}

TEST(ColumnNames, OtherTextStays) {
    EXPECT_EQ(name_columns("{} {1} {#} {nam} {names} {name {age", kNames),
              "{} {1} {#} {nam} {names} {name {age");
    EXPECT_EQ(name_columns("awk '{print $1}' {name}", kNames), "awk '{print $1}' {1}");
}

TEST(ColumnNames, AnEmptyNameNamesNothing) {
    EXPECT_EQ(name_columns("{} {.}", kNames), "{} {.}");
}

TEST(ColumnNames, TheFirstNameWinsAndWhatIsPutInIsNotReadAgain) {
    EXPECT_EQ(name_columns("{a} {1}", {"a", "1", "a"}), "{1} {2}");
    EXPECT_EQ(name_columns("{h}", {"h", "1"}), "{1}");
}

TEST(ColumnNames, NamesWithSpacesAndBraces) {
    EXPECT_EQ(name_columns("{first name}", {"first name"}), "{1}");
    EXPECT_EQ(name_columns("{a{b}", {"a{b"}), "{1}");
}

}  // namespace
