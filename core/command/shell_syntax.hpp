// shell_syntax.hpp: does a command line need /bin/sh? The commands that do
// not are run directly (direct exec): the argv the shell would have built,
// one exec instead of two.
//
// The decision is deliberately narrow: anything the analysis does not fully
// understand goes through the shell, which is always right. A command is
// plain when
//   - outside quotes it holds only the bytes [A-Za-z0-9_./:@%+,=-], blanks
//     (space, tab) between words, and backslashes escaping any byte but a
//     newline: no operator, redirection, expansion, glob, tilde, comment,
//     brace, history or grouping byte, no newline, nothing outside ASCII;
//   - its single quotes are closed, and its double quotes closed and free of
//     `$` and backquotes (a backslash in them escapes $ ` " \ as in sh, and
//     is kept before any other byte; backslash-newline is not plain);
//   - its first word holds no '=' (it would be an assignment), does not
//     start with '-' (`sh -c` would take it for options) and is not a shell
//     builtin or keyword of dash or bash (is_shell_builtin).
// Its words are then exactly those sh passes to execve(), quotes removed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

/// The argv `/bin/sh -c command` would exec, when `command` is plain (see
/// above); nothing when it needs the shell. Pure: looks at the text alone.
std::optional<std::vector<std::string>> plain_command_words(std::string_view command);

/// True for the builtins and keywords of dash (Debian's /bin/sh) and bash:
/// `wgrun echo` must run dash's echo (which reads backslash escapes), not
/// /bin/echo; `true --help` must print nothing; `pwd` must print $PWD, not
/// the physical directory. A builtin costs one exec through sh anyway (sh's
/// own), as much as exec'ing its namesake would.
bool is_shell_builtin(std::string_view word);

/// For a plain command's words whose first is the builtin true, false or
/// echo: whether dash's builtin does exactly what bash's would. true and
/// false: always (both ignore their arguments). echo: when no first word
/// starts with '-' and no word holds a backslash. A bash started for
/// `true` costs twice what a dash does (and coreutils' /usr/bin/true more
/// than dash too): 2000 `wgrun true` jobs started from bash take as long as
/// they did under dash.
bool builtin_alike_in_dash(const std::vector<std::string>& words);

/// True when /bin/sh passes `environment` (a NULL-ended "NAME=value" list)
/// on to the commands it runs as it is, order and PWD aside: each entry is
/// NAME=value with NAME a shell name ([A-Za-z_][A-Za-z0-9_]*). dash drops
/// the others (bash's exported functions, BASH_FUNC_f%%, among them), so
/// when there is one, no command runs directly.
bool environment_is_plain(const char* const* environment);

/// The shell families whose behaviour the direct exec knows: for any other
/// shell (zsh, ksh, fish, csh...) every command goes to the shell.
enum class ShellKind {
    Dash,   // dash (Debian's /bin/sh), and bash run as sh
    Bash,   // bash
    Other,
};

/// The kind of the shell at `path` (a name without '/' is looked up in
/// PATH): what its real file (symlinks resolved) is called. bash run as
/// "sh" (its POSIX mode) counts as Dash: the stricter rule.
ShellKind shell_kind(const std::string& path);

/// What a direct exec needs to give a job what the shell would have, and
/// which shell the others run under: whether it is allowed at all here (not
/// when the environment is not plain for that shell, nor when PATH is
/// unset: the shell's default search path is its own), and the entries the
/// shell exports.
struct DirectExec {
    /// The shell that runs the commands that need one: `SHELL -c COMMAND`.
    std::string shell = "/bin/sh";
    bool enabled = false;
    /// "PWD=dir": sh exports PWD, keeping the environment's value when it is
    /// an absolute name of the current directory, else the current
    /// directory's name (getcwd). Empty: PWD is right as it is.
    std::string pwd_entry;
    /// The names of the functions the shell will have, sorted: a command
    /// whose first word is one runs the function, so it goes to the shell.
    /// bash's are those the environment exports (BASH_FUNC_name%%); --env
    /// adds those it defines for another shell.
    std::vector<std::string> functions;
    /// bash only: "SHLVL=N", what bash exports to a command it execs (the
    /// environment's level, normalized). Empty for dash.
    std::string shlvl_entry;
    /// The shell's kind: Bash exports `_` as the path of the program it
    /// runs (SpawnRequest::program_path_var), and runs "%1" as `fg %1`.
    ShellKind kind = ShellKind::Dash;

    /// Under bash: dash (/bin/sh, when it is dash), which runs the plain
    /// true, false and echo lines that it runs as bash would
    /// (builtin_alike_in_dash) in half bash's time. Empty: none.
    std::string builtin_shell;

    /// The argv to exec for `command` in place of `shell -c command`, or
    /// nothing when the shell must run it: a plain command
    /// (plain_command_words) whose first word runs directly. Nothing when
    /// not `enabled`.
    std::optional<std::vector<std::string>> direct_words(std::string_view command) const;

    /// Under bash, for a plain true, false or echo line that dash runs
    /// alike: `builtin_shell -c command`. Else nothing.
    std::optional<std::vector<std::string>> builtin_argv(std::string_view command) const;

    /// Whether a plain command (plain_command_words) whose first word is
    /// `word` runs directly: the shell would not do anything else with it
    /// (an exported function of that name, bash's job specs "%1").
    bool runs_directly(std::string_view word) const;

    /// For this process, its environment and its current directory, with
    /// jobs run under `shell`.
    static DirectExec here(const std::string& shell = "/bin/sh");
};

/// What bash makes of the environment for a command it execs; the pure
/// part of DirectExec::here() for bash (`environment` a NULL-ended list):
/// fills `functions` and `shlvl_entry`. False when bash would do more than
/// the fields say: BASH_ENV, SHELLOPTS, BASHOPTS or EXECIGNORE set, an entry without
/// '=', a BASH_FUNC_ entry that is no function, an OLDPWD that is no
/// directory (bash drops it), a level that bash would warn about.
bool bash_environment(const char* const* environment, DirectExec& direct);

}  // namespace wgrun
