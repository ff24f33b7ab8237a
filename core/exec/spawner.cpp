// spawner.cpp: jobs start through vfork() and execve().
//
// fork() costs grow with wgrun's memory, and posix_spawn (clone(CLONE_VM|
// CLONE_VFORK) in glibc) runs none of our code in the child, so it cannot
// give a job PR_SET_PDEATHSIG. So jobs start through a launcher of our own
// built on vfork(): the child shares wgrun's memory and wgrun's spawning
// thread sleeps until the child has called execve() or _exit(), so nothing
// is copied. The child makes only async-signal-safe calls, on things
// prepared before vfork(): it leads its own process group, takes
// PR_SET_PDEATHSIG = SIGTERM, gets /dev/null and the two pipes as fds 0, 1,
// 2, keeps the fds wgrun inherited for its children and closes every other
// fd, gets default SIGPIPE (and no signal handler: they would run on wgrun's
// memory) and the requested signal mask, and execs. When execve() fails its
// errno reaches the parent, which reaps the child and throws it.
//
// Boost.Process v2 finds the program in PATH, and nothing else: this is the
// only translation unit that uses it. Its launchers and process objects are
// not used: a process object opens a pidfd per job (and asio a reactor of
// three fds on the first), fds taken *after* the job has started, so that
// running out of them (EMFILE) could neither be reported as "not started,
// try later" nor leave the job tracked; and reaping belongs to the
// scheduler, through SIGCHLD. Every fd a start needs is taken before
// vfork(), where a failure means the job did not start.
#include "exec/spawner.hpp"

#include "base/unique_fd.hpp"
#include "output/pipe_size.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/optional.hpp>  // Boost 1.81 forgets it under BOOST_PROCESS_USE_STD_FS
#include <boost/type_traits/remove_pointer.hpp>  // and 1.81 forgets this one in environment.hpp
#include <boost/process/v2/environment.hpp>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

extern char** environ;

