// shell_syntax.cpp: the plain-command analysis, the builtin list, and what
// sh would do to the environment.
#include "command/shell_syntax.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <optional>

#include "command/job_shell.hpp"

extern char** environ;

namespace wgrun {
namespace {

// Bytes that stand for themselves outside quotes in every position of every
// word of sh, dash and bash. ASCII only, whatever the locale.
bool is_plain_byte(char c) {
    if (c >= 'a' && c <= 'z') return true;
    if (c >= 'A' && c <= 'Z') return true;
    if (c >= '0' && c <= '9') return true;
    switch (c) {
    case '_': case '.': case '/': case ':': case '@':
    case '%': case '+': case ',': case '-': case '=':
        return true;
    default:
        return false;
    }
}

bool is_name(std::string_view text) {
    if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    });
}

// dash's builtins (its builtins.def), bash's builtins (`enable -a`, the
// POSIX special ones among them), and both shells' keywords, sorted.
constexpr std::array kBuiltins = std::to_array<std::string_view>({
    "!", ".", ":", "[", "[[", "]]", "alias", "bg", "bind", "break", "builtin", "caller", "case",
    "cd", "chdir", "command", "compgen", "complete", "compopt", "continue", "coproc", "declare",
    "dirs", "disown", "do", "done", "echo", "elif", "else", "enable", "esac", "eval", "exec",
    "exit", "export", "false", "fc", "fg", "fi", "for", "function", "getopts", "hash", "help",
    "history", "if", "in", "jobs", "kill", "let", "local", "logout", "mapfile", "popd",
    "printf", "pushd", "pwd", "read", "readarray", "readonly", "return", "select", "set",
    "shift", "shopt", "source", "suspend", "test", "then", "time", "times", "trap", "true",
    "type", "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait", "while", "{",
    "}",
});
static_assert(std::is_sorted(kBuiltins.begin(), kBuiltins.end()));

}  // namespace

bool is_shell_builtin(std::string_view word) {
    return std::binary_search(kBuiltins.begin(), kBuiltins.end(), word);
}

namespace {

// plain_command_words() but for the rule on the first word.
std::optional<std::vector<std::string>> plain_words(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;  // a word has started, even if still empty ('')
    const std::size_t n = command.size();
    std::size_t i = 0;
    const auto end_word = [&] {
        if (!in_word) return;
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
    };
    while (i < n) {
        const char c = command[i];
        if (c == ' ' || c == '\t') {
            end_word();
            ++i;
        } else if (c == '\'') {
            const std::size_t close = command.find('\'', i + 1);
            if (close == std::string_view::npos) return std::nullopt;
            word.append(command.substr(i + 1, close - i - 1));
            in_word = true;
            i = close + 1;
        } else if (c == '"') {
            in_word = true;
            for (++i;; ++i) {
                if (i >= n) return std::nullopt;  // unterminated
                const char d = command[i];
                if (d == '"') break;
                if (d == '$' || d == '`') return std::nullopt;
                if (d == '\\' && i + 1 < n) {
                    const char e = command[i + 1];
                    if (e == '\n') return std::nullopt;
                    if (e == '$' || e == '`' || e == '"' || e == '\\') {
                        word += e;
                        ++i;
                        continue;
                    }
                }
                word += d;  // includes a backslash that escapes nothing
            }
            ++i;
        } else if (c == '\\') {
            if (i + 1 >= n || command[i + 1] == '\n') return std::nullopt;
            word += command[i + 1];
            in_word = true;
            i += 2;
        } else if (is_plain_byte(c)) {
            word += c;
            in_word = true;
            ++i;
        } else {
            return std::nullopt;  // an operator, expansion, glob, newline, ...
        }
    }
    end_word();
    // An '=' in the first word may make it an assignment (quoted, it would
    // not: the rule is simpler than sh's, and errs on the shell's side).
    // A first word that starts with '-' is read by `sh -c` as options.
    if (words.empty() || words.front().empty() || words.front().front() == '-' ||
        words.front().find('=') != std::string::npos) {
        return std::nullopt;
    }
    return words;
}

}  // namespace

std::optional<std::vector<std::string>> plain_command_words(std::string_view command) {
    auto words = plain_words(command);
    if (!words || is_shell_builtin(words->front())) return std::nullopt;
    return words;
}

ShellKind shell_kind(const std::string& path) {
    const std::string file = path.find('/') == std::string::npos ? which(path) : path;
    if (file.empty()) return ShellKind::Other;
    const std::unique_ptr<char, decltype(&std::free)> real(::realpath(file.c_str(), nullptr),
                                                           &std::free);
    if (real == nullptr) return ShellKind::Other;
    const auto base = [](std::string_view name) {
        const std::size_t slash = name.rfind('/');
        return slash == std::string_view::npos ? name : name.substr(slash + 1);
    };
    const std::string_view name = base(real.get());
    if (name == "dash") return ShellKind::Dash;
    if (name == "bash") return base(path) == "sh" ? ShellKind::Dash : ShellKind::Bash;
    return ShellKind::Other;
}

