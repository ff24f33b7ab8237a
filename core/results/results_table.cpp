// results_table.cpp: the rows of --results NAME.csv/.tsv/.json, as GNU
// parallel 20221122 writes them.
#include "results/results_table.hpp"

#include <cstring>

#include <fmt/format.h>

#include "base/write_all.hpp"

namespace wgrun {

void append_csv_field(std::string& out, std::string_view field, char separator) {
    bool quote = false;
    for (const char c : field) {
        if (c == '"' || c == separator || c == '\0' || c == ' ' || c == '\t' || c == '\n' ||
            c == '\r' || c == '\f' || c == '\v') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        out += field;
        return;
    }
    out += '"';
    for (const char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string csv_header(std::size_t values, char separator) {
    std::string line;
    for (const char* name : {"Seq", "Host", "Starttime", "JobRuntime", "Send", "Receive",
                             "Exitval", "Signal", "Command"}) {
        line += name;
        line += separator;
    }
    for (std::size_t i = 1; i <= values; ++i) {
        line += "V" + std::to_string(i);
        line += separator;
    }
    line += "Stdout";
    line += separator;
    line += "Stderr\n";
    return line;
}

std::string csv_row(const ResultsRow& row, char separator) {
    std::string line = fmt::format("{}{}", row.seq, separator);
    append_csv_field(line, row.host, separator);
    line += fmt::format("{0}{4:.3f}{0}{5:.3f}{0}{1}{0}{2}{0}{3}{0}{6}{0}", separator,
                        row.send, row.receive, row.exitval, row.starttime, row.runtime,
                        row.signal);
    append_csv_field(line, row.command, separator);
    for (const std::string& value : row.values) {
        line += separator;
        append_csv_field(line, value, separator);
    }
    line += separator;
    append_csv_field(line, row.out, separator);
    line += separator;
    append_csv_field(line, row.err, separator);
    line += '\n';
    return line;
}

namespace {

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (byte < 32) {
            out += fmt::format("\\u{:04x}", byte);
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace

std::string json_row(const ResultsRow& row) {
    std::string line = fmt::format("{{ \"Seq\": {}, \"Host\": ", row.seq);
    append_json_string(line, row.host);
    line += fmt::format(
        ", \"Starttime\": {:.3f}, \"JobRuntime\": {:.3f}, \"Send\": {}, \"Receive\": {}, "
        "\"Exitval\": {}, \"Signal\": {}, \"Command\": ",
        row.starttime, row.runtime, row.send, row.receive, row.exitval, row.signal);
    append_json_string(line, row.command);
    line += ", \"V\": [ ";
    for (std::size_t i = 0; i < row.values.size(); ++i) {
        if (i > 0) line += ',';
        append_json_string(line, row.values[i]);
    }
    line += " ], \"Stdout\": ";
    append_json_string(line, row.out);
    line += ", \"Stderr\": ";
    append_json_string(line, row.err);
    line += " }\n";
    return line;
}

ResultsTable::ResultsTable(std::unique_ptr<OutputMode> inner, ResultsTableKind kind, UniqueFd fd,
                           std::string name)
    : OutputDecorator(std::move(inner)), kind_(kind), fd_(std::move(fd)), name_(std::move(name)) {}

void ResultsTable::started(const JobStart& job) {
    OutputDecorator::started(job);
    Running& running = jobs_[job.seq];
    running.row.seq = job.seq;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    running.row.starttime = std::chrono::duration<double>(now).count();
    if (job.command != nullptr) running.row.command = *job.command;
    if (job.args != nullptr) running.row.values = *job.args;
    running.started = std::chrono::steady_clock::now();
}

void ResultsTable::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    OutputDecorator::output(seq, stream, bytes);
    const auto it = jobs_.find(seq);
    if (it == jobs_.end()) return;
    (stream == Stream::Out ? it->second.row.out : it->second.row.err).append(bytes);
}

std::uint64_t ResultsTable::retrying(std::uint64_t seq) {
    const auto it = jobs_.find(seq);
    if (it != jobs_.end()) {
        it->second.row.out.clear();
        it->second.row.err.clear();
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        it->second.row.starttime = std::chrono::duration<double>(now).count();
        it->second.started = std::chrono::steady_clock::now();
    }
    return OutputDecorator::retrying(seq);
}

std::string ResultsTable::finished(std::uint64_t seq, const ExitStatus& status) {
    std::string problem = OutputDecorator::finished(seq, status);
    auto node = jobs_.extract(seq);
    if (node.empty()) return problem;  // never started: no row
    ResultsRow& row = node.mapped().row;
    row.runtime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - node.mapped().started)
            .count();
    row.receive = row.out.size();
    switch (status.kind) {
        case ExitStatus::Kind::Exited: row.exitval = status.code; break;
        case ExitStatus::Kind::Signaled: row.signal = status.code; break;
        case ExitStatus::Kind::NotStarted: row.exitval = status.shell_code(); break;
    }
    std::string text;
    if (kind_ == ResultsTableKind::Json) {
        text = json_row(row);
    } else {
        const char separator = kind_ == ResultsTableKind::Tsv ? '\t' : ',';
        if (!header_written_) text = csv_header(row.values.size(), separator);
        text += csv_row(row, separator);
    }
    header_written_ = true;
    if (const int error = write_all(fd_.get(), text)) {
        if (!problem.empty()) problem += "; ";
        problem += "results not saved: " + name_ + ": " + std::strerror(error);
    }
    return problem;
}

}  // namespace wgrun
