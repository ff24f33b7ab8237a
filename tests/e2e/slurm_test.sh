#!/usr/bin/env bash
# slurm_test.sh: --slurm against a real single-node Slurm 22.05 (munged,
# slurmctld, slurmd) that this script starts (tests/services/slurm.sh) and
# stops by pid as it ends: each job a step, its status (exit codes, signals),
# the node in the joblog, steps side by side up to the slots, --timeout and
# Ctrl-C (every step cancelled, nothing left on the node), and --slurm
# outside an allocation. Skipped, with the reason, when not root or Slurm's
# programs are missing. wgrun runs in an allocation as users run it: under
# `salloc` (a batch script's `sbatch --wait` once).
source "$(dirname "$0")/lib.sh"

SERVICE=$ROOT/tests/services/slurm.sh

# What runs in the allocation (salloc runs it in the case's folder): wgrun
# --slurm with the words in ./args (NUL-ended: no command line but wgrun's
# and its jobs' holds the case's mark), SIGINT, SIGTERM and SIGHUP at their
# defaults, stdout to ./out, stderr to ./err, its pid in ./wgrun.pid; then,
# while the allocation still holds (its end would cancel any step), up to 5
# s for the steps and the marked processes ($MARK) to be gone: what is left
# goes to ./steps.left and ./procs.left. Exits with wgrun's status.
IN_ALLOCATION=$SANDBOX/in_allocation.sh
cat >"$IN_ALLOCATION" <<'SH'
mapfile -d '' -t words <args
perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP); exec @ARGV or die "exec: $!"' \
    "$WGRUN" --slurm "${words[@]}" >out 2>err &
echo $! >wgrun.pid
wait $!
st=$?
marked() {
    local d a
    [ -n "${MARK:-}" ] || return 0
    for d in /proc/[0-9]*; do
        a=$({ tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null) || continue
        case $a in *"sleep $MARK"*) echo "${d#/proc/}: $a" ;; esac
    done
}
for i in $(seq 100); do
    steps=$(squeue -h -s -j "$SLURM_JOB_ID" -o %i)
    procs=$(marked)
    [ -z "$steps$procs" ] && break
    sleep 0.05
done
echo "$steps" >steps.left
echo "$procs" >procs.left
exit "$st"
SH

# allocated WGRUN-ARGS...: wgrun --slurm ARGS in an allocation of 2 tasks
# on the node (salloc), as above, in the current folder; sets ST to its
# exit status (salloc passes it on), and returns it.
allocated() {
    printf '%s\0' "$@" >args
    WGRUN=$WGRUN MARK=${MARK:-} timeout 60 salloc -N1 -n2 --quiet bash "$IN_ALLOCATION" \
        >salloc.out 2>&1
    ST=$?
    return "$ST"
}

# nothing_left: no step of the allocation and no marked process was left
# once wgrun had ended (seen in the allocation), nor now.
nothing_left() {
    same "steps left in the allocation" "" "$(cat steps.left)" &&
        same "processes left" "" "$(cat procs.left)" && none_left
}

# The joblog's column NAME for each line, in Seq order.
column_of() {
    awk -F'\t' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        { print $1 "\t" $c }' "$1" | sort -n | cut -f2
}

# --- without Slurm -----------------------------------------------------------

case_outside_an_allocation_is_a_usage_error() {
    local err st
    err=$(env -u SLURM_JOB_ID -u SLURM_JOBID "$WGRUN" --slurm echo x 2>&1 >/dev/null)
    st=$?
    status_is 255 "$st" || return 1
    has "message" "SLURM_JOB_ID is not set" "$err" &&
        has "names sbatch" "sbatch" "$err" && has "names salloc" "salloc" "$err"
}
check "--slurm outside an allocation: usage error naming salloc and sbatch" \
    case_outside_an_allocation_is_a_usage_error

case_refuses_jobserver_and_tty() {
    local st
    SLURM_JOB_ID=1 "$WGRUN" --slurm --jobserver -j2 true 2>/dev/null
    st=$?
    status_is 255 "$st" || return 1
    SLURM_JOB_ID=1 "$WGRUN" --slurm --tty true 2>/dev/null
    st=$?
    status_is 255 "$st"
}
check "--slurm with --jobserver or --tty: usage error" case_refuses_jobserver_and_tty

