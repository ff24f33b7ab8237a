#!/usr/bin/env bash
# Output modes, names as in GNU parallel: --group (the default), -k
# (--keep-order), --line-buffer (--lb), -u (--ungroup); --tag and
# --tagstring; --color; --results; --tmpdir and what spills to it; a full
# disk, a failing stdout and a stdout that closes early.
#
# Live cases read wgrun's stdout through a fifo: a job prints, then waits for
# a marker file that the test creates only after it has read what it expects
# (each wait has a time limit, so that a wrong wgrun fails, slowly, but never
# hangs). No case depends on how fast anything runs.
. "$(dirname "$0")/lib.sh"
exec </dev/null

ESC=$'\x1b'
TAB=$'\t'

# --- helpers (and lib.sh's: $AWAIT, $AWAIT_COUNT, alive, fds_into...) ---

# fifo_start WGRUN-ARGS...: runs wgrun (under timeout 60) in the background
# in $CASE, its stdout into the fifo $CASE/fifo, read here on fd 3, its stderr
# into $CASE/err and its exit status into $CASE/st once it ends.
fifo_start() {
    mkfifo "$CASE/fifo" || return 1
    (timeout 60 "$WGRUN" "$@" >"$CASE/fifo" 2>"$CASE/err"; echo $? >"$CASE/st") </dev/null >/dev/null 2>&1 &
    BG=$!
    exec 3<"$CASE/fifo"
}

# fifo_end: creates $CASE/marker, reads the rest of wgrun's stdout into
# $CASE/rest and waits until wgrun has ended.
fifo_end() {
    touch "$CASE/marker"
    cat <&3 >"$CASE/rest"
    exec 3<&-
    wait "$BG"
}

# start_bg OUT ERR WGRUN-ARGS...: starts wgrun in the background under
# timeout 90, stdout to OUT, stderr to ERR; sets TPID (timeout's pid) and
# WGPID (wgrun's).
start_bg() {
    local out=$1 err=$2
    shift 2
    timeout 90 "$WGRUN" "$@" >"$out" 2>"$err" </dev/null &
    TPID=$!
    WGPID=
    wait_for 10 wgrun_under "$TPID" || { echo "wgrun did not start"; return 1; }
}

# kill_wgrun: kill -9 of the wgrun started by start_bg, then of the process
# group of each job it ran (each job runs in its own group, so that they
# outlive wgrun unless killed). Safe to call twice.
kill_wgrun() {
    local jobs p
    [ -n "${WGPID:-}" ] || return 0
    jobs=$(pgrep -P "$WGPID")
    kill -KILL "$WGPID" 2>/dev/null
    for p in $jobs; do kill -KILL -- "-$p" 2>/dev/null; done
    wait "$TPID" 2>/dev/null
    WGPID=
}

# has_esc TEXT: true when TEXT holds an ANSI escape sequence.
has_esc() { [[ $1 == *"$ESC["* ]]; }

# no_esc WHAT FILE: true when FILE holds no escape sequence.
no_esc() {
    grep -qF "$ESC[" "$2" || return 0
    echo "$1 has escape codes:"
    od -c "$2" | head -n 5
    return 1
}

# strip_esc: removes SGR escape sequences from stdin.
strip_esc() { sed "s/$ESC\\[[0-9;]*m//g"; }

# on_pty COMMAND-WORDS...: runs the words as one command on a pseudo-terminal
# (util-linux script): stdout and stderr both go to the terminal, whose output
# is printed here.
on_pty() {
    local cmd
    cmd=$(printf '%q ' "$@")
    SHELL=/bin/sh timeout 60 script -qec "$cmd" /dev/null </dev/null
}

# no_color_unset COMMAND...: runs COMMAND (a function too) with NO_COLOR unset.
no_color_unset() { (unset NO_COLOR; "$@"); }

# --- sizes: smaller under the (2-10x slower) sanitizer builds ---

PAYLOAD=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH
if sanitized; then
    MIX_JOBS=10 MIX_LINES=20000 SPILL_JOBS=40
else
    MIX_JOBS=30 MIX_LINES=60000 SPILL_JOBS=200 # 30 jobs of 3 MB; 200 jobs of 1 MB
fi

# check_lines FILE JOBS LINES CONTIGUOUS ORDERED TAGGED: every line of FILE is
# "job<n> $PAYLOAD" (with TAGGED: "<n><TAB>job<n> $PAYLOAD") for a job n in
# 1..JOBS, each job has exactly LINES lines; with CONTIGUOUS, each job's lines
# are together; with ORDERED, the jobs come in order 1, 2, 3...
check_lines() {
    awk -v jobs="$2" -v lines="$3" -v contiguous="$4" -v ordered="$5" -v tagged="$6" -v payload="$PAYLOAD" '
        {
            if (tagged) { t = index($0, "\t"); n = substr($0, 1, t - 1) + 0; want = n "\tjob" n " " payload }
            else { n = substr($1, 4) + 0; want = "job" n " " payload }
            if ($0 != want || n < 1 || n > jobs) {
                if (++mangled <= 5) print "line " NR " is split or mixed: \"" substr($0, 1, 150) "\""
                next
            }
            if (n != prev) {
                if (contiguous && (n in count)) { if (++resumed <= 5) print "job " n " resumes at line " NR }
                if (ordered && n != prev + 1) { if (++disorder <= 5) print "job " n " follows job " prev " at line " NR }
                prev = n
            }
            count[n]++
        }
        END {
            bad = mangled + resumed + disorder
            if (mangled) print mangled " lines split or mixed"
            for (n = 1; n <= jobs; n++) if (count[n] != lines) { print "job " n ": " count[n] + 0 " lines, expected " lines; bad++ }
            exit bad > 0
        }' "$1"
}

