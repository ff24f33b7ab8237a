// exit_status.hpp: how a job ended, decoded once from the raw wait status.
#pragma once

#include <string>

namespace wgrun {

struct ExitStatus {
    enum class Kind {
        Exited,      // code = the exit code
        Signaled,    // code = the signal number
        NotStarted,  // code = the errno of the failed spawn
    };
    Kind kind = Kind::Exited;
    int code = 0;

    /// Decodes a status from wait4/waitpid.
    static ExitStatus from_wait_status(int status);
    static ExitStatus not_started(int error) { return {Kind::NotStarted, error}; }

    /// True for an exit code of 0.
    bool ok() const { return kind == Kind::Exited && code == 0; }

    bool operator==(const ExitStatus&) const = default;

    /// The status a shell would show in $?: the exit code, 128 + signal, or
    /// 127 for a command that was not found (126 when it cannot be run).
    int shell_code() const;

    /// "exit 3", "killed by SIGKILL", "exit 127, cannot run: No such file or
    /// directory".
    std::string describe() const;
};

/// "SIGTERM" for 15; "signal 77" for a number without a name.
std::string signal_name(int signal);

}  // namespace wgrun
