// exec_wiring.cpp: the shell and the job setup, from the options.
#include "exec_wiring.hpp"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include "command/job_shell.hpp"

extern char** environ;

namespace wgrun::cli {
namespace {

bool is_dir(const std::string& path) {
    struct stat info {};
    return !path.empty() && ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

// The shell must be there: an executable file, or a name found in PATH.
void check_shell(const std::string& shell) {
    if (shell.find('/') == std::string::npos) {
        if (!which(shell).empty()) return;
    } else {
        struct stat info {};
        if (::stat(shell.c_str(), &info) == 0 && !S_ISDIR(info.st_mode) &&
            ::access(shell.c_str(), X_OK) == 0) {
            return;
        }
    }
    throw UsageError(fmt::format("shell '{}' not found (--shell, $PARALLEL_SHELL)", shell));
}

// DIR made absolute against the current directory ($PWD when it names it,
// as `cd` would keep it), without resolving links.
std::string absolute(const std::string& dir) {
    if (!dir.empty() && dir.front() == '/') return dir;
    std::string base;
    const char* pwd = std::getenv("PWD");
    struct stat named {};
    struct stat dot {};
    if (pwd != nullptr && pwd[0] == '/' && ::stat(pwd, &named) == 0 && ::stat(".", &dot) == 0 &&
        named.st_dev == dot.st_dev && named.st_ino == dot.st_ino) {
        base = pwd;
    } else {
        std::error_code error;
        base = std::filesystem::current_path(error).string();
    }
    if (dir == ".") return base;
    if (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + dir;
}

// True when --workdir's DIR holds a replacement string ({//}, {1}, {= =}...).
bool names_replacements(const std::string& dir, const TemplateSyntax& syntax) {
    try {
        return CommandTemplate::parse(dir, syntax).has_replacement();
    } catch (const TemplateError& e) {
        throw UsageError("--workdir " + dir + ": " + e.what());
    }
}

std::vector<std::string> ignored_vars() {
    const std::string file = parallel_config_dir() + "/ignored_vars";
    std::ifstream in(file);
    if (!in) {
        throw UsageError(fmt::format(
            "--env _: no {}: run 'parallel --record-env' in a clean environment first", file));
    }
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) names.push_back(line);
    return names;
}

}  // namespace

std::string parallel_config_dir() {
    const std::string home = env_or_empty("HOME");
    std::vector<std::string> candidates{env_or_empty("PARALLEL_HOME")};
    std::string xdg = env_or_empty("XDG_CONFIG_HOME");
    if (xdg.empty()) xdg = home + "/.config";
    candidates.push_back(xdg + "/parallel");
    const std::string dirs = env_or_empty("XDG_CONFIG_DIRS");
    std::size_t start = 0;
    while (start <= dirs.size() && !dirs.empty()) {
        const std::size_t colon = dirs.find(':', start);
        candidates.push_back(dirs.substr(start, colon - start) + "/parallel");
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    candidates.push_back(home + "/.parallel");
    for (const std::string& dir : candidates) {
        if (is_dir(dir)) return dir;
    }
    return home + "/.parallel";
}

std::string env_prelude(const std::vector<std::string>& given, const char* const* environment,
                        const std::vector<std::string>* ignored,
                        std::vector<std::string>* functions) {
    std::map<std::string, std::string> env;  // name -> value
    for (const char* const* e = environment; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::size_t equals = entry.find('=');
        if (equals == std::string_view::npos) continue;
        env.emplace(std::string(entry.substr(0, equals)), std::string(entry.substr(equals + 1)));
    }
    std::vector<std::string> names;
    bool all = false;
    for (const std::string& list : given) {
        std::size_t start = 0;
        for (;;) {
            const std::size_t comma = list.find(',', start);
            const std::string name = list.substr(start, comma - start);
            if (name == "_") {
                all = true;
            } else if (!name.empty()) {
                names.push_back(name);
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    if (all && ignored != nullptr) {
        const std::set<std::string> skip(ignored->begin(), ignored->end());
        for (const auto& [name, value] : env) {
            if (!skip.contains(name)) names.push_back(name);
        }
    }
    // Each function once, in the order first named.
    std::string prelude;
    std::set<std::string> done;
    const auto define = [&](const std::string& function, const std::string& body) {
        if (!body.starts_with("() {") || !done.insert(function).second) return;
        // GNU's text has a bare `export -f`: dash, whose export takes no -f,
        // exits at it (a special builtin's error), so GNU's --env f fails
        // under dash. `command` makes the error one dash goes on from.
        prelude += function + body + ";\ncommand export -f " + function + " 2> /dev/null;\n";
        if (functions != nullptr) functions->push_back(function);
    };
    for (const std::string& name : names) {
        std::string function = name;
        if (name.starts_with("BASH_FUNC_") && name.ends_with("%%") && name.size() > 12) {
            function = name.substr(10, name.size() - 12);
        }
        if (const auto hit = env.find("BASH_FUNC_" + function + "%%"); hit != env.end()) {
            define(function, hit->second);
        } else if (const auto plain = env.find(name); plain != env.end()) {
            define(name, plain->second);
        }
    }
    return prelude;
}

ExecWiring wire_exec(const Options& options, const TemplateSyntax& syntax,
                     const std::string& temp_dir, bool dry_run) {
    ExecWiring wiring;
    if (!options.no_shell) {
        const std::string shell = choose_shell(shell_facts_here(options.exec.shell));
        check_shell(shell);
        wiring.direct = DirectExec::here(shell);
    }
    JobSetup& setup = wiring.setup;
    setup.nice = options.exec.nice;
    setup.tty = options.exec.tty;
    if (!options.exec.env.empty()) {
        std::vector<std::string> ignored;
        bool all = false;
        for (const std::string& list : options.exec.env) {
            all = all || list == "_" || list.starts_with("_,") || list.ends_with(",_") ||
                  list.find(",_,") != std::string::npos;
        }
        if (all) ignored = ignored_vars();
        // bash has the exported functions already; another shell is given them.
        if (!options.no_shell && wiring.direct.kind != ShellKind::Bash) {
            std::vector<std::string>& functions = wiring.direct.functions;
            setup.prelude =
                env_prelude(options.exec.env, environ, all ? &ignored : nullptr, &functions);
            std::sort(functions.begin(), functions.end());
        }
    }
    const std::string& workdir = options.exec.workdir;
    if (workdir == "...") {
        if (!dry_run) {
            try {
                wiring.temp_workdirs = std::make_unique<TempWorkdirs>(temp_dir);
            } catch (const std::system_error& e) {
                throw UsageError(e.what());
            }
            setup.temp_workdirs = wiring.temp_workdirs->root();
        }
    } else if (!workdir.empty() && names_replacements(workdir, syntax)) {
        // Each job's own: expanded as it starts, made then (GNU parallel).
        setup.workdir_template =
            std::make_shared<const CommandTemplate>(CommandTemplate::parse(workdir, syntax));
        setup.workdir_base = absolute(".");
        setup.make_workdirs = !dry_run;
    } else if (!workdir.empty()) {
        setup.workdir = absolute(workdir);
        if (!dry_run) {
            std::error_code error;
            std::filesystem::create_directories(setup.workdir, error);
            if (!is_dir(setup.workdir) || ::access(setup.workdir.c_str(), X_OK) != 0) {
                throw UsageError(fmt::format("--workdir '{}': cannot make it or enter it{}{}",
                                             workdir, error ? ": " : "",
                                             error ? error.message() : ""));
            }
        }
    }
    return wiring;
}

}  // namespace wgrun::cli
