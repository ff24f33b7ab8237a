// junit_sink.cpp: testcases to a temporary file, the document put in place
// whole at the end.
#include "results/junit_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "results/job_outcome.hpp"
#include "results/report_path.hpp"
#include "base/os_error.hpp"
#include "base/rfc3339.hpp"
#include "base/temp_file.hpp"
#include "base/utf8.hpp"
#include "base/write_all.hpp"
#include "base/xml_text.hpp"

namespace wgrun {
namespace {

// Seconds with three decimals, as JUnit's time attributes have them.
std::string seconds_text(std::chrono::nanoseconds duration) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", seconds_ms(duration));
    return text;
}

// "job 3: make -C b", the command cut after kNameBytes (at a character
// boundary) with "..." then.
std::string testcase_name(const JobResult& job) {
    std::string command = valid_utf8(job.command);
    if (command.size() > JunitSink::kNameBytes) {
        std::size_t cut = JunitSink::kNameBytes;
        while (cut > 0 && (static_cast<unsigned char>(command[cut]) & 0xC0) == 0x80) --cut;
        command.resize(cut);
        command += "...";
    }
    return "job " + std::to_string(job.seq) + ": " + command;
}

// The <failure> text: the tail of the output, said to be one when earlier
// bytes were not kept.
std::string failure_text(const JobResult& job) {
    const std::uint64_t total = job.stdout_bytes + job.stderr_bytes;
    std::string text;
    if (total > job.output_tail.size()) {
        text = "[wgrun: " + std::to_string(total - job.output_tail.size()) +
               " earlier bytes of output not kept]\n";
    }
    return xml_text(text + job.output_tail);
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

}  // namespace

JunitSink::JunitSink(std::string path, std::string label, std::string temp_dir)
    : path_(std::move(path)), label_(std::move(label)) {
    ReportPath where;
    if (const int e = resolve_report_path(path_, where)) throw_os_error(e, label_);
    std::string cases_dir;
    if (where.kind == ReportPath::Kind::Missing || where.kind == ReportPath::Kind::Regular) {
        target_ = where.target;
        cases_dir = directory_of(target_);  // checks that it can take our file
    } else {
        // Written into at the end; opened now, as --json does, so that a
        // path that cannot be written stops the run before any job.
        out_fd_.reset(open_in_place(path_));
        if (!out_fd_) throw_os_error(errno, label_);
        cases_dir = std::move(temp_dir);
    }
    cases_fd_.reset(open_unlinked_temp(cases_dir));
    if (!cases_fd_) throw_os_error(errno, label_);
}

void JunitSink::fail(int error) {
    if (!error_) error_ = {error, label_};
    cases_fd_.reset();  // gives the disk space back now
    out_fd_.reset();
}

void JunitSink::job_ended(const JobResult& job) {
    if (error_) return;
    std::string xml = "    <testcase name=\"" + xml_attribute(testcase_name(job)) +
                      "\" classname=\"wgrun\" time=\"" + seconds_text(job.runtime) + "\"";
    // A job on another host (-S) names it, as pytest's record_property
    // does: a property of the test case.
    const bool remote = !job.host.empty() && job.host != ":";
    if (job.failed() || remote) xml += ">\n";
    if (remote) {
        xml += "      <properties><property name=\"host\" value=\"" + xml_attribute(job.host) +
               "\"/></properties>\n";
    }
    if (job.failed()) {
        const std::string text = failure_text(job);
        xml += "      <failure message=\"" + xml_attribute(outcome_text(job)) + "\" type=\"" +
               failure_type(job) + (text.empty() ? "\"/>" : "\">" + text + "</failure>") + "\n";
    }
    xml += job.failed() || remote ? "    </testcase>\n" : "/>\n";
    if (const int e = write_all(cases_fd_.get(), xml)) return fail(e);
    cases_size_ += static_cast<off_t>(xml.size());
    ++tests_;
    if (job.failed()) ++failures_;
}

void JunitSink::finish(const RunSummary& summary) {
    if (error_) return;
    if (const int e = write_report(summary)) fail(e);
    cases_fd_.reset();
}

// Writes the document into FILE when it is a FIFO, a device or an open
// file; else to a staged file in FILE's directory (after its symlinks),
// renamed onto it. Returns 0 or an errno; on failure a regular FILE is as
// it was and no file of ours is left.
int JunitSink::write_report(const RunSummary& run) {
    const std::string counts = "tests=\"" + std::to_string(tests_ + run.skipped) +
                               "\" failures=\"" + std::to_string(failures_) +
                               "\" errors=\"0\" skipped=\"" + std::to_string(run.skipped) +
                               "\" time=\"" + seconds_text(run.end - run.start) + "\"";
    std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"wgrun\" " +
                       counts + ">\n  <testsuite name=\"wgrun\" " + counts + " timestamp=\"" +
                       rfc3339_utc_ms(run.start) + "\" hostname=\"" + xml_attribute(host_name()) +
                       "\">\n    <properties>\n"
                       "      <property name=\"wgrun.exit_status\" value=\"" +
                       std::to_string(run.exit_status) + "\"/>\n";
    if (run.interrupted_by != 0) {
        head += "      <property name=\"wgrun.interrupted_by\" value=\"" +
                xml_attribute(signal_name(run.interrupted_by)) + "\"/>\n";
    }
    if (run.not_started != 0 || run.input_unread) {
        head += "      <property name=\"wgrun.not_started\" value=\"" +
                std::to_string(run.not_started) + (run.input_unread ? "+" : "") + "\"/>\n";
    }
    head += "    </properties>\n";
    const std::string tail = "  </testsuite>\n</testsuites>\n";

    if (out_fd_) {
        // A FIFO, a device, an open file: the document goes into it.
        int error = write_document(out_fd_.get(), head, tail);
        if (const int e = out_fd_.close(); error == 0) error = e;
        return error;
    }
    StagedFile report;
    const std::size_t slash = target_.find_last_of('/');
    if (int error = report.open(directory_of(target_),
                                slash == std::string::npos ? target_ : target_.substr(slash + 1))) {
        return error;
    }
    int error = write_document(report.fd(), head, tail);
    if (error == 0 && ::fsync(report.fd()) != 0) error = errno;
    if (error != 0) return error;  // the staged file is discarded
    return report.replace(target_);
}

// head, the testcases, tail: 0 or an errno.
int JunitSink::write_document(int fd, const std::string& head, const std::string& tail) {
    int error = write_all(fd, head);
    if (error == 0 && cases_size_ > 0) {
        error = copy_file_to(fd, cases_fd_.get(), 0, static_cast<std::size_t>(cases_size_));
        if (error < 0) error = -error;
    }
    if (error == 0) error = write_all(fd, tail);
    return error;
}

}  // namespace wgrun
