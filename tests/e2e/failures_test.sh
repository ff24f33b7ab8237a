#!/usr/bin/env bash
# When things go wrong: --halt and its exit statuses, --fail-fast, --retries,
# --delay, --timeout (the whole tree of a job ends, a setsid grandchild and an
# orphan too), --term-seq, and signals sent to wgrun (SIGINT, SIGTERM, a
# second SIGINT, SIGHUP, SIGKILL). After every case no process of the case is
# left: each case marks its jobs' sleeps with a number of its own
# (`sleep $MARK`) and looks for them in /proc.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# started N (lib.sh): waits until N jobs have written their line to
# $CASE/started.

# --- --halt and --fail-fast ------------------------------------------------

halt_now_fail_1_is_the_failing_jobs_status() {
    in_case_dir
    new_mark
    local t0 st
    t0=$(now_ms)
    wg -j4 --halt now,fail=1 "sleep 0.3; exit 7" "sleep $MARK" "sleep $MARK" >out 2>err
    st=$?
    status_is 7 "$st" || { cat err; return 1; }
    [ "$(elapsed_ms "$t0")" -lt 5000 ] || { echo "took $(elapsed_ms "$t0") ms"; return 1; }
    has "report" "job 1 failed \(exit 7\)" "$(cat err)" || return 1
    has "report" "job 2 failed \(ended by --halt, killed by SIGTERM\)" "$(cat err)" || return 1
    none_left
}

halt_now_fail_1_with_a_signalled_job_is_128_plus() {
    wg -j2 --quiet --halt now,fail=1 'kill -USR1 $$' "sleep 5" >/dev/null 2>&1
    status_is $((128 + 10)) $?
}

halt_soon_waits_for_the_running_and_starts_nothing() {
    in_case_dir
    local st
    wg -j2 --halt soon,fail=1 'exit 4' 'sleep 0.5; echo second ran' 'echo third ran' >out 2>err
    st=$?
    status_is 4 "$st" || { cat err; return 1; }
    same "stdout" "second ran" "$(cat out)"
}

halt_soon_fail_2_is_the_number_failed() {
    wg -j1 --quiet --halt soon,fail=2 'exit {}' ::: 0 3 5 0 9 >/dev/null 2>&1
    status_is 2 $?
}

halt_fail_percent() {
    in_case_dir
    local st
    # 2 of 4 jobs fail: 50%, so the status is 50; -j1 keeps the order.
    wg -j1 --quiet --halt soon,fail=50% 'exit {}' ::: 1 2 0 0 >out 2>&1
    st=$?
    status_is 50 "$st"
}

halt_fail_percent_not_reached() {
    # 1 of 4 jobs fails: 25% < 50%: the run goes on; at the end the status is
    # the percentage failed, as GNU parallel gives it.
    wg -j1 --quiet --halt soon,fail=50% 'exit {}' ::: 1 0 0 0 >/dev/null 2>&1
    status_is 25 $?
}

halt_now_success_1() {
    in_case_dir
    new_mark
    local st
    wg -j3 --halt now,success=1 "sleep $MARK" "sleep 0.2" "exit 3" >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    none_left
}

halt_now_done_1_is_that_jobs_status() {
    in_case_dir
    new_mark
    wg -j2 --quiet --halt now,done=1 "sleep $MARK" "sleep 0.2; exit 6" >out 2>err
    status_is 6 $? || { cat err; return 1; }
    none_left
}

halt_soon_done_2() {
    in_case_dir
    wg -j1 --quiet --halt soon,done=2 'echo {}' ::: a b c d >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "stdout" $'a\nb' "$(cat out)"
}

halt_never_is_the_default_rule() {
    wg -j2 --quiet --halt never 'exit {}' ::: 0 1 1 >/dev/null 2>&1
    status_is 2 $?
}

halt_short_forms() {
    # GNU's 2 = now,fail=1: the failing job's own status.
    wg -j2 --quiet --halt 2 'exit 9' 'sleep 0.3' >/dev/null 2>&1
    status_is 9 $?
}

