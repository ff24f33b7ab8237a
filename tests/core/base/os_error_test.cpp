#include "base/os_error.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

namespace wgrun {
namespace {

TEST(OsError, EmptyIsNoError) {
    const OsError none;
    EXPECT_FALSE(none);
    EXPECT_EQ(none.message(), "");
}

TEST(OsError, MessageIsSubjectColonStrerror) {
    const OsError denied{EACCES, "--json out.jsonl"};
    EXPECT_TRUE(denied);
    EXPECT_EQ(denied.message(), "--json out.jsonl: Permission denied");
    EXPECT_EQ((OsError{ENOSPC, ""}).message(), "No space left on device");
}

TEST(OsError, ThrownAtSetupAsSystemErrorWithTheSameText) {
    try {
        throw_os_error(ENOTDIR, "--joblog reg/log");
        FAIL() << "no exception";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), std::error_code(ENOTDIR, std::generic_category()));
        EXPECT_EQ(e.code(), std::errc::not_a_directory);
        EXPECT_STREQ(e.what(), (OsError{ENOTDIR, "--joblog reg/log"}).message().c_str());
        EXPECT_STREQ(e.what(), "--joblog reg/log: Not a directory");
    }
}

}  // namespace
}  // namespace wgrun
