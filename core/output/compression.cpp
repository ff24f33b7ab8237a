// compression.cpp: the programs run as
//   sh -c '(eval "$1") 3>&-; printf %s "$?" >&3' wgrun-compress PROGRAM
// so that the exit status comes back through a pipe (fd 3): wgrun's event
// loop reaps every child it does not know with wait4(-1), which would take
// the status first. A pidfd reaps the shell in any case (no zombie).
#include "output/compression.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/spawn_setup.hpp"
#include "base/write_all.hpp"

extern char** environ;

namespace wgrun {
namespace {

constexpr const char* kWrapper = "(eval \"$1\") 3>&-; printf %s \"$?\" >&3";

// Starts the wrapper for `command` with stdin `in`, stdout `out` and fd 3
// `status`. Returns 0 or an errno; sets `pidfd` (-1 if the system has none).
int spawn_wrapped(const std::string& command, int in, int out, int status, UniqueFd& pidfd) {
    SpawnSetup setup;
    // Our fds are close-on-exec; dup2 clears that on the three it makes.
    // They are all above 2 (wgrun keeps 0-2 open), so only the last dup2
    // can overwrite one of them (fd 3), and that one has been copied by then.
    posix_spawn_file_actions_adddup2(&setup.actions, in, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, out, 1);
    posix_spawn_file_actions_adddup2(&setup.actions, status, 3);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 4);
    const char* argv[] = {"sh", "-c", kWrapper, "wgrun-compress", command.c_str(), nullptr};
    pid_t pid = 0;
    const int error = ::posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attr,
                                    const_cast<char* const*>(argv), environ);
    if (error != 0) return error;
    pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    return 0;
}

// Reads the status the wrapper writes as it ends, reaps it, and says what
// went wrong, if anything.
std::string outcome(const std::string& command, UniqueFd& status, UniqueFd& pidfd) {
    std::string code;
    char chunk[32];
    for (;;) {
        const ssize_t n = ::read(status.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        code.append(chunk, static_cast<std::size_t>(n));
    }
    status.reset();
    siginfo_t info{};
    bool reaped = false;
    if (pidfd) {
        int r;
        while ((r = ::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd.get()),
                             &info, WEXITED)) < 0 &&
               errno == EINTR) {
        }
        reaped = r == 0;
        pidfd.reset();
    }
    if (code == "0") return "";
    if (!code.empty()) return "'" + command + "' exited with " + code;
    if (reaped && (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED)) {
        return "'" + command + "' was killed by signal " + std::to_string(info.si_status);
    }
    return "'" + command + "' ended without an exit status";
}

}  // namespace

Compression default_compression(std::string_view path) {
    static constexpr const char* kPrograms[] = {"pzstd", "lbzip2", "pbzip2", "zstd", "pixz",
                                                "lz4",   "pigz",   "lzop",   "plzip", "lzip",
                                                "gzip",  "lrz",    "pxz",    "bzip2", "lzma",
                                                "xz",    "clzip"};
    for (const char* program : kPrograms) {
        for (std::size_t at = 0; at <= path.size();) {
            std::size_t end = path.find(':', at);
            if (end == std::string_view::npos) end = path.size();
            std::string dir(path.substr(at, end - at));
            if (dir.empty()) dir = ".";
            const std::string file = dir + "/" + program;
            if (::access(file.c_str(), X_OK) == 0) {
                return {std::string(program) + " -c -1", std::string(program) + " -dc"};
            }
            at = end + 1;
        }
    }
    return {"cat", "cat"};
}

int CompressingWriter::start(const std::string& compress, int file) {
    finish();
    Pipe input;
    Pipe status;
    if (make_pipe(input) != 0 || make_pipe(status) != 0) return errno;
    if (const int e = spawn_wrapped(compress, input.read.get(), file, status.write.get(), pidfd_)) {
        return e;
    }
    command_ = compress;
    input_ = std::move(input.write);
    status_ = std::move(status.read);
    return 0;
}

int CompressingWriter::write(std::string_view bytes) {
    if (!input_) return EPIPE;
    return write_all(input_.get(), bytes);
}

std::string CompressingWriter::finish() {
    if (!input_ && !status_) return "";
    input_.reset();  // end of its input: it finishes the file and exits
    return outcome(command_, status_, pidfd_);
}

std::string decompress_file(const std::string& decompress, int file,
                            const std::function<void(std::string_view)>& each) {
    // A description of its own, at offset 0 (the file may be nameless:
    // /proc/self/fd opens it all the same).
    const std::string self = "/proc/self/fd/" + std::to_string(file);
    UniqueFd own(::open(self.c_str(), O_RDONLY | O_CLOEXEC));
    if (!own) return "cannot reopen the file for '" + decompress + "': " + std::strerror(errno);
    Pipe output;
    Pipe status;
    if (make_pipe(output) != 0 || make_pipe(status) != 0) {
        return "cannot start '" + decompress + "': " + std::strerror(errno);
    }
    UniqueFd pidfd;
    if (const int e = spawn_wrapped(decompress, own.get(), output.write.get(),
                                    status.write.get(), pidfd)) {
        return "cannot start '" + decompress + "': " + std::strerror(e);
    }
    own.reset();
    output.write.reset();
    status.write.reset();
    std::string piece(std::size_t{64} << 10, '\0');
    int read_error = 0;
    for (;;) {
        const ssize_t n = ::read(output.read.get(), piece.data(), piece.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read_error = errno;
        if (n <= 0) break;
        each(std::string_view(piece.data(), static_cast<std::size_t>(n)));
    }
    output.read.reset();
    std::string problem = outcome(decompress, status.read, pidfd);
    if (problem.empty() && read_error != 0) {
        problem = "cannot read from '" + decompress + "': " + std::strerror(read_error);
    }
    return problem;
}

}  // namespace wgrun
