// spawner.hpp: where a job runs. The Executor interface is the seam for ssh
// hosts and srun later; LocalSpawner starts jobs on this machine.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "base/job_stdin.hpp"

namespace wgrun {

/// What to run for one job.
struct SpawnRequest {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
    std::vector<std::string> env;   // "NAME=value" entries added to (or replacing in) the environment
    // A direct exec of a shell command (command/shell_syntax.hpp): the same
    // command through the shell, `/bin/sh -c COMMAND`, started instead when
    // argv cannot be (a program not found, not executable, or no executable
    // format: a script without #!), so that sh finds, runs or reports it as
    // it would have. Empty: argv alone. A lack of resources (EMFILE, EAGAIN,
    // ...) is thrown as it is.
    std::vector<std::string> shell_argv = {};
    // bash exports `_` as the path of the program it execs: with this set,
    // the direct exec (argv, not shell_argv) gets "_=PROGRAM" too, the
    // program as found in PATH.
    bool program_path_var = false;
    // How the job starts (wgrun(1): --nice, --workdir, --tty), applied in
    // the child before the exec:
    std::optional<int> nice = {};   // setpriority() to this niceness (absolute, as GNU's
                                    // --nice); a refusal (lowering it unprivileged) is ignored
    std::string workdir = {};       // chdir() here; empty: wgrun's own directory
    bool make_workdir = false;      // workdir is made afresh (mode 0700) before the start,
                                    // whatever a start before left there
    bool tty = false;               // stdin is /dev/tty (when it opens; else /dev/null), and
                                    // the job takes the terminal's foreground from wgrun
    // Stdin is a pipe whose write end wgrun holds until the job is reaped
    // (SpawnedJob::stdin_fd), instead of /dev/null: it reaches end-of-file
    // only when wgrun lets go of it or dies. An ssh job's remote side reads
    // it to learn that its connection went (ssh_executor.hpp).
    bool hold_stdin = false;
    // What the job reads on stdin (--pipe's block): stdin is a pipe whose
    // write end (SpawnedJob::stdin_fd, O_NONBLOCK) the caller fills from it.
    std::shared_ptr<const JobStdin> stdin_data = {};
    // Where it runs: the host its slot names (SlotPool::host()), for the
    // executors that run jobs elsewhere (ssh, srun); empty or ":" is this
    // machine.
    std::string host = {};
    // The job's slot (SlotPool), for an executor that spreads a host's
    // slots over several connections.
    std::uint64_t slot = 0;
    // Files for a job on another host (GNU parallel's --transferfile and
    // --return, expanded for the job): sent there before it starts, fetched
    // back after it ends (remote/ssh_executor.hpp). A job on this machine
    // ignores them, as GNU parallel does for ":".
    std::vector<std::string> transfer = {};
    std::vector<std::string> return_files = {};
};

/// A started job: its pid and the read ends of its stdout and stderr pipes
/// (O_CLOEXEC and O_NONBLOCK; the caller closes them). The job's process is
/// the leader of its own process group (pgid == pid).
struct SpawnedJob {
    pid_t pid = -1;
    int stdout_fd = -1;
    int stderr_fd = -1;
    int stdin_fd = -1;  // SpawnRequest::hold_stdin or stdin_data: the write end of its stdin
                        // (O_CLOEXEC; O_NONBLOCK for stdin_data)
};

/// Starts jobs: says how a job is wrapped. It does not reap them: one
/// component owns reaping (the ProcessSet, through SIGCHLD and wait4(-1)),
/// and an Executor never waits for a child.
///
/// Design note, for the executors to come. Every executor starts one local
/// process per job, the leader of its own process group, with the two pipes
/// of SpawnedJob; what differs is the argv it wraps the request in:
/// - local (LocalSpawner): the request as it is.
/// - ssh: `ssh [opts] HOST -- 'cd DIR && env NAME=value... COMMAND'` (ssh
///   passes no environment, so WGRUN_SEQ and the like travel in the remote
///   command, shell-quoted), started by a LocalSpawner it wraps. It
///   overrides spawn() only.
/// - srun: `wgrun --slurm-step-guard JOBID srun --exclusive -N1 -n1 ...
///   -w NODE -- ARGV` (srun_executor.hpp), likewise.
/// Who owns what then: the ProcessSet still owns the local leader (the ssh
/// client, srun's guard), its process group and its reaping, and the policy's
/// --term-seq steps go to that local tree as today. Ending the remote tree
/// is the wrapper's: srun passes SIGINT on to the step's task and cancels
/// the step on SIGTERM, and the step guard has it cancelled should srun die
/// of SIGKILL (srun_guard.hpp); ssh passes no signal, so the
/// ssh executor wraps the remote command in a shell that ends its own
/// process group when its stdin (the connection) closes, as GNU parallel
/// does. Which host a job goes to is the slot source's (host_slots.hpp): the
/// policy copies the slot's host into SpawnRequest::host (and WGRUN_HOST)
/// and JobResult::host, and asks the slot source, as an attempt ends,
/// whether the host failed it (the job then goes back to the queue).
class Executor {
public:
    virtual ~Executor() = default;
    /// Starts `request`. Throws std::system_error with the errno when the job
    /// cannot start: ENOENT/EACCES/ENOEXEC for the program, EMFILE/ENFILE/
    /// EAGAIN/ENOMEM for a lack of resources (the caller may retry later).
    virtual SpawnedJob spawn(const SpawnRequest& request) = 0;
};

/// Runs jobs on this machine with vfork() and execve(): stdin is /dev/null,
/// stdout and stderr are fresh pipes, the fds wgrun inherited for its
/// children are passed on and every other fd is closed, each job leads its
/// own process group, and it starts with the signal mask `child_sigmask`,
/// default SIGPIPE handling and PR_SET_PDEATHSIG = SIGTERM: if wgrun dies,
/// even of SIGKILL, each job gets SIGTERM (the job's own process; its
/// children are not told). The kernel sends it when the *thread* that
/// spawned the job ends, not the process: spawn from a thread that outlives
/// the jobs (wgrun spawns from its scheduler thread, whose run() returns once
/// every job is done). Set-user-ID and set-group-ID programs (and those with
/// file capabilities) lose the setting at exec.
///
/// Every fd a start needs (the pipes, /dev/null) is opened before the child
/// exists: when one cannot be (EMFILE, ENFILE), spawn() throws that errno and
/// nothing has run; a started job holds two fds in wgrun, its pipes' read ends.
class LocalSpawner : public Executor {
public:
    /// `child_sigmask` is the signal mask jobs start with (wgrun's own mask
    /// from before it blocked the signals its event loop reads). Jobs' stdout
    /// pipes are grown to `stdout_pipe_size` bytes when it is above Linux's
    /// 64 KiB default (best effort; see pipe_size.hpp for the budget).
    /// `inherited` are the fds (>= 3) jobs get as they are: those open in
    /// wgrun without close-on-exec (inherited_fds.hpp), and --jobserver's
    /// pipe (close-on-exec in wgrun: only jobs get it); every other fd above
    /// 2 is closed in the job.
    explicit LocalSpawner(const sigset_t& child_sigmask, std::size_t stdout_pipe_size = 0,
                          std::vector<int> inherited = {});
    ~LocalSpawner() override;
    LocalSpawner(const LocalSpawner&) = delete;
    LocalSpawner& operator=(const LocalSpawner&) = delete;

    SpawnedJob spawn(const SpawnRequest& request) override;

private:
    // Starts `argv` with the request's environment and setup: spawn()
    // without the shell fallback; `program_path` adds "_=PROGRAM".
    SpawnedJob start(const SpawnRequest& request, const std::vector<std::string>& argv,
                     bool program_path);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace wgrun
