// ssh_executor.hpp: runs a job on the host its slot names: `ssh ... HOST
// REMOTE_COMMAND` over the host's ControlMaster (ssh_masters.hpp), the
// remote command being the wrapper of remote_command.hpp; a job for this
// machine (no host, or ":") runs as it is. The local ssh client is the job's
// process for the rest of wgrun (its group, its reaping, --term-seq's
// signals); its stdin is held open (SpawnRequest::hold_stdin), so that the
// remote wrapper sees the connection go when the client ends.
//
// A job with files to move (SpawnRequest::transfer, return_files) runs as
// the script of transfer_script.hpp instead: rsync sends its files, the ssh
// client runs it, rsync fetches its results, and one ssh command removes
// them from the host (RemoteSetup::cleanup); all of it is the job's process
// group. Under --workdir ... such a job's folder is named here (the files go
// there before the job starts) and removed by that last command.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "exec/spawner.hpp"
#include "remote/remote_command.hpp"
#include "remote/ssh_login.hpp"
#include "remote/ssh_masters.hpp"

namespace wgrun {

class SshExecutor : public Executor {
public:
    /// `local` starts every process (the ssh clients too); `logins` are the
    /// hosts by SshLogin::name(), as the slots name them.
    SshExecutor(Executor& local, const SshMasters& masters, std::vector<SshLogin> logins,
                RemoteSetup setup);

    SpawnedJob spawn(const SpawnRequest& request) override;

    /// A host added while the run goes on (--slf edited); from the loop's
    /// thread, as spawn().
    void add_login(const SshLogin& login) { logins_.insert_or_assign(login.name(), login); }

    /// The local request that runs `request` on its host (for the tests).
    SpawnRequest wrap(const SpawnRequest& request) const;

private:
    Executor& local_;
    const SshMasters& masters_;
    std::map<std::string, SshLogin> logins_;
    RemoteSetup setup_;
    std::string temp_prefix_;                  // "wgrun-wd.HOSTNAME.PID." for Temp folders
    mutable std::atomic<std::uint64_t> temp_count_{0};
};

}  // namespace wgrun
