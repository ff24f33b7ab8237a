#!/usr/bin/env bash
# How jobs run: the shell or --no-shell, missing commands, -j and how many
# run at once, stdin, environment, process groups, --dry-run, --help and
# --version.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# conc.sh DIR TARGET: one job of a concurrency probe. Counts itself in
# DIR/cur under flock and keeps the peak in DIR/max; waits until the peak has
# reached TARGET (or DIR/deadline has passed) so that the jobs overlap when
# wgrun lets them, then stays a little longer and counts itself out.
cat >"$SANDBOX/conc.sh" <<'SH'
d=$1 target=$2
flock "$d/lock" sh -c '
    n=$(( $(cat "$1/cur") + 1 )); echo $n >"$1/cur"
    if [ "$n" -gt "$(cat "$1/max")" ]; then echo $n >"$1/max.tmp"; mv "$1/max.tmp" "$1/max"; fi' _ "$d"
while [ "$(cat "$d/max")" -lt "$target" ] && [ "$(date +%s)" -lt "$(cat "$d/deadline")" ]; do
    sleep 0.05
done
sleep 0.3
flock "$d/lock" sh -c 'echo $(( $(cat "$1/cur") - 1 )) >"$1/cur"' _ "$d"
SH

# max_concurrency TARGET JOBS [WRAPPER...] -- WGRUN-OPTIONS...: runs JOBS
# probe jobs through wgrun and prints the most that ran at once.
max_concurrency() {
    local target=$1 jobs=$2 d
    shift 2
    local wrapper=()
    while [ "$1" != -- ]; do wrapper+=("$1"); shift; done
    shift
    d=$(mktemp -d "$SANDBOX/conc.XXXXXX")
    echo 0 >"$d/cur"
    echo 0 >"$d/max"
    echo $(($(date +%s) + 30)) >"$d/deadline"
    "${wrapper[@]}" timeout 120 "$WGRUN" "$@" "sh '$SANDBOX/conc.sh' '$d' $target" ::: $(seq "$jobs") >&2 ||
        { echo "wgrun failed" >&2; return 1; }
    cat "$d/max"
}

# at_once EXPECTED JOBS [WRAPPER...] -- WGRUN-OPTIONS...
at_once() {
    local expected=$1 max
    max=$(max_concurrency "$@") || return 1
    [ "$max" = "$expected" ] || { echo "at most $max jobs ran at once, expected $expected"; return 1; }
}

shell_is_bin_sh() {
    local out
    out=$(PARALLEL_SHELL=/bin/sh wg 'readlink -f /proc/$$/exe; echo a | tr a b') || return 1
    same "output" "$(readlink -f /bin/sh)"$'\nb' "$out" || return 1
    # Started from this bash script, jobs run under bash (shell_test.sh).
    out=$(wg 'readlink -f /proc/$$/exe; echo a | tr a b') || return 1
    same "output from bash" "$(readlink -f "$(command -v bash)")"$'\nb' "$out"
}
check "a job runs under /bin/sh -c (PARALLEL_SHELL=/bin/sh), under bash from bash" shell_is_bin_sh

no_shell_words() {
    local out
    out=$(wg --no-shell echo '$HOME' ::: x) || return 1
    same "output" '$HOME x' "$out"
}
check "--no-shell: wgrun --no-shell echo '\$HOME' ::: x prints \$HOME x" no_shell_words