# --- the step guard, around a srun of the test's own --------------------------
# (wgrun --slurm-step-guard JOBID SRUN ARGS..., exec/srun_guard.hpp): no
# Slurm needed. FAKE holds an scontrol that lists one step, 9.4, whose srun
# is the pid in $FAKE/srun.pid, and an scancel that writes what it was asked.
FAKE=$SANDBOX/fake
mkdir -p "$FAKE"
cat >"$FAKE/scontrol" <<SH
#!/bin/sh
echo "StepId=9.3 UserId=0 Name=other SrunHost:Pid=h:1"
echo "StepId=9.4 UserId=0 Name=sleep SrunHost:Pid=h:\$(cat $FAKE/srun.pid)"
SH
cat >"$FAKE/scancel" <<SH
#!/bin/sh
echo "\$@" >>$FAKE/cancelled
SH
chmod +x "$FAKE/scontrol" "$FAKE/scancel"

# raw_status COMMAND...: "signal N" or "exit N", as COMMAND ended.
raw_status() {
    perl -e 'system @ARGV; my $s = $?; print $s & 127 ? "signal " . ($s & 127) : "exit " . ($s >> 8)' \
        "$@"
}

case_guard_reads_srun_report() {
    local got
    got=$(raw_status "$WGRUN" --slurm-step-guard 9 sh -c \
        'echo "srun: error: n1: task 0: Terminated" >&2; exit 143' 2>/dev/null)
    same "task killed by SIGTERM" "signal 15" "$got" || return 1
    got=$(raw_status "$WGRUN" --slurm-step-guard 9 sh -c \
        'echo "srun: error: n1: task 0: Exited with exit code 143" >&2; exit 143' 2>/dev/null)
    same "task exited 143" "exit 143" "$got" || return 1
    got=$(raw_status "$WGRUN" --slurm-step-guard 9 sh -c 'exit 143' 2>/dev/null)
    same "no report" "exit 143" "$got" || return 1
    got=$(raw_status "$WGRUN" --slurm-step-guard 9 sh -c 'exit 3' 2>/dev/null)
    same "exit 3" "exit 3" "$got" || return 1
    got=$("$WGRUN" --slurm-step-guard 9 sh -c 'echo out; echo err >&2; printf part >&2' 2>&1)
    same "stdout and stderr passed on" "$(printf 'out\nerr\npart')" "$got"
}
check "step guard: a signal when srun's code and its report say so, else the exit code" \
    case_guard_reads_srun_report

case_guard_killed_leaves_the_step_cancelled() {
    in_case_dir
    new_mark
    rm -f "$FAKE/cancelled" "$FAKE/srun.pid"
    PATH=$FAKE:$PATH setsid "$WGRUN" --slurm-step-guard 9 sh -c \
        "echo \$\$ >$FAKE/srun.pid; exec sleep $MARK" &
    local guard=$!
    wait_for 10 test -s "$FAKE/srun.pid" || { echo "no srun started"; return 1; }
    kill -KILL -- -"$guard"
    wait "$guard"
    wait_for 10 test -s "$FAKE/cancelled" || { echo "scancel was not run"; return 1; }
    same "scancel's words" "--quiet 9.4" "$(cat "$FAKE/cancelled")" && none_left
}
check "step guard killed with srun (SIGKILL to the group): the canceller cancels srun's step" \
    case_guard_killed_leaves_the_step_cancelled

case_guard_done_cancels_nothing() {
    rm -f "$FAKE/cancelled"
    PATH=$FAKE:$PATH "$WGRUN" --slurm-step-guard 9 sh -c "echo \$\$ >$FAKE/srun.pid; exit 0" ||
        return 1
    sleep 0.5
    [ ! -e "$FAKE/cancelled" ] || { echo "scancel ran: $(cat "$FAKE/cancelled")"; return 1; }
}
check "step guard: a srun that ended leaves nothing to cancel" case_guard_done_cancels_nothing

# --- with a Slurm of our own -------------------------------------------------

if ! why=$("$SERVICE" usable); then
    skip "--slurm against a real Slurm" "$why"
    finish
    exit
fi
SLURM_DIR=$SANDBOX/slurm
mkdir -p "$SLURM_DIR"
trap '"$SERVICE" stop "$SLURM_DIR"; rm -rf "$SANDBOX"' EXIT
if ! started=$("$SERVICE" start "$SLURM_DIR" 2>&1); then
    fail "Slurm starts" "$started"
    finish
    exit
