// job_shell.hpp: which shell runs the jobs' commands. GNU parallel's rule:
// $PARALLEL_SHELL, else the shell it was started from (the nearest ancestor
// process whose argv[0] names a shell), else $SHELL, else /bin/sh. wgrun
// adds --shell PATH before them all, and takes the shell found by the
// second and third steps only when it is bash: wgrun quotes values for sh,
// which bash, dash and the other Bourne shells read alike, but csh, fish
// and rc do not (GNU quotes for those), and bash is what users want it for
// (exported functions, [[ ]], arrays, <(...)). Any other shell found there
// gives /bin/sh, as before.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wgrun {

/// What the shell walk reads of a process; /proc on Linux, a fake in tests.
class ProcessView {
public:
    virtual ~ProcessView() = default;
    /// argv[0] as /proc/PID/cmdline holds it (up to the first NUL); nothing
    /// when the process cannot be read (gone, hidden).
    virtual std::optional<std::string> argv0(pid_t pid) const = 0;
    /// The parent's pid (0 above init); nothing when it cannot be read.
    virtual std::optional<pid_t> parent(pid_t pid) const = 0;
    /// The target of /proc/PID/exe, or empty.
    virtual std::string exe(pid_t pid) const = 0;
};

/// /proc.
class ProcView : public ProcessView {
public:
    std::optional<std::string> argv0(pid_t pid) const override;
    std::optional<pid_t> parent(pid_t pid) const override;
    std::string exe(pid_t pid) const override;
};

/// The shell `argv0` names, as GNU parallel's parent_shell() reads it: an
/// optional "[...]" around it, a path or "busybox " before it, a '-' (a
/// login shell) before the name, and after it nothing, blanks, or a blank
/// and more that does not start with '('. Names: ash bash bsd-csh csh dash
/// fdsh fish fizsh ksh ksh93 lksh mksh pdksh posh rbash rc rush rzsh sash sh
/// static-sh tcsh yash zsh. Returns the name ("bash" for "/bin/bash" and
/// "-bash"), with `login` set when it had the '-'; nothing for any other
/// argv[0] ("sshd", "foo.sh", "/usr/bin/perl").
std::optional<std::string> shell_named_by(std::string_view argv0, bool* login = nullptr);

/// Looks a program name up in PATH: the first executable non-directory
/// file, or empty.
using PathSearch = std::function<std::string(std::string_view name)>;

/// The executable `name` in $PATH, as GNU parallel's which(): "" when none.
std::string which(std::string_view name);

/// GNU parallel's parent_shell(): from `pid` up to init, the first process
/// whose argv[0] names a shell (shell_named_by); its path is that name looked
/// up in PATH (`search`), or, for a login "-sh", the process's own exe when
/// its name is a shell's. Empty when no ancestor is a shell, when the
/// walk cannot read a process, or when the name is not in PATH. Reads two
/// small files per ancestor: a few dozen microseconds.
std::string parent_shell(pid_t pid, const ProcessView& processes, const PathSearch& search);

/// Everything the choice depends on.
struct ShellFacts {
    std::string option;          // --shell PATH, or empty
    std::string parallel_shell;  // $PARALLEL_SHELL, or empty
    std::string parent;          // parent_shell(getppid()), or empty
    std::string login_shell;     // $SHELL, or empty
};

/// The shell jobs run under: --shell, else $PARALLEL_SHELL, else the parent
/// shell (or, with none, $SHELL) when that is bash (its file name is
/// "bash"), else /bin/sh.
std::string choose_shell(const ShellFacts& facts);

/// ShellFacts for this process: its options' --shell, its environment, its
/// ancestors in /proc (walked only when --shell and $PARALLEL_SHELL are unset).
ShellFacts shell_facts_here(const std::string& option);

}  // namespace wgrun