no_shell_quoting() {
    in_case_dir
    local out
    out=$(wg --no-shell "printf '%s|' 'a b' \"c d\" e\\ f '*' 'x;' '>g' '\$(id)'" ::: h) || return 1
    same "output" 'a b|c d|e f|*|x;|>g|$(id)|h|' "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "--no-shell splits words by shell quoting, expands nothing, runs no operator" no_shell_quoting

no_shell_direct() {
    local out
    out=$(wg --no-shell 'readlink -f /proc/self/exe') || return 1
    same "output" "$(readlink -f "$(command -v readlink)")" "$out"
}
check "--no-shell execs the command directly" no_shell_direct

missing_command() {
    local out err st
    out=$(wg -j1 'no-such-command-wgrun' 'echo ok' 2>"$SANDBOX/err")
    st=$?
    err=$(cat "$SANDBOX/err")
    status_is 1 "$st" || { echo "$err"; return 1; }
    same "output" "ok" "$out" || return 1
    has "report" "exit 127" "$err"
}
check "a missing command fails with 127 and the other jobs go on" missing_command

missing_command_no_shell() {
    local out err st
    out=$(wg -j1 --no-shell ::: 'no-such-command-wgrun x' 'echo ok' 2>"$SANDBOX/err")
    st=$?
    err=$(cat "$SANDBOX/err")
    status_is 1 "$st" || { echo "$err"; return 1; }
    same "output" "ok" "$out" || return 1
    has "report" "exit 127" "$err"
}
check "--no-shell: a missing command fails with 127 and the other jobs go on" missing_command_no_shell

check "-j1: at most 1 job at once" at_once 1 4 -- -j1
check "-j2: at most 2 jobs at once" at_once 2 7 -- -j2
check "--jobs 3: at most 3 jobs at once" at_once 3 10 -- --jobs 3
check "-j0 with 20 jobs: all 20 at once" at_once 20 20 -- -j0

check "default -j under taskset -c 0 is 1" at_once 1 4 taskset -c 0 --
check "-j 200% under taskset -c 0 is 2" at_once 2 7 taskset -c 0 -- -j 200%
check "-j +2 under taskset -c 0 is 3" at_once 3 10 taskset -c 0 -- -j +2
check "-j -1 under taskset -c 0 is 1 (at least one)" at_once 1 4 taskset -c 0 -- -j -1

# Two usable CPUs: when this machine has them and no cgroup quota lowers it.
two_cpus() {
    taskset -c 0,1 true 2>/dev/null || return 1
    [ "$(taskset -c 0,1 nproc)" = 2 ] || return 1
    local cg
    cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
    if [ -r "/sys/fs/cgroup$cg/cpu.max" ]; then
        case $(cat "/sys/fs/cgroup$cg/cpu.max") in max*) ;; *) return 1 ;; esac
    fi
}
if two_cpus; then
    check "default -j under taskset -c 0,1 is 2" at_once 2 7 taskset -c 0,1 --
    check "-j 50% under taskset -c 0,1 is 1" at_once 1 4 taskset -c 0,1 -- -j 50%
    check "-j -1 under taskset -c 0,1 is 1" at_once 1 4 taskset -c 0,1 -- -j -1
    check "-j +1 under taskset -c 0,1 is 3" at_once 3 10 taskset -c 0,1 -- -j +1
else
    skip "-j relative to two usable CPUs" "fewer than 2 CPUs or a cgroup quota"
fi

stdin_dev_null() {
    local out
    out=$(wg 'readlink /proc/self/fd/0') || return 1
    same "shell output" "/dev/null" "$out" || return 1
    out=$(wg --no-shell 'readlink /proc/self/fd/0') || return 1
    same "--no-shell output" "/dev/null" "$out" || return 1
    out=$(echo 'readlink /proc/self/fd/0' | wg) || return 1
    same "commands-on-stdin output" "/dev/null" "$out" || return 1
    out=$(echo x | wg 'readlink /proc/self/fd/0 # {}') || return 1
    same "stdin template output" "/dev/null" "$out"
}
check "a job's stdin is /dev/null" stdin_dev_null

stdin_open_pipe() {
    in_case_dir
    mkfifo fifo
    exec 3<>fifo # a pipe that never ends
    local out st
    out=$(timeout 30 "$WGRUN" 'cat; echo {}' ::: x <&3)
    st=$?
    status_is 0 "$st" || return 1
    same ":::-job output" "x" "$out" || return 1
    out=$(timeout 30 "$WGRUN" 'cat; echo done' <&3)
    st=$?
    status_is 0 "$st" || return 1
    same "one-command output" "done" "$out"
}
check "wgrun 'cat' with wgrun's stdin an open pipe does not hang" stdin_open_pipe