fail_fast_ends_8_sleeps_within_a_second() {
    in_case_dir
    new_mark
    local t0 ms st
    local jobs=()
    for i in 1 2 3 4 5 6 7 8; do jobs+=("echo \$\$ >>$CASE/started; sleep $MARK"); done
    jobs+=("while [ \$(wc -l <$CASE/started) -lt 8 ]; do sleep 0.05; done; exit 1")
    wg -j9 --fail-fast "${jobs[@]}" >out 2>err &
    local pid=$!
    started 8 || { echo "the jobs did not start"; cat err; return 1; }
    t0=$(now_ms)
    wait "$pid"
    st=$?
    ms=$(elapsed_ms "$t0")
    status_is 1 "$st" || { cat err; return 1; }
    [ "$ms" -lt 1000 ] || { echo "wgrun took $ms ms after the failure"; return 1; }
    # The sleeps were reaped by wgrun: none is left, not even as a zombie.
    none_left
}

fail_fast_and_halt_together_is_a_usage_error() {
    wg --fail-fast --halt soon,fail=1 true >/dev/null 2>&1
    status_is 255 $?
}

bad_halt_is_a_usage_error() {
    local err st
    for bad in 'soon' 'later,fail=1' 'now,fail' 'now,fail=0' 'now,fail=101%' 'now,oops=1' 'now,fail=1,x'; do
        err=$(wg --halt "$bad" true 2>&1 >/dev/null)
        st=$?
        status_is 255 "$st" || { echo "--halt $bad"; return 1; }
        has "--halt $bad" "--halt" "$err" || return 1
    done
}

# --- --retries -------------------------------------------------------------

retries_until_success() {
    in_case_dir
    local st
    # Fails twice, then succeeds: a counter file counts the attempts.
    wg --retries 3 'n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n >count; echo "attempt $n"; [ $n -ge 3 ]' >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "attempts" 3 "$(cat count)" || return 1
    # (Every attempt's output was written before issue 14; GNU writes the
    # last attempt's only, and so does wgrun now, except under -u and
    # --line-buffer: see results_gnu_test.sh.)
    same "stdout: the last attempt's output only" 'attempt 3' "$(cat out)"
}

retries_give_up_after_n_attempts() {
    in_case_dir
    local st
    wg --retries 2 'echo x >>runs; exit 5' 'true' >out 2>err
    st=$?
    status_is 1 "$st" || { cat err; return 1; }
    same "runs" 2 "$(wc -l <runs)" || return 1
    has "report" "job 1 failed \(exit 5, after 2 attempts\)" "$(cat err)"
}

retries_do_not_rerun_successes() {
    in_case_dir
    wg -j2 --retries 5 'echo {} >>runs' ::: a b c >/dev/null 2>&1 || return 1
    same "runs" 3 "$(wc -l <runs)"
}

retries_keep_order() {
    in_case_dir
    wg -j3 -k --retries 2 'if [ {} = 1 ] && [ ! -e once ]; then touch once; sleep 0.2; exit 1; fi; echo {}' ::: 1 2 3 >out 2>err || { cat err; return 1; }
    same "stdout" $'1\n2\n3' "$(cat out)"
}

# --- --delay ---------------------------------------------------------------

delay_spaces_the_starts() {
    in_case_dir
    # Each job's start as the kernel recorded it (field 22 of /proc/PID/stat,
    # in clock ticks, when wgrun started the job's shell): the job's own
    # clock would add the shell's start-up, which varies under load.
    local hz
    hz=$(getconf CLK_TCK)
    wg -j4 --delay 0.3 'cut -d" " -f22 /proc/$$/stat >>starts; : {}' ::: 1 2 3 4 >/dev/null 2>err || { cat err; return 1; }
    local prev="" t gap
    for t in $(sort -n starts); do
        if [ -n "$prev" ]; then
            gap=$(((t - prev) * 1000 / hz))
            # 300 ms, less one tick of rounding
            [ "$gap" -ge $((300 - 1000 / hz)) ] || { echo "two starts $gap ms apart"; return 1; }
        fi
        prev=$t
    done
    same "starts" 4 "$(wc -l <starts)"
}