namespace wgrun {
namespace {

namespace bp = boost::process::v2;

// ThreadSanitizer turns vfork() into fork() (its interceptor says why), so
// the parent no longer waits for the exec and shares no memory with the
// child: under it, a failed exec's errno comes back through a close-on-exec
// pipe instead, which also makes the parent wait for the exec.
#if defined(__SANITIZE_THREAD__)
constexpr bool kVforkIsFork = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kVforkIsFork = true;
#else
constexpr bool kVforkIsFork = false;
#endif
#else
constexpr bool kVforkIsFork = false;
#endif

// What the child needs, all made before vfork(): the child may not allocate
// or take a lock (another thread of wgrun may hold the lock forever, as far
// as the child can tell).
struct ChildSetup {
    int stdio[3] = {-1, -1, -1};  // stdin (-1: /dev/null), stdout pipe, stderr pipe (write ends)
    const sigset_t* sigmask = nullptr;
    char* const* envp = nullptr;
    pid_t parent = 0;               // wgrun, to see whether it died before the prctl
    const int* inherited = nullptr; // fds >= 3 to pass on, ascending (inherited_fds())
    std::size_t inherited_count = 0;
    int nice = 0;                   // setpriority() to this, when set_nice
    bool set_nice = false;
    const char* workdir = nullptr;  // chdir() here, when not null
    bool take_terminal = false;     // tcsetpgrp(stdin, own group): a --tty job
    int error_pipe = -1;            // the write end, under ThreadSanitizer only
    volatile int* error = nullptr;  // where the child leaves execve()'s errno
};

// In the child: report `error` to the parent and end.
[[noreturn]] void fail(const ChildSetup& setup, int error) {
    *setup.error = error;  // vfork(): the parent reads it once we have exited
    if (setup.error_pipe >= 0) {
        [[maybe_unused]] const ssize_t ignored = ::write(setup.error_pipe, &error, sizeof error);
    }
    ::_exit(127);
}

// In the child: closes fds first..last (both included).
void close_fds(unsigned int first, unsigned int last) {
    if (::close_range(first, last, 0) == 0) return;
    // Before Linux 5.9: one by one, up to the limit on open fds.
    struct rlimit files {};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0) files.rlim_cur = 1 << 20;
    for (rlim_t fd = first; fd <= last && fd < files.rlim_cur && fd <= INT_MAX; ++fd) {
        ::close(static_cast<int>(fd));
    }
}

// The child's side of vfork(): async-signal-safe calls only, no allocation.
[[noreturn]] void exec_child(ChildSetup setup, const char* path, char* const* argv) {
    // (A copy on the child's own stack, below the parent's frame.)
    if (setup.error_pipe >= 0 && setup.error_pipe <= STDERR_FILENO) {
        setup.error_pipe = ::fcntl(setup.error_pipe, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    }
    // Its own group, so that the job's whole group can be signalled.
    if (::setpgid(0, 0) != 0) fail(setup, errno);
    // SIGTERM when the thread that spawned us ends (wgrun killed, even with
    // SIGKILL). If wgrun died before the prctl, we were re-parented already
    // and the signal will never come: give up, nobody waits for this job.
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0) fail(setup, errno);
    if (::getppid() != setup.parent) ::_exit(127);
    // --nice: absolute, as GNU parallel's setpriority(0,0,N); lowering it
    // without the privilege fails, and the job runs at wgrun's niceness.
    if (setup.set_nice) ::setpriority(PRIO_PROCESS, 0, setup.nice);

    // No handler of wgrun's may run here, on wgrun's memory, once the mask
    // is lifted: back to the default for every caught signal, and for
    // SIGPIPE, which wgrun ignores and jobs must not. (execve() would reset
    // the caught ones, but only later.) glibc's own signals refuse sigaction.
    for (int signal = 1; signal < NSIG; ++signal) {
        struct sigaction action {};
        if (::sigaction(signal, nullptr, &action) != 0) continue;
        const bool caught = action.sa_handler != SIG_DFL && action.sa_handler != SIG_IGN;
        const bool ignored_sigpipe = signal == SIGPIPE && action.sa_handler == SIG_IGN;
        if (!caught && !ignored_sigpipe) continue;
        struct sigaction fallback {};
        fallback.sa_handler = SIG_DFL;
        sigemptyset(&fallback.sa_mask);
        ::sigaction(signal, &fallback, nullptr);
    }

    // Fds 0, 1, 2. Should one of our fds sit there (wgrun makes sure at
    // startup that 0-2 are open, but a caller of this library may not),
    // move them all above 2 first, so that no dup2() overwrites one still to
    // be used. The copies are close-on-exec, as ours are; each dup2() clears
    // close-on-exec on its target.
    int stdio[3] = {setup.stdio[0], setup.stdio[1], setup.stdio[2]};
    for (int& fd : stdio) {
        if (fd >= 0 && fd <= STDERR_FILENO &&
            (fd = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) < 0) {
            fail(setup, errno);
        }
    }
    for (int target = 0; target < 3; ++target) {
        if (stdio[target] >= 0 && ::dup2(stdio[target], target) != target) fail(setup, errno);
    }
    // Stdin -1: /dev/null, opened here in place of fd 0, so that neither
    // wgrun nor this child needs one more fd for it (with `ulimit -n 16`
    // every fd counts).
    if (stdio[0] < 0) {
        ::close(STDIN_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);  // the lowest free fd: 0
        if (null < 0) fail(setup, errno);
        if (null != STDIN_FILENO) {
            if (::dup2(null, STDIN_FILENO) != STDIN_FILENO) fail(setup, errno);
            ::close(null);
        }
    }
    // Every other fd, but those passed on to jobs and the
    // error pipe (close-on-exec: it closes at the exec, telling the parent
    // the exec went well). wgrun's own fds are all close-on-exec already;
    // this also closes anything a library opened without it.
    unsigned int next = STDERR_FILENO + 1;  // the first fd not yet dealt with
    std::size_t inherited = 0;
    for (;;) {
        // The next fd to keep: the smaller of the next inherited one and
        // the error pipe, if still ahead.
        long keep = -1;
        if (inherited < setup.inherited_count) keep = setup.inherited[inherited];
        const bool pipe_next = setup.error_pipe >= static_cast<int>(next) &&
                               (keep < 0 || setup.error_pipe < keep);
        if (pipe_next) {
            keep = setup.error_pipe;
        } else if (keep >= 0) {
            ++inherited;
            // Passed on: open across the exec, even one wgrun made itself
            // (--jobserver's pipe is close-on-exec in wgrun, so that its
            // helpers do not get it).
            ::fcntl(static_cast<int>(keep), F_SETFD, 0);
        }
        if (keep < 0) break;
        if (static_cast<unsigned int>(keep) < next) continue;  // a duplicate
        if (static_cast<unsigned int>(keep) > next) {
            close_fds(next, static_cast<unsigned int>(keep) - 1);
        }
        next = static_cast<unsigned int>(keep) + 1;
    }
    close_fds(next, ~0U);

    // --tty: the job's group gets the terminal, so that it may read it (a
    // background group would be stopped by SIGTTIN). Every signal is still
    // blocked here, SIGTTOU too, so that the call is allowed.
    if (setup.take_terminal) ::tcsetpgrp(STDIN_FILENO, ::getpid());
    // --workdir.
    if (setup.workdir != nullptr && ::chdir(setup.workdir) != 0) fail(setup, errno);

    if (::sigprocmask(SIG_SETMASK, setup.sigmask, nullptr) != 0) fail(setup, errno);
    ::execve(path, argv, setup.envp);
    fail(setup, errno);
}

// Starts the child. Returns its pid, or -1 with `failure` set to the errno
// of whatever failed: the child is gone by then (reaped here, since nobody
// else knows its pid), and nothing of the start is left open.
pid_t launch(const ChildSetup& setup, const char* path, char* const* argv, int& failure) {
    ChildSetup child = setup;
    volatile int error = 0;
    child.error = &error;
    Pipe error_pipe;  // the parent's: the child runs no destructor (it execs or _exits)
    if constexpr (kVforkIsFork) {
        if (const int e = make_pipe(error_pipe)) {
            failure = e;
            return -1;
        }
        child.error_pipe = error_pipe.write.get();
    }

    // All signals blocked until the child has reset the handlers: a
    // handler of wgrun's run by the child would run on wgrun's memory.
    sigset_t all;
    sigset_t before;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &before);
    const pid_t pid = ::vfork();
    if (pid == 0) exec_child(child, path, argv);
    const int vfork_error = errno;
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);

    failure = pid < 0 ? vfork_error : error;
    if constexpr (kVforkIsFork) {
        error_pipe.write.reset();
        if (pid > 0) {
            int reported = 0;
            ssize_t got;
            while ((got = ::read(error_pipe.read.get(), &reported, sizeof reported)) < 0 &&
                   errno == EINTR) {
            }
            if (got == sizeof reported) failure = reported;
        }
        error_pipe.read.reset();
    }
    if (failure == 0) return pid;
    if (pid > 0) {
        int status;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    return -1;
}

