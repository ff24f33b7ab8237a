// spawn_floor.cpp: the floor of the runner benchmark (bench/runners.sh), a
// minimal posix_spawn loop: the least any job runner pays to run N jobs at
// most J at once. No input to read, no output to collect, no scheduler.
//
//   spawn_floor -j J -n N [--shell] [--no-append] -- PROG ARGS...
//
// Job I (1..N, like `seq N`) runs `PROG ARGS... I`, as `xargs -n1` would, or
// with --shell `/bin/sh -c 'PROG ARGS... I'` (the words joined by spaces, as
// they are, into one command line). --no-append leaves I out, so that every
// job runs the same command (`-- sleep 0.01`). Jobs get /dev/null as stdin and
// inherit stdout and stderr. PROG is looked up in PATH once, before the first
// job, as a runner can do (execvp would search PATH again for every job), and
// /bin/sh is used as it is. Jobs are reaped with waitpid(-1). Exit status: 0 when every job exited 0, 1 when any
// job failed, was killed or could not be started, 2 on a usage error.
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "spawn_floor: %s\n"
                 "usage: spawn_floor -j J -n N [--shell] [--no-append] -- PROG ARGS...\n",
                 why);
    std::exit(2);
}

// PROG's path: PROG itself when it has a slash, else the first executable
// regular file PATH/PROG, else PROG (posix_spawnp then reports the error).
std::string resolve(const std::string& prog) {
    if (prog.find('/') != std::string::npos) return prog;
    const char* path = std::getenv("PATH");
    std::string_view dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    while (true) {
        auto colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        std::string file = (dir.empty() ? std::string(".") : dir) + "/" + prog;
        struct stat st;
        if (stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(file.c_str(), X_OK) == 0) {
            return file;
        }
        if (colon == std::string_view::npos) return prog;
        dirs.remove_prefix(colon + 1);
    }
}

long parse_count(const char* text, const char* what) {
    long value = 0;
    std::string_view s(text);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value < 0) {
        usage((std::string("bad ") + what + ": " + text).c_str());
    }
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    long jobs = 1, count = -1;
    bool shell = false, append = true;
    int i = 1;
    for (; i < argc; ++i) {
        std::string_view arg(argv[i]);
        if (arg == "--") {
            ++i;
            break;
        } else if (arg == "-j" && i + 1 < argc) {
            jobs = parse_count(argv[++i], "-j");
        } else if (arg.starts_with("-j") && arg.size() > 2) {
            jobs = parse_count(argv[i] + 2, "-j");
        } else if (arg == "-n" && i + 1 < argc) {
            count = parse_count(argv[++i], "-n");
        } else if (arg.starts_with("-n") && arg.size() > 2) {
            count = parse_count(argv[i] + 2, "-n");
        } else if (arg == "--shell") {
            shell = true;
        } else if (arg == "--no-append") {
            append = false;
        } else {
            usage((std::string("unknown argument: ") + argv[i]).c_str());
        }
    }
    if (i >= argc) usage("no command after --");
    if (count < 0) usage("-n N is required");
    if (jobs < 1) usage("-j must be at least 1");

    // The fixed part of every job's argv, built once; only the number changes.
    std::vector<std::string> words(argv + i, argv + argc);
    std::string line;  // --shell: "PROG ARGS..." joined by spaces
    if (shell) {
        for (const auto& w : words) {
            if (!line.empty()) line += ' ';
            line += w;
        }
        words = {"/bin/sh", "-c", line};
    }
    const std::string exe = resolve(words[0]);  // argv[0] stays as given
    std::vector<char*> job_argv;
    for (auto& w : words) job_argv.push_back(w.data());
    const std::size_t number_slot = job_argv.size();
    if (append && !shell) job_argv.push_back(nullptr);  // filled per job
    job_argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    char number[24];
    std::string shell_line;
    long running = 0, failed = 0;
    auto reap_one = [&] {
        int status = 0;
        pid_t pid;
        while ((pid = waitpid(-1, &status, 0)) < 0 && errno == EINTR) {
        }
        if (pid < 0) {
            std::perror("spawn_floor: waitpid");
            std::exit(1);
        }
        --running;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
    };

    for (long job = 1; job <= count; ++job) {
        if (running >= jobs) reap_one();
        if (append) {
            auto [end, ec] = std::to_chars(number, number + sizeof number - 1, job);
            *end = '\0';
            if (shell) {
                shell_line.assign(line).append(" ").append(number);
                job_argv[2] = shell_line.data();
            } else {
                job_argv[number_slot] = number;
            }
        }
        pid_t pid;
        int err = posix_spawnp(&pid, exe.c_str(), &actions, nullptr, job_argv.data(), environ);
        if (err != 0) {
            std::fprintf(stderr, "spawn_floor: %s: %s\n", job_argv[0], std::strerror(err));
            ++failed;
            continue;
        }
        ++running;
    }
    while (running > 0) reap_one();

    posix_spawn_file_actions_destroy(&actions);
    if (failed > 0) {
        std::fprintf(stderr, "spawn_floor: %ld of %ld jobs failed\n", failed, count);
        return 1;
    }
    return 0;
}