delay_forms() {
    wg -j2 --delay 100ms true ::: 1 2 >/dev/null 2>&1 || return 1
    wg -j2 --delay 0.1s true ::: 1 2 >/dev/null 2>&1 || return 1
    wg --delay 5x true >/dev/null 2>&1
    status_is 255 $? || return 1
    wg --delay -1 true >/dev/null 2>&1
    status_is 255 $?
}

# --- --timeout and ending a whole tree ---------------------------------------

timeout_kills_the_job_and_its_grandchildren() {
    in_case_dir
    new_mark
    local st t0
    t0=$(now_ms)
    wg --timeout 0.5 "sleep $MARK & sleep $MARK; echo never" >out 2>err
    st=$?
    status_is 1 "$st" || { cat err; return 1; }
    [ "$(elapsed_ms "$t0")" -lt 5000 ] || { echo "took $(elapsed_ms "$t0") ms"; return 1; }
    has "report" "job 1 failed \(timed out after 500ms\)" "$(cat err)" || return 1
    [ ! -s out ] || { echo "stdout: $(cat out)"; return 1; }
    none_left
}

timeout_kills_a_grandchild_that_called_setsid() {
    in_case_dir
    new_mark
    wg --timeout 500ms "setsid sleep $MARK & sleep $MARK" >out 2>err
    status_is 1 $? || { cat err; return 1; }
    has "report" "timed out after 500ms" "$(cat err)" || return 1
    none_left
}

timeout_spares_an_orphan_of_a_job_that_exited() {
    in_case_dir
    new_mark
    # The shell exits at once; its setsid child is re-parented to wgrun (the
    # subreaper) and keeps the job's stdout open. The job exited 0: it is
    # over once its output is silent for --output-grace, not timed out, and
    # the child it left is not ended (see hardening_signals_test.sh).
    wg --timeout 500ms "setsid sleep $MARK & exit 0" >out 2>err
    status_is 0 $? || { cat err; return 1; }
    [ ! -s err ] || { cat err; return 1; }
    [ -n "$(marked)" ] || { echo "the orphan was ended"; return 1; }
    kill -KILL $(marked)
    none_left
}

timeout_spares_the_quick() {
    in_case_dir
    wg -j2 --timeout 5s 'sleep 0.1; echo {}' ::: a b >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "stdout" $'a\nb' "$(sort out)"
}

timeout_escalates_to_kill_by_term_seq() {
    in_case_dir
    new_mark
    local t0 st
    t0=$(now_ms)
    # The job and its sleep ignore SIGTERM: only the KILL of the sequence ends it.
    wg --timeout 0.3 --term-seq TERM,200,KILL,25 "trap '' TERM; sleep $MARK" >out 2>err
    st=$?
    status_is 1 "$st" || { cat err; return 1; }
    [ "$(elapsed_ms "$t0")" -lt 5000 ] || { echo "took $(elapsed_ms "$t0") ms"; return 1; }
    has "report" "timed out after 300ms" "$(cat err)" || return 1
    none_left
}

timeout_percent_of_the_median() {
    in_case_dir
    new_mark
    # Three quick jobs make a median of about 0.1 s; 300% of it is far less
    # than the fourth job's sleep.
    wg -j1 --timeout 300% 'sleep {}' ::: 0.1 0.1 0.1 "$MARK" >out 2>err
    status_is 1 $? || { cat err; return 1; }
    has "report" "job 4 failed \(timed out after" "$(cat err)" || return 1
    none_left
}

timeout_and_term_seq_errors() {
    local bad
    for bad in '--timeout 0' '--timeout 0%' '--timeout x%' '--timeout 1y' '--term-seq TERM,x' '--term-seq FOO,10' '--term-seq ,'; do
        # shellcheck disable=SC2086
        wg $bad true >/dev/null 2>&1
        status_is 255 $? || { echo "$bad"; return 1; }
    done
}

# --- signals sent to wgrun ---------------------------------------------------

