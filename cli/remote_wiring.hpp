// remote_wiring.hpp: jobs on ssh hosts, made from -S, --slf, --ssh,
// --sshdelay, --filter-hosts, -j and --env: the logins, one ControlMaster
// per host (started here, before the run), the --basefile files sent to each
// (remote_files_wiring.hpp), each host's slots (N/, else -j, else its CPU
// count asked through its connection), and the executor that wraps jobs in
// ssh. Only wiring: the parts are core's (core/remote,
// schedule/host_slots.hpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exec/spawner.hpp"
#include "options.hpp"
#include "remote/host_roster.hpp"
#include "remote/base_files.hpp"
#include "remote/ssh_executor.hpp"
#include "remote/ssh_login.hpp"
#include "remote/ssh_masters.hpp"
#include "schedule/host_slots.hpp"

namespace wgrun::cli {

/// The logins of every -S and --slf, in order, each host once (the first
/// of two logins with the same name wins). Empty without hosts. Throws
/// UsageError for a bad login or an --slf file that cannot be read.
std::vector<SshLogin> read_logins(const Options& options);

struct RemoteWiring {
    std::unique_ptr<SshMasters> masters;
    std::unique_ptr<BaseFiles> base_files;  // --basefile (uses masters)
    bool cleanup = false;                   // --cleanup: base files removed at the end
    std::unique_ptr<HostSlots> slots;
    std::unique_ptr<SshExecutor> executor;
    std::unique_ptr<HostRoster> roster;  // --slf: the files read again as they change
    explicit operator bool() const { return slots != nullptr; }
    /// The slot source for the run.
    SlotPool& pool() { return roster ? static_cast<SlotPool&>(*roster) : *slots; }
    /// Removes the base files from the hosts (--cleanup), then ends the
    /// hosts' connections (after the run).
    void stop() noexcept {
        if (base_files && cleanup) base_files->remove();
        base_files.reset();
        if (masters) masters->stop_all();
    }
};

/// Logs in to every host of `logins` (one master each) and makes their
/// slots and the executor over `local`; with --slf, the roster that reads
/// the files again as they change. `cpus`: this machine's, for `:`.
/// `notice` gets one line per host left out. Throws UsageError when a host
/// cannot be logged in to or does not get the --basefile files (without
/// --filter-hosts: with it, that host is left out) or none is left, or when
/// -j is 0 or a FILE.
RemoteWiring wire_remote(const Options& options, const std::vector<SshLogin>& logins,
                         Executor& local, unsigned cpus, const std::string& temp_dir,
                         const std::function<void(const std::string&)>& notice);

/// --env's "NAME=value" entries for remote jobs, from `environment` (a
/// NULL-ended "NAME=value" list): each NAME given (NAME,NAME... split) that
/// is set, and its exported bash function (BASH_FUNC_NAME%%). Throws
/// UsageError for `_` (every variable), which is only for this machine.
std::vector<std::string> remote_env(const std::vector<std::string>& names,
                                    const char* const* environment);

}  // namespace wgrun::cli
