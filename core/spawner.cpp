// spawner.cpp: the only translation unit that uses Boost.Process.
//
// Boost.Process v2's own launchers fork() (a cost that grows with wgrun's
// memory) and close inherited fds with a whitelist that leaks in 1.81. So
// jobs start through a launcher of our own that keeps v2's launcher interface
// (executor, error_code, executable, args, inits...) -> basic_process, built
// on posix_spawn (clone(CLONE_VM|CLONE_VFORK) in glibc): file actions close
// every fd above 2, and POSIX_SPAWN_SETPGROUP gives each job its own group.
// The process object is detached at once: its destructor would kill the
// child, and reaping belongs to the scheduler.
#include "spawner.hpp"

#include "pipe_size.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/optional.hpp>  // Boost 1.81 forgets it under BOOST_PROCESS_USE_STD_FS
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

extern char** environ;

namespace wgrun {
namespace {

namespace bp = boost::process::v2;

// A pipe pair, closed on scope exit unless released.
struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::system_category());
        read = fds[0];
        write = fds[1];
    }
    ~Pipe() {
        if (read >= 0) ::close(read);
        if (write >= 0) ::close(write);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
};

// The launcher, in Boost.Process v2's launcher shape.
struct PosixSpawnLauncher {
    const posix_spawn_file_actions_t* actions;
    const posix_spawnattr_t* attributes;
    char* const* envp;

    template <class Executor>
    bp::basic_process<Executor> operator()(Executor exec, bp::error_code& ec,
                                           const std::filesystem::path& executable,
                                           char* const* argv) const {
        pid_t pid = -1;
        const bool search = executable.native().find('/') == std::string::npos;
        const int rc = search
                           ? ::posix_spawnp(&pid, executable.c_str(), actions, attributes, argv, envp)
                           : ::posix_spawn(&pid, executable.c_str(), actions, attributes, argv, envp);
        if (rc != 0) {
            ec.assign(rc, bp::system_category());
            return bp::basic_process<Executor>(exec);
        }
        return bp::basic_process<Executor>(exec, pid);
    }
};

std::string_view env_name(std::string_view entry) {
    return entry.substr(0, entry.find('='));
}

// The executable file `name` stands for in PATH, or empty if none. A search
// costs one failed exec per PATH entry before the right one, so its result is
// kept for the run, as shells hash commands.
std::string search_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    for (;;) {
        const std::size_t colon = dirs.find(':');
        const std::string_view dir = dirs.substr(0, colon);
        std::string candidate = dir.empty() ? name : std::string(dir) + "/" + name;
        struct stat info {};
        if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0) {
            return candidate.find('/') == std::string::npos ? "./" + candidate : candidate;
        }
        if (colon == std::string_view::npos) return {};
        dirs.remove_prefix(colon + 1);
    }
}

}  // namespace

struct LocalSpawner::Impl {
    boost::asio::io_context context;  // Boost.Process wants an executor; it runs nothing
    posix_spawnattr_t attributes;
    sigset_t child_sigmask;
    std::unordered_map<std::string, std::string> programs;  // PATH searches done
    std::size_t stdout_pipe_size = 0;  // grow jobs' stdout pipes to this (0: leave them)

    // argv[0] as a path: itself when it has a '/', else found in PATH (once).
    // Unfound names stay as they are, for posix_spawnp to report.
    const std::string& program(const std::string& name) {
        if (name.find('/') != std::string::npos) return name;
        if (const auto hit = programs.find(name); hit != programs.end()) return hit->second;
        std::string found = search_path(name);
        if (found.empty()) return name;
        return programs.emplace(name, std::move(found)).first->second;
    }
};

LocalSpawner::LocalSpawner(const sigset_t& child_sigmask, std::size_t stdout_pipe_size)
    : impl_(std::make_unique<Impl>()) {
    impl_->child_sigmask = child_sigmask;
    impl_->stdout_pipe_size = stdout_pipe_size > kDefaultPipe ? stdout_pipe_size : 0;
    posix_spawnattr_init(&impl_->attributes);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);  // wgrun ignores it; jobs must not
    posix_spawnattr_setsigdefault(&impl_->attributes, &defaults);
    posix_spawnattr_setsigmask(&impl_->attributes, &impl_->child_sigmask);
    posix_spawnattr_setpgroup(&impl_->attributes, 0);
    posix_spawnattr_setflags(&impl_->attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                     POSIX_SPAWN_SETSIGDEF);
}

LocalSpawner::~LocalSpawner() {
    posix_spawnattr_destroy(&impl_->attributes);
}

SpawnedJob LocalSpawner::spawn(const SpawnRequest& request) {
    if (request.argv.empty()) throw std::system_error(ENOENT, std::system_category());

    std::vector<char*> argv;
    argv.reserve(request.argv.size() + 1);
    for (const auto& arg : request.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    // The environment: ours, less the names the request sets, plus those.
    std::unordered_set<std::string_view> replaced;
    for (const auto& entry : request.env) replaced.insert(env_name(entry));
    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e) {
        if (replaced.empty() || !replaced.contains(env_name(*e))) envp.push_back(*e);
    }
    for (const auto& entry : request.env) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    Pipe out;
    Pipe err;
    if (impl_->stdout_pipe_size != 0) grow_pipe(out.write, impl_->stdout_pipe_size);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

    const PosixSpawnLauncher launcher{&actions, &impl_->attributes, envp.data()};
    bp::error_code ec;
    auto process = launcher(impl_->context.get_executor(), ec,
                            std::filesystem::path(impl_->program(request.argv.front())),
                            argv.data());
    posix_spawn_file_actions_destroy(&actions);
    if (ec) throw std::system_error(ec.value(), std::system_category());
    const pid_t pid = process.id();
    process.detach();  // never let its destructor kill the job

    SpawnedJob job{pid, std::exchange(out.read, -1), std::exchange(err.read, -1)};
    ::fcntl(job.stdout_fd, F_SETFL, O_NONBLOCK);
    ::fcntl(job.stderr_fd, F_SETFL, O_NONBLOCK);
    return job;
}

}  // namespace wgrun
