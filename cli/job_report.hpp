// job_report.hpp: --report, every job listed at the end (seq, status,
// runtime, CPU time, command), aligned. A result sink: rows wait in a
// nameless temporary file, not in memory, so that a million jobs cost only
// disk; only the column widths are kept.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "base/unique_fd.hpp"
#include "results/result_sink.hpp"

namespace wgrun::cli {

class JobReport : public ResultSink {
public:
    /// Rows wait in a nameless file in `tmpdir`. Throws std::system_error
    /// when it cannot be made.
    explicit JobReport(const std::string& tmpdir);
    ~JobReport() override = default;
    JobReport(const JobReport&) = delete;
    JobReport& operator=(const JobReport&) = delete;

    void job_ended(const JobResult& result) override;
    OsError error() const override { return error_; }

    /// Writes the table to `to`, one row per job in the order they ended,
    /// then the count line; statuses in green or red when `colour`.
    void print(std::FILE* to, bool colour);

private:
    void flush();

    UniqueFd fd_;
    std::string pending_;  // rows not yet written to fd_
    OsError error_;
    std::uint64_t jobs_ = 0;
    std::uint64_t failed_ = 0;
    std::size_t width_[4] = {3, 6, 7, 3};  // seq, status, runtime, cpu: at least the headings
};

}  // namespace wgrun::cli
