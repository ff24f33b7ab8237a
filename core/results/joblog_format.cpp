// joblog_format.cpp: formatting and checking job log rows, GNU parallel's way.
#include "results/joblog_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <limits>

namespace wgrun {
namespace {

// "12.345" from a count of milliseconds (not negative).
std::string milliseconds_text(std::uint64_t ms) {
    std::string text = std::to_string(ms / 1000);
    const auto frac = static_cast<unsigned>(ms % 1000);
    text += '.';
    text += static_cast<char>('0' + frac / 100);
    text += static_cast<char>('0' + frac / 10 % 10);
    text += static_cast<char>('0' + frac % 10);
    return text;
}

// A value as an error message shows it: at most 40 bytes, control bytes and
// bytes above 0x7e as \xNN, so that a binary line cannot upset a terminal.
std::string shown(std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < value.size() && i < 40; ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            text += static_cast<char>(c);
        } else {
            text += "\\x";
            text += kHex[c >> 4];
            text += kHex[c & 0xf];
        }
    }
    if (value.size() > 40) text += "...";
    return "'" + text + "'";
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// [-]digits[.digits]
bool is_decimal(std::string_view text) {
    if (!text.empty() && text.front() == '-') text.remove_prefix(1);
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) return all_digits(text);
    return all_digits(text.substr(0, dot)) && all_digits(text.substr(dot + 1));
}

// [-]digits, within long long.
bool parse_integer(std::string_view text, long long& value) {
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
    if (!all_digits(digits)) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size();
}

[[noreturn]] void bad(std::string_view column, std::string_view what, std::string_view value) {
    throw JoblogFormatError(std::string(column) + " " + std::string(what) + ": " + shown(value));
}

}  // namespace

std::string format_joblog_row(const JobResult& result) {
    using namespace std::chrono;
    long long exitval = 0;
    int signal = 0;
    if (result.timed_out()) {
        exitval = -1;  // GNU's mark for --timeout, with SIGTERM
        signal = 15;
    } else if (result.status.kind == ExitStatus::Kind::Signaled) {
        signal = result.status.code;
    } else {
        exitval = result.status.shell_code();  // the exit code; 127 or 126 when not started
    }
    // A job that exited 0 and still failed (its output was lost, or wgrun
    // ended it and it exited 0 all the same): -1, so that --resume-failed,
    // which looks only at Exitval and Signal, runs it again.
    if (exitval == 0 && signal == 0 && result.failed()) exitval = -1;
    const auto start_ns = duration_cast<nanoseconds>(result.start.time_since_epoch()).count();
    const std::uint64_t start_ms = start_ns <= 0 ? 0 : (static_cast<std::uint64_t>(start_ns) + 500'000) / 1'000'000;
    const auto runtime_ms = std::max<long long>(0, duration_cast<milliseconds>(result.runtime).count());
    std::string runtime = milliseconds_text(static_cast<std::uint64_t>(runtime_ms));
    if (runtime.size() < 10) runtime.insert(0, 10 - runtime.size(), ' ');  // "%10.3f"

    std::string row;
    row.reserve(64 + result.host.size() + result.command.size());
    row += std::to_string(result.seq);
    row += '\t';
    row += result.host.empty() ? std::string_view(":") : std::string_view(result.host);
    row += '\t';
    row += milliseconds_text(start_ms);
    row += '\t';
    row += runtime;
    row += "\t0\t";  // Send: bytes sent to another host (GNU's --pipe, --transfer)
    row += std::to_string(result.stdout_bytes);  // Receive: as GNU counts grouped stdout
    row += '\t';
    row += std::to_string(exitval);
    row += '\t';
    row += std::to_string(signal);
    row += '\t';
    const std::size_t command_at = row.size();
    row += result.command;
    std::replace(row.begin() + static_cast<std::ptrdiff_t>(command_at), row.end(), '\n', '\0');
    row += '\n';
    return row;
}

bool is_joblog_header(std::string_view line) {
    return line == kJoblogHeader.substr(0, kJoblogHeader.size() - 1);
}

JoblogRow parse_joblog_row(std::string_view line) {
    // The eight columns before Command; Command is the rest.
    std::array<std::string_view, 8> columns;
    std::size_t found = 0;
    std::string_view rest = line;
    for (; found < columns.size(); ++found) {
        const auto tab = rest.find('\t');
        if (tab == std::string_view::npos) break;
        columns[found] = rest.substr(0, tab);
        rest.remove_prefix(tab + 1);
    }
    if (found < columns.size()) {
        throw JoblogFormatError("expected 9 columns separated by tabs, found " +
                                std::to_string(found + 1) + ": " + shown(line));
    }
    JoblogRow row;
    const std::string_view seq = columns[0];
    long long seq_value = 0;
    if (!all_digits(seq) || !parse_integer(seq, seq_value) || seq_value <= 0) {
        bad("Seq", "is not a positive whole number", seq);
    }
    row.seq = static_cast<std::uint64_t>(seq_value);
    row.host = columns[1];
    if (row.host.empty()) throw JoblogFormatError("Host is empty");
    if (!is_decimal(columns[2])) bad("Starttime", "is not a number", columns[2]);
    std::string_view runtime = columns[3];
    runtime.remove_prefix(std::min(runtime.find_first_not_of(' '), runtime.size()));
    if (!is_decimal(runtime)) bad("JobRuntime", "is not a number", columns[3]);
    long long ignored = 0;
    if (!parse_integer(columns[4], ignored)) bad("Send", "is not a number", columns[4]);
    if (!parse_integer(columns[5], ignored)) bad("Receive", "is not a number", columns[5]);
    if (!parse_integer(columns[6], row.exitval)) bad("Exitval", "is not a number", columns[6]);
    if (!parse_integer(columns[7], row.signal)) bad("Signal", "is not a number", columns[7]);
    row.command = rest;
    return row;
}

}  // namespace wgrun
