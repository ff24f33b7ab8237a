// base_files.hpp: --basefile: files every host gets once, before its first
// job (GNU parallel's --basefile): sent to all hosts at once when their
// connections are up, with the steps of remote_files.hpp (a relative file
// under the jobs' folder, an absolute one to its own path), and, with
// --cleanup, removed from them when the run is over, before the connections
// end. Runs its rsyncs and waits for them itself: only before the run and
// after it (ssh_masters.hpp says why).
#pragma once

#include <string>
#include <vector>

#include "exec/spawner.hpp"
#include "remote/remote_files.hpp"
#include "remote/ssh_login.hpp"
#include "remote/ssh_masters.hpp"

namespace wgrun {

class BaseFiles {
public:
    /// `files` go to `folder` (Home or Folder) with `rsync` (the command and
    /// its options), over `masters`' connections.
    BaseFiles(Executor& spawner, const SshMasters& masters, std::vector<std::string> files,
              RemoteFolder folder, std::vector<std::string> rsync);
    BaseFiles(const BaseFiles&) = delete;
    BaseFiles& operator=(const BaseFiles&) = delete;

    /// Sends the files to every remote login of `logins` and waits. For each
    /// login, in order: empty when they arrived (or it is this machine), else
    /// why not (wgrun's line and rsync's first).
    std::vector<std::string> send(const std::vector<SshLogin>& logins);

    /// Removes the files from every host send() reached, and the folders
    /// left empty (cleanup_steps()); waits, at most `patience` seconds, and
    /// ignores failures. Idempotent.
    void remove(int patience_seconds = 30) noexcept;

private:
    Executor& spawner_;
    const SshMasters& masters_;
    std::vector<std::string> files_;
    RemoteFolder folder_;
    std::vector<std::string> rsync_;
    std::vector<SshLogin> sent_;  // the logins that have them
};

}  // namespace wgrun
