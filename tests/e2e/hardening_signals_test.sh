#!/usr/bin/env bash
# Issue 12, points 5, 7 and 9: signals and job lifetimes.
#  5. SIGINT/SIGTERM end wgrun while its stdout reader is stuck: a second
#     signal (or a stdout that takes nothing for 5 s) drops what is held, says
#     how many bytes of which jobs, finishes the sinks and dies of the signal.
#     Fails before the fix: wgrun waits for the reader forever (every mode).
#  7. SIGHUP says that no new jobs start and how many were not started, the
#     JSON summary, JUnit and --report record it, and wgrun dies of SIGHUP
#     (129) when jobs were left unstarted. Fails before the fix: silent, exit
#     0, "interrupted_by": null.
#  9. A job whose own process has exited is over once its pipes have been
#     silent for --output-grace (0.5 s); --timeout never marks it; a daemon it
#     left is not killed at the end of the run. Fails before the fix: wgrun
#     waits for the background child, and --timeout reports it timed out.
# Seen on the binary before the fix: every case fails (18 of 19) except
# "slow reader", a guard that the first signal still writes everything to a
# reader that reads; "SIGINT while waiting for a background child" is a
# guard too (it fails before only for want of --output-grace).
# Every case marks its long sleeps with a number of its own (`sleep $MARK`)
# and checks that none is left.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# slow N: N seconds, doubled for a sanitizer build.
slow() { if sanitized; then echo $(($1 * 2)); else echo "$1"; fi; }

# ---- 5. signals while stdout is stuck ----

# A reader that holds the FIFO open and never reads.
stuck_reader() {
    mkfifo "$CASE/f"
    (exec 3<>"$CASE/f"; exec sleep "$MARK") &
    HOLDER=$!
}

# stuck_twice SIGNAL MODE...: the issue's reproduction, with a second signal.
stuck_twice() {
    local signal=$1 status=$2 t0
    shift 2
    in_case_dir
    new_mark
    stuck_reader
    in_background "$CASE/f" "$@" --json "$CASE/j.json" --junit "$CASE/j.xml" -j2 \
        "head -c 3000000 /dev/zero; sleep $MARK" ::: 1 2 3
    # wgrun's stdout is stuck: -u writes as the jobs do, until the FIFO is
    # full; the other modes hold the output of jobs that have not ended (and
    # lines never ended): both running jobs have written their 3 MB.
    if [ "$*" = -u ]; then
        wait_for "$(slow 10)" pipe_full "$CASE/f" || { echo "the FIFO did not fill"; kill "$HOLDER"; kill -KILL "$BG"; kill_marked; return 1; }
    else
        wait_for "$(slow 10)" marked_at_least 2 || { echo "the jobs did not write"; kill "$HOLDER"; kill -KILL "$BG"; kill_marked; return 1; }
    fi
    kill -"$signal" "$BG"
    # Taken by wgrun before the second comes (two pending signals are one).
    wait_for 10 signal_taken "$BG" "$signal" || echo "wgrun did not take the first signal within 10 s"
    kill -0 "$BG" 2>/dev/null || { echo "wgrun ended on the first signal (reader stuck)"; cat "$CASE/err"; }
    t0=$(now_ms)
    kill -"$signal" "$BG" 2>/dev/null
    finished_bg "$(slow 10)" || { cat "$CASE/err"; kill "$HOLDER"; kill_marked; return 1; }
    kill "$HOLDER"
    status_is "$status" "$ST" || { cat "$CASE/err"; return 1; }
    [ "$(elapsed_ms "$t0")" -lt "$(slow 3)000" ] || { echo "took $(elapsed_ms "$t0") ms after the second signal"; return 1; }
    has "stderr" "^wgrun: output dropped: [0-9]+ bytes of job 1(, [0-9]+ bytes of job 2)? \\(a second SIG$signal\\)$" "$(cat "$CASE/err")" || return 1
    # The sinks were finished: the JSON summary, a whole JUnit document.
    has "json summary" "\"type\":\"summary\".*\"exit_status\":$status,\"interrupted_by\":\"SIG$signal\"" "$(tail -n 1 "$CASE/j.json")" || return 1
    has "junit" "^</testsuites>$" "$(cat "$CASE/j.xml")" || return 1
    none_left
}

