#!/usr/bin/env bash
# File descriptors (issue 12, points 4, 6 and 11): running out of them makes
# jobs wait, never ends the run; a closed stdin, stdout or stderr is
# /dev/null to wgrun, so that none of its own files lands on 0-2; jobs get the
# fds wgrun was started with (open, not close-on-exec), and never one of
# wgrun's own.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# Sanitizer runtimes open files of their own (UBSan's vptr check reads
# /proc/self/maps, and reports false "invalid vptr" errors when it cannot):
# give them more fds.
if sanitized; then LOW=32 LOWEST=24; else LOW=16 LOWEST=6; fi

# only_fds N... -- COMMAND...: runs COMMAND with every fd above 2 closed but
# those named (which must be open).
only_fds() {
    local keep=" " p n
    while [ "$1" != -- ]; do keep+="$1 "; shift; done
    shift
    (
        for p in /proc/$BASHPID/fd/*; do
            n=${p##*/}
            [ "$n" -gt 2 ] && [[ $keep != *" $n "* ]] && eval "exec $n>&-"
        done
        "$@"
    )
}

# with_nofile N COMMAND...: runs COMMAND with both limits on open files at N,
# so that wgrun cannot raise its soft limit to the hard one, and no fd above
# 2 open (whatever the test's caller left open would count against N).
with_nofile() { only_fds -- limited_to "$@"; }
limited_to() {
    ulimit -n "$1" || return
    shift
    "$@"
}

# --- 4. running out of fds ---

# Fails before the fix: "wgrun: internal error: assign: Bad file descriptor
# [system:9 ...]", exit 255, no output: pidfd_open() found no fd after the job
# had started, and the -1 reached asio. (900 jobs of 2 s: enough to run out
# of fds before the first ones end.)
many_jobs_few_fds() {
    local out status lines n=900
    out=$(with_nofile 1024 wg -j0 'sleep 2; echo {}' ::: $(seq $n) 2>"$SANDBOX/many.err")
    status=$?
    status_is 0 $status || { cat "$SANDBOX/many.err"; return 1; }
    lines=$(sort -n <<<"$out" | uniq | wc -l)
    same "distinct output lines" "$n" "$lines" || return 1
    same "stderr" "" "$(cat "$SANDBOX/many.err")"
}
check "-j0 with 900 jobs and 1024 fds: jobs wait for fds, all run, exit 0" many_jobs_few_fds

# Fails before the fix: "wgrun: internal error: epoll: Too many open files",
# exit 255 (asio's reactor found no fd at the first start).
sixteen_fds() {
    local out status
    out=$(with_nofile $LOW wg -j4 'sleep 0.1; echo {}' ::: $(seq 10) 2>"$SANDBOX/16.err")
    status=$?
    status_is 0 $status || { cat "$SANDBOX/16.err"; return 1; }
    same "output" "$(seq 10)" "$(sort -n <<<"$out")" || return 1
    same "stderr" "" "$(cat "$SANDBOX/16.err")"
}
check "with $LOW fds (hard limit), -j4 runs the jobs a few at a time, exit 0" sixteen_fds

# Big output at $LOW fds: spill files (grouped and -k output) and --results
# files are fds too; no byte may be lost and no job may fail for them.
sixteen_fds_big_output() {
    in_case_dir
    local status expected got mode i
    expected=$(for i in 1 2 3 4 5 6; do printf '%s:%s ' "$i" 1500000; done)
    for mode in "" "-k" "--line-buffer" "--results res/{#}/"; do
        rm -rf res
        with_nofile $LOW wg -j4 $mode "head -c 1500000 /dev/zero | tr '\\0' {}; head -c 700000 /dev/zero >&2" \
            ::: 1 2 3 4 5 6 >out.bin 2>err.bin
        status=$?
        status_is 0 "$status" || { echo "mode '$mode'"; tr -d '\0' <err.bin | head -c 2000; return 1; }
        got=$(for i in 1 2 3 4 5 6; do printf '%s:%s ' "$i" "$(tr -cd "$i" <out.bin | wc -c)"; done)
        same "stdout bytes per job (mode '$mode')" "$expected" "$got" || return 1
        same "stdout size (mode '$mode')" 9000000 "$(wc -c <out.bin)" || return 1
        same "stderr size (mode '$mode')" 4200000 "$(wc -c <err.bin)" || return 1
        if [ "$mode" = "--results res/{#}/" ]; then
            same "saved results" "1 2 3 4 5 6" "$(ls res | sort -n | tr '\n' ' ' | sed 's/ $//')" || return 1
            same "saved stdout of job 6" 1500000 "$(wc -c <res/6/stdout)" || return 1
        fi
    done
}
check "with $LOW fds, jobs with big output (-k, --line-buffer, --results) lose nothing" sixteen_fds_big_output

