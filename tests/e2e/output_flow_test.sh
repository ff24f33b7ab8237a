#!/usr/bin/env bash
# Output flow: a slow reader of wgrun's stdout never stalls the event loop
# (grouped output is written by a thread of its own; a live job whose
# destination is full waits in its own pipe while the others go on), and
# under --keep-order the head, when it always has bytes, slows the jobs
# behind it down without stopping them.
. "$(dirname "$0")/lib.sh"
exec </dev/null

has_line() { grep -q "$1" "$2" 2>/dev/null; }

grouped_slow_reader_does_not_hold_up_the_next_job() {
    in_case_dir
    # -j1: job 2 can only start once job 1 is done; job 1's 5 MB wait for a
    # reader that sleeps 6 s. Job 2 must start long before that (4 s: room
    # for a sanitizer build on a busy machine).
    { wg -j1 "head -c 5000000 /dev/zero" "touch $CASE/second" | { sleep 6; cat >/dev/null; }; } &
    local pid=$!
    wait_for 4 test -e "$CASE/second"
    local started=$?
    wait "$pid"
    [ "$started" -eq 0 ] || { echo "job 2 waited for the reader"; return 1; }
}

ungrouped_full_stdout_does_not_hold_up_stderr() {
    in_case_dir
    # -u: job 1 fills stdout, which nobody reads for 6 s; job 2's stderr
    # line must get through meanwhile (within 4 s, as above).
    { wg -u -j2 "head -c 5000000 /dev/zero" "sleep 0.3; echo err-line >&2" 2>"$CASE/err" |
        { sleep 6; cat >/dev/null; }; } &
    local pid=$!
    wait_for 4 has_line err-line "$CASE/err"
    local seen=$?
    wait "$pid"
    [ "$seen" -eq 0 ] || { echo "stderr waited for stdout's reader: $(cat "$CASE/err")"; return 1; }
    same "bytes" 5000000 "$(wg -u -j2 "head -c 5000000 /dev/zero" "sleep 0.3; echo err-line >&2" 2>/dev/null | wc -c)"
}

keep_order_busy_head_does_not_stop_the_others() {
    in_case_dir
    # The head always has bytes (yes); job 2 needs its 3 MB read (three
    # times its pipe) before it can finish. It must finish while the head
    # still streams.
    wg -k -j2 "yes | head -c 400000000; touch $CASE/head-done" \
        "head -c 3000000 /dev/zero; touch $CASE/second-done" | wc -c >"$CASE/count" || return 1
    same "bytes" 403000000 "$(tr -d ' ' <"$CASE/count")" || return 1
    [ "$CASE/second-done" -ot "$CASE/head-done" ] ||
        { echo "job 2 ended after the head: $(stat -c '%y %n' "$CASE"/*-done)"; return 1; }
}

check "grouped: a slow reader does not hold up the next job's start" grouped_slow_reader_does_not_hold_up_the_next_job
check "-u: a full stdout does not hold up another job's stderr" ungrouped_full_stdout_does_not_hold_up_stderr
check "-k: a head that always has bytes slows the others, never stops them" keep_order_busy_head_does_not_stop_the_others
finish