stdin_not_shared() {
    local out
    out=$(printf 'cat\necho after\n' | wg -j1) || return 1
    same "output" "after" "$out"
}
check "a job does not eat the rest of the command list on stdin" stdin_not_shared

environment() {
    local out
    out=$(wg -j1 'echo $WGRUN_SEQ $WGRUN_SLOT $PARALLEL_SEQ $PARALLEL_JOBSLOT' ::: a b c) || return 1
    same "output" $'1 1 1 1 a\n2 1 2 1 b\n3 1 3 1 c' "$out"
}
check "WGRUN_SEQ WGRUN_SLOT PARALLEL_SEQ PARALLEL_JOBSLOT are set" environment

environment_matches() {
    in_case_dir
    local out bad
    out=$(wg -j3 "sleep 0.1; echo \$WGRUN_SEQ={#} \$WGRUN_SLOT={%} \$PARALLEL_SEQ={#} \$PARALLEL_JOBSLOT={%}" ::: $(seq 9)) || return 1
    [ "$(wc -l <<<"$out")" -eq 9 ] || { echo "$out"; return 1; }
    bad=$(awk '{ for (i = 1; i <= NF; i++) { split($i, p, "="); if (p[1] != p[2]) print } }' <<<"$out")
    [ -z "$bad" ] || { echo "mismatch: $bad"; return 1; }
}
check "the variables equal {#} and {%} at -j3" environment_matches

environment_no_shell() {
    local out
    out=$(wg -j1 --no-shell 'printenv WGRUN_SEQ WGRUN_SLOT PARALLEL_SEQ PARALLEL_JOBSLOT' 'printenv WGRUN_SEQ') || return 1
    same "output" $'1\n1\n1\n1\n2' "$out"
}
check "--no-shell jobs get the variables too" environment_no_shell

process_group() {
    local out bad
    out=$(wg -j3 'echo $(ps -o pgid= -p $$) $$' ::: 1 2 3 4 5 6) || return 1
    [ "$(wc -l <<<"$out")" -eq 6 ] || { echo "$out"; return 1; }
    bad=$(awk '$1 != $2' <<<"$out")
    [ -z "$bad" ] || { echo "pgid != pid: $bad"; return 1; }
    out=$(wg --no-shell "sh -c 'echo \$(ps -o pgid= -p \$\$) \$\$'") || return 1
    bad=$(awk '$1 != $2 || NF != 2' <<<"$out")
    [ -z "$bad" ] || { echo "--no-shell: pgid != pid: $bad"; return 1; }
}
check "each job leads its own process group" process_group

kill_own_group() {
    local out st err
    out=$(wg -j2 'kill -TERM 0' 'sleep 0.5; echo ok' 2>"$SANDBOX/err")
    st=$?
    err=$(cat "$SANDBOX/err")
    status_is 1 "$st" || { echo "$err"; return 1; }
    same "output" "ok" "$out" || return 1
    has "report" "killed by SIGTERM" "$err"
}
check "a job that signals its process group (kill 0) hits only itself" kill_own_group

dry_run() {
    in_case_dir
    local out
    out=$(wg --dry-run 'touch {}' ::: a b c) || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
    [ "$(wc -l <<<"$out")" -eq 3 ] || { echo "expected 3 lines: $out"; return 1; }
    mkdir run && (cd run && sh -c "$out") &&
        same "files the printed commands make" $'a\nb\nc' "$(ls run)"
}
check "--dry-run prints one command per line and runs nothing" dry_run

