// output_test_support.hpp: helpers for the output mode tests: files as
// destinations, jobs that started. The general helpers (TempDir, Fd,
// read_file...) are in test_support.hpp, included here.
#pragma once

#include <fcntl.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "output/output_mode.hpp"
#include "support/test_support.hpp"

namespace wgrun::test {

// Temp files for stdout and stderr, and a spill directory.
struct Files {
    TempDir dir;
    TempDir spill;
    Fd out{::open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    Fd err{::open(dir.file("err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    std::string out_text() const { return read_file(dir.file("out")); }
    std::string err_text() const { return read_file(dir.file("err")); }
};

// A JobStart with input values that outlive it.
struct TestJob {
    explicit TestJob(std::uint64_t seq, std::vector<std::string> values = {},
                     std::uint64_t slot = 1)
        : args(std::move(values)), start{seq, slot, &args, nullptr} {}
    TestJob(const TestJob&) = delete;
    TestJob& operator=(const TestJob&) = delete;
    std::vector<std::string> args;
    JobStart start;
};

}  // namespace wgrun::test