# At every limit from very low up, wgrun either runs the jobs or says why in
# a line of its own (too few fds for wgrun itself: "wgrun: signalfd: Too
# many open files", exit 255): never an internal error, never a crash. (Before the fix
# several limits end in "internal error: epoll" or "assign: Bad file
# descriptor".)
every_low_limit() {
    local n out status bad=""
    for n in $(seq $LOWEST $((LOW + 8))); do
        out=$(with_nofile "$n" wg -j3 'echo {}' ::: 1 2 3 4 2>&1)
        status=$?
        if grep -q 'internal error' <<<"$out" || { [ "$status" -gt 128 ] && [ "$status" -ne 255 ]; } ||
            { [ "$status" -eq 0 ] && [ "$(sort -n <<<"$out" | tr '\n' ' ')" != "1 2 3 4 " ]; } ||
            { [ "$status" -ne 0 ] && ! grep -q '^wgrun: ' <<<"$out"; }; then
            bad+="limit $n: exit $status: $out"$'\n'
        fi
    done
    same "limits with a bad outcome" "" "$bad"
}
check "from $LOWEST fds up, a run either works or says why (no internal error, no crash)" every_low_limit

# --- 6. closed standard streams ---

# Fails before the fix: dies of SIGABRT (status 134): fd 2 was an eventfd of
# wgrun's, and writing the report to it threw.
closed_stderr() {
    local status
    wg false ::: 1 2>&-
    status=$?
    status_is 1 $status
}
check "a closed stderr: a failed job is still exit 1 (no SIGABRT)" closed_stderr

# Fails before the fix: dies of SIGABRT (status 134).
full_stderr() {
    local status
    wg false ::: 1 2>/dev/full
    status=$?
    status_is 1 $status || return 1
    wg --report true ::: 1 2>/dev/full
    status=$?
    status_is 0 $status
}
check "stderr on a full disk: the report is lost, the exit status stands" full_stderr

# Fails before the fix: jl.log holds "OUT1" ... (fd 1 was the job log), and
# the --resume that follows refuses the log.
closed_stdout_joblog() {
    in_case_dir
    local status
    wg --joblog jl.log 'echo OUT{}' ::: 1 2 3 >&-
    status=$?
    status_is 0 $status || return 1
    if grep -q '^OUT' jl.log; then
        echo "job output in the job log:"
        cat jl.log
        return 1
    fi
    same "job log lines" 4 "$(wc -l <jl.log)" || return 1
    wg --joblog jl.log --resume 'echo OUT{}' ::: 1 2 3 4 >out.txt
    status=$?
    status_is 0 $status || return 1
    same "resumed output" "OUT4" "$(cat out.txt)"
}
check "a closed stdout: job output never lands in --joblog, --resume reads it" closed_stdout_joblog

# Fails before the fix: j.json holds the jobs' output lines.
closed_stdout_json() {
    in_case_dir
    local status line
    wg --json j.json 'echo OUT{}' ::: 1 2 3 >&-
    status=$?
    status_is 0 $status || return 1
    same "json lines" 4 "$(wc -l <j.json)" || return 1
    while IFS= read -r line; do
        [[ $line == '{'* ]] || { echo "not a JSON record: $line"; return 1; }
    done <j.json
}
check "a closed stdout: --json holds only its records" closed_stdout_json

# Fails before the fix: "wgrun: cannot read standard input: Bad file
# descriptor", exit 255.
closed_stdin() {
    local out status
    out=$(wg <&- 2>&1)
    status=$?
    status_is 0 $status || return 1
    same "output" "" "$out" || return 1
    out=$(wg 'echo {}' ::: a <&-)
    same "output with :::" "a" "$out"
}
check "a closed stdin is an empty input" closed_stdin

