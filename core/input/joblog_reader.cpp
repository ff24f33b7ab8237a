// joblog_reader.cpp: reading a job log line by line, in one pass, keeping
// only the Seqs (and, for --retry-failed, the failed commands).
#include "input/joblog_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "results/joblog_format.hpp"

namespace wgrun {
namespace {

class Collector {
public:
    Collector(const std::string& name, ResumeMode mode) : name_(name), mode_(mode) {}

    // One whole line, without its newline.
    void line(std::string_view text) {
        ++line_;
        if (line_ == 1) {
            if (!is_joblog_header(text)) {
                fail("not a job log: the first line is not the header "
                     "'Seq<TAB>Host<TAB>Starttime<TAB>JobRuntime<TAB>Send<TAB>Receive<TAB>"
                     "Exitval<TAB>Signal<TAB>Command'");
            }
            return;
        }
        JoblogRow row;
        try {
            row = parse_joblog_row(text);
        } catch (const JoblogFormatError& e) {
            fail(e.what());
        }
        ++history_.rows;
        if (mode_ == ResumeMode::Resume || row.succeeded()) {
            history_.done.push_back(row.seq);
        } else if (mode_ == ResumeMode::RetryFailed) {
            std::string command(row.command);
            std::replace(command.begin(), command.end(), '\0', '\n');
            history_.failed.push_back({row.seq, std::move(command)});
        }
    }

    std::uint64_t lines() const { return line_; }

    JoblogHistory finish() {
        auto& done = history_.done;
        std::sort(done.begin(), done.end());
        done.erase(std::unique(done.begin(), done.end()), done.end());
        if (mode_ == ResumeMode::RetryFailed) {
            // The last failed row of each Seq, unless one of its rows succeeded.
            auto& failed = history_.failed;
            std::stable_sort(failed.begin(), failed.end(),
                             [](const FailedJob& a, const FailedJob& b) { return a.seq < b.seq; });
            std::vector<FailedJob> kept;
            for (std::size_t i = 0; i < failed.size(); ++i) {
                const bool last_of_seq = i + 1 == failed.size() || failed[i + 1].seq != failed[i].seq;
                if (last_of_seq && !std::binary_search(done.begin(), done.end(), failed[i].seq)) {
                    kept.push_back(std::move(failed[i]));
                }
            }
            failed = std::move(kept);
            done.clear();
            done.shrink_to_fit();
        }
        return std::move(history_);
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw JoblogError(name_ + ": line " + std::to_string(line_) + ": " + what);
    }

private:
    const std::string& name_;
    ResumeMode mode_;
    std::uint64_t line_ = 0;
    JoblogHistory history_;
};

}  // namespace

JoblogHistory read_joblog(int fd, const std::string& name, ResumeMode mode) {
    Collector collector(name, mode);
    std::string pending;  // the start of a line that goes on in the next read
    char buffer[1 << 16];
    off_t offset = 0;
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw JoblogError(OsError{errno, name});
        if (got == 0) break;
        offset += got;
        std::string_view chunk(buffer, static_cast<std::size_t>(got));
        for (;;) {
            const auto newline = chunk.find('\n');
            if (newline == std::string_view::npos) {
                pending.append(chunk);
                break;
            }
            if (pending.empty()) {
                collector.line(chunk.substr(0, newline));
            } else {
                pending.append(chunk.substr(0, newline));
                collector.line(pending);
                pending.clear();
            }
            chunk.remove_prefix(newline + 1);
        }
    }
    JoblogHistory history = collector.finish();
    history.whole_bytes = offset - static_cast<off_t>(pending.size());
    if (!pending.empty()) history.torn_line = collector.lines() + 1;
    return history;
}

}  // namespace wgrun
