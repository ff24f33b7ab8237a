// json_lines_sink.cpp: job and summary records, built with Boost.JSON.
#include "results/json_lines_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>

#include "results/report_path.hpp"
#include "base/os_error.hpp"
#include "base/rfc3339.hpp"
#include "base/utf8.hpp"
#include "base/write_all.hpp"

namespace wgrun {
namespace {

namespace json = boost::json;

json::string text(std::string_view bytes) {
    if (is_valid_utf8(bytes)) return json::string(bytes);
    return json::string(valid_utf8(bytes));
}

json::value signal_or_null(int signal) {
    if (signal == 0) return nullptr;
    return text(signal_name(signal));
}

json::object job_record(const JobResult& job) {
    json::object record;
    record["v"] = 1;
    record["type"] = "job";
    record["seq"] = job.seq;
    record["slot"] = job.slot;
    record["host"] = text(job.host);
    record["command"] = text(job.command);
    json::array args;
    args.reserve(job.args.size());
    for (const std::string& arg : job.args) args.push_back(text(arg));
    record["args"] = std::move(args);
    record["start"] = rfc3339_utc_ms(job.start);
    record["end"] = rfc3339_utc_ms(job.end);
    record["runtime_s"] = seconds_ms(job.runtime);
    const bool signalled = job.status.kind == ExitStatus::Kind::Signaled;
    if (signalled) {
        record["exit"] = nullptr;
    } else {
        record["exit"] = job.status.shell_code();  // a job that could not start: 127 or 126
    }
    record["signal"] = signal_or_null(signalled ? job.status.code : 0);
    record["timed_out"] = job.timed_out();
    record["attempts"] = job.attempts;
    record["user_s"] = seconds_ms(job.user_cpu);
    record["sys_s"] = seconds_ms(job.system_cpu);
    record["max_rss_kb"] = job.max_rss_kb;
    record["stdout_bytes"] = job.stdout_bytes;
    record["stderr_bytes"] = job.stderr_bytes;
    record["dropped_output_bytes"] = job.dropped_output_bytes;
    record["failed"] = job.failed();
    return record;
}

json::object summary_record(const RunSummary& run) {
    json::object record;
    record["v"] = 1;
    record["type"] = "summary";
    record["jobs"] = run.jobs;
    record["failed"] = run.failed;
    record["skipped"] = run.skipped;
    record["exit_status"] = run.exit_status;
    record["interrupted_by"] = signal_or_null(run.interrupted_by);
    record["not_started"] = run.not_started;
    record["input_unread"] = run.input_unread;
    record["start"] = rfc3339_utc_ms(run.start);
    record["end"] = rfc3339_utc_ms(run.end);
    record["runtime_s"] = seconds_ms(run.end - run.start);
    return record;
}

}  // namespace

JsonLinesSink::JsonLinesSink(int fd, bool owned, std::string label)
    : JsonLinesSink(UniqueFd(owned ? fd : -1), fd, std::move(label)) {}

JsonLinesSink::JsonLinesSink(UniqueFd owned, int fd, std::string label)
    : fd_(fd), owned_(std::move(owned)), label_(std::move(label)) {}

std::unique_ptr<JsonLinesSink> JsonLinesSink::create(const std::string& path, std::string label) {
    ReportPath where;
    if (const int e = resolve_report_path(path, where)) throw_os_error(e, label);
    // An open file (/dev/stdout to a file, /proc/self/fd/9) is written at
    // its end, not emptied under the feet of who else writes to it.
    UniqueFd fd(where.kind == ReportPath::Kind::OpenFile
                    ? open_in_place(path)
                    : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (!fd) throw_os_error(errno, label);
    const int raw = fd.get();
    std::unique_ptr<JsonLinesSink> sink(new JsonLinesSink(std::move(fd), raw, std::move(label)));
    struct stat info {};
    sink->regular_ = ::fstat(sink->fd_, &info) == 0 && S_ISREG(info.st_mode);
    return sink;
}

JsonLinesSink::~JsonLinesSink() = default;

void JsonLinesSink::job_ended(const JobResult& result) {
    write_line(json::serialize(job_record(result)));
}

void JsonLinesSink::finish(const RunSummary& summary) {
    write_line(json::serialize(summary_record(summary)));
    // NFS reports late write errors at close().
    if (const int e = owned_.close(); e != 0 && !error_) error_ = {e, label_};
}

void JsonLinesSink::write_line(std::string line) {
    if (error_) return;
    line += '\n';
    if (const int e = write_record(fd_, line, regular_)) error_ = {e, label_};
}

}  // namespace wgrun
