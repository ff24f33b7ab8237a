// remote_command.hpp: the command line an ssh job sends to its host: a small
// Perl wrapper (Perl is on every host GNU parallel runs on) that sets the
// job's environment and folder, runs the job in a process group of its own,
// and ends the job's whole tree (setsid'ed descendants too) when its
// connection goes away: when the local ssh is ended (--timeout, --halt now,
// Ctrl-C) or dies, the remote sshd closes the wrapper's stdin. Plain ssh
// passes no signal on, and `ssh -tt` would merge stderr into stdout.
#pragma once

#include <string>
#include <vector>

#include "exec/spawner.hpp"

namespace wgrun {

struct RemoteSetup {
    // --workdir as given: empty for the remote home, "..." for a fresh
    // folder under the host's $TMPDIR (or /tmp) removed afterwards, else a
    // folder made if missing (relative to the remote home).
    std::string workdir;
    // "NAME=value" entries every job gets (--env's variables and functions,
    // read from wgrun's environment), before the request's own.
    std::vector<std::string> env;
    // For the jobs' files (SpawnRequest::transfer and return_files): rsync
    // and its options (--rsync-opts), and whether they are removed from the
    // host afterwards (--cleanup).
    std::vector<std::string> rsync = {"rsync", "-rlDzR"};
    bool cleanup = false;
};

/// The one word ssh passes to the remote login shell (a POSIX shell: sh,
/// bash, dash, ksh, zsh): `exec perl -e WRAPPER -- ...`, every part quoted
/// for that shell, so that nothing in the command, its values or its
/// environment is expanded there. The job is request.shell_argv when there
/// is one (the shell form of a direct exec) else request.argv; it gets
/// request.env (WGRUN_SEQ, WGRUN_SLOT, WGRUN_HOST...) after `setup.env`,
/// request.nice, and stdin /dev/null. Its exit status comes back through ssh
/// as it was, a signal S as 128 + S (ssh itself would say 255).
/// `temp_folder`: under --workdir ..., the job's folder by name, under the
/// login's $TMPDIR (or /tmp), made if missing and left there (for a job whose
/// files are sent there first and fetched afterwards); empty: a fresh one,
/// removed when the job ends.
std::string remote_command(const SpawnRequest& request, const RemoteSetup& setup,
                           const std::string& temp_folder = {});

/// The wrapper's Perl source (for the tests).
const std::string& remote_wrapper();

}  // namespace wgrun