# stuck_once: one SIGTERM only; stdout takes nothing for 5 s: wgrun gives up.
stuck_once() {
    local t0
    in_case_dir
    new_mark
    stuck_reader
    in_background "$CASE/f" -j2 "head -c 3000000 /dev/zero; sleep $MARK" ::: 1 2 3
    # Both running jobs have written their 3 MB (wgrun took them in): more
    # than the FIFO holds, so wgrun's stdout is stuck.
    wait_for "$(slow 10)" marked_at_least 2 || { echo "the jobs did not write"; kill "$HOLDER"; kill -KILL "$BG"; kill_marked; return 1; }
    t0=$(now_ms)
    kill -TERM "$BG"
    finished_bg "$(slow 15)" || { cat "$CASE/err"; kill "$HOLDER"; kill_marked; return 1; }
    kill "$HOLDER"
    status_is 143 "$ST" || { cat "$CASE/err"; return 1; }
    [ "$(elapsed_ms "$t0")" -ge 4500 ] || { echo "gave up after $(elapsed_ms "$t0") ms, before 5 s"; return 1; }
    has "stderr" "^wgrun: output dropped: .*\\(stdout took no output for 5 s after SIGTERM\\)$" "$(cat "$CASE/err")" || return 1
    none_left
}

# A reader that is slow but reads: the first signal writes everything.
slow_reader_gets_everything() {
    in_case_dir
    new_mark
    mkfifo "$CASE/f"
    (exec 3<"$CASE/f"; sleep 2; wc -c <&3 >"$CASE/count") &
    local reader=$!
    in_background "$CASE/f" -j2 "head -c 3000000 /dev/zero; sleep $MARK" ::: 1 2 3
    wait_for "$(slow 10)" marked_at_least 2 || { echo "the jobs did not write"; kill -KILL "$BG"; kill_marked; return 1; }
    kill -TERM "$BG"
    finished_bg "$(slow 15)" || { cat "$CASE/err"; kill_marked; return 1; }
    wait "$reader"
    status_is 143 "$ST" || { cat "$CASE/err"; return 1; }
    same "bytes read" 6000000 "$(cat "$CASE/count")" || return 1
    if grep -q "output dropped" "$CASE/err"; then cat "$CASE/err"; return 1; fi
    none_left
}

# ---- 7. SIGHUP ----

sighup_leaves_jobs_unstarted() {
    in_case_dir
    in_background "$CASE/out" -j1 --json "$CASE/j.json" --junit "$CASE/j.xml" --report \
        'sleep .3; echo {}' ::: $(seq 10)
    wait_for 10 test -s "$CASE/out" || { kill -KILL "$BG"; echo "no job ran"; return 1; }
    kill -HUP "$BG"
    finished_bg 30 || return 1
    status_is 129 "$ST" || { cat "$CASE/err"; return 1; }
    local ran left
    ran=$(wc -l <"$CASE/out")
    left=$((10 - ran))
    [ "$left" -gt 0 ] || { echo "every job ran"; return 1; }
    has "stderr" "^wgrun: SIGHUP: starting no more jobs; waiting for the 1 running to finish$" "$(cat "$CASE/err")" || return 1
    # --report: the table, its count line, then the jobs not run.
    same "last lines" "wgrun: 0 of $ran jobs failed
wgrun: SIGHUP: $left jobs not started" "$(tail -n 2 "$CASE/err")" || return 1
    has "json" "\"exit_status\":129,\"interrupted_by\":\"SIGHUP\",\"not_started\":$left,\"input_unread\":false" "$(tail -n 1 "$CASE/j.json")" || return 1
    has "junit" "<property name=\"wgrun.not_started\" value=\"$left\"/>" "$(cat "$CASE/j.xml")" || return 1
    has "junit" "<property name=\"wgrun.interrupted_by\" value=\"SIGHUP\"/>" "$(cat "$CASE/j.xml")" || return 1
}

