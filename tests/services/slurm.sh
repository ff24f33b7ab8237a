#!/usr/bin/env bash
# tests/services/slurm.sh: a single-node Slurm (22.05: munged, slurmctld,
# slurmd) of a test's own, all under one folder, for the --slurm tests.
#
#   slurm.sh start DIR   writes DIR/slurm.conf, starts the three daemons and
#                        waits (up to 30 s) until the node is idle; exits 0
#                        then, else stops what it started and exits 1
#   slurm.sh stop DIR    stops every daemon it started, by the pid it
#                        recorded (DIR/*.pid), and waits until they are gone
#   slurm.sh usable      exits 0 when this machine can run it (root, and the
#                        binaries there), else says why on stdout, exits 1
#
# Clients then need SLURM_CONF=DIR/slurm.conf in their environment.
#
# Nothing is shared with another instance or with a Slurm of the machine:
# munged has its own key, socket, pid and seed files under DIR/munge (Slurm
# reaches it through AuthInfo=socket=...), slurmctld and slurmd their own
# state, spool, pid and log files and two free ports of their own, so that
# CI's two sanitizer suites may each run one at the same time. munged runs
# as the user munge and wants every folder above its socket searchable by
# all: the script sets a+x on DIR and its parent (a test's sandbox); the
# folders above must have it already.
#
# The node is this machine: NodeName=$(hostname -s), NodeAddr=127.0.0.1,
# CPUs=$(nproc), in one default partition. ProctrackType=proctrack/linuxproc
# and TaskPlugin=task/none need no cgroup (containers have none to give).
set -u

SBIN=${SLURM_SBIN:-/usr/sbin}

usable() {
    if [ "$(id -u)" != 0 ]; then
        echo "not root (slurmd and munged need root)"
        return 1
    fi
    local b
    for b in "$SBIN/munged" "$SBIN/slurmctld" "$SBIN/slurmd"; do
        [ -x "$b" ] || { echo "no $b (packages munge slurmctld slurmd)"; return 1; }
    done
    for b in srun salloc sbatch scontrol scancel sinfo; do
        command -v "$b" >/dev/null || { echo "no $b (package slurm-client)"; return 1; }
    done
    id munge >/dev/null 2>&1 || { echo "no user munge (package munge)"; return 1; }
}

# A TCP port nobody listens on now, from the kernel's ephemeral range.
free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# pid_in FILE: the pid FILE holds, when it names a live process.
pid_in() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

node_idle() {
    [ "$(SLURM_CONF=$dir/slurm.conf sinfo -h -N -o %t 2>/dev/null)" = idle ]
}

# One try at starting: fails (having stopped what it started) when a
# daemon does not start or the node does not become idle.
start_once() {
    local node cpus ctld_port slurmd_port
    node=$(hostname -s)
    cpus=$(nproc)
    ctld_port=$(free_port) && slurmd_port=$(free_port) || return 1
    [ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$(free_port)

    chmod a+x "$(dirname "$dir")" "$dir"
    mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
    # munged wants its folder and key owned by its user, the folder searchable
    # by all (its socket is there) and writable by it alone.
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1k count=1 status=none
    chown -R munge:munge "$dir/munge"
    chmod 711 "$dir/munge"
    chmod 400 "$dir/munge/munge.key"

    cat >"$dir/slurm.conf" <<EOF
ClusterName=wgruntest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
KillWait=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

    # munged forks, and records the daemon's pid itself.
    runuser -u munge -- "$SBIN/munged" --socket="$dir/munge/munge.socket.2" \
        --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
        --seed-file="$dir/munge/munged.seed" --log-file="$dir/munge/munged.log" ||
        { echo "munged did not start:"; tail -n 5 "$dir/munge/munged.log"; stop "$dir"; return 1; }
    # slurmctld and slurmd daemonize and write their pid files (-i: start
    # afresh, ignoring any state; slurmctld -c: clear it).
    SLURM_CONF=$dir/slurm.conf "$SBIN/slurmctld" -c -i ||
        { echo "slurmctld did not start:"; tail -n 5 "$dir/slurmctld.log"; stop "$dir"; return 1; }
    SLURM_CONF=$dir/slurm.conf "$SBIN/slurmd" ||
        { echo "slurmd did not start:"; tail -n 5 "$dir/slurmd.log"; stop "$dir"; return 1; }
    local i
    for ((i = 0; i < 300; i++)); do
        node_idle && return 0
        sleep 0.1
    done
    echo "the node did not become idle in 30 s:"
    SLURM_CONF=$dir/slurm.conf sinfo -N 2>&1
    tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log"
    stop "$dir"
    return 1
}

# Up to three tries: the ports were free when chosen, but another program
# (another instance) may have taken one since.
start() {
    dir=$(cd "$1" && pwd) || return 1
    usable >/dev/null || { usable; return 1; }
    local try
    for try in 1 2 3; do
        start_once && return 0
        echo "(try $try of 3 failed)"
        rm -rf "$dir/state" "$dir/spool" "$dir/munge" "$dir"/*.pid
    done
    return 1
}

stop() {
    dir=$1
    local f pid pids=() jobs i
    # Jobs still there (a test that failed half-way) are cancelled first, so
    # that no step's processes outlive the daemons.
    if pid_in "$dir/slurmctld.pid" >/dev/null; then
        jobs=$(SLURM_CONF=$dir/slurm.conf squeue -h -o %i 2>/dev/null)
        if [ -n "$jobs" ]; then
            SLURM_CONF=$dir/slurm.conf scancel $jobs 2>/dev/null
            for ((i = 0; i < 50; i++)); do
                [ -z "$(SLURM_CONF=$dir/slurm.conf squeue -h -o %i 2>/dev/null)" ] && break
                sleep 0.1
            done
        fi
    fi
    # slurmd, slurmctld, then munged, which both talk to.
    for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
        pid=$(pid_in "$f") || continue
        kill -TERM "$pid" 2>/dev/null
        pids+=("$pid")
    done
    local left
    for ((i = 0; i < 100; i++)); do
        left=()
        for pid in "${pids[@]+"${pids[@]}"}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
        [ ${#left[@]} -eq 0 ] && return 0
        sleep 0.1
    done
    # Still there after 10 s: by force, the same pids.
    kill -KILL "${left[@]}" 2>/dev/null
    return 0
}

case ${1:-} in
    start) [ $# -eq 2 ] && start "$2" ;;
    stop) [ $# -eq 2 ] && stop "$2" ;;
    usable) usable ;;
    *) echo "usage: slurm.sh start DIR | stop DIR | usable" >&2; exit 2 ;;
esac
