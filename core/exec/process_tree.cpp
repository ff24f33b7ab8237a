// process_tree.cpp: finds a job's processes in /proc and signals them: the
// children files of each thread for the tree, the fd links for the orphans
// that still hold the job's output pipes.
//
// Every walk is a snapshot: processes fork and exit while it is read, so a
// missing /proc entry means "gone" and is no error. The tree is collected
// before anything is signalled: a parent killed first would hand its
// children to init (or to us, as subreaper) before the walk reached them.
#include "exec/process_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/unique_fd.hpp"

namespace wgrun {
namespace {

// The text of a small /proc file, empty when it cannot be read.
std::string read_small(const std::string& path) {
    std::string text;
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return text;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    return text;
}

// A decimal number that is all of `text`, or -1.
long long parse_number(std::string_view text) {
    long long value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return -1;
    return value;
}

// The names in directory `path` that are numbers (pids, tids, fds).
std::vector<long long> numeric_entries(const std::string& path) {
    std::vector<long long> numbers;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return numbers;
    while (const dirent* entry = ::readdir(dir)) {
        const long long number = parse_number(entry->d_name);
        if (number >= 0) numbers.push_back(number);
    }
    ::closedir(dir);
    return numbers;
}

// kill() that tells whether a process was reached. ESRCH (gone meanwhile)
// and EPERM (not ours: a pid reused by someone else's process) both mean no.
bool send(pid_t target, int signal) {
    return ::kill(target, signal) == 0;
}

// Whether `pid` may be signalled on its own: never init, never nothing (0 and
// negative pids address groups), never this process.
bool signallable(pid_t pid) {
    return pid > 1 && pid != ::getpid();
}

// Whether group `pgid` may be signalled: kill(-0) is our own group and
// kill(-1) is every process we may signal, and our own group holds wgrun.
bool group_signallable(pid_t pgid) {
    return pgid > 1 && pgid != ::getpgrp();
}

// Signals each of `pids` that is not in a group already signalled whole, once
// each. Returns how many were reached.
int signal_each(const std::vector<pid_t>& pids, const std::unordered_set<pid_t>& signalled_groups,
                int signal) {
    int count = 0;
    std::unordered_set<pid_t> done;
    for (const pid_t pid : pids) {
        if (!signallable(pid) || !done.insert(pid).second) continue;
        // A member of a signalled group already has the signal: twice would
        // be two signals to a process that counts them (a second SIGINT often
        // means "now, without cleaning up").
        if (!signalled_groups.empty()) {
            const pid_t group = ::getpgid(pid);
            if (group < 0) continue;  // gone
            if (signalled_groups.contains(group)) continue;
        }
        if (send(pid, signal)) ++count;
    }
    return count;
}

}  // namespace

bool become_subreaper() {
    return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
}

std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> children;
    if (pid <= 0) return children;
    // A child belongs to the thread that forked it, so every thread's list
    // is read. A thread that exits hands its children to another thread of
    // the process, which may then list one twice in our reading: dedupe.
    const std::string task = "/proc/" + std::to_string(pid) + "/task";
    std::unordered_set<pid_t> seen;
    for (const long long tid : numeric_entries(task)) {
        const std::string text = read_small(task + "/" + std::to_string(tid) + "/children");
        std::string_view rest = text;
        while (!rest.empty()) {
            const std::size_t space = rest.find_first_of(" \n");
            const std::string_view word = rest.substr(0, space);
            const long long child = parse_number(word);
            if (child > 0 && seen.insert(static_cast<pid_t>(child)).second) {
                children.push_back(static_cast<pid_t>(child));
            }
            if (space == std::string_view::npos) break;
            rest.remove_prefix(space + 1);
        }
    }
    return children;
}

std::vector<pid_t> descendants_of(pid_t pid) {
    // Breadth first, so parents come before their children. `seen` guards
    // against a loop a reused pid could make between two readings.
    std::vector<pid_t> found;
    std::unordered_set<pid_t> seen{pid};
    std::vector<pid_t> level{pid};
    while (!level.empty()) {
        std::vector<pid_t> next;
        for (const pid_t parent : level) {
            for (const pid_t child : children_of(parent)) {
                if (seen.insert(child).second) {
                    found.push_back(child);
                    next.push_back(child);
                }
            }
        }
        level = std::move(next);
    }
    return found;
}

ino_t pipe_inode(int fd) {
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0 || !S_ISFIFO(info.st_mode)) return 0;
    return info.st_ino;
}

bool holds_pipe(pid_t pid, const JobPipes& pipes) {
    if (pid <= 0 || (pipes.out == 0 && pipes.err == 0)) return false;
    // Each fd of a pipe reads as the link "pipe:[INODE]".
    const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    for (const long long fd : numeric_entries(dir)) {
        char target[64];
        const std::string link = dir + "/" + std::to_string(fd);
        const ssize_t length = ::readlink(link.c_str(), target, sizeof target);
        if (length <= 0 || static_cast<std::size_t>(length) >= sizeof target) continue;
        std::string_view text(target, static_cast<std::size_t>(length));
        constexpr std::string_view kPrefix = "pipe:[";
        if (!text.starts_with(kPrefix) || !text.ends_with(']')) continue;
        text.remove_prefix(kPrefix.size());
        text.remove_suffix(1);
        const long long inode = parse_number(text);
        if (inode <= 0) continue;
        const auto ino = static_cast<ino_t>(inode);
        if ((pipes.out != 0 && ino == pipes.out) || (pipes.err != 0 && ino == pipes.err)) {
            return true;
        }
    }
    return false;
}

int signal_job_tree(pid_t pgid, pid_t leader, const std::vector<pid_t>& leaders,
                    const JobPipes& pipes, int signal) {
    // The whole tree first, then the signals.
    const std::unordered_set<pid_t> jobs(leaders.begin(), leaders.end());
    std::vector<pid_t> targets;
    if (signallable(leader)) {
        targets.push_back(leader);
        for (const pid_t pid : descendants_of(leader)) targets.push_back(pid);
    }
    if (pipes.out != 0 || pipes.err != 0) {
        // Our children that are no job leader: orphans we inherited as
        // subreaper, from this job if they hold its pipes.
        for (const pid_t child : children_of(::getpid())) {
            if (child == leader || jobs.contains(child) || !holds_pipe(child, pipes)) continue;
            targets.push_back(child);
            for (const pid_t pid : descendants_of(child)) targets.push_back(pid);
        }
    }

    int count = 0;
    std::unordered_set<pid_t> signalled_groups;
    // Once its last member is gone, a group's number is free for a new
    // process: when that is another job's leader, the group is that job's.
    const bool own_group = pgid == leader || !jobs.contains(pgid);
    if (group_signallable(pgid) && own_group && send(-pgid, signal)) {
        ++count;
        signalled_groups.insert(pgid);
    }
    return count + signal_each(targets, signalled_groups, signal);
}

int signal_all_descendants(int signal) {
    const pid_t self = ::getpid();
    const std::vector<pid_t> targets = descendants_of(self);
    int count = 0;
    std::unordered_set<pid_t> signalled_groups;
    for (const pid_t child : children_of(self)) {
        const pid_t group = ::getpgid(child);
        if (!group_signallable(group) || signalled_groups.contains(group)) continue;
        if (send(-group, signal)) {
            ++count;
            signalled_groups.insert(group);
        }
    }
    return count + signal_each(targets, signalled_groups, signal);
}

}  // namespace wgrun