# signal_ends_the_run SIGNAL STATUS: SIGNAL to wgrun while 3 jobs (one with a
# grandchild) run: the jobs' trees are gone, the report is written, and wgrun
# dies of SIGNAL (the shell sees STATUS).
signal_ends_the_run() {
    in_case_dir
    new_mark
    local st
    in_background "$CASE/out" -j3 "echo \$\$ >>$CASE/started; sleep $MARK & sleep $MARK" \
        "echo \$\$ >>$CASE/started; sleep $MARK" "echo \$\$ >>$CASE/started; sleep $MARK" 'echo never'
    started 3 || { echo "the jobs did not start"; kill -KILL "$BG"; return 1; }
    kill -"$1" "$BG"
    finished_bg
    status_is "$2" "$ST" || { cat "$CASE/err"; return 1; }
    has "report" "ended by wgrun's signal, killed by SIG$1" "$(cat "$CASE/err")" || return 1
    [ ! -s "$CASE/out" ] || { echo "stdout: $(cat "$CASE/out")"; return 1; }
    none_left
}

signal_escalates_for_jobs_that_ignore_it() {
    in_case_dir
    new_mark
    local st t0
    in_background "$CASE/out" -j2 --term-seq TERM,300,KILL,25 \
        "trap '' INT TERM; echo \$\$ >>$CASE/started; sleep $MARK" \
        "trap '' INT TERM; echo \$\$ >>$CASE/started; sleep $MARK"
    started 2 || { echo "the jobs did not start"; kill -KILL "$BG"; return 1; }
    t0=$(now_ms)
    kill -TERM "$BG"
    finished_bg
    status_is 143 "$ST" || { cat "$CASE/err"; return 1; }
    [ "$(elapsed_ms "$t0")" -lt 3000 ] || { echo "took $(elapsed_ms "$t0") ms"; return 1; }
    has "report" "killed by SIGKILL" "$(cat "$CASE/err")" || return 1
    none_left
}

second_sigint_kills_at_once() {
    in_case_dir
    new_mark
    local st t0
    # A long sequence: only the second Ctrl-C can end these jobs quickly.
    in_background "$CASE/out" -j2 --term-seq TERM,20000,KILL,25 \
        "trap '' INT TERM; echo \$\$ >>$CASE/started; sleep $MARK" \
        "trap '' INT TERM; echo \$\$ >>$CASE/started; sleep $MARK"
    started 2 || { echo "the jobs did not start"; kill -KILL "$BG"; return 1; }
    kill -INT "$BG"
    # Taken by wgrun before the second comes (two pending SIGINTs are one).
    wait_for 10 signal_taken "$BG" INT || { echo "wgrun never took the SIGINT"; kill -KILL "$BG"; return 1; }
    kill -0 "$BG" 2>/dev/null || { echo "wgrun ended on the first SIGINT"; return 1; }
    t0=$(now_ms)
    kill -INT "$BG"
    finished_bg
    status_is 130 "$ST" || { cat "$CASE/err"; return 1; }
    [ "$(elapsed_ms "$t0")" -lt 2000 ] || { echo "took $(elapsed_ms "$t0") ms after the second SIGINT"; return 1; }
    none_left
}

sighup_drains() {
    in_case_dir
    local st
    in_background "$CASE/out" -j1 "echo \$\$ >>$CASE/started; sleep 0.5; echo first done" 'echo second ran'
    started 1 || { echo "the job did not start"; kill -KILL "$BG"; return 1; }
    kill -HUP "$BG"
    finished_bg
    # The second job was never started: wgrun dies of SIGHUP (see
    # hardening_signals_test.sh).
    status_is 129 "$ST" || { cat "$CASE/err"; return 1; }
    same "stdout" "first done" "$(cat "$CASE/out")"
}

sigkill_to_wgrun_ends_its_children() {
    in_case_dir
    new_mark
    # Each job is a single command: /bin/sh execs sleep, which is then
    # wgrun's direct child and gets SIGTERM when wgrun dies.
    in_background "$CASE/out" -j3 "sleep $MARK" "sleep $MARK" "sleep $MARK"
    wait_for 10 marked_at_least 3 || { echo "the jobs did not start"; kill -KILL "$BG"; return 1; }
    kill -KILL "$BG"
    finished_bg
    status_is 137 "$ST" || return 1
    none_left
}