std::string_view env_name(std::string_view entry) {
    return entry.substr(0, entry.find('='));
}

// execvp()'s search path when PATH is not set.
constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

// The executable file `name` stands for in PATH, as execvp() finds it:
// Boost.Process's search, the first regular file with execute permission.
// A search costs a stat() per PATH entry before the right one, so its result
// is kept for the run, as shells hash commands. When there is none, `error`
// is what execvp() would fail with: EACCES when a file of that name was there
// but could not run, ENOENT when there was none.
std::string search_path(const std::string& name, int& error) {
    const char* path = std::getenv("PATH");
    const bp::environment::value dirs(path != nullptr ? path : kDefaultPath);
    const std::vector<bp::environment::key_value_pair> env{{"PATH", dirs}};
    const std::string found = bp::environment::find_executable(name, env).string();
    if (!found.empty()) return found.find('/') == std::string::npos ? "./" + found : found;
    error = ENOENT;
    for (const auto dir : dirs) {
        const std::string candidate = dir.empty() ? name : std::string(dir) + "/" + name;
        struct stat info {};
        if (::stat(candidate.c_str(), &info) == 0) {
            error = EACCES;  // execve() refuses a directory or a file without x
            break;
        }
    }
    return {};
}

}  // namespace

struct LocalSpawner::Impl {
    sigset_t child_sigmask;
    std::vector<int> inherited;        // fds >= 3 passed on to jobs, ascending
    std::unordered_map<std::string, std::string> programs;  // PATH searches done
    std::size_t stdout_pipe_size = 0;  // grow jobs' stdout pipes to this (0: leave them)
    pid_t terminal_owner = 0;          // the last --tty job given the terminal

    // argv[0] as a path: itself when it has a '/', else found in PATH (once).
    // Throws execvp()'s errno for a name that PATH does not have.
    const std::string& program(const std::string& name) {
        if (name.find('/') != std::string::npos) return name;
        if (const auto hit = programs.find(name); hit != programs.end()) return hit->second;
        int error = 0;
        std::string found = search_path(name, error);
        if (found.empty()) throw std::system_error(error, std::system_category());
        return programs.emplace(name, std::move(found)).first->second;
    }
};

LocalSpawner::LocalSpawner(const sigset_t& child_sigmask, std::size_t stdout_pipe_size,
                           std::vector<int> inherited)
    : impl_(std::make_unique<Impl>()) {
    impl_->child_sigmask = child_sigmask;
    std::sort(inherited.begin(), inherited.end());
    inherited.erase(std::unique(inherited.begin(), inherited.end()), inherited.end());
    std::erase_if(inherited, [](int fd) { return fd <= STDERR_FILENO; });
    impl_->inherited = std::move(inherited);
    impl_->stdout_pipe_size = stdout_pipe_size > kDefaultPipe ? stdout_pipe_size : 0;
}