fi
export SLURM_CONF=$SLURM_DIR/slurm.conf
NODE=$(sinfo -h -N -o %N)
pass "Slurm started (node $NODE)"

case_statuses() {
    in_case_dir
    allocated --joblog jl -k 'exit {}' ::: 0 3 || :
    status_is 1 "$ST" || { cat err; return 1; }
    same "Exitval" "$(printf '0\n3')" "$(column_of jl Exitval)" &&
        same "Signal" "$(printf '0\n0')" "$(column_of jl Signal)"
}
check "--slurm: a step's exit code is the job's" case_statuses

case_signal_death_is_a_signal() {
    in_case_dir
    # The task killed by SIGTERM, SIGKILL, SIGINT; and one that exits 143
    # (srun's code for both is 143: its report tells them apart).
    allocated --joblog jl -k 'kill -TERM $$' 'kill -KILL $$' 'kill -INT $$' 'exit 143'
    status_is 4 "$ST" || { cat err; return 1; }
    same "Signal" "$(printf '15\n9\n2\n0')" "$(column_of jl Signal)" &&
        same "Exitval" "$(printf '0\n0\n0\n143')" "$(column_of jl Exitval)" &&
        has "report" "job 1 failed \(killed by SIGTERM\)" "$(cat err)" &&
        has "report" "job 4 failed \(exit 143\)" "$(cat err)"
}
check "--slurm: a task killed by a signal is reported killed by it, exit 143 as exit 143" \
    case_signal_death_is_a_signal

case_not_found_is_127() {
    in_case_dir
    allocated --joblog jl 'no-such-program-wgrun-test {}' ::: x
    status_is 1 "$ST" && same "Exitval" 127 "$(column_of jl Exitval)"
}
check "--slurm: a program not found on the node is exit 127 (the shell's)" case_not_found_is_127

case_host_is_the_node() {
    in_case_dir
    allocated --joblog jl -k 'echo $SLURMD_NODENAME $WGRUN_HOST $SLURM_STEP_ID {}' ::: a b
    status_is 0 "$ST" || { cat err; return 1; }
    same "Host column" "$(printf '%s\n%s' "$NODE" "$NODE")" "$(column_of jl Host)" &&
        same "SLURMD_NODENAME and WGRUN_HOST" "$(printf '%s %s\n%s %s' "$NODE" "$NODE" "$NODE" "$NODE")" \
            "$(cut -d' ' -f1,2 out)" &&
        has "a step of its own" '^[^ ]+ [^ ]+ [0-9]+ a$' "$(cat out)"
}
check "--slurm: joblog Host is the step's node (SLURMD_NODENAME), WGRUN_HOST too" \
    case_host_is_the_node

# The most jobs that ran at once, from lines "START END" (nanoseconds).
most_at_once() {
    awk '{ print $1, 1; print $2, -1 }' "$1" | sort -n -k1,1 -k2,2n |
        awk '{ n += $2; if (n > most) most = n } END { print most }'
}

case_steps_side_by_side_up_to_the_tasks() {
    in_case_dir
    local job='s=$(date +%s%N); sleep 0.6; echo $s $(date +%s%N) >>'"$CASE"'/spans'
    allocated "$job" ::: 1 2 3 4
    status_is 0 "$ST" || { cat err; return 1; }
    same "jobs at once (default: the 2 tasks)" 2 "$(most_at_once spans)" || return 1
    rm -f spans
    allocated -j1 "$job" ::: 1 2 3
    status_is 0 "$ST" || { cat err; return 1; }
    same "jobs at once (-j1: one per node)" 1 "$(most_at_once spans)"
}
check "--slurm: steps run side by side, as many as the allocation's tasks (or -j per node)" \
    case_steps_side_by_side_up_to_the_tasks

case_env_workdir_nice() {
    in_case_dir
    mkdir wd
    allocated --wd "$CASE/wd" --nice 5 \
        'echo "$WGRUN_SEQ $PWD $(cut -d" " -f19 /proc/self/stat) $FROM_WGRUN" {}' ::: x
    status_is 0 "$ST" || { cat err; return 1; }
    same "seq, workdir, niceness, environment" "1 $CASE/wd 5 yes x" "$(cat out)"
}
FROM_WGRUN=yes
export FROM_WGRUN
check "--slurm: the step gets wgrun's environment, --wd and --nice" case_env_workdir_nice

