#!/usr/bin/env bash
# --bar and --eta through a pseudo-terminal (pty_run.py): the bar appears
# and ends at done=total; the jobs' output stays whole on the screen in every
# output mode (screen.py replays the typescript as a terminal would); a
# half-written line is never erased; nothing at all when stderr is not a
# terminal; the total unknown (no ETA) while input streams; at most 10 draws
# a second; --eta on one plain line; never wider than the terminal.
. "$(dirname "$0")/lib.sh"
exec </dev/null

PTY="/usr/bin/python3 $ROOT/tests/e2e/pty_run.py"
SCREEN="/usr/bin/python3 $ROOT/tests/e2e/screen.py"

# on_tty ARGS...: runs wgrun with ARGS on a 200-column terminal (stdout and
# stderr); the typescript goes to $CASE/ts, the exit status to ST.
on_tty() {
    $PTY --cols 200 -- timeout 60 "$WGRUN" "$@" >"$CASE/ts"
    ST=$?
}
screen() { $SCREEN --cols "${1:-200}" <"$CASE/ts"; }
draws() { $SCREEN --draws <"$CASE/ts"; }

BAR_RE='^\[[#.]+\] [0-9]+/([0-9]+|\?)( [0-9]+%)? [0-9]+ failed [0-9]+ running [0-9]+:[0-9]{2}( ETA [0-9]+:[0-9]{2})?$'

bar_ends_at_total() {
    in_case_dir
    on_tty --bar -j2 'sleep 0.3; echo job {}' ::: 1 2 3 4 5 6
    status_is 0 "$ST" || return 1
    local last
    last=$(screen | tail -n 1)
    has "the final line" '^\[#{40}\] 6/6 100% 0 failed 0 running 0:0[0-9]$' "$last" || return 1
    [ "$(draws | wc -l)" -ge 3 ] || { echo "too few draws:"; draws; return 1; }
    while read -r line; do
        has "a draw" "$BAR_RE" "$line" || return 1
    done < <(draws)
    # A draw mid-run shows the ETA.
    has "a draw with ETA" ' ETA 0:0[0-9]$' "$(draws)"
}
check "--bar draws done/total, failed, time and ETA, and ends at done=total" bar_ends_at_total

# expected_lines N: what the job `lines` below prints for jobs 1..N (stdout
# and stderr), sorted.
lines_job='for i in 1 2 3 4 5; do echo "job {} line $i $(printf %0150d {})"; echo "job {} err $i" >&2; sleep 0.03; done'
expected_lines() {
    local j i
    for j in $(seq "$1"); do
        for i in 1 2 3 4 5; do
            echo "job $j line $i $(printf %0150d "$j")"
            echo "job $j err $i"
        done
    done | sort
}

# whole_lines OPTION...: 12 jobs of 5 lines each on stdout and stderr, at
# -j4; on the screen every line is whole, and the last line is the bar's.
whole_lines() {
    in_case_dir
    on_tty --bar -j4 "$@" "$lines_job" ::: $(seq 12)
    status_is 0 "$ST" || return 1
    same "the lines on the screen (sorted, less the bar)" "$(expected_lines 12)" \
        "$(screen | sed '$d' | sort)" || return 1
    has "the final line" '^\[#+\] 12/12 100% ' "$(screen | tail -n 1)" || return 1
    [ "$(draws | wc -l)" -ge 2 ] || { echo "no draw mid-run:"; draws; return 1; }
}
check "every job's line is whole on the screen (grouped)" whole_lines
check "every job's line is whole on the screen (--keep-order)" whole_lines -k
check "every job's line is whole on the screen (--line-buffer)" whole_lines --line-buffer
check "every job's line is whole on the screen (--ungroup)" whole_lines -u

# A job writes half a line, waits, then ends it: the display must not draw
# meanwhile (it would erase the half).
half_line() {
    in_case_dir
    on_tty --bar -u 'printf "half "; sleep 0.6; echo done # {}' ::: 1
    status_is 0 "$ST" || return 1
    same "the screen" "half done" "$(screen | sed '$d')"
}
check "a half-written line is never erased (-u)" half_line

# A job's output that ends without a newline: the final line starts a line
# of its own.
no_final_newline() {
    in_case_dir
    on_tty --bar 'printf tail # {}' ::: 1
    status_is 0 "$ST" || return 1
    same "the first line" "tail" "$(screen | head -n 1)" || return 1
    has "the final line" '^\[#+\] 1/1 100% ' "$(screen | sed -n 2p)"
}
check "output ending mid-line: the final bar line is on a line of its own" no_final_newline

