// job_report.cpp: the --report table.
#include "job_report.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string_view>

#include "results/job_outcome.hpp"
#include "base/os_error.hpp"
#include "base/printable.hpp"
#include "base/temp_file.hpp"
#include "base/write_all.hpp"

namespace wgrun::cli {
namespace {

constexpr std::size_t kFlushAt = std::size_t{64} << 10;

std::string seconds(std::chrono::nanoseconds d) {
    return fmt::format("{:.3f}s", std::chrono::duration<double>(d).count());
}

// One row in the spill file: failed flag, then the columns, TAB-separated
// (no column holds a TAB: the command and the status are made printable()).
struct Row {
    bool failed = false;
    std::string_view column[5];
};

bool parse_row(std::string_view line, Row& row) {
    if (line.size() < 2) return false;
    row.failed = line[0] == '1';
    line.remove_prefix(2);
    for (int i = 0; i < 4; ++i) {
        const auto tab = line.find('\t');
        if (tab == std::string_view::npos) return false;
        row.column[i] = line.substr(0, tab);
        line.remove_prefix(tab + 1);
    }
    row.column[4] = line;
    return true;
}

}  // namespace

JobReport::JobReport(const std::string& tmpdir) : fd_(open_unlinked_temp(tmpdir)) {
    if (!fd_) throw_os_error(errno, "--report: cannot make a temporary file in " + tmpdir);
}

void JobReport::job_ended(const JobResult& result) {
    ++jobs_;
    if (result.failed()) ++failed_;
    if (error_) return;
    std::string status = result.failed() ? outcome_text(result) : "ok";
    if (result.attempts > 1 && !result.failed()) {
        status += fmt::format(", after {} attempts", result.attempts);
    }
    status = printable(status);
    const std::string columns[4] = {
        std::to_string(result.seq), status,
        seconds(std::chrono::duration_cast<std::chrono::nanoseconds>(result.runtime)),
        seconds(result.user_cpu + result.system_cpu)};
    for (int i = 0; i < 4; ++i) width_[i] = std::max(width_[i], columns[i].size());
    pending_ += result.failed() ? "1\t" : "0\t";
    for (const auto& column : columns) {
        pending_ += column;
        pending_ += '\t';
    }
    pending_ += printable_command(result.command);
    pending_ += '\n';
    if (pending_.size() >= kFlushAt) flush();
}

void JobReport::flush() {
    if (pending_.empty() || error_) return;
    if (const int error = write_all(fd_.get(), pending_); error != 0) {
        error_ = {error, "--report: cannot keep the rows"};
    }
    pending_.clear();
}

void JobReport::print(std::FILE* to, bool colour) {
    flush();
    if (error_) return;  // main reports it
    const char* green = colour ? "\x1b[32m" : "";
    const char* red = colour ? "\x1b[1;31m" : "";
    const char* plain = colour ? "\x1b[0m" : "";
    fmt::print(to, "{:>{}}  {:<{}}  {:>{}}  {:>{}}  {}\n", "seq", width_[0], "status", width_[1],
               "runtime", width_[2], "cpu", width_[3], "command");
    std::string carry;
    std::vector<char> chunk(kFlushAt);
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd_.get(), chunk.data(), chunk.size(), offset);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error_ = {errno, "--report: cannot read the rows back"};
            return;
        }
        if (n == 0) break;
        offset += n;
        carry.append(chunk.data(), static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (std::size_t end; (end = carry.find('\n', start)) != std::string::npos; start = end + 1) {
            Row row;
            if (!parse_row(std::string_view(carry).substr(start, end - start), row)) continue;
            const std::string status = fmt::format("{:<{}}", row.column[1], width_[1]);
            fmt::print(to, "{:>{}}  {}{}{}  {:>{}}  {:>{}}  {}\n", row.column[0], width_[0],
                       row.failed ? red : green, status, plain, row.column[2], width_[2],
                       row.column[3], width_[3], row.column[4]);
        }
        carry.erase(0, start);
    }
    fmt::print(to, "wgrun: {} of {} job{} failed\n", failed_, jobs_, jobs_ == 1 ? "" : "s");
    std::fflush(to);
}

}  // namespace wgrun::cli