# SIGHUP after every job has started only lets them finish: the usual status.
sighup_after_every_start() {
    in_case_dir
    in_background "$CASE/out" -j2 "echo \$\$ >>$CASE/started; sleep .5; echo {}" ::: a b
    started 2 || { echo "the jobs did not start"; kill -KILL "$BG"; return 1; }
    kill -HUP "$BG"
    finished_bg 30 || return 1
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    same "stdout" "$(printf 'a\nb')" "$(sort "$CASE/out")" || return 1
    same "stderr" "wgrun: SIGHUP: starting no more jobs; waiting for the 2 running to finish" \
        "$(cat "$CASE/err")"
}

# Input on stdin that has not ended: the total is unknown, and it says so.
sighup_stdin_rest_unknown() {
    in_case_dir
    new_mark
    mkfifo "$CASE/in"
    { seq 3; exec sleep "$MARK"; } >"$CASE/in" &
    # (not in_background: a background command's stdin is /dev/null unless
    # it is redirected itself)
    perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP); exec @ARGV or die "exec: $!"' \
        "$WGRUN" -j1 --json "$CASE/j.json" 'sleep .3; echo {}' <"$CASE/in" >"$CASE/out" 2>"$CASE/err" &
    BG=$!
    wait_for 10 test -s "$CASE/out" || { kill -KILL "$BG"; kill_marked; return 1; }
    kill -HUP "$BG"
    finished_bg 30 || { kill_marked; return 1; }
    kill_marked
    status_is 129 "$ST" || { cat "$CASE/err"; return 1; }
    has "stderr" "^wgrun: SIGHUP: [0-9]+ jobs? read but not started, and the rest of the input was not read$" "$(cat "$CASE/err")" || return 1
    has "json" "\"input_unread\":true" "$(tail -n 1 "$CASE/j.json")"
}

# ---- 9. background children that keep stdout ----

# ended_within MS COMMAND...: runs COMMAND (output in $CASE/out, $CASE/err,
# status in ST) and checks that it took less than MS.
ended_within() {
    local limit=$1 t0
    shift
    t0=$(now_ms)
    timeout 20 "$@" >"$CASE/out" 2>"$CASE/err"
    ST=$?
    T=$(elapsed_ms "$t0")
    [ "$T" -lt "$limit" ] || { echo "took $T ms (limit $limit)"; return 1; }
}

nohup_child() {
    in_case_dir
    new_mark
    ended_within "$(slow 3)000" "$WGRUN" "nohup sleep $MARK & echo {}" ::: 1 || { kill_marked; return 1; }
    status_is 0 "$ST" || { cat "$CASE/err"; kill_marked; return 1; }
    same "stdout" 1 "$(cat "$CASE/out")" || { kill_marked; return 1; }
    # The daemon a succeeded job left is not killed by wgrun.
    some_marked || { echo "the background child was killed"; return 1; }
    kill_marked
}

setsid_f_child() {
    in_case_dir
    new_mark
    ended_within "$(slow 3)000" "$WGRUN" "setsid -f sleep $MARK; echo {}" ::: 1 || { kill_marked; return 1; }
    status_is 0 "$ST" || { cat "$CASE/err"; kill_marked; return 1; }
    same "stdout" 1 "$(cat "$CASE/out")" || { kill_marked; return 1; }
    some_marked || { echo "the background child was killed"; return 1; }
    kill_marked
}