# ======================= --group =======================

group_whole() {
    in_case_dir
    local mode out
    for mode in "" --group; do
        wg $mode -j2 'echo a1; sleep 0.3; echo a2' 'sleep 0.1; echo b1; sleep 0.3; echo b2' >out 2>err ||
            { cat err; return 1; }
        out=$(cat out)
        [ "$out" = $'a1\na2\nb1\nb2' ] || [ "$out" = $'b1\nb2\na1\na2' ] ||
            { echo "${mode:-default}: jobs' lines are mixed:"; cat out; return 1; }
    done
}
check "--group (and the default): two jobs writing at once come out each whole" group_whole

group_not_live() {
    in_case_dir
    local line rc
    fifo_start --group 'echo a; sh '"$AWAIT"' '"$CASE"'/marker; echo b'
    IFS= read -r -t 3 line <&3
    rc=$?
    fifo_end
    [ "$rc" -gt 128 ] || { echo "read \"$line\" (status $rc) before the job ended"; return 1; }
    same "output" $'a\nb' "$(cat "$CASE/rest")" && same "exit status" 0 "$(cat "$CASE/st")"
}
check "--group: nothing of a job is written before it ends" group_not_live

# ======================= -k =======================

keep_order() {
    in_case_dir
    local mode
    for mode in -k "-k --lb" "--keep-order --line-buffer"; do
        wg $mode -j0 'sleep {}; echo {}; echo e{} >&2' ::: 0.5 0.4 0.3 0.2 0.1 0 >out 2>err ||
            { echo "$mode: failed"; cat err; return 1; }
        same "$mode: stdout" $'0.5\n0.4\n0.3\n0.2\n0.1\n0' "$(cat out)" || return 1
        same "$mode: stderr" $'e0.5\ne0.4\ne0.3\ne0.2\ne0.1\ne0' "$(cat err)" || return 1
    done
}
check "-k: output in input order though jobs finish in reverse (also with --lb)" keep_order

# keep_order_live MODE...: job 1 prints a line and waits for the marker; job
# 2 ends at once. The first line must be read before the marker exists.
keep_order_live() {
    in_case_dir
    local line rc
    fifo_start "$@" -j2 'echo first; sh '"$AWAIT"' '"$CASE"'/marker; echo last' 'echo second'
    IFS= read -r -t 20 line <&3
    rc=$?
    fifo_end
    [ "$rc" -eq 0 ] || { echo "job 1's first line did not come while it ran (read status $rc)"; return 1; }
    same "first line" first "$line" || return 1
    same "the rest" $'last\nsecond' "$(cat "$CASE/rest")" || return 1
    same "exit status" 0 "$(cat "$CASE/st")"
}
check "-k: no head-of-line stall: the oldest job's output streams while it runs" keep_order_live -k
check "-k --lb: the oldest job's lines stream while it runs" keep_order_live -k --lb

# Job 1 (input 0) waits until the others are done; each writes 1 MB of lines
# "job<n>". Their output waits on disk, not in memory.
keep_order_spill() {
    in_case_dir
    local st kb n=$SPILL_JOBS
    mkdir done
    timeout 300 /usr/bin/time -f %M -o rss "$WGRUN" -k -j4 --tmpdir "$CASE" \
        "if [ {} = 0 ]; then sh '$AWAIT_COUNT' 'done/*' $n 60; echo first; else yes job{} | head -n 200000; touch done/{}; fi" \
        ::: $(seq 0 "$n") 2>err | uniq -c | sed 's/^ *//' >summary
    st=${PIPESTATUS[0]}
    status_is 0 "$st" || { cat err; return 1; }
    { echo "1 first"; seq -f "200000 job%.0f" 1 "$n"; } >expected
    diff expected summary >diffs || { echo "(lines counted, as uniq -c)"; head -n 20 diffs; return 1; }
    [ "$(ls done | wc -l)" -eq "$n" ] || { echo "only $(ls done | wc -l) jobs ran"; return 1; }
    if ! sanitized; then
        kb=$(peak_rss_kb rss)
        [ "$kb" -lt 40960 ] || { echo "peak RSS ${kb} KiB, limit 40960 KiB"; return 1; }
    fi
}
if [ ! -x /usr/bin/time ]; then
    skip "-k: a slow first job: $SPILL_JOBS later jobs of 1 MB wait on disk, RSS < 40 MB" "no /usr/bin/time"
else
    check "-k: a slow first job: $SPILL_JOBS later jobs of 1 MB wait on disk, RSS < 40 MB$(sanitized && echo ' (RSS not checked)')" keep_order_spill
fi

# ======================= --line-buffer =======================

