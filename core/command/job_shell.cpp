// job_shell.cpp: GNU parallel's parent-shell walk over /proc, and the choice.
#include "command/job_shell.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>

#include "base/unique_fd.hpp"

namespace wgrun {
namespace {

// GNU parallel 20221122's list ("All shells known to mankind").
constexpr std::array kShells = std::to_array<std::string_view>({
    "ash", "bash", "bsd-csh", "csh", "dash", "fdsh", "fish", "fizsh", "ksh", "ksh93", "lksh",
    "mksh", "pdksh", "posh", "rbash", "rc", "rush", "rzsh", "sash", "sh", "static-sh", "tcsh",
    "yash", "zsh",
});

bool is_shell(std::string_view name) {
    return std::find(kShells.begin(), kShells.end(), name) != kShells.end();
}

// A small /proc file, whole (up to 64 KiB); nothing when it cannot be read.
std::optional<std::string> read_small(const std::string& path) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0) return std::nullopt;
        if (got == 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
        if (text.size() > 65536) break;
    }
    return text;
}

std::string_view basename_of(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<std::string> ProcView::argv0(pid_t pid) const {
    auto text = read_small("/proc/" + std::to_string(pid) + "/cmdline");
    if (!text) return std::nullopt;
    const std::size_t nul = text->find('\0');
    if (nul != std::string::npos) text->resize(nul);
    return text;
}

std::optional<pid_t> ProcView::parent(pid_t pid) const {
    const auto text = read_small("/proc/" + std::to_string(pid) + "/stat");
    if (!text) return std::nullopt;
    // "pid (comm) state ppid ...": comm may hold blanks and parentheses.
    const std::size_t close = text->rfind(')');
    if (close == std::string::npos || close + 4 >= text->size()) return std::nullopt;
    char* end = nullptr;
    const long ppid = std::strtol(text->c_str() + close + 4, &end, 10);
    if (end == text->c_str() + close + 4 || ppid < 0) return std::nullopt;
    return static_cast<pid_t>(ppid);
}

std::string ProcView::exe(pid_t pid) const {
    const std::string link = "/proc/" + std::to_string(pid) + "/exe";
    char target[4096];
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> shell_named_by(std::string_view argv0, bool* login) {
    // GNU's regular expression, spelled out:
    //   ^( \[ -? NAME \] | ( |\S+/|busybox ) -? NAME )( *$| [^(])
    // FreeBSD's login sh, "-sh (sh)", is a NAME of its own there.
    if (argv0 == "-sh (sh)") {
        if (login != nullptr) *login = false;
        return std::string("sh");
    }
    // What may follow the name: nothing, blanks, or a blank and not '('.
    const auto tail_ok = [](std::string_view rest) {
        if (rest.find_first_not_of(' ') == std::string_view::npos) return true;
        return rest.size() >= 2 && rest[0] == ' ' && rest[1] != '(';
    };
    std::string_view name;
    if (!argv0.empty() && argv0.front() == '[') {
        const std::size_t close = argv0.find(']');
        if (close == std::string_view::npos || !tail_ok(argv0.substr(close + 1))) {
            return std::nullopt;
        }
        name = argv0.substr(1, close - 1);
    } else {
        std::string_view text = argv0;
        if (text.starts_with("busybox ")) text.remove_prefix(8);
        const std::size_t blank = text.find_first_of(" \t\n\r\f\v");
        if (blank != std::string_view::npos && !tail_ok(text.substr(blank))) return std::nullopt;
        name = basename_of(text.substr(0, blank));  // \S+/ takes up to the last '/'
    }
    bool dash = false;
    if (!name.empty() && name.front() == '-') {
        dash = true;
        name.remove_prefix(1);
    }
    if (!is_shell(name)) return std::nullopt;
    if (login != nullptr) *login = dash;
    return std::string(name);
}

std::string which(std::string_view name) {
    const char* path = std::getenv("PATH");
    if (path == nullptr) return {};
    const std::string_view dirs(path);
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = dirs.find(':', start);
        const std::string_view dir = dirs.substr(start, colon - start);
        std::string candidate = std::string(dir) + "/" + std::string(name);
        struct stat info {};
        if (::stat(candidate.c_str(), &info) == 0 && !S_ISDIR(info.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    return {};
}

std::string parent_shell(pid_t pid, const ProcessView& processes, const PathSearch& search) {
    // At most as many steps as there can be processes: a loop in a fake (or
    // a reused pid) must not hang us.
    for (int steps = 0; pid > 0 && steps < 4096; ++steps) {
        if (const auto argv0 = processes.argv0(pid)) {
            bool login = false;
            if (const auto name = shell_named_by(*argv0, &login)) {
                if (*name == "sh" && login) {
                    // "-sh" may be csh or sh: the exe tells, when it is a shell's.
                    const std::string exe = processes.exe(pid);
                    if (!exe.empty() && is_shell(basename_of(exe))) return exe;
                }
                return search(*name);
            }
        }
        const auto parent = processes.parent(pid);
        if (!parent) return {};
        pid = *parent;
    }
    return {};
}

std::string choose_shell(const ShellFacts& facts) {
    if (!facts.option.empty()) return facts.option;
    if (!facts.parallel_shell.empty()) return facts.parallel_shell;
    const std::string& found = !facts.parent.empty() ? facts.parent : facts.login_shell;
    if (basename_of(found) == "bash") return found;
    return "/bin/sh";
}

ShellFacts shell_facts_here(const std::string& option) {
    ShellFacts facts;
    facts.option = option;
    const char* parallel_shell = std::getenv("PARALLEL_SHELL");
    if (parallel_shell != nullptr) facts.parallel_shell = parallel_shell;
    if (!facts.option.empty() || !facts.parallel_shell.empty()) return facts;
    facts.parent = parent_shell(::getppid(), ProcView(), [](std::string_view name) {
        return which(name);
    });
    if (facts.parent.empty()) {
        const char* shell = std::getenv("SHELL");
        if (shell != nullptr) facts.login_shell = shell;
    }
    return facts;
}

}  // namespace wgrun