an_ignored_sigint_stays_ignored() {
    in_case_dir
    # As a script's background job: SIGINT ignored. wgrun must not end the run on it.
    (trap '' INT; exec "$WGRUN" -j1 "echo \$\$ >>$CASE/started; sleep 0.5; echo done" >"$CASE/out" 2>"$CASE/err") &
    BG=$!
    started 1 || { echo "the job did not start"; kill -KILL "$BG"; return 1; }
    kill -INT "$BG"
    finished_bg
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    same "stdout" "done" "$(cat "$CASE/out")"
}

check "--halt now,fail=1: the failing job's status; the others are ended" halt_now_fail_1_is_the_failing_jobs_status
check "--halt now,fail=1: a signalled job gives 128 + the signal" halt_now_fail_1_with_a_signalled_job_is_128_plus
check "--halt soon,fail=1: the running job finishes, no new one starts" halt_soon_waits_for_the_running_and_starts_nothing
check "--halt soon,fail=2: the status is the number failed" halt_soon_fail_2_is_the_number_failed
check "--halt soon,fail=50%: the status is the percentage failed" halt_fail_percent
check "--halt soon,fail=50% not reached: the percentage failed at the end" halt_fail_percent_not_reached
check "--halt now,success=1: 0, the others are ended" halt_now_success_1
check "--halt now,done=1: that job's status" halt_now_done_1_is_that_jobs_status
check "--halt soon,done=2: two jobs, then stop" halt_soon_done_2
check "--halt never: the usual status" halt_never_is_the_default_rule
check "--halt 2 (GNU's short form) is now,fail=1" halt_short_forms
check "--fail-fast: 8 running sleeps gone within 1 s of the failure" fail_fast_ends_8_sleeps_within_a_second
check "--fail-fast with --halt is a usage error" fail_fast_and_halt_together_is_a_usage_error
check "a bad --halt is a usage error naming --halt" bad_halt_is_a_usage_error
check "--retries 3: fails twice, then succeeds" retries_until_success
check "--retries 2: gives up after 2 attempts, the report says so" retries_give_up_after_n_attempts
check "--retries: a success runs once" retries_do_not_rerun_successes
check "--retries with -k: the retried job keeps its place" retries_keep_order
check "--delay 0.3: starts at least 0.3 s apart" delay_spaces_the_starts
check "--delay takes 100ms, 0.1s; rejects 5x and -1" delay_forms
check "--timeout: the job and its background grandchild die" timeout_kills_the_job_and_its_grandchildren
check "--timeout: a grandchild that called setsid dies too" timeout_kills_a_grandchild_that_called_setsid
check "--timeout: a job that exited is not timed out; its orphan holding the output is left" timeout_spares_an_orphan_of_a_job_that_exited
check "--timeout: quick jobs are not touched" timeout_spares_the_quick
check "--timeout with --term-seq: a job ignoring TERM gets KILL" timeout_escalates_to_kill_by_term_seq
check "--timeout 300%: of the median runtime so far" timeout_percent_of_the_median
check "bad --timeout and --term-seq are usage errors" timeout_and_term_seq_errors
check "SIGINT: jobs' trees end, report, wgrun dies of SIGINT (130)" signal_ends_the_run INT 130
check "SIGTERM: jobs' trees end, report, wgrun dies of SIGTERM (143)" signal_ends_the_run TERM 143
check "SIGTERM: jobs that ignore it get the KILL of --term-seq" signal_escalates_for_jobs_that_ignore_it
check "a second SIGINT kills every job at once" second_sigint_kills_at_once
check "SIGHUP: the running job finishes, no new one starts, status 129" sighup_drains
check "SIGKILL to wgrun: its children get SIGTERM and die" sigkill_to_wgrun_ends_its_children
check "a SIGINT wgrun was started with ignored stays ignored" an_ignored_sigint_stays_ignored
finish