stderr_not_terminal() {
    in_case_dir
    $PTY -- bash -c "timeout 60 '$WGRUN' --bar --eta -j2 'sleep 0.3; echo {}' ::: 1 2 3 2>'$CASE/err'" >"$CASE/ts" \
        || { echo "exit status $?"; return 1; }
    [ ! -s "$CASE/err" ] || { echo "stderr (a file) has:"; cat -A "$CASE/err"; return 1; }
    same "the screen" "$(printf '1\n2\n3')" "$(screen | sort)" || return 1
    if grep -q $'\e' "$CASE/ts"; then echo "an escape sequence on the terminal:"; cat -A "$CASE/ts"; return 1; fi
    # No terminal at all: not a byte either.
    wg --bar 'sleep 0.3; echo {}' ::: 1 2 >"$CASE/out" 2>"$CASE/err2" || return 1
    [ ! -s "$CASE/err2" ] || { echo "stderr (a file) has:"; cat -A "$CASE/err2"; return 1; }
    same "stdout" "$(printf '1\n2')" "$(sort "$CASE/out")"
}
check "stderr not a terminal: not a single byte of bar" stderr_not_terminal

# The input streams: 'a' now, 'b' 1.5 s later; the subshell writes
# INPUT-END on the terminal just before 'b' (and the end of input). Before
# it, the total is unknown: draws show "1/?" or "0/?" and no ETA.
total_unknown() {
    in_case_dir
    $PTY --cols 200 -- bash -c "(echo a; sleep 1.5; echo INPUT-END >&2; echo b) |
        timeout 60 '$WGRUN' --bar 'echo {}; sleep 0.6'" >"$CASE/ts" || { echo "exit status $?"; return 1; }
    local before after
    before=$(sed 's/INPUT-END.*//; T; q' "$CASE/ts" | $SCREEN --draws)
    after=$(sed -n '/INPUT-END/,$p' "$CASE/ts" | sed 's/.*INPUT-END//' | $SCREEN --draws)
    [ "$(grep -c . <<<"$before")" -ge 2 ] || { echo "too few draws before the input ended:"; cat -A "$CASE/ts"; return 1; }
    if grep -q ETA <<<"$before"; then echo "an ETA before the input ended:"; echo "$before"; return 1; fi
    while read -r line; do
        has "a draw before the input ended" '^\[\.+\] [01]/\? [0-9]+ failed ' "$line" || return 1
    done <<<"$before"
    has "a draw with the total and an ETA after it" '^\[#+\.+\] 1/2 50% .* ETA 0:0[0-9]$' "$after" || return 1
    has "the final line" '^\[#{40}\] 2/2 100% ' "$(screen | tail -n 1)"
}
check "total unknown while input streams: the count so far, no ETA" total_unknown

# 100 jobs of 0.08 s at -j4: about 2 s of changing counts. At most one draw
# per 100 ms tick (and the final line).
redraw_rate() {
    in_case_dir
    local start elapsed_ms count limit
    start=${EPOCHREALTIME/./}
    on_tty --bar -j4 'sleep 0.08 # {}' ::: $(seq 100)
    elapsed_ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
    status_is 0 "$ST" || return 1
    count=$(draws | wc -l)
    limit=$((elapsed_ms / 100 + 2))
    echo "$count draws in $elapsed_ms ms (limit $limit)"
    [ "$count" -le "$limit" ] || { echo "too many draws: $count in $elapsed_ms ms"; return 1; }
    [ "$count" -ge 5 ] || { echo "too few draws: $count"; return 1; }
}
check "at most 10 draws a second" redraw_rate

eta_line() {
    in_case_dir
    on_tty --eta -j2 'sleep 0.3; exit {}' ::: 0 3 0 0
    status_is 1 "$ST" || return 1
    while read -r line; do
        has "a draw" '^[0-9]+/([0-9]+|\?) done, [0-9] failed, [0-9] running, 0:0[0-9] elapsed(, ETA 0:0[0-9])?$' "$line" || return 1
    done < <(draws)
    [ "$(draws | wc -l)" -ge 2 ] || { echo "too few draws:"; draws; return 1; }
    local s
    s=$(screen)
    has "the final line, then the report" '^4/4 done, 1 failed, 0 running, 0:0[0-9] elapsed$' "$(head -n 1 <<<"$s")" || return 1
    same "the report" "wgrun: job 2 failed (exit 3): sleep 0.3; exit 3
wgrun: 1 of 4 jobs failed" "$(sed 1d <<<"$s")"
}
check "--eta: one plain line, then the failure report on lines of its own" eta_line

narrow_terminal() {
    in_case_dir
    $PTY --cols 30 -- timeout 60 "$WGRUN" --bar -j2 'sleep 0.3 # {}' ::: 1 2 3 4 >"$CASE/ts" || return 1
    local line
    while read -r line; do
        [ "${#line}" -le 29 ] || { echo "a draw of ${#line} characters on 30 columns: $line"; return 1; }
    done < <(draws)
    [ "$(screen 30 | wc -l)" -eq 1 ] || { echo "the screen:"; screen 30; return 1; }
}
check "a 30-column terminal: never wider than 29 (no wrap)" narrow_terminal

finish
