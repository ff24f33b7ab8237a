// remote_files.cpp: rsync and ssh argvs for a job's files, paths placed as
// GNU parallel places them.
#include "remote/remote_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>

#include "command/shell_quote.hpp"

namespace wgrun {
namespace {

// Splits `path` at its first /./ (rsync -R's marker, as rsync reads it);
// false when it has none. A later /./ in `after` is a plain /.
bool split_marker(const std::string& path, std::string& before, std::string& after) {
    const std::size_t at = path.find("/./");
    if (at == std::string::npos) return false;
    before = path.substr(0, at);
    after = path.substr(at + 3);
    for (std::size_t more; (more = after.find("/./")) != std::string::npos;) after.erase(more, 2);
    return true;
}

std::string without_dot_slash(std::string path) {
    while (path.starts_with("./")) path.erase(0, 2);
    return path;
}

// rsync reads "a:b" as a remote path: a relative local one gets "./".
std::string local_word(const std::string& path) {
    return path.starts_with("/") || path.starts_with("./") ? path : "./" + path;
}

// The host for rsync's HOST:PATH (an IPv6 address in brackets).
std::string rsync_host(const HostLink& link) {
    return link.host.find(':') != std::string::npos ? "[" + link.host + "]" : link.host;
}

// rsync's server expands * ? [ in the names it is given (even with -s):
// a backslash keeps them literal.
std::string no_wildcards(const std::string& path) {
    std::string out;
    for (const char c : path) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// rsync's argv up to the names; `remote` is the command that starts rsync
// on the host (empty: rsync).
std::vector<std::string> rsync_argv(const HostLink& link, const std::string& remote) {
    std::vector<std::string> argv = link.rsync;
    argv.insert(argv.end(), {"-s", "-R", "-e", rsync_rsh(link.ssh)});
    if (!remote.empty()) argv.push_back("--rsync-path=" + remote);
    argv.push_back("--");
    return argv;
}

std::string joined(const std::vector<std::string>& files) {
    std::string text;
    for (const std::string& file : files) text += (text.empty() ? "'" : ", '") + file + "'";
    return text;
}

// Adds `dir` and the folders above it, up to the root or the home (never
// those two).
void add_folders(std::string dir, std::vector<std::string>& dirs) {
    for (;;) {
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        if (dir.empty() || dir == "." || dir == "/") return;
        dirs.push_back(dir);
        const std::size_t slash = dir.find_last_of('/');
        if (slash == std::string::npos) return;
        dir.erase(slash == 0 ? 1 : slash);
    }
}

// The file's path on the host (empty: in a Temp folder, which goes whole),
// and the folders that hold it there.
std::string remote_path(const RemoteFolder& folder, const std::string& file,
                        std::vector<std::string>& dirs) {
    std::string before;
    std::string rest;
    std::string path;
    if (split_marker(file, before, rest)) {
        rest = without_dot_slash(rest);
    } else if (file.starts_with("/")) {
        path = file;
    } else {
        rest = without_dot_slash(file);
    }
    if (path.empty()) {
        if (folder.kind == RemoteFolder::Kind::Temp) return {};
        path = folder.kind == RemoteFolder::Kind::Home ? rest : folder.path + "/" + rest;
    }
    const std::size_t slash = path.find_last_of('/');
    if (slash != std::string::npos) add_folders(path.substr(0, slash), dirs);
    return path;
}

}  // namespace

std::string RemoteFolder::shell_word() const {
    switch (kind) {
        case Kind::Home: return ".";
        case Kind::Folder: return shell_quote(path);
        case Kind::Temp: return "\"${TMPDIR:-/tmp}\"/" + shell_quote(path);
    }
    return ".";
}

std::string rsync_rsh(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty()) text += ' ';
        text += '\'';
        for (const char c : word) {
            if (c == '\'') text += '\'';
            text += c;
        }
        text += '\'';
    }
    return text;
}

std::vector<FileStep> send_steps(const HostLink& link, const RemoteFolder& folder,
                                 const std::vector<std::string>& files) {
    std::vector<FileStep> steps;
    std::vector<std::string> relative;
    std::vector<std::string> absolute;
    for (const std::string& file : files) {
        if (file.empty()) continue;
        if (::access(file.c_str(), R_OK) != 0) {
            steps.push_back({FileStep::Kind::Say,
                             "wgrun: '" + file + "' cannot be read: not sent to " + link.name, {}});
            continue;
        }
        const bool keeps_path = file.starts_with("/") && file.find("/./") == std::string::npos;
        (keeps_path ? absolute : relative).push_back(file);
    }
    if (!relative.empty()) {
        std::string remote;
        if (folder.kind != RemoteFolder::Kind::Home) {
            const std::string dir = folder.shell_word();
            remote = "mkdir -p -- " + dir + " && cd -- " + dir + " && rsync";
        }
        FileStep step{FileStep::Kind::Send, "wgrun: cannot send " + joined(relative) + " to " + link.name,
                      rsync_argv(link, remote)};
        for (const std::string& file : relative) step.argv.push_back(local_word(file));
        step.argv.push_back(rsync_host(link) + ":.");
        steps.push_back(std::move(step));
    }
    if (!absolute.empty()) {
        FileStep step{FileStep::Kind::Send, "wgrun: cannot send " + joined(absolute) + " to " + link.name,
                      rsync_argv(link, "")};
        step.argv.insert(step.argv.end(), absolute.begin(), absolute.end());
        step.argv.push_back(rsync_host(link) + ":/");
        steps.push_back(std::move(step));
    }
    return steps;
}

