// exit_status.cpp: decoding wait statuses and naming signals.
#include "results/exit_status.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace wgrun {

ExitStatus ExitStatus::from_wait_status(int status) {
    if (WIFSIGNALED(status)) return {Kind::Signaled, WTERMSIG(status)};
    return {Kind::Exited, WEXITSTATUS(status)};
}

int ExitStatus::shell_code() const {
    switch (kind) {
        case Kind::Exited: return code;
        case Kind::Signaled: return 128 + code;
        case Kind::NotStarted: return code == ENOENT ? 127 : 126;
    }
    return 255;
}

std::string ExitStatus::describe() const {
    switch (kind) {
        case Kind::Exited: return "exit " + std::to_string(code);
        case Kind::Signaled: return "killed by " + signal_name(code);
        case Kind::NotStarted:
            return "exit " + std::to_string(shell_code()) + ", cannot run: " +
                   std::strerror(code);
    }
    return "unknown";
}

std::string signal_name(int signal) {
    const char* abbrev = sigabbrev_np(signal);
    if (abbrev == nullptr) return "signal " + std::to_string(signal);
    return std::string("SIG") + abbrev;
}

}  // namespace wgrun