# As `ssh -f`: the job forks, the parent exits, the child keeps stdout, writes
# a line 0.2 s later, then sleeps.
ssh_f_like_child() {
    in_case_dir
    new_mark
    ended_within "$(slow 3)000" "$WGRUN" \
        "sh -c '(sleep 0.2; echo late {}; exec sleep $MARK) &'; echo early {}" ::: 1 ||
        { kill_marked; return 1; }
    status_is 0 "$ST" || { cat "$CASE/err"; kill_marked; return 1; }
    same "stdout" "early 1
late 1" "$(cat "$CASE/out")" || { kill_marked; return 1; }
    kill_marked
}

# The grace is the option's: a line after it is not the job's.
output_grace_option() {
    in_case_dir
    new_mark
    ended_within "$(slow 5)000" "$WGRUN" --output-grace 1.5s \
        "(sleep 0.8; echo late; exec sleep $MARK) & echo {}" ::: 1 || { kill_marked; return 1; }
    same "stdout, grace 1.5s" "1
late" "$(cat "$CASE/out")" || { kill_marked; return 1; }
    kill_marked
    new_mark
    ended_within "$(slow 3)000" "$WGRUN" --output-grace 100ms \
        "(sleep 1.5; echo late; exec sleep $MARK) & echo {}" ::: 1 || { kill_marked; return 1; }
    same "stdout, grace 100ms" 1 "$(cat "$CASE/out")" || { kill_marked; return 1; }
    kill_marked
}

timeout_never_marks_an_exited_job() {
    in_case_dir
    new_mark
    ended_within "$(slow 5)000" "$WGRUN" --timeout 1 --json "$CASE/j.json" \
        "nohup sleep $MARK & echo {}" ::: 1 || { kill_marked; return 1; }
    kill_marked
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    same "stderr" "" "$(cat "$CASE/err")" || return 1
    has "json" '"exit":0,' "$(head -n 1 "$CASE/j.json")"
}

# While the job waits for its background child's output, Ctrl-C ends the
# whole tree, as for any running job.
sigint_ends_a_lingering_tree() {
    in_case_dir
    new_mark
    in_background "$CASE/out" --output-grace 60s \
        "echo \$\$ >$CASE/main; (while :; do echo x; sleep $MARK; done) & echo {}" ::: 1
    wait_for 10 some_marked || { kill -KILL "$BG"; return 1; }
    # The job's own shell has exited: only its background child is left.
    wait_for 10 main_exited || { kill -KILL "$BG"; kill_marked; return 1; }
    kill -INT "$BG"
    finished_bg 20 || { kill_marked; return 1; }
    status_is 130 "$ST" || { cat "$CASE/err"; kill_marked; return 1; }
    none_left
}

main_exited() { [ -s "$CASE/main" ] && ! alive "$(cat "$CASE/main")"; }

for signal in TERM INT; do
    status=$((128 + $(kill -l "$signal")))
    for mode in "" -k --line-buffer -u; do
        # shellcheck disable=SC2086
        check "stuck stdout, second SIG$signal, ${mode:---group}: drops, says what, $status" \
            stuck_twice "$signal" "$status" $mode
    done
done
check "stuck stdout, one SIGTERM: gives up after 5 s without progress, 143" stuck_once
check "slow reader, SIGTERM: every byte is written, 143" slow_reader_gets_everything
check "SIGHUP: says so, 129, jobs not started in stderr, --report, JSON, JUnit" sighup_leaves_jobs_unstarted
check "SIGHUP after every job started: they finish, status 0" sighup_after_every_start
check "SIGHUP with stdin input: the rest of the input is unknown, said so" sighup_stdin_rest_unknown
check "nohup sleep &: the job ends at once, status 0, the child lives" nohup_child
check "setsid -f sleep: the job ends at once, status 0, the child lives" setsid_f_child
check "ssh -f like: a line 0.2 s after the job exits is the job's" ssh_f_like_child
check "--output-grace sets how long a silent background child is waited for" output_grace_option
check "--timeout 1 with nohup sleep &: success, not timed out" timeout_never_marks_an_exited_job
check "SIGINT while waiting for a background child: the tree ends, 130" sigint_ends_a_lingering_tree
finish
