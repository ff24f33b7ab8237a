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

TEST(SetupError, KeepsTheErrnoOfAFailedCallAndNoneOfAMalformedInput) {
    const SetupError read_failed(OsError{EIO, "cannot read input file 'x'"});
    EXPECT_STREQ(read_failed.what(), "cannot read input file 'x': Input/output error");
    EXPECT_EQ(read_failed.code(), EIO);
    const SetupError malformed("run.log: line 7: Host is empty");
    EXPECT_STREQ(malformed.what(), "run.log: line 7: Host is empty");
    EXPECT_EQ(malformed.code(), 0);
}

}  // namespace
}  // namespace wgrun
