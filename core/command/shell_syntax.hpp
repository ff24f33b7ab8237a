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

/// True when /bin/sh passes `environment` (a NULL-ended "NAME=value" list)
/// on to the commands it runs as it is, order and PWD aside: each entry is
/// NAME=value with NAME a shell name ([A-Za-z_][A-Za-z0-9_]*). dash drops
/// the others (bash's exported functions, BASH_FUNC_f%%, among them), so
/// when there is one, no command runs directly.
bool environment_is_plain(const char* const* environment);

/// What a direct exec needs to give a job what sh would have: whether it is
/// allowed at all here (not when the environment is not plain, nor when
/// PATH is unset: sh's default search path is its own), and the PWD entry
/// sh exports.
struct DirectExec {
    bool enabled = false;
    /// "PWD=dir": sh exports PWD, keeping the environment's value when it is
    /// an absolute name of the current directory, else the current
    /// directory's name (getcwd). Empty: PWD is right as it is.
    std::string pwd_entry;

    /// For this process: its environment and its current directory.
    static DirectExec here();
};

}  // namespace wgrun