# No fd of wgrun's own is on 0-2 for the jobs either: with all three closed,
# a job's stdin is /dev/null and its stdout and stderr are pipes. (Passes
# before the fix too: the spawner moved its fds off 0-2; a guard.)
all_std_closed_job_fds() {
    in_case_dir
    local status
    wg --joblog jl.log "readlink /proc/\$\$/fd/0 /proc/\$\$/fd/1 /proc/\$\$/fd/2 | cat >$CASE/fds.txt; : {}" \
        ::: 1 <&- >&- 2>&-
    status=$?
    status_is 0 $status || return 1
    same "the job's fds 0, 1, 2" "/dev/null pipe pipe" "$(sed 's/:.*//' fds.txt | tr '\n' ' ' | sed 's/ $//')"
}
check "with 0, 1, 2 all closed, jobs still get /dev/null and two pipes" all_std_closed_job_fds

# --- 11. inherited fds ---

# Fails before the fix: "sh: 1: 3: Bad file descriptor", exit 1, log empty.
# (The argument is appended to the command: the job runs `echo hi >&3 1`.)
fd3_reaches_job() {
    in_case_dir
    local status
    wg 'echo hi >&3' ::: 1 3>log
    status=$?
    status_is 0 $status || return 1
    same "log" "hi 1" "$(cat log)"
}
check "an fd the caller opened (3>log) reaches the job: echo hi >&3" fd3_reaches_job

# Fails before the fix: fd 3 and fd 7 are closed in the jobs.
fds_3_and_7_many_jobs() {
    in_case_dir
    local status
    wg -j4 'echo a{} >&3; echo b{} >&7' ::: $(seq 40) 3>f3 7>f7
    status=$?
    status_is 0 $status || return 1
    same "fd 3" "$(seq 40 | sed 's/^/a/')" "$(sort -V f3)" || return 1
    same "fd 7" "$(seq 40 | sed 's/^/b/')" "$(sort -V f7)"
}
check "fds 3 and 7 reach every job at -j4" fds_3_and_7_many_jobs

# The fds a job has are exactly 0, 1, 2 and those the caller passed (3 and 7
# here): none of wgrun's own (epoll, signalfd, eventfds, the guardian's
# socket, other jobs' pipes, spill files, --joblog, --json, --results files).
# Each job writes 300 KB to each stream (so that -k spills to disk) and then
# lists its fds. Fails before the fix: 3 and 7 are missing.
exact_fd_set() {
    in_case_dir
    local expected out mode
    # One line in one write (-u mixes the jobs' writes).
    local list='printf "%s\n" "$(ls /proc/self/fd | tr "\n" " ")"'
    expected=$(only_fds 3 7 -- sh -c "$list" 3>f3 7>f7 | sed 's/ $//')
    for mode in "" "-k" "-u" "--line-buffer"; do
        rm -rf res j.json jl.log
        out=$(only_fds 3 7 -- wg -j4 $mode --joblog jl.log --json j.json --results 'res/{#}/' \
            "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2; echo; $list # {}" \
            ::: $(seq 24) 3>f3 7>f7 2>/dev/null | tr -d '\0' | grep -E '^[0-9 ]+$' | sort | uniq -c |
            awk '{ $1 = $1 ":"; print }')
        same "fd listings of 24 jobs (mode '$mode')" "24: $expected" "$out" || return 1
    done
}
check "a job has exactly 0-2 and the caller's fds, none of wgrun's (-j4, all modes)" exact_fd_set

# With nothing inherited, jobs started late in a long run, while others run,
# still see only 0-2. (Passes before the fix too: a guard against passing on
# an fd of wgrun's own now that some fds are kept open in the child.)
no_fd_of_wgrun_in_a_late_job() {
    in_case_dir
    local expected out
    expected=$(only_fds -- sh -c 'ls /proc/self/fd' | tr '\n' ' ' | sed 's/ $//')
    # 200 jobs at -j8, the last ones listing their fds while others still run.
    out=$(only_fds -- wg -j8 --joblog jl.log "sleep 0.0{%}; ls /proc/self/fd | tr '\\n' ' '; echo # {}" \
        ::: $(seq 200) | sort | uniq -c | awk '{ $1 = $1 ":"; print }')
    same "fd listings of 200 jobs" "200: $expected" "$out"
}
check "200 jobs at -j8 with nothing inherited see only 0-2" no_fd_of_wgrun_in_a_late_job

finish
