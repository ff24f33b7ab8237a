// junit_sink.cpp: testcases to a temporary file, the document put in place
// whole at the end.
#include "junit_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "job_outcome.hpp"
#include "rfc3339.hpp"
#include "temp_file.hpp"
#include "utf8.hpp"
#include "write_all.hpp"
#include "xml_text.hpp"

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

int close_fd(int fd) {
    if (::close(fd) == 0 || errno == EINTR) return 0;
    return errno;
}

}  // namespace

JunitSink::JunitSink(std::string path, std::string label)
    : path_(std::move(path)), label_(std::move(label)) {
    const std::size_t slash = path_.find_last_of('/');
    dir_ = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
    struct stat info {};
    if (::stat(path_.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
        throw std::runtime_error(label_ + ": " + std::strerror(EISDIR));
    }
    if (!path_.empty() && path_.back() == '/') {
        throw std::runtime_error(label_ + ": " + std::strerror(EISDIR));
    }
    cases_fd_ = open_unlinked_temp(dir_);
    if (cases_fd_ < 0) throw std::runtime_error(label_ + ": " + std::strerror(errno));
}

JunitSink::~JunitSink() {
    if (cases_fd_ >= 0) ::close(cases_fd_);
}

void JunitSink::fail(int error) {
    if (error_.empty()) error_ = label_ + ": " + std::strerror(error);
    if (cases_fd_ >= 0) ::close(cases_fd_);  // gives the disk space back now
    cases_fd_ = -1;
}

void JunitSink::job_ended(const JobResult& job) {
    if (!error_.empty()) return;
    std::string xml = "    <testcase name=\"" + xml_attribute(testcase_name(job)) +
                      "\" classname=\"wgrun\" time=\"" + seconds_text(job.runtime) + "\"";
    if (job.failed()) {
        const std::string text = failure_text(job);
        xml += ">\n      <failure message=\"" + xml_attribute(outcome_text(job)) + "\" type=\"" +
               failure_type(job) + (text.empty() ? "\"/>" : "\">" + text + "</failure>") +
               "\n    </testcase>\n";
    } else {
        xml += "/>\n";
    }
    if (const int e = write_all(cases_fd_, xml)) return fail(e);
    cases_size_ += static_cast<off_t>(xml.size());
    ++tests_;
    if (job.failed()) ++failures_;
}

void JunitSink::finish(const RunSummary& summary) {
    if (!error_.empty()) return;
    if (const int e = write_report(summary)) fail(e);
    if (cases_fd_ >= 0) ::close(cases_fd_);
    cases_fd_ = -1;
}

// Writes the document to a nameless file in FILE's directory, gives it a
// hidden name and renames it to FILE. Returns 0 or an errno; on failure
// FILE is as it was and no file of ours is left.
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

    // O_TMPFILE without O_EXCL, so that linkat() can name it (its mode is
    // 0666 less the umask, as for any new file); without O_TMPFILE, the
    // hidden name from the start.
    const std::size_t slash = path_.find_last_of('/');
    const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    const std::string hidden = dir_ + "/." + base + ".wgrun-" + std::to_string(::getpid());
    bool named = false;
    int fd = ::open(dir_.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        fd = ::open(hidden.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        named = fd >= 0;
    }
    if (fd < 0) return errno;
    int error = write_all(fd, head);
    if (error == 0 && cases_size_ > 0) {
        error = copy_file_to(fd, cases_fd_, 0, static_cast<std::size_t>(cases_size_));
        if (error < 0) error = -error;
    }
    if (error == 0) error = write_all(fd, tail);
    if (error == 0 && ::fsync(fd) != 0) error = errno;
    if (error == 0 && !named) {
        const std::string proc = "/proc/self/fd/" + std::to_string(fd);
        ::unlink(hidden.c_str());  // left by a run killed here, with our pid
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, hidden.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            error = errno;
        } else {
            named = true;
        }
    }
    if (const int e = close_fd(fd); error == 0) error = e;
    if (error == 0 && ::rename(hidden.c_str(), path_.c_str()) != 0) error = errno;
    if (error != 0 && named) ::unlink(hidden.c_str());
    return error;
}

}  // namespace wgrun
