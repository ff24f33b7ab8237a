// machine_gauge.cpp: the readings of --load and --memfree from /proc: the
// stat line of every task (<proc>/PID/task/TID/stat) for the busy threads,
// and <proc>/meminfo for the memory available.
//
// The walk is a snapshot: processes and threads come and go while it is
// read, so an entry that cannot be opened or read (ENOENT, ESRCH: gone
// meanwhile) or parsed is skipped, never an error. Only a <proc> that cannot
// be opened gives no reading. It runs before each job start under --load,
// so it allocates nothing: each directory is opened relative to its
// parent's fd, and each stat line is read into a stack buffer.
#include "schedule/machine_gauge.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>

#include "base/unique_fd.hpp"

namespace wgrun {
namespace {

// PF_KTHREAD, of the task flags (the kernel's include/linux/sched.h).
constexpr unsigned long long kKernelThread = 0x00200000;

// The longest entry name taken for a pid or tid (they have at most 7 digits).
constexpr std::size_t kMaxIdLength = 20;

// A stat line is some 300 bytes; only the fields up to the flags are read.
constexpr std::size_t kStatBuffer = 1024;

struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

// The directory `name` under the directory fd `parent`, open for readdir();
// null when it cannot be opened (gone meanwhile, or no directory).
Dir open_dir_at(int parent, const char* name) {
    UniqueFd fd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return nullptr;
    Dir dir(::fdopendir(fd.get()));
    if (dir) (void)fd.release();  // closedir() closes it now
    return dir;
}

// The pid or tid that the entry name `name` is (all digits), or -1 for any
// other name (".", "self", "meminfo"...).
long long id_of(const char* name) {
    const std::string_view text(name);
    if (text.empty() || text.size() > kMaxIdLength || text[0] < '0' || text[0] > '9') return -1;
    long long id = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size()) return -1;
    return id;
}

// A relative path "ID/LEAF" (ID: a name that id_of() took), NUL-terminated.
class IdPath {
public:
    IdPath(const char* id, std::string_view leaf) {
        const std::size_t length = std::strlen(id);
        std::memcpy(text_, id, length);
        text_[length] = '/';
        std::memcpy(text_ + length + 1, leaf.data(), leaf.size());
        text_[length + 1 + leaf.size()] = '\0';
    }
    const char* c_str() const { return text_; }

private:
    char text_[kMaxIdLength + 8] = {};  // room for "/task" and "/stat"
};

// Reads the start of file `name` under the directory fd `dir` into `buffer`
// (until it is full or the file ends). How many bytes, or -1 when the file
// cannot be opened or read.
ssize_t read_start(int dir, const char* name, char* buffer, std::size_t size) {
    const UniqueFd fd(::openat(dir, name, O_RDONLY | O_CLOEXEC));
    if (!fd) return -1;
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd.get(), buffer + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    return static_cast<ssize_t>(got);
}

// The space-separated fields of a text, one at a time. A field counts only
// when a space or newline ends it: the last one of a read cut short may be
// cut too, and is not given.
class Fields {
public:
    explicit Fields(std::string_view text) : rest_(text) {}
    std::optional<std::string_view> next() {
        while (!rest_.empty() && rest_.front() == ' ') rest_.remove_prefix(1);
        const std::size_t end = rest_.find_first_of(" \n");
        if (end == std::string_view::npos || end == 0) return std::nullopt;
        const std::string_view field = rest_.substr(0, end);
        rest_.remove_prefix(end);
        return field;
    }

private:
    std::string_view rest_;
};

// Whether the stat line `line` ("TID (COMM) STATE PPID PGRP SESSION TTY_NR
// TPGID FLAGS ...") is of a busy task: state R or D, and no kernel thread.
// COMM may hold spaces and ')', but the fields after it hold neither, so the
// last ')' ends it. A line cut short or garbled is of no busy task.
bool busy_task(std::string_view line) {
    const std::size_t comm_end = line.rfind(')');
    if (comm_end == std::string_view::npos || line.find('(') > comm_end) return false;
    Fields fields(line.substr(comm_end + 1));
    const auto state = fields.next();
    if (!state || state->size() != 1 || ((*state)[0] != 'R' && (*state)[0] != 'D')) return false;
    std::optional<std::string_view> flags;
    for (int i = 0; i < 6; ++i) {  // ppid pgrp session tty_nr tpgid flags
        flags = fields.next();
        if (!flags) return false;
    }
    unsigned long long value = 0;
    const auto [end, error] = std::from_chars(flags->data(), flags->data() + flags->size(), value);
    if (error != std::errc() || end != flags->data() + flags->size()) return false;
    return (value & kKernelThread) == 0;
}

// The bytes of a meminfo value ("   123 kB"), or nothing when it is not one.
std::optional<std::uint64_t> kilobytes(std::string_view value) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    std::uint64_t kb = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), kb);
    if (error != std::errc() || end == value.data()) return std::nullopt;
    value.remove_prefix(static_cast<std::size_t>(end - value.data()));
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value != "kB" || kb > std::numeric_limits<std::uint64_t>::max() / 1024) {
        return std::nullopt;
    }
    return kb * 1024;
}

}  // namespace

ProcGauge::ProcGauge(std::string proc) : proc_(std::move(proc)) {}

std::optional<unsigned> ProcGauge::busy_threads() {
    const Dir proc(::opendir(proc_.c_str()));
    if (!proc) return std::nullopt;
    // The thread that reads is running: it is left out, as GNU parallel
    // leaves out its own ps.
    const long long self_pid = ::getpid();
    const long long self_tid = ::gettid();
    unsigned busy = 0;
    char line[kStatBuffer];
    while (const dirent* process = ::readdir(proc.get())) {
        const long long pid = id_of(process->d_name);
        if (pid < 0) continue;
        const Dir tasks = open_dir_at(::dirfd(proc.get()), IdPath(process->d_name, "task").c_str());
        if (!tasks) continue;  // gone meanwhile
        while (const dirent* task = ::readdir(tasks.get())) {
            const long long tid = id_of(task->d_name);
            if (tid < 0 || (pid == self_pid && tid == self_tid)) continue;
            const ssize_t got = read_start(::dirfd(tasks.get()),
                                           IdPath(task->d_name, "stat").c_str(), line, sizeof line);
            if (got > 0 && busy_task(std::string_view(line, static_cast<std::size_t>(got)))) {
                ++busy;
            }
        }
    }
    return busy;
}

std::optional<std::uint64_t> ProcGauge::mem_available() {
    const UniqueFd fd(::open((proc_ + "/meminfo").c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return std::nullopt;
        if (got == 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    constexpr std::string_view kKey = "MemAvailable:";
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string_view line(text.data() + start, end - start);
        if (line.starts_with(kKey)) return kilobytes(line.substr(kKey.size()));
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace wgrun
