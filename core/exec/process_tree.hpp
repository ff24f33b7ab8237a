// process_tree.hpp: a job's whole tree of processes, for ending it: its
// process group, every descendant (a grandchild that called setsid() has
// left the group but is still a descendant), and the orphans that wgrun, as
// the child subreaper, inherited from the job and that still hold the job's
// output pipes. Read from /proc (/proc/PID/task/*/children, /proc/PID/fd).
#pragma once

#include <sys/types.h>

#include <vector>

namespace wgrun {

/// Makes this process the child subreaper (PR_SET_CHILD_SUBREAPER): orphaned
/// descendants are re-parented to it instead of to init, so that they can be
/// found, ended and reaped. Returns false (errno set) when the kernel refuses.
bool become_subreaper();

/// The children of `pid` (of all its threads), from /proc/PID/task/*/children.
/// Empty when the process is gone.
std::vector<pid_t> children_of(pid_t pid);

/// Every descendant of `pid`, not `pid` itself, parents before their
/// children. Best effort: a process that forks while the tree is walked may
/// be missed, so enders walk again at each step.
std::vector<pid_t> descendants_of(pid_t pid);

/// What identifies a job's processes once its leader is gone: the inode
/// numbers of its stdout and stderr pipes (fstat of the read ends wgrun
/// holds; 0 for a pipe already closed).
struct JobPipes {
    ino_t out = 0;
    ino_t err = 0;
};

/// The inode of the pipe `fd` is an end of, or 0.
ino_t pipe_inode(int fd);

/// True when process `pid` has one of `pipes` open on any fd.
bool holds_pipe(pid_t pid, const JobPipes& pipes);

/// Sends `signal` to the whole tree of a job: the process group `pgid`
/// (kill(-pgid)), the leader `leader` and all its descendants (0: the leader
/// has been reaped), and every child of this process (an orphan inherited as
/// subreaper) that is not in `leaders` (the job leaders, which are children
/// too) and holds one of `pipes`, with all of its descendants. Returns how
/// many processes were signalled (the group counts as one), 0 when the
/// whole tree is gone. A process that the group signal reached is not
/// signalled again on its own; a zombie not yet reaped counts (kill()
/// succeeds on it). Never signals pid 1, this process, our own group, or
/// groups 0 and 1 (pgid <= 1 and leader <= 1 are skipped); and, once the
/// leader is reaped, not the group `pgid` when it is one of `leaders` (the
/// number was freed and went to another job).
int signal_job_tree(pid_t pgid, pid_t leader, const std::vector<pid_t>& leaders,
                    const JobPipes& pipes, int signal);

/// Sends `signal` to every descendant of this process (jobs, their trees and
/// inherited orphans) and to the process group of each child (not our own).
/// Returns how many processes were signalled, each group counting as one
/// and its members not signalled again on their own.
int signal_all_descendants(int signal);

}  // namespace wgrun
