// test_main.cpp: GoogleTest main for every test binary. Besides gtest's own
// report it prints one machine-read line, "@@counts passed=N failed=N
// skipped=N", that tests/run sums into the closing line of `make test`.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace {

class CountsPrinter : public testing::EmptyTestEventListener {
    void OnTestProgramEnd(const testing::UnitTest& unit) override {
        std::printf("@@counts passed=%d failed=%d skipped=%d\n", unit.successful_test_count(),
                    unit.failed_test_count(), unit.skipped_test_count());
        std::fflush(stdout);
    }
};

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    // wgrun reads options from $PARALLEL (as GNU parallel does): the
    // tester's own must not change what the tests parse.
    ::unsetenv("PARALLEL");
    // Death tests re-execute the binary instead of forking a threaded process.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    testing::UnitTest::GetInstance()->listeners().Append(new CountsPrinter);
    return RUN_ALL_TESTS();
}