std::vector<FileStep> fetch_steps(const HostLink& link, const RemoteFolder& folder,
                                  const std::vector<std::string>& files, const std::string& then) {
    // The folder here each file goes to -> (the names as given, the remote
    // sources), in the order first named. Absolute paths fetched as they are
    // form the group "" (from the host's root, to ours).
    std::vector<std::string> order;
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> groups;
    for (const std::string& given : files) {
        const std::string file = without_dot_slash(given);
        if (file.empty()) continue;
        std::string here;
        std::string source;
        std::string before;
        std::string rest;
        if (split_marker(file, before, rest)) {
            here = before.empty() ? "/" : before;
            source = "./" + without_dot_slash(rest);
        } else if (file.starts_with("/")) {
            source = file;
        } else {
            here = ".";
            source = "./" + file;
        }
        auto [group, added] = groups.try_emplace(here);
        if (added) order.push_back(here);
        group->second.first.push_back(given);
        group->second.second.push_back(source);
    }
    std::vector<FileStep> steps;
    for (const std::string& here : order) {
        const auto& [names, sources] = groups[here];
        if (here != "" && here != "." && here != "/") {
            steps.push_back({FileStep::Kind::Clean, "", {"mkdir", "-p", "--", here}});
        }
        std::string cd;
        if (!here.empty() && folder.kind != RemoteFolder::Kind::Home) {
            cd = "cd -- " + folder.shell_word() + " && ";
        }
        std::string remote = cd.empty() ? "" : cd + "rsync";
        if (!then.empty() && here == order.back()) {
            // rsync's words follow: f gets them, and runs `then` (from the
            // home) once rsync is over; ssh, and so the fetch, ends after it.
            remote = "f() { (" + cd + "exec rsync \"$@\"); s=$?; { " + then +
                     "; } >/dev/null 2>&1; exit $s; }; f";
        }
        FileStep step{FileStep::Kind::Fetch,
                      "wgrun: cannot fetch " + joined(names) + " from " + link.name,
                      rsync_argv(link, remote)};
        for (const std::string& source : sources) {
            step.argv.push_back(rsync_host(link) + ":" + no_wildcards(source));
        }
        step.argv.push_back(here.empty() || here == "/" ? "/" : local_word(here) + "/");
        steps.push_back(std::move(step));
    }
    return steps;
}

std::string cleanup_command(const RemoteFolder& folder, const std::vector<std::string>& files,
                            bool remove_folder) {
    std::vector<std::string> paths;
    std::vector<std::string> dirs;
    for (const std::string& file : files) {
        if (file.empty()) continue;
        std::string path = remote_path(folder, file, dirs);
        if (!path.empty() && std::find(paths.begin(), paths.end(), path) == paths.end()) {
            paths.push_back(std::move(path));
        }
    }
    if (folder.kind == RemoteFolder::Kind::Folder && !paths.empty()) {
        add_folders(folder.path, dirs);  // as far up as it is empty (GNU removes it too)
    }
    std::string command;
    if (!paths.empty()) {
        command = "rm -f --";
        for (const std::string& path : paths) command += " " + shell_quote(path);
        // Innermost first: more slashes, then the longer name.
        std::sort(dirs.begin(), dirs.end(), [](const std::string& a, const std::string& b) {
            const auto depth = [](const std::string& s) { return std::count(s.begin(), s.end(), '/'); };
            return depth(a) != depth(b) ? depth(a) > depth(b) : a > b;
        });
        dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
        if (!dirs.empty()) {
            command += "; rmdir --";
            for (const std::string& dir : dirs) command += " " + shell_quote(dir);
            command += " 2>/dev/null";
        }
    }
    if (remove_folder && folder.kind == RemoteFolder::Kind::Temp) {
        command += (command.empty() ? "" : "; ") + std::string("rm -rf -- ") + folder.shell_word();
    }
    return command;
}

std::vector<FileStep> cleanup_steps(const HostLink& link, const RemoteFolder& folder,
                                    const std::vector<std::string>& files, bool remove_folder) {
    const std::string command = cleanup_command(folder, files, remove_folder);
    if (command.empty()) return {};
    FileStep step{FileStep::Kind::Clean, "", link.ssh};
    step.argv.push_back(link.host);
    step.argv.push_back(command + "; exit 0");
    return {step};
}

}  // namespace wgrun