dry_run_commands() {
    in_case_dir
    local out
    out=$(printf 'touch x\ntouch y\n' | wg --dry-run) || return 1
    same "output" $'touch x\ntouch y' "$out" || return 1
    out=$(wg --dry-run 'touch p' 'touch q') || return 1
    same "output" $'touch p\ntouch q' "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "--dry-run with commands (stdin, arguments) runs nothing" dry_run_commands

help() {
    local out st opt
    out=$(wg --help 2>"$SANDBOX/err")
    st=$?
    status_is 0 "$st" || return 1
    [ ! -s "$SANDBOX/err" ] || { echo "stderr: $(cat "$SANDBOX/err")"; return 1; }
    for opt in '-j --jobs' '-a --arg-file' '-0 --null' '--no-shell' '--dry-run' \
        '--quiet' '-q --quote' '-t --verbose' '-j -P --jobs' '-h --help' '--version'; do
        local n
        # shellcheck disable=SC2086
        n=$(awk -v opts="$opt" 'BEGIN { n = split(opts, o, " ") }
            { hit = 1
              for (i = 1; i <= n; i++) {
                  re = "(^|[ ,])" o[i] "([ ,=]|$)"
                  if ($0 !~ re) hit = 0
              }
              c += hit }
            END { print c + 0 }' <<<"$out")
        [ "$n" -eq 1 ] || { echo "'$opt' is on $n lines of --help, expected 1"; echo "$out"; return 1; }
    done
    same "-h output" "$out" "$(wg -h)"
}
check "--help lists every option, one line each" help

version() {
    local out st v
    out=$(wg --version)
    st=$?
    status_is 0 "$st" || return 1
    v=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
    [ "$(wc -l <<<"$out")" -eq 1 ] || { echo "more than one line: $out"; return 1; }
    has "--version" "(^|[^0-9.])${v//./\\.}([^0-9.]|$)" "$out"
}
check "--version prints the version" version

# -j 1000 runs 1000 jobs at once, with a handful of threads (not one per job),
# checked without a clock: every job waits on a lock the test holds until all
# 1000 have started, so they can only all start if they all run at once.
# The threads are counted in wgrun's own /proc/PID/task, PID found as the
# child of `timeout` (never timeout's own pid: it has one thread, and would
# pass for wgrun); a run in which wgrun was never seen fails.
many_at_once() {
    local dir=$SANDBOX/many pid n=0 threads max_threads=0 i st
    rm -rf "$dir"; mkdir -p "$dir/started"
    exec 9>"$dir/lock"
    flock -x 9
    yes "touch '$dir/started/'\$WGRUN_SEQ; flock -s '$dir/lock' true" | head -n 1000 |
        timeout 300 "$WGRUN" -j 1000 >/dev/null 2>"$SANDBOX/err" &
    pid=$!
    WGPID=
    if wait_for 30 wgrun_under "$pid"; then
        for ((i = 0; i < 3000; i++)); do
            n=$(ls "$dir/started" | wc -l)
            # wgrun's threads; 0 once it has ended (then the jobs cannot all run).
            threads=$(ls "/proc/$WGPID/task" 2>/dev/null | wc -l)
            [ "$threads" -gt "$max_threads" ] && max_threads=$threads
            [ "$n" -ge 1000 ] && break
            [ "$threads" -gt 0 ] || break
            sleep 0.1
        done
    fi
    flock -u 9
    exec 9>&-
    wait "$pid"
    st=$?
    [ -n "$WGPID" ] || { echo "wgrun never appeared under timeout ($pid)"; return 1; }
    [ "$n" -ge 1000 ] || { echo "only $n of 1000 jobs started at once"; return 1; }
    status_is 0 "$st" || { head "$SANDBOX/err"; return 1; }
    # main, the input pump, the event loop, the grouped output's writer, the
    # SIGINT/SIGTERM watcher; a sanitizer may add one of its own.
    local limit=5
    sanitized && limit=6
    [ "$max_threads" -le "$limit" ] || { echo "wgrun ran $max_threads threads"; return 1; }
}
check "-j 1000 runs 1000 jobs at once with a handful of threads" many_at_once

finish