// --tty: a job given the terminal's foreground leaves it to its dead group;
// the terminal goes back to wgrun's group, so that what runs after wgrun in
// a script (which takes nothing back itself) may read it. SIGTTOU is
// blocked for the call: wgrun's group is in the background until it returns.
LocalSpawner::~LocalSpawner() {
    if (impl_->terminal_owner == 0) return;
    const UniqueFd terminal(::open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!terminal || ::tcgetpgrp(terminal.get()) != impl_->terminal_owner) return;
    sigset_t ttou;
    sigset_t before;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    ::pthread_sigmask(SIG_BLOCK, &ttou, &before);
    ::tcsetpgrp(terminal.get(), ::getpgrp());
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

SpawnedJob LocalSpawner::spawn(const SpawnRequest& request) {
    // A direct exec of a shell command: when argv cannot start, the shell
    // does, as it would have (SpawnRequest::shell_argv).
    if (request.shell_argv.empty()) return start(request, request.argv, false);
    try {
        return start(request, request.argv, request.program_path_var);
    } catch (const std::system_error& e) {
        const int error = e.code().value();
        if (error == EMFILE || error == ENFILE || error == EAGAIN || error == ENOMEM) throw;
    }
    return start(request, request.shell_argv, false);
}

SpawnedJob LocalSpawner::start(const SpawnRequest& request, const std::vector<std::string>& words,
                               bool program_path) {
    if (words.empty()) throw std::system_error(ENOENT, std::system_category());
    const std::string& program = impl_->program(words.front());
    const std::vector<std::string>& env = request.env;

    // Everything the child will read is made here: it may not allocate.
    std::vector<char*> argv;
    argv.reserve(words.size() + 1);
    for (const auto& arg : words) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    // The environment: ours, less the names the request sets, plus those.
    std::string underscore;
    if (program_path) underscore = "_=" + program;
    std::unordered_set<std::string_view> replaced;
    for (const auto& entry : env) replaced.insert(env_name(entry));
    if (program_path) replaced.insert("_");
    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e) {
        if (replaced.empty() || !replaced.contains(env_name(*e))) envp.push_back(*e);
    }
    for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
    if (program_path) envp.push_back(underscore.data());
    envp.push_back(nullptr);

    // --workdir ...: a fresh folder (a retry's start finds its attempt's).
    if (request.make_workdir) {
        std::error_code ignored;
        std::filesystem::remove_all(request.workdir, ignored);
        if (::mkdir(request.workdir.c_str(), 0700) != 0 && errno != EEXIST) {
            throw std::system_error(errno, std::system_category());
        }
    }
    // --tty: the terminal as stdin, when there is one to open.
    UniqueFd terminal;
    bool take_terminal = false;
    if (request.tty) {
        terminal = UniqueFd(::open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (terminal) {
            // Only from wgrun's own group, or from a --tty job of ours that
            // had it: never from the shell when wgrun runs in the background.
            const pid_t foreground = ::tcgetpgrp(terminal.get());
            take_terminal = foreground > 0 && (foreground == ::getpgrp() ||
                                               foreground == impl_->terminal_owner);
        }
    }

    Pipe out;
    Pipe err;
    for (Pipe* pipe : {&out, &err}) {
        if (const int e = make_pipe(*pipe)) throw std::system_error(e, std::system_category());
    }
    if (impl_->stdout_pipe_size != 0) grow_pipe(out.write.get(), impl_->stdout_pipe_size);
    Pipe in;  // hold_stdin, stdin_data: the job reads it, wgrun holds the write end
    if ((request.hold_stdin || request.stdin_data) && !terminal) {
        if (const int e = make_pipe(in)) throw std::system_error(e, std::system_category());
        if (request.stdin_data) {
            // Fewer, larger writes for --pipe's blocks: as large as stdout's
            // (the same budget).
            if (impl_->stdout_pipe_size != 0) grow_pipe(in.write.get(), impl_->stdout_pipe_size);
            ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
        }
    }

    ChildSetup setup;
    setup.stdio[0] = terminal ? terminal.get() : in.read ? in.read.get() : -1;
    setup.stdio[1] = out.write.get();
    setup.stdio[2] = err.write.get();
    setup.sigmask = &impl_->child_sigmask;
    setup.envp = envp.data();
    setup.parent = ::getpid();
    setup.inherited = impl_->inherited.data();
    setup.inherited_count = impl_->inherited.size();
    setup.set_nice = request.nice.has_value();
    setup.nice = request.nice.value_or(0);
    setup.workdir = request.workdir.empty() ? nullptr : request.workdir.c_str();
    setup.take_terminal = take_terminal;
    int failure = 0;
    const pid_t pid = launch(setup, program.c_str(), argv.data(), failure);
    if (pid < 0) throw std::system_error(failure, std::system_category());
    if (take_terminal) impl_->terminal_owner = pid;

    SpawnedJob job{pid, out.read.release(), err.read.release(), in.write.release()};
    ::fcntl(job.stdout_fd, F_SETFL, O_NONBLOCK);
    ::fcntl(job.stderr_fd, F_SETFL, O_NONBLOCK);
    return job;
}

}  // namespace wgrun