lb_live() {
    in_case_dir
    local line rc
    fifo_start --lb 'echo first; sh '"$AWAIT"' '"$CASE"'/marker; echo last'
    IFS= read -r -t 20 line <&3
    rc=$?
    fifo_end
    [ "$rc" -eq 0 ] || { echo "the first line did not come while the job ran (read status $rc)"; return 1; }
    same "first line" first "$line" || return 1
    same "the rest" last "$(cat "$CASE/rest")" || return 1
    same "exit status" 0 "$(cat "$CASE/st")"
}
check "--lb: a job's line is written while the job runs" lb_live

# Job 1 has written half a line and waits; job 2's whole line must come
# through on its own, and job 1's line stay whole.
lb_half_line() {
    in_case_dir
    local line rc
    fifo_start --lb -j2 'printf abc; sh '"$AWAIT"' '"$CASE"'/marker; echo def' 'echo x'
    IFS= read -r -t 20 line <&3
    rc=$?
    fifo_end
    [ "$rc" -eq 0 ] || { echo "job 2's line did not come while job 1 ran (read status $rc)"; return 1; }
    same "first line" x "$line" || return 1
    same "the rest" abcdef "$(cat "$CASE/rest")" || return 1
    same "exit status" 0 "$(cat "$CASE/st")"
}
check "--lb: a half-written line waits; another job's whole line goes first" lb_half_line

lb_last_line() {
    in_case_dir
    wg --lb 'printf "a\nb"' >out 2>err || { cat err; return 1; }
    printf 'a\nb' >expected
    cmp expected out || return 1
    wg --lb -j1 'printf "a\nb"' 'printf c' >out 2>err || { cat err; return 1; }
    printf 'a\nbc' >expected
    cmp expected out || { od -c out; return 1; }
}
check "--lb: a last line without a newline is written when its job ends" lb_last_line

lb_binary() {
    in_case_dir
    head -c 5000000 /dev/urandom >raw
    wg --lb 'cat raw' >out 2>err || { cat err; return 1; }
    cmp raw out || { echo "(5 MB of random bytes, newlines and NULs included)"; return 1; }
    head -c 6000000 /dev/urandom | tr -d '\n' | head -c 5000000 >noeol
    wg --lb 'cat noeol' >out 2>err || { cat err; return 1; }
    cmp noeol out || { echo "(5 MB of random bytes, no newline)"; return 1; }
}
check "--lb: 5 MB of random bytes (with and without newlines) come out byte-exact" lb_binary

# One job writes 5 MB without a newline, another 100000 lines "text": the
# 5 MB come whole, between two of the text lines.
lb_binary_and_text() {
    in_case_dir
    local a rest
    head -c 6000000 /dev/urandom | tr -d '\n' | head -c 5000000 >noeol
    wg --lb -j2 'cat noeol' 'yes text | head -n 100000' >out 2>err || { cat err; return 1; }
    a=$(grep -a -n -v -x -m 1 text out | head -c 20 | cut -d: -f1)
    [ -n "$a" ] || { echo "the binary block is missing"; return 1; }
    a=$((a - 1)) # text lines before the block
    tail -c +$((5 * a + 1)) out | head -c 5000000 | cmp - noeol ||
        { echo "the binary block is not intact after $a text lines"; return 1; }
    rest=$(tail -c +$((5 * a + 5000001)) out | md5sum)
    same "the text lines after the block" "$(yes text | head -n $((100000 - a)) | md5sum)" "$rest" ||
        { echo "(a broken block, or text lines missing; $a text lines came before the block)"; return 1; }
}
check "--lb: a binary job's bytes come as one block next to a text job's lines" lb_binary_and_text

# ======================= MIX: no line split or mixed, in every mode =======================

# mix CONTIGUOUS ORDERED MODE...: MIX_JOBS jobs write MIX_LINES lines of
# about 50 bytes each, all at once.
mix() {
    in_case_dir
    local contiguous=$1 ordered=$2 st
    shift 2
    timeout 300 "$WGRUN" "$@" -j0 "yes job{} $PAYLOAD | head -n $MIX_LINES" ::: $(seq "$MIX_JOBS") >out 2>err
    st=$?
    status_is 0 "$st" || { head err; return 1; }
    [ ! -s err ] || { echo "stderr:"; head -c 500 err; return 1; }
    check_lines out "$MIX_JOBS" "$MIX_LINES" "$contiguous" "$ordered" ""
}
MIXNAME="$MIX_JOBS jobs writing $((MIX_LINES * 50 / 1000000)) MB of lines at once"
check "MIX --group: $MIXNAME: no line split or mixed, each job's lines together" mix 1 "" --group
check "MIX -k: $MIXNAME: no line split or mixed, jobs together and in order" mix 1 1 -k
check "MIX --lb: $MIXNAME: no line split or mixed" mix "" "" --lb
check "MIX -k --lb: $MIXNAME: no line split or mixed, jobs in order" mix 1 1 -k --lb

mix_lb_stderr() {
    in_case_dir
    local st
    timeout 300 "$WGRUN" --lb -j0 "yes job{} $PAYLOAD | head -n 20000 >&2" ::: $(seq 10) >out 2>err
    st=$?
    status_is 0 "$st" || { tail -n 3 err; return 1; }
    [ ! -s out ] || { echo "stdout is not empty"; return 1; }
    check_lines err 10 20000 "" "" ""
}
check "MIX --lb on stderr: 10 jobs of 1 MB: no line split or mixed" mix_lb_stderr

