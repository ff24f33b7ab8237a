// ssh_masters.hpp: one ssh ControlMaster connection per remote host, for the
// whole run: started before the first job (--sshdelay apart, since sshd's
// MaxStartups drops bursts of new connections), asked the host's CPU count
// through the same connection, watched (a job's exit 255 is the host's
// failure only if its connection went), and ended at the run's end. The
// jobs' ssh clients multiplex over it (ssh_executor.hpp).
//
// Masters are wgrun's children (`ssh -M -N`, not backgrounded with -f), so
// that they get SIGTERM should wgrun die (the spawner's PR_SET_PDEATHSIG):
// start() must run on a thread that outlives the run (main's). They are
// waited for here only before the run and after it; during the run the
// ProcessSet reaps any child that ends, and a master is then known gone
// through its pidfd.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/unique_fd.hpp"
#include "exec/spawner.hpp"
#include "remote/remote_files.hpp"
#include "remote/ssh_login.hpp"

namespace wgrun {

class SshMasters {
public:
    /// `ssh`: the --ssh command's words ("ssh" by default). The control
    /// sockets live in a private folder made under `temp_dir`.
    SshMasters(Executor& spawner, std::vector<std::string> ssh, const std::string& temp_dir);
    ~SshMasters();
    SshMasters(const SshMasters&) = delete;
    SshMasters& operator=(const SshMasters&) = delete;

    /// Starts a master for each remote login (`delay` between the starts)
    /// and waits until each is up or has failed (at most `patience`). For
    /// each login, in order: empty when it is up (or the login is this
    /// machine), else why not (ssh's own last line of error).
    std::vector<std::string> start(const std::vector<SshLogin>& logins,
                                   std::chrono::nanoseconds delay,
                                   std::chrono::seconds patience = std::chrono::seconds(60));

    /// Starts a master for `login` and returns at once (a host added to an
    /// --slf file mid-run); started() tells when it is up. Replaces a master
    /// of the same host that has ended. From the thread that runs the jobs'
    /// loop (which outlives the run, as start()'s thread must).
    void launch(const SshLogin& login);

    /// The masters launch()ed that are up or have failed since the last
    /// call: each host's name, and empty when it is up, else why not.
    std::vector<std::pair<std::string, std::string>> started();

    /// sshd allows 10 sessions on one connection by default (MaxSessions):
    /// a host with more job slots gets a master for each 10 of them. Opens
    /// the ones `login` lacks for `slots`; with `wait`, waits until they are
    /// up or have failed (a failed one leaves its slots' jobs connecting on
    /// their own). Call after start() or launch().
    void widen(const SshLogin& login, std::uint64_t slots, bool wait);
    static constexpr std::uint64_t kSessionsPerMaster = 10;

    /// The number of CPUs the host reports (`nproc`, else getconf), asked
    /// through its master; nothing when it cannot be told.
    std::optional<unsigned> cpus(const SshLogin& login);

    /// The ssh client's words for a job (or anything else) on `login`,
    /// before the remote command: the --ssh words, -T, the control socket
    /// (falling back to a connection of its own should the master be gone),
    /// -p, -l, and the host. `slot` picks the master of a widened host (the
    /// slots of a host are spread over its masters, each taking at most
    /// kSessionsPerMaster of them).
    std::vector<std::string> client_words(const SshLogin& login, std::uint64_t slot = 0) const;

    /// How rsync and ssh reach `login` for its files (remote_files.hpp):
    /// client_words() as rsync's -e, with `rsync` (the command and its
    /// options).
    HostLink host_link(const SshLogin& login, std::vector<std::string> rsync,
                       std::uint64_t slot = 0) const;

    /// A command that succeeds while the master of `login` is up (`ssh -O
    /// check` on its socket), for scripts that must tell the connection's
    /// failure from their own; `true` for a login without a master.
    std::vector<std::string> check_words(const SshLogin& login) const;

    /// False once the master of host `name` (SshLogin::name()) has ended,
    /// waiting up to `patience` for it to end (a job's ssh sees the
    /// connection go a moment before its master ends). True for a host
    /// without a master.
    bool alive(const std::string& name, std::chrono::milliseconds patience) const;

    /// Ends every master (SIGTERM, then SIGKILL after a grace) and waits for
    /// them, then removes the sockets' folder. Idempotent; the destructor
    /// calls it. Not during the run (see above).
    void stop_all() noexcept;

private:
    struct Master {
        SshLogin login;
        std::string socket;
        pid_t pid = -1;
        UniqueFd pidfd;  // readable once it has ended
        UniqueFd out, err;
        std::string error;
        bool up = false;
        bool told = true;  // launch(): started() has told of it
        std::size_t index = 0;  // of the host's masters (widen())
        std::chrono::steady_clock::time_point deadline;
    };
    // Whether `master` is up or has failed by now (false: still starting).
    bool settle(Master& master);
    void spawn(Master& master);
    Master* find(const std::string& name, std::size_t index = 0);
    const Master* find(const std::string& name, std::size_t index = 0) const;
    std::size_t count(const std::string& name) const;
    // Runs `remote` on `login` through its master; its stdout, or nothing
    // when it failed.
    std::optional<std::string> run(const SshLogin& login, const std::string& remote);

    Executor& spawner_;
    std::vector<std::string> ssh_;
    std::string folder_;
    std::vector<Master> masters_;
    std::size_t next_socket_ = 0;  // the sockets' names: 0, 1, ...
};

}  // namespace wgrun
