// command_output.cpp: posix_spawnp, a pipe read to its end, waitpid.
#include "exec/command_output.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "base/spawn_setup.hpp"
#include "base/unique_fd.hpp"

extern char** environ;

namespace wgrun {

CommandOutput run_for_output(const std::vector<std::string>& argv) {
    if (argv.empty()) throw std::system_error(EINVAL, std::system_category());
    Pipe out;
    if (const int error = make_pipe(out)) throw std::system_error(error, std::system_category());
    SpawnSetup setup;
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, out.write.get(), 1);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int error =
        ::posix_spawnp(&pid, args.front(), &setup.actions, &setup.attr, args.data(), environ);
    if (error != 0) throw std::system_error(error, std::system_category());
    out.write.reset();
    CommandOutput result;
    char chunk[4096];
    for (;;) {
        const ssize_t n = ::read(out.read.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.out.append(chunk, static_cast<std::size_t>(n));
    }
    while (::waitpid(pid, &result.wait_status, 0) < 0 && errno == EINTR) {
    }
    return result;
}

}  // namespace wgrun