mix_lb_tag() {
    in_case_dir
    local st
    timeout 300 "$WGRUN" --lb --tag -j0 "yes job{} $PAYLOAD | head -n 20000" ::: $(seq 10) >out 2>err
    st=$?
    status_is 0 "$st" || { head err; return 1; }
    check_lines out 10 20000 "" "" 1
}
check "MIX --lb --tag: 10 jobs of 1 MB: every line whole and with its own job's tag" mix_lb_tag

# ======================= -u =======================

ungroup_bytes() {
    in_case_dir
    wg -u -j0 'head -c 3000000 /dev/zero; head -c 1000000 /dev/zero >&2 # {}' ::: $(seq 10) >out 2>err ||
        { head -c 300 err; return 1; }
    same "stdout bytes" 30000000 "$(wc -c <out)" || return 1
    same "stderr bytes" 10000000 "$(wc -c <err)"
}
check "-u: 10 jobs writing 3 MB (and 1 MB of stderr) at once: every byte arrives" ungroup_bytes

ungroup_live() {
    in_case_dir
    local chunk rc
    fifo_start -u 'printf first; sh '"$AWAIT"' '"$CASE"'/marker; echo " last"'
    IFS= read -r -t 20 -N 5 chunk <&3
    rc=$?
    fifo_end
    [ "$rc" -eq 0 ] || { echo "the first bytes did not come while the job ran (read status $rc, got \"$chunk\")"; return 1; }
    same "first bytes" first "$chunk" || return 1
    same "the rest" " last" "$(cat "$CASE/rest")" || return 1
    same "exit status" 0 "$(cat "$CASE/st")"
}
check "-u: output (even half a line) passes through while the job runs" ungroup_live

# ======================= exclusive modes, usage errors =======================