bool environment_is_plain(const char* const* environment) {
    for (const char* const* e = environment; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::size_t equals = entry.find('=');
        if (equals == std::string_view::npos || !is_name(entry.substr(0, equals))) return false;
    }
    return true;
}

bool builtin_alike_in_dash(const std::vector<std::string>& words) {
    if (words.empty()) return false;
    const std::string& name = words.front();
    // Both shells' true and false ignore every argument.
    if (name == "true" || name == "false") return true;
    if (name != "echo") return false;
    // No option (dash's echo has -n only, bash's -n -e -E), and no
    // backslash (dash's echo reads escapes always, bash's with -e only):
    // then both print the words as they are.
    if (words.size() > 1 && words[1].starts_with('-')) return false;
    for (std::size_t i = 1; i < words.size(); ++i) {
        if (words[i].find('\\') != std::string::npos) return false;
    }
    return true;
}

std::optional<std::vector<std::string>> DirectExec::direct_words(std::string_view command) const {
    if (!enabled) return std::nullopt;
    auto words = plain_words(command);
    if (!words || is_shell_builtin(words->front()) || !runs_directly(words->front())) {
        return std::nullopt;
    }
    return words;
}

std::optional<std::vector<std::string>> DirectExec::builtin_argv(std::string_view command) const {
    if (!enabled || builtin_shell.empty()) return std::nullopt;
    const auto words = plain_words(command);
    if (!words || !runs_directly(words->front()) || !builtin_alike_in_dash(*words)) {
        return std::nullopt;
    }
    return std::vector<std::string>{builtin_shell, "-c", std::string(command)};
}

bool DirectExec::runs_directly(std::string_view word) const {
    if (kind == ShellKind::Bash && !word.empty() && word.front() == '%') return false;  // `fg %1`
    return !std::binary_search(functions.begin(), functions.end(), word);
}

namespace {

// bash's legal_number(): blanks around an optional sign and digits.
std::optional<long long> bash_number(std::string_view text) {
    const auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text.size() > 18) return std::nullopt;
    long long value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

}  // namespace

bool bash_environment(const char* const* environment, DirectExec& direct) {
    direct.functions.clear();
    long long level = 0;
    for (const char* const* e = environment; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::size_t equals = entry.find('=');
        if (equals == std::string_view::npos) return false;
        const std::string_view name = entry.substr(0, equals);
        const std::string_view value = entry.substr(equals + 1);
        if (name == "BASH_ENV" || name == "SHELLOPTS" || name == "BASHOPTS" ||
            name == "EXECIGNORE") {
            return false;  // a startup file, options, a filter on PATH
        }
        if (name.starts_with("BASH_FUNC_") && name.ends_with("%%") && name.size() > 12) {
            if (!value.starts_with("() {")) return false;
            direct.functions.emplace_back(name.substr(10, name.size() - 12));
        } else if (name == "SHLVL") {
            level = bash_number(value).value_or(0);
        } else if (name == "OLDPWD") {
            struct stat info {};
            const std::string dir(value);
            if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return false;
        }
    }
    // bash adds 1 at startup (below 0: 0; 1000 and up: a warning), and takes
    // it back when it execs the command in its place.
    level = level + 1 < 0 ? 0 : level + 1;
    if (level >= 1000) return false;
    direct.shlvl_entry = "SHLVL=" + std::to_string(level - 1 < 0 ? 0 : level - 1);
    std::sort(direct.functions.begin(), direct.functions.end());
    return true;
}

DirectExec DirectExec::here(const std::string& shell) {
    DirectExec direct;
    direct.shell = shell;
    const ShellKind kind = shell_kind(shell);
    direct.kind = kind;
    if (kind == ShellKind::Other) return direct;
    if (kind == ShellKind::Dash && !environment_is_plain(environ)) return direct;
    if (kind == ShellKind::Bash) {
        if (!bash_environment(environ, direct)) return direct;
    }
    // With no PATH, the shell searches a default of its own, which the
    // spawner's may not match: a rare case, left to the shell.
    if (std::getenv("PATH") == nullptr) return direct;
    // Under bash, true, false and plain echo lines run under dash, which
    // starts in half the time and does the same with them.
    if (kind == ShellKind::Bash && shell_kind("/bin/sh") == ShellKind::Dash) {
        direct.builtin_shell = "/bin/sh";
    }
    const char* pwd = std::getenv("PWD");
    struct stat named {};
    struct stat dot {};
    if (pwd != nullptr && pwd[0] == '/' && ::stat(pwd, &named) == 0 && ::stat(".", &dot) == 0 &&
        named.st_dev == dot.st_dev && named.st_ino == dot.st_ino) {
        direct.enabled = true;
        return direct;
    }
    const std::unique_ptr<char, decltype(&std::free)> cwd(::getcwd(nullptr, 0), &std::free);
    if (cwd == nullptr) return direct;  // sh would make do; the shell it is
    direct.pwd_entry = std::string("PWD=") + cwd.get();
    direct.enabled = true;
    return direct;
}

}  // namespace wgrun