case_timeout_cancels_the_step() {
    in_case_dir
    new_mark
    local start
    start=$(now_ms)
    allocated --joblog jl --timeout 1 "sleep $MARK" ::: 1 2
    status_is 2 "$ST" || { cat err; return 1; }
    [ "$(elapsed_ms "$start")" -lt 15000 ] || { echo "took $(elapsed_ms "$start") ms"; return 1; }
    has "report" "timed out" "$(cat err)" && nothing_left
}
check "--slurm --timeout: the step is cancelled, nothing left on the node" \
    case_timeout_cancels_the_step

case_sigkill_first_still_cancels() {
    in_case_dir
    new_mark
    # srun and its own canceller die of SIGKILL at once: wgrun's step
    # canceller, outside the job's tree, cancels the step.
    allocated --timeout 1 --term-seq KILL,25 "sleep $MARK" ::: 1
    status_is 1 "$ST" || { cat err; return 1; }
    nothing_left
}
check "--slurm: a srun killed by SIGKILL leaves no step behind (the step canceller)" \
    case_sigkill_first_still_cancels

# ctrl_c SIGNALS...: two steps running `sleep MARK` (the second ignoring
# SIGINT), then each SIGNAL sent to wgrun (once the one before was taken):
# every step is cancelled and nothing is left. With one SIGINT, the joblog
# has each job killed by a signal.
ctrl_c() {
    in_case_dir
    new_mark
    local signal wgrun
    allocated --joblog jl "echo \$\$ >>$CASE/started; sleep $MARK" \
        "echo \$\$ >>$CASE/started; trap '' INT; sleep $MARK" &
    BG=$!
    started 2 || { echo "the steps did not start"; cat err salloc.out; kill -KILL "$BG"; return 1; }
    wgrun=$(cat wgrun.pid)
    for signal in "$@"; do
        kill -"$signal" "$wgrun"
        wait_for 5 signal_taken "$wgrun" "$signal"
    done
    finished_bg 20 || return 1
    nothing_left || return 1
    [ $# -gt 1 ] && return 0
    # SIGINT reached the first task (srun --disable-status); the second
    # ignored it, and its step was cancelled (SIGKILL) at the TERM after.
    same "Signal" "$(printf '2\n9')" "$(column_of jl Signal)"
}
check "--slurm: Ctrl-C cancels every step (one ignoring SIGINT too), nothing left" ctrl_c INT
check "--slurm: a second Ctrl-C at once (SIGKILL) still cancels every step" ctrl_c INT INT

case_wgrun_killed() {
    in_case_dir
    new_mark
    allocated "echo \$\$ >>$CASE/started; sleep $MARK" "echo \$\$ >>$CASE/started; sleep $MARK" &
    BG=$!
    started 2 || { echo "the steps did not start"; cat err salloc.out; kill -KILL "$BG"; return 1; }
    # wgrun's guardian sends the jobs SIGTERM: each srun cancels its step.
    kill -KILL "$(cat wgrun.pid)"
    finished_bg 20 || return 1
    status_is 137 "$ST" && nothing_left
}
check "--slurm: wgrun killed with SIGKILL leaves no step behind" case_wgrun_killed

case_sbatch_script() {
    in_case_dir
    # The README's script, shortened: wgrun in the batch step.
    cat >job.sh <<EOF
#!/bin/bash
#SBATCH --ntasks=2
#SBATCH --output=$CASE/slurm.out
"$WGRUN" --slurm --joblog $CASE/jl 'echo {} on \$SLURMD_NODENAME' ::: a b c
EOF
    timeout 60 sbatch --wait --quiet job.sh >sbatch.out 2>&1
    local st=$?
    status_is 0 "$st" || { cat sbatch.out slurm.out; return 1; }
    same "output" "$(printf 'a on %s\nb on %s\nc on %s' "$NODE" "$NODE" "$NODE")" \
        "$(sort slurm.out)" && [ "$(column_of jl Host | sort -u)" = "$NODE" ]
}
check "--slurm in a batch script (sbatch --wait)" case_sbatch_script

finish