# usage_error ARGS...: wgrun ARGS 'touch ran' ::: a exits 255 with a message
# and runs nothing.
usage_error() {
    in_case_dir
    local st
    wg "$@" 'touch ran' ::: a >out 2>err
    st=$?
    status_is 255 "$st" || { cat err; return 1; }
    [ -s err ] || { echo "no message"; return 1; }
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
check "--group --ungroup is a usage error (255)" usage_error --group --ungroup
check "--lb -u is a usage error (255)" usage_error --lb -u
check "--line-buffer --ungroup is a usage error (255)" usage_error --line-buffer --ungroup
check "--group --lb is a usage error (255)" usage_error --group --lb
check "-k -u is a usage error (255)" usage_error -k -u
check "--color=bogus is a usage error (255)" usage_error --color=bogus
check "a --tmpdir that does not exist is an error (255)" usage_error --tmpdir "$SANDBOX/no/such/dir"

# ======================= stdout and stderr stay apart =======================

streams_apart() {
    in_case_dir
    wg "$@" -j2 'seq -f out{}-%.0f 1 100000; seq -f err{}-%.0f 1 100000 >&2' ::: 1 2 >out 2>err ||
        { head err; return 1; }
    ! grep -q err out || { echo "stderr bytes in stdout"; return 1; }
    ! grep -q out err || { echo "stdout bytes in stderr"; return 1; }
    same "stdout size" "$(($(seq -f out1-%.0f 1 100000 | wc -c) * 2))" "$(wc -c <out)" || return 1
    same "stderr size" "$(($(seq -f err1-%.0f 1 100000 | wc -c) * 2))" "$(wc -c <err)" || return 1
    [ "$1" = -u ] && return 0 # lines may mix under -u
    same "stdout lines" 200000 "$(grep -c '^out[12]-[0-9]*$' out)" || return 1
    same "stderr lines" 200000 "$(grep -c '^err[12]-[0-9]*$' err)"
}
for mode in --group -k --lb -u; do
    check "$mode: a job's stdout goes to stdout and its stderr to stderr" streams_apart $mode
done

# ======================= --tag, --tagstring =======================

tag_args() {
    in_case_dir
    wg -j1 --tag 'echo x' ::: a b >out 2>err || { cat err; return 1; }
    same "stdout" "a${TAB}x a"$'\n'"b${TAB}x b" "$(cat out)" || return 1
    wg -j1 --tag 'echo x{}; echo; echo y{}' ::: a >out 2>err || { cat err; return 1; }
    same "every line, an empty one too" "a${TAB}xa"$'\n'"a${TAB}"$'\n'"a${TAB}ya" "$(cat out)" || return 1
    wg -j1 --tag 'echo x' ::: a ::: 1 >out 2>err || { cat err; return 1; }
    same "two input values" "a 1${TAB}x a 1" "$(cat out)"
}
check "--tag: each line starts with the job's input values and a TAB" tag_args

tag_command() {
    in_case_dir
    wg -j1 --tag 'echo hi' 'echo ho' >out 2>err || { cat err; return 1; }
    same "stdout" "echo hi${TAB}hi"$'\n'"echo ho${TAB}ho" "$(cat out)"
}
check "--tag in command mode: the tag is the command" tag_command

tag_stderr() {
    in_case_dir
    local mode
    for mode in --group -k --lb; do
        wg $mode -j1 --tag 'echo out{}; echo err{} >&2' ::: a >out 2>err || { cat err; return 1; }
        same "$mode: stdout" "a${TAB}outa" "$(cat out)" || return 1
        same "$mode: stderr" "a${TAB}erra" "$(cat err)" || return 1
    done
}
check "--tag: stderr lines are tagged too (--group, -k, --lb)" tag_stderr

tag_no_newline() {
    in_case_dir
    local mode
    for mode in --group -k --lb; do
        wg $mode --tag 'printf "l1\nl2" # {}' ::: a >out 2>err || { cat err; return 1; }
        printf 'a\tl1\na\tl2' >expected
        cmp expected out || { echo "$mode:"; od -c out; return 1; }
    done
}
check "--tag: a last line without a newline is tagged, no newline added" tag_no_newline

tag_keep_order() {
    in_case_dir
    wg -k -j0 --tag 'sleep {}; echo x' ::: 0.4 0.2 0 >out 2>err || { cat err; return 1; }
    same "stdout" "0.4${TAB}x"$'\n'"0.2${TAB}x"$'\n'"0${TAB}x" "$(cat out)"
}
check "--tag -k: tagged lines in input order" tag_keep_order

tagstring() {
    in_case_dir
    wg -j1 --tagstring '{#}:{}' 'echo x' ::: a b >out 2>err || { cat err; return 1; }
    same "stdout" "1:a${TAB}x a"$'\n'"2:b${TAB}x b" "$(cat out)" || return 1
    wg -j1 --tagstring '{#}:{}' 'echo e >&2; printf y # {}' ::: a >out 2>err || { cat err; return 1; }
    same "stderr" "1:a${TAB}e" "$(cat err)" || return 1
    printf '1:a\ty' >expected
    cmp expected out
}
check "--tagstring '{#}:{}': lines start 1:a<TAB>, on stderr and a last line too" tagstring

# ======================= --color =======================

color_pipe_auto() {
    in_case_dir
    local st
    wg -j1 --tag 'echo x; echo y >&2; exit 1 # {}' ::: a b >out 2>err
    st=$?
    status_is 2 "$st" || { cat err; return 1; }
    has "tagged stdout" "^a${TAB}x\$" "$(cat out)" || return 1
    has "the report" "jobs? failed" "$(cat err)" || return 1
    no_esc "stdout" out && no_esc "stderr" err || return 1
    NO_COLOR= wg -j1 --tag --color=auto 'echo x; exit 1' ::: a >out 2>err
    no_esc "stdout (--color=auto)" out && no_esc "stderr (--color=auto)" err
}
check "--color=auto (the default): no colour to a pipe or a file, tags and report" color_pipe_auto

color_always_pipe() {
    in_case_dir
    local st first second
    wg -j1 --tag --color=always 'echo x; exit 1' ::: a b >out 2>err
    st=$?
    status_is 2 "$st" || { cat err; return 1; }
    has_esc "$(cat out)" || { echo "no escape codes in the tagged stdout:"; od -c out | head; return 1; }
    same "stdout without the escape codes" "a${TAB}x"$'\n'"b${TAB}x" "$(strip_esc <out)" || return 1
    first=$(sed -n 1p out | grep -o "$ESC\\[[0-9;]*m" | head -n 1)
    second=$(sed -n 2p out | grep -o "$ESC\\[[0-9;]*m" | head -n 1)
    [ "$first" != "$second" ] || { echo "jobs 1 and 2 have the same colour:"; od -c out; return 1; }
    has_esc "$(cat err)" || { echo "the report marks nothing:"; cat err; return 1; }
    NO_COLOR=1 wg -j1 --tag --color=always 'echo x' ::: a >out 2>err || { cat err; return 1; }
    has_esc "$(cat out)" || { echo "--color=always with NO_COLOR=1: no colour"; return 1; }
    wg -j1 --color --tag 'echo x' ::: a >out 2>err || { cat err; return 1; }
    has_esc "$(cat out)" || { echo "--color alone: no colour"; return 1; }
}
check "--color=always: tags coloured per job, the report marked, NO_COLOR or not; --color alone too" color_always_pipe

color_never() {
    in_case_dir
    local out
    wg --tag --color=never 'echo x; exit 1' ::: a >out 2>err
    no_esc "stdout" out && no_esc "stderr" err || return 1
    out=$(no_color_unset on_pty "$WGRUN" --tag --color=never 'echo x; exit 1' ::: a)
    ! has_esc "$out" || { echo "--color=never on a terminal:"; od -c <<<"$out" | head; return 1; }
}

color_tty() {
    local out
    out=$(no_color_unset on_pty "$WGRUN" --tag 'echo x; exit 1' ::: a)
    [[ $out == *x* ]] || { echo "no output through the terminal: $out"; return 1; }
    has_esc "$out" || { echo "auto on a terminal: no colour:"; od -c <<<"$out" | head; return 1; }
    out=$(NO_COLOR=1 on_pty "$WGRUN" --tag 'echo x; exit 1' ::: a)
    ! has_esc "$out" || { echo "auto on a terminal with NO_COLOR=1:"; od -c <<<"$out" | head; return 1; }
    out=$(NO_COLOR=1 on_pty "$WGRUN" --tag --color=auto 'echo x; exit 1' ::: a)
    ! has_esc "$out" || { echo "--color=auto on a terminal with NO_COLOR=1:"; od -c <<<"$out" | head; return 1; }
    out=$(NO_COLOR=1 on_pty "$WGRUN" --tag --color=always 'echo x; exit 1' ::: a)
    has_esc "$out" || { echo "--color=always on a terminal with NO_COLOR=1: no colour"; return 1; }
}
if command -v script >/dev/null && [ -n "$(script -qec 'echo ok' /dev/null </dev/null 2>/dev/null)" ]; then
    check "--color=never: no colour, to a pipe or a terminal" color_never
    check "--color on a terminal: auto colours unless NO_COLOR=1; always colours anyway" color_tty
else
    skip "--color=never: no colour, to a pipe or a terminal" "no working script(1)"
    skip "--color on a terminal: auto colours unless NO_COLOR=1; always colours anyway" "no working script(1)"
fi

# ======================= --results DIR/{#}/ =======================
# (--results DIR meant DIR/<seq>/ before GNU's naming: these cases say
# DIR/{#}/ now; GNU's naming is tested in results_gnu_test.sh.)

results_files() {
    in_case_dir
    local st
    mkdir r
    wg "$@" -j2 --results 'r/{#}/' 'echo out{}; echo err{} >&2; exit {}' ::: 0 3 >out 2>err
    st=$?
    status_is 1 "$st" || { cat err; return 1; }
    same "stdout as usual" $'out0\nout3' "$(sort out)" || return 1
    same "r/1/stdout" out0 "$(cat r/1/stdout)" || return 1
    same "r/1/stderr" err0 "$(cat r/1/stderr)" || return 1
    same "r/1/status" 0 "$(cat r/1/status)" || return 1
    same "r/2/stdout" out3 "$(cat r/2/stdout)" || return 1
    same "r/2/stderr" err3 "$(cat r/2/stderr)" || return 1
    same "r/2/status" 3 "$(cat r/2/status)" || return 1
    same "r/2/seq" 2 "$(cat r/2/seq)" || return 1
    same "what r holds" $'1\n2' "$(ls -A r)"
}
for mode in --group -k --lb -u; do
    check "--results DIR/{#}/ $mode: DIR/<seq>/stdout, stderr, seq and status" results_files $mode
done

results_signal() {
    in_case_dir
    mkdir r
    wg --results 'r/{#}/' 'echo a; kill -KILL $$' >out 2>err
    same "r/1/status" 137 "$(cat r/1/status)" || return 1
    same "r/1/stdout" a "$(cat r/1/stdout)"
}
check "--results: a job killed by SIGKILL has status 137" results_signal

results_big() {
    in_case_dir
    mkdir r
    head -c 3000000 /dev/urandom >f
    wg --results 'r/{#}/' 'cat f; cat f >&2' >out 2>err || { head -c 300 err; return 1; }
    cmp f r/1/stdout && cmp f r/1/stderr && cmp f out && cmp f err
}
check "--results: 3 MB of random bytes saved byte-exact (and still written)" results_big

# Job 1 ends; job 2 writes and sleeps; kill -9 of wgrun: DIR/1 is complete,
# DIR/2 does not exist.
results_atomic() {
    in_case_dir
    mkdir r
    trap kill_wgrun EXIT
    start_bg out err --results 'r/{#}/' -j2 'echo done' 'echo $$ >pid2; echo partial; echo perr >&2; touch started; sleep 60' || return 1
    wait_for 30 test -e r/1/status -a -e started || { kill_wgrun; echo "job 1's results or job 2 never came"; ls -A r; return 1; }
    # (Not needed for correctness: wgrun holds job 2's output when killed.)
    local job2
    job2=$(cat pid2)
    wait_for 10 pipe_drained "/proc/$job2/fd/1" && wait_for 10 pipe_drained "/proc/$job2/fd/2" ||
        echo "(wgrun did not take in job 2's output)"
    kill_wgrun
    same "r/1/stdout" done "$(cat r/1/stdout)" || return 1
    same "r/1/status" 0 "$(cat r/1/status)" || return 1
    [ ! -e r/2 ] || { echo "r/2 exists for a job that never ended: $(ls -A r/2)"; return 1; }
    ls -A r | grep -vxE '1|\.2\.partial' && { echo "(unexpected entries above)"; return 1; }
    return 0
}
check "--results: kill -9 of wgrun leaves no DIR/<seq> for an unfinished job" results_atomic

# ======================= --tmpdir, spill files, kill -9 =======================

# spill_where WANT OTHER [--tmpdir]: a job writes 3 MB and waits; wgrun must
# have a (deleted) spill file open in $CASE/WANT and none in $CASE/OTHER.
# TMPDIR is $CASE/env; with --tmpdir, wgrun is given --tmpdir $CASE/opt.
spill_where() {
    in_case_dir
    mkdir opt env
    local want=$CASE/$1 other=$CASE/$2 opts=() st
    [ $# -lt 3 ] || opts=(--tmpdir "$CASE/opt")
    trap kill_wgrun EXIT
    TMPDIR=$CASE/env start_bg out err "${opts[@]}" 'head -c 3000000 /dev/zero; touch written; sh '"$AWAIT"' marker' ||
        return 1
    wait_for 60 test -e written || { kill_wgrun; echo "the job never wrote"; return 1; }
    if ! wait_for 10 fds_into "$WGPID" "$want"; then
        echo "no file open in $want; wgrun's open files:"
        ls -l /proc/"$WGPID"/fd | sed -n 's/.*-> //p'
        touch marker; kill_wgrun; return 1
    fi
    if fds_into "$WGPID" "$other"; then
        echo "a file open in $other; wgrun's open files:"
        ls -l /proc/"$WGPID"/fd | sed -n 's/.*-> //p'
        touch marker; kill_wgrun; return 1
    fi
    [ -z "$(ls -A "$want")" ] || { echo "the spill file has a name: $(ls -A "$want")"; touch marker; kill_wgrun; return 1; }
    touch marker
    wait "$TPID"
    st=$?
    WGPID=
    status_is 0 "$st" || { cat err; return 1; }
    same "stdout bytes" 3000000 "$(wc -c <out)"
}
check "output beyond memory spills to an unlinked file in \$TMPDIR" spill_where env opt
check "--tmpdir DIR overrides \$TMPDIR" spill_where opt env --tmpdir

# GNU parallel's CLEANUP test: jobs write 20 MB each and sleep; kill -9 of
# wgrun leaves the --tmpdir directory empty.
cleanup_kill9() {
    in_case_dir
    mkdir t
    trap kill_wgrun EXIT
    start_bg /dev/null err --tmpdir "$CASE/t" -j2 'head -c 20000000 /dev/zero; touch w{}; sleep 60' ::: 1 2 || return 1
    wait_for 60 test -e w1 -a -e w2 || { kill_wgrun; echo "the jobs never finished writing"; return 1; }
    wait_for 10 fds_into "$WGPID" "$CASE/t" || { kill_wgrun; echo "nothing spilled to --tmpdir"; return 1; }
    kill_wgrun
    [ -z "$(ls -A t)" ] || { echo "left behind in --tmpdir:"; ls -lA t; return 1; }
}
check "CLEANUP: kill -9 of wgrun while jobs hold 20 MB each leaves --tmpdir empty" cleanup_kill9

# The same under -k, with a finished job's 20 MB waiting for its turn.
cleanup_kill9_keep_order() {
    in_case_dir
    mkdir t
    trap kill_wgrun EXIT
    start_bg /dev/null err -k --tmpdir "$CASE/t" -j2 'sh '"$AWAIT"' marker 60' \
        'head -c 20000000 /dev/zero; touch w2' 'touch w3; sleep 60' || return 1
    wait_for 60 test -e w2 -a -e w3 || { kill_wgrun; echo "the jobs never finished writing"; return 1; }
    wait_for 10 fds_into "$WGPID" "$CASE/t" || { kill_wgrun; echo "nothing spilled to --tmpdir"; return 1; }
    kill_wgrun
    [ -z "$(ls -A t)" ] || { echo "left behind in --tmpdir:"; ls -lA t; return 1; }
}
check "CLEANUP -k: kill -9 of wgrun while a finished job's 20 MB waits leaves --tmpdir empty" cleanup_kill9_keep_order

# ======================= a full disk, a full stdout =======================

TINY=$SANDBOX/tiny

full_disk_group() {
    in_case_dir
    local st
    timeout 60 "$WGRUN" --group --tmpdir "$TINY" -j2 'head -c 5000000 /dev/zero' 'echo small' >out 2>err
    st=$?
    [ "$st" -ne 124 ] || { echo "wgrun hung"; return 1; }
    status_is 1 "$st" || { cat err; return 1; }
    grep -qx small out || { echo "the small job's output is missing"; return 1; }
    has "message" "output lost" "$(cat err)" || return 1
    has "failure report" "job 1 failed.*head -c 5000000" "$(cat err)" || return 1
    [ -z "$(ls -A "$TINY")" ] || { echo "left on the tmpfs: $(ls -A "$TINY")"; return 1; }
}

# Under -k the oldest job streams: the 5 MB job is job 2, held back until
# job 1 (which waits for it) ends.
full_disk_keep_order() {
    in_case_dir
    local st
    timeout 90 "$WGRUN" -k --tmpdir "$TINY" -j2 "sh '$AWAIT' done2 30; echo first" \
        'head -c 5000000 /dev/zero; touch done2' >out 2>err
    st=$?
    [ "$st" -ne 124 ] || { echo "wgrun hung"; return 1; }
    status_is 1 "$st" || { cat err; return 1; }
    same "first line" first "$(head -n 1 out)" || return 1
    has "message" "output lost" "$(cat err)" || return 1
    has "failure report" "job 2 failed.*head -c 5000000" "$(cat err)" || return 1
    [ -z "$(ls -A "$TINY")" ] || { echo "left on the tmpfs: $(ls -A "$TINY")"; return 1; }
}

mkdir -p "$TINY"
if mount -t tmpfs -o size=1m tmpfs "$TINY" 2>/dev/null; then
    trap 'umount "$TINY" 2>/dev/null; rm -rf "$SANDBOX"' EXIT
    check "a full --tmpdir (1 MB tmpfs) under --group: the 5 MB job fails, 'output lost'" full_disk_group
    check "a full --tmpdir (1 MB tmpfs) under -k: the waiting 5 MB job fails, 'output lost'" full_disk_keep_order
    umount "$TINY"
    trap 'rm -rf "$SANDBOX"' EXIT
else
    skip "a full --tmpdir (1 MB tmpfs) under --group: the 5 MB job fails, 'output lost'" "cannot mount a tmpfs"
    skip "a full --tmpdir (1 MB tmpfs) under -k: the waiting 5 MB job fails, 'output lost'" "cannot mount a tmpfs"
fi

dev_full() {
    in_case_dir
    local st
    timeout 60 "$WGRUN" "$@" -j1 'echo x' ::: 1 2 >/dev/full 2>err
    st=$?
    [ "$st" -ne 124 ] || { echo "wgrun hung"; return 1; }
    [ "$st" -ge 1 ] && [ "$st" -le 101 ] || { echo "exit status $st, expected the number of failed jobs"; cat err; return 1; }
    has "a message" "[Oo]utput|[Nn]o space|[Ww]rit" "$(cat err)" || return 1
    has "failure report" "jobs? failed" "$(cat err)"
}
for mode in --group -k --lb -u; do
    check "$mode: /dev/full as stdout: jobs fail with a message, no hang" dev_full $mode
done

# ======================= memory =======================

# GNU parallel's RAM test, with fewer bytes: 20 jobs of 100 MB at -j20.
ram() {
    in_case_dir
    local st kb
    timeout 600 /usr/bin/time -f %M -o rss "$WGRUN" --group --tmpdir "$CASE" -j20 'head -c 100000000 /dev/zero # {}' \
        ::: $(seq 20) >/dev/null 2>err
    st=$?
    status_is 0 "$st" || { head err; return 1; }
    kb=$(peak_rss_kb rss)
    [ "$kb" -lt 32768 ] || { echo "peak RSS ${kb} KiB, limit 32768 KiB"; return 1; }
}
RAMNAME="RAM: 20 jobs writing 100 MB each at -j20 keep wgrun under 32 MB"
avail_kb=$(df -Pk "$SANDBOX" | awk 'NR == 2 { print $4 }')
if [ ! -x /usr/bin/time ]; then
    skip "$RAMNAME" "no /usr/bin/time"
elif sanitized; then
    skip "$RAMNAME" "sanitizer build"
elif [ "${avail_kb:-0}" -lt 2200000 ]; then
    skip "$RAMNAME" "less than 2.2 GB free in $SANDBOX"
else
    check "$RAMNAME" ram
fi

# ======================= stdout closing early =======================

# early_close MODE: jobs 2-4 sleep 100 (each job's pid in pids/); job 1 waits
# until they run, then writes 200000 lines; the reader takes one and goes.
early_close() {
    in_case_dir
    mkdir pids
    local st pids p
    trap 'for p in $(cat pids/* 2>/dev/null); do kill -KILL -- "-$p" "$p" 2>/dev/null; done' EXIT
    timeout 40 "$WGRUN" "$@" -j4 "sh '$AWAIT_COUNT' 'pids/*' 3 20; seq 200000" \
        'echo $$ >pids/.a; mv pids/.a pids/a; exec sleep 100' \
        'echo $$ >pids/.b; mv pids/.b pids/b; exec sleep 100' \
        'echo $$ >pids/.c; mv pids/.c pids/c; exec sleep 100' 2>err | head -n 1 >first
    st=${PIPESTATUS[0]}
    pids=$(cat pids/* 2>/dev/null)
    same "the line read" 1 "$(cat first)" || return 1
    [ "$st" -ne 124 ] || { echo "wgrun was still running after 40 s"; head err; return 1; }
    status_is 141 "$st" || { head err; return 1; }
    [ -n "$pids" ] || { echo "the sleeping jobs never ran"; return 1; }
    if ! wait_for 10 none_alive $pids; then
        echo "jobs still running 10 s after wgrun ended:"
        for p in $pids; do alive "$p" && ps -o pid=,args= -p "$p"; done
        return 1
    fi
    ! grep -q "failed" err || { echo "a report:"; head err; return 1; }
    [ "$(wc -l <err)" -le 1 ] || { echo "stderr:"; head err; return 1; }
}
for mode in --group --lb -u; do
    check "$mode | head -1: wgrun ends its jobs and dies quietly of SIGPIPE (141)" early_close $mode
done

# reader_gone MODE: the reader goes before any job writes a byte: wgrun
# sees it from the pipe itself and ends the jobs at once (under --group a job
# such as `yes` would otherwise spill to disk until the disk was full).
reader_gone() {
    in_case_dir
    local st started
    started=$SECONDS
    timeout 40 "$WGRUN" "$@" -j3 'sleep 0.3; exec yes' 'exec sleep 100' \
        'sleep 0.3; exec sleep 100' 2>err | { exec 0<&-; sleep 0.1; }
    st=${PIPESTATUS[0]}
    [ "$st" -ne 124 ] || { echo "wgrun was still running after 40 s"; head err; return 1; }
    status_is 141 "$st" || { head err; return 1; }
    [ $((SECONDS - started)) -lt 20 ] || { echo "took $((SECONDS - started)) s"; return 1; }
    [ ! -s err ] || { echo "stderr:"; head err; return 1; }
}
for mode in --group -k --lb -u; do
    check "$mode with the reader gone before any output: jobs ended, 141" reader_gone $mode
done

finish
