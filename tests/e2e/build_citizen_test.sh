#!/usr/bin/env bash
# wgrun as a good citizen of a build: make's jobserver (client of make 4.3's
# pipe and make 4.4's fifo, server with --jobserver), every token given back
# on every path, --load, --memfree, -j FILE, SIGUSR1/SIGUSR2, and the docs.
# Uses Debian's real GNU make.
. "$(dirname "$0")/lib.sh"
exec </dev/null
# (lib.sh unsets a make above this script's MAKEFLAGS: each case sets its own.)
unset MAKEOVERRIDES

NPROC=$(nproc)

# probe.sh DIR SLEEP [TARGET [GO]]: one job of a concurrency probe. Counts
# itself in DIR/cur under flock, keeps the peak in DIR/max and appends
# "start SEQ N AFTER" to DIR/log (N: the jobs counted at its start, itself
# too; AFTER: 1 when DIR/after existed then). Then waits for the file GO to
# exist (when given, for at most 40 s), for the peak to reach TARGET (when
# given, until DIR/deadline at most) so that jobs overlap when they may,
# sleeps SLEEP seconds and counts itself out.
PROBE=$SANDBOX/probe.sh
cat >"$PROBE" <<'SH'
d=$1 s=$2 target=${3:-0} go=${4:-}
flock "$d/lock" sh -c '
    n=$(( $(cat "$1/cur") + 1 )); echo $n >"$1/cur"
    if [ "$n" -gt "$(cat "$1/max")" ]; then echo $n >"$1/max.tmp"; mv "$1/max.tmp" "$1/max"; fi
    after=0; [ -e "$1/after" ] && after=1
    echo "start ${WGRUN_SEQ:-0} $n $after" >>"$1/log"' _ "$d"
if [ -n "$go" ]; then
    i=0
    while [ ! -e "$go" ] && [ "$i" -lt 800 ]; do sleep 0.05; i=$((i + 1)); done
fi
while [ "$(cat "$d/max")" -lt "$target" ] && [ "$(date +%s)" -lt "$(cat "$d/deadline")" ]; do
    sleep 0.05
done
sleep "$s"
flock "$d/lock" sh -c 'echo $(( $(cat "$1/cur") - 1 )) >"$1/cur"' _ "$d"
SH

# new_probe: sets P to a fresh probe directory (peak 0, deadline in 15 s).
new_probe() {
    P=$(mktemp -d "$SANDBOX/probe.XXXXXX") || return 1
    echo 0 >"$P/cur"
    echo 0 >"$P/max"
    : >"$P/log"
    echo $(($(date +%s) + 15)) >"$P/deadline"
}
peak() { cat "$P/max"; }
probe_starts() { wc -l <"$P/log"; }
probe_started_at_least() { [ "$(probe_starts)" -ge "$1" ]; }

# between WHAT LOW HIGH VALUE: true when LOW <= VALUE <= HIGH. With
# E2E_FIGURES set, each value is also appended to that file (for the
# figures of a closing note).
between() {
    [ -n "${E2E_FIGURES:-}" ] && echo "$1: $4 (allowed $2..$3)" >>"$E2E_FIGURES"
    [ "$4" -ge "$2" ] && [ "$4" -le "$3" ] && return 0
    echo "$1 is $4, expected $2..$3"
    return 1
}

# kill_bg PID...: ends the background wgruns a failed case leaves.
kill_bg() {
    local p
    for p in "$@"; do
        [ -n "$p" ] && alive "$p" && kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    return 0
}

# no_complaint WHAT FILE: FILE has no line about a jobserver, nor make's
# "INTERNAL: Exiting with N jobserver tokens".
no_complaint() {
    grep -qiE 'jobserver|INTERNAL' "$2" || return 0
    echo "$1 complains:"
    cat "$2"
    return 1
}

# jspipe.py TOKENS FLAGS OUT COMMAND...: a jobserver of make 4.3's kind set
# up by hand: makes a pipe holding TOKENS (its bytes), sets MAKEFLAGS to
# FLAGS with {R} and {W} replaced by the pipe's fds, runs COMMAND with both
# fds inherited, then reads the pipe without blocking and writes the bytes
# found there, sorted, to OUT (and "R,W" to OUT.fds). Exits with COMMAND's
# status (128+N when a signal N ended it).
JSPIPE=$SANDBOX/jspipe.py
cat >"$JSPIPE" <<'PY'
import os, subprocess, sys
tokens, flags, out = sys.argv[1], sys.argv[2], sys.argv[3]
r, w = os.pipe()
if tokens:
    os.write(w, tokens.encode())
env = dict(os.environ)
env["MAKEFLAGS"] = flags.replace("{R}", str(r)).replace("{W}", str(w))
with open(out + ".fds", "w") as f:
    f.write("%d,%d\n" % (r, w))
status = subprocess.Popen(sys.argv[4:], env=env, pass_fds=(r, w)).wait()
os.set_blocking(r, False)
data = b""
while True:
    try:
        chunk = os.read(r, 4096)
    except BlockingIOError:
        break
    if not chunk:
        break
    data += chunk
with open(out, "w") as f:
    f.write("".join(sorted(data.decode("latin-1"))))
sys.exit(status if status >= 0 else 128 - status)
PY
jspipe() { timeout 60 python3 "$JSPIPE" "$@"; }

# fifo_bytes FIFO: the bytes the FIFO holds, sorted, read without blocking
# (the test keeps a read-write fd on it, so an empty FIFO is not at its end).
fifo_bytes() {
    timeout 10 python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
data = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except BlockingIOError:
        break
    if not chunk:
        break
    data += chunk
sys.stdout.write("".join(sorted(data.decode("latin-1"))))' "$1"
}

# --- 1, 2: wgrun in a make recipe ---------------------------------------------

# write_makefile PREFIX [JOBS [SLEEP]]: a Makefile of two recipes, each a
# wgrun of JOBS (8) probe jobs of SLEEP (0.5) seconds counted in $P; PREFIX
# goes before each recipe line ("+" makes it a recursive-make line, which
# inherits the jobserver's fds).
write_makefile() {
    local job="sh '$PROBE' '$P' ${3:-0.5} # {}" args
    args=$(seq -s ' ' "${2:-8}")
    {
        printf 'all: one two\n'
        printf 'one:\n\t@%s"%s" "%s" ::: %s\n' "$1" "$WGRUN" "$job" "$args"
        printf 'two:\n\t@%s"%s" "%s" ::: %s\n' "$1" "$WGRUN" "$job" "$args"
        printf '.PHONY: all one two\n'
    } >Makefile
}

make_plus_recipes() {
    in_case_dir
    new_probe
    write_makefile +
    local t0 ms st
    t0=$(now_ms)
    timeout 60 make -j4 >out 2>&1
    st=$?
    ms=$(elapsed_ms "$t0")
    status_is 0 "$st" || { cat out; return 1; }
    no_complaint "make -j4 with two +wgrun recipes" out || return 1
    same "jobs run" 16 "$(probe_starts)" || return 1
    between "peak of jobs at once over both wgruns" 3 4 "$(peak)" || return 1
    # A time limit only where no sanitizer run shares the machine.
    sanitized && return 0
    between "make's wall time in ms (16 jobs of 0.5 s, 4 at once)" 1800 4500 "$ms"
}
check "make -j4, two +wgrun recipes of 8 jobs: at most 4 jobs at once over both (at least 3), ~2 s, no jobserver complaint" make_plus_recipes

# On a machine of 2 CPUs, each wgrun alone would run 2 jobs: under make -j2
# the two wgruns share make's 2 slots (each its implicit one, no token left).
make_j2() {
    in_case_dir
    new_probe
    write_makefile + 4 0.3
    local st
    timeout 60 make -j2 >out 2>&1
    st=$?
    status_is 0 "$st" || { cat out; return 1; }
    no_complaint "make -j2 with two +wgrun recipes" out || return 1
    same "jobs run" 8 "$(probe_starts)" || return 1
    same "peak of jobs at once over both wgruns" 2 "$(peak)"
}
check "make -j2, two +wgrun recipes: 2 jobs at once over both (one each, on make's slots)" make_j2

make_plain_recipes() {
    in_case_dir
    new_probe
    write_makefile ""
    local t0 ms st n
    t0=$(now_ms)
    timeout 60 make -j4 >out 2>&1
    st=$?
    ms=$(elapsed_ms "$t0")
    status_is 0 "$st" || { cat out; return 1; }
    n=$(grep -ciE 'jobserver' out)
    same "lines about the jobserver (one per wgrun)" 2 "$n" || { cat out; return 1; }
    ! grep -q INTERNAL out || { cat out; return 1; }
    same "jobs run" 16 "$(probe_starts)" || return 1
    between "peak of jobs at once (each wgrun at most the CPU count)" 1 $((2 * NPROC)) "$(peak)" || return 1
    between "make's wall time in ms" 0 30000 "$ms"
}
check "make -j4, wgrun recipes without + (jobserver fds not inherited): one warning per wgrun, all jobs run, no hang" make_plain_recipes

# --- 3: wgrun --jobserver serves sub-makes ------------------------------------

# write_submakes: directories a, b and c, each with a Makefile of 6
# independent targets whose recipes are probe jobs (0.3 s, target 3) in $P.
write_submakes() {
    local dir
    for dir in a b c; do
        mkdir "$dir" || return 1
        {
            printf 'all: t1 t2 t3 t4 t5 t6\n'
            printf "t1 t2 t3 t4 t5 t6:\n\t@sh '%s' '%s' 0.3 3\n" "$PROBE" "$P"
            printf '.PHONY: all t1 t2 t3 t4 t5 t6\n'
        } >"$dir/Makefile"
    done
}

server_sub_makes() {
    in_case_dir
    new_probe
    local out st
    write_submakes || return 1
    wg -j4 --jobserver 'make -C a' 'make -C b' 'make -C c' >out 2>&1
    st=$?
    status_is 0 "$st" || { cat out; return 1; }
    no_complaint "the sub-makes" out || return 1
    same "recipes run" 18 "$(probe_starts)" || return 1
    between "peak of recipes at once over the three sub-makes" 3 4 "$(peak)" || return 1
    out=$(wg -j4 --jobserver 'echo "$MAKEFLAGS"' 2>&1) || { echo "$out"; return 1; }
    has "a job's MAKEFLAGS" '--jobserver-auth=[0-9]+,[0-9]+' "$out" || return 1
    has "a job's MAKEFLAGS" '(^| )-j4( |$)' "$out"
}
check "wgrun -j4 --jobserver 'make -C a' 'make -C b' 'make -C c': at most 4 recipes at once in all (at least 3), no complaint; jobs get -j4 --jobserver-auth=R,W" server_sub_makes

jobserver_j0() {
    local st
    wg --jobserver -j 0 true >"$SANDBOX/out" 2>"$SANDBOX/err"
    st=$?
    status_is 255 "$st" || return 1
    [ -s "$SANDBOX/err" ] || { echo "no message on stderr"; return 1; }
}
check "--jobserver -j 0 is a usage error (255, a message)" jobserver_j0

# A recipe without '+' that runs wgrun --jobserver: MAKEFLAGS names closed
# fds; wgrun says so once and serves its own pool in their place.
server_replaces_unusable() {
    in_case_dir
    local out st
    mkdir sub
    printf 'all: a b\na b:\n\t@true\n.PHONY: all a b\n' >sub/Makefile
    out=$(MAKEFLAGS=" -j8 --jobserver-auth=98,99" wg -j3 --jobserver \
        'echo "$MAKEFLAGS"; make -s -C sub 2>&1' 2>err)
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "warnings" 1 "$(grep -c jobserver err)" || { cat err; return 1; }
    has "the jobs' MAKEFLAGS" '^ -j3 --jobserver-auth=[0-9]+,[0-9]+$' "$out" || return 1
    ! grep -q 98,99 <<<"$out" || { echo "the unusable fds reached the job: $out"; return 1; }
    no_complaint "the sub-make" <(grep -v '^ -j3' <<<"$out")
}
check "--jobserver where MAKEFLAGS' jobserver is unusable: one warning, the jobs get wgrun's own pool" server_replaces_unusable

# --- 4: make 4.4's fifo jobserver, set up by the test --------------------------

# fifo_tokens_back: the fifo holds exactly the bytes a, b, c again; puts them
# back for the next run.
fifo_tokens_back() {
    local got
    got=$(fifo_bytes "$FIFO")
    same "tokens in the fifo after the run" abc "$got" || return 1
    printf abc >&7
}

fifo_jobserver() {
    local BG= st=0
    new_mark
    fifo_case || st=1
    kill_bg "$BG"
    kill_marked
    return "$st"
}
fifo_case() {
    in_case_dir
    FIFO=$CASE/fifo
    mkfifo "$FIFO"
    exec 7<>"$FIFO"
    printf abc >&7
    local st t0
    export MAKEFLAGS=" -j4 --jobserver-auth=fifo:$FIFO"

    # 10 probe jobs: 3 tokens + the implicit slot.
    new_probe
    wg "sh '$PROBE' '$P' 0.3 3 # {}" ::: $(seq 10) >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    [ ! -s err ] || { echo "stderr:"; cat err; return 1; }
    same "jobs run" 10 "$(probe_starts)" || return 1
    between "peak of jobs at once" 3 4 "$(peak)" || return 1
    fifo_tokens_back || return 1

    # (a) SIGINT while jobs run.
    in_background out "echo x >>'$CASE/started'; sleep $MARK # {}" ::: 1 2 3 4 5 6
    started 4 || started_at_least 2 || { echo "fewer than 2 jobs started"; kill -KILL "$BG"; return 1; }
    kill -INT "$BG"
    finished_bg 20 || return 1
    status_is 130 "$ST" || { cat "$CASE/err"; return 1; }
    none_left || return 1
    fifo_tokens_back || { echo "(after SIGINT)"; return 1; }

    # (b) --halt now,fail=1: one job fails among sleeping ones.
    t0=$(now_ms)
    wg --halt now,fail=1 "sleep $MARK" 'sleep 0.5; exit 1' "sleep $MARK" "sleep $MARK" "sleep $MARK" "sleep $MARK" >out 2>err
    st=$?
    [ "$st" -ne 0 ] || { echo "--halt now,fail=1 exited 0"; return 1; }
    [ "$st" -ne 124 ] || { echo "--halt now,fail=1 did not end"; return 1; }
    between "--halt run's wall time in ms" 0 20000 "$(elapsed_ms "$t0")" || return 1
    none_left || return 1
    fifo_tokens_back || { echo "(after --halt now,fail=1)"; return 1; }

    # (c) --timeout 1 ends jobs that would sleep on.
    wg --timeout 1 "sleep $MARK # {}" ::: 1 2 3 4 5 6 >out 2>err
    st=$?
    [ "$st" -ne 0 ] && [ "$st" -ne 124 ] || { echo "--timeout 1 exited $st"; cat err; return 1; }
    none_left || return 1
    fifo_tokens_back || { echo "(after --timeout 1)"; return 1; }

    # (d) --retries 2 with failing jobs.
    wg --retries 2 "echo run >>'$CASE/runs'; sleep 0.2; exit 3 # {}" ::: 1 2 3 4 5 6 >out 2>err
    st=$?
    status_is 6 "$st" || { cat err; return 1; }
    same "runs (6 jobs, 2 tries each)" 12 "$(wc -l <"$CASE/runs")" || return 1
    fifo_tokens_back || { echo "(after --retries 2)"; return 1; }
    none_left
}
check "fifo jobserver (make 4.4): at most 3 tokens + 1 at once (at least 3); the same 3 token bytes back after a run, SIGINT, --halt now,fail=1, --timeout 1, --retries 2; no job left" fifo_jobserver

# --- 5, 6: make 4.3's pipe jobserver, set up by the test -----------------------

# through_pipe TOKENS FLAGS PEAK JOBS [WGRUN-OPTIONS...]: JOBS probe jobs run
# by wgrun under a pipe jobserver holding TOKENS, named in MAKEFLAGS as FLAGS;
# checks that wgrun exits 0 quietly, that the jobs peak at PEAK at once, and
# that the same tokens are in the pipe afterwards.
through_pipe() {
    local tokens=$1 flags=$2 target=$3 jobs=$4 st
    shift 4
    new_probe
    jspipe "$tokens" "$flags" "$CASE/tokens" \
        "$WGRUN" "$@" "sh '$PROBE' '$P' 0.3 $target # {}" ::: $(seq "$jobs") >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    [ ! -s err ] || { echo "stderr:"; cat err; return 1; }
    same "jobs run" "$jobs" "$(probe_starts)" || return 1
    same "peak of jobs at once" "$target" "$(peak)" || return 1
    same "tokens in the pipe after the run" "$tokens" "$(cat "$CASE/tokens")"
}

pipe_jobserver() {
    in_case_dir
    through_pipe xy ' -j3 --jobserver-auth={R},{W}' 3 8 || return 1  # 2 tokens + 1
    through_pipe xy ' -j3 --jobserver-auth={R},{W}' 2 6 -j 2
}
check "pipe jobserver (make 4.3) of 2 tokens: at most 3 jobs at once, at most 2 with -j 2; both tokens back" pipe_jobserver

old_fds_form() {
    in_case_dir
    through_pipe xyz ' -j4 --jobserver-fds={R},{W}' 4 8  # 3 tokens + 1
}
check "the older --jobserver-fds=R,W form: 3 tokens + 1 at once, the tokens back" old_fds_form

# The last jobserver word of MAKEFLAGS wins: here an empty pipe after fds
# that are closed, so one job at a time and no warning; then the other way
# round, closed fds last: one warning, and the CPU count.
last_wins() {
    in_case_dir
    local st
    new_probe
    jspipe "" ' -j1 --jobserver-auth=98,99 --jobserver-auth={R},{W}' "$CASE/tokens" \
        "$WGRUN" "sh '$PROBE' '$P' 0.2 # {}" ::: $(seq 4) >out 2>err 98>&- 99>&-
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    [ ! -s err ] || { echo "stderr:"; cat err; return 1; }
    same "peak of jobs at once (0 tokens + 1)" 1 "$(peak)" || return 1
    new_probe
    jspipe "" ' -j1 --jobserver-auth={R},{W} --jobserver-auth=98,99' "$CASE/tokens" \
        "$WGRUN" "sh '$PROBE' '$P' 0.2 # {}" ::: $(seq 4) >out 2>err 98>&- 99>&-
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "lines on stderr, each about the jobserver" "1 1" "$(grep -ci jobserver err) $(wc -l <err)" || { cat err; return 1; }
    same "jobs run" 4 "$(probe_starts)"
}
check "the last --jobserver-auth in MAKEFLAGS wins" last_wins

# wgrun as a client passes the pool on: make inside its jobs shares it.
client_sub_makes() {
    in_case_dir
    new_probe
    local st
    write_submakes || return 1
    jspipe xyz ' -j4 --jobserver-auth={R},{W}' "$CASE/tokens" \
        "$WGRUN" 'make -C a' 'make -C b' 'make -C c' >out 2>&1
    st=$?
    status_is 0 "$st" || { cat out; return 1; }
    no_complaint "the sub-makes" out || return 1
    same "recipes run" 18 "$(probe_starts)" || return 1
    between "peak of recipes at once over the three sub-makes" 3 4 "$(peak)" || return 1
    # make 4.3 gives back a '+' for each token it took: count them only.
    same "tokens in the pipe after the run" 3 "$(wc -c <"$CASE/tokens")"
}
check "a jobserver client's jobs inherit it: 3 sub-makes under a pool of 3 tokens + 1 run at most 4 recipes at once (at least 3), 3 tokens back" client_sub_makes

server_inside_client() {
    in_case_dir
    local st out
    new_probe
    jspipe xy ' -j3 --jobserver-auth={R},{W}' "$CASE/tokens" \
        "$WGRUN" -j8 --jobserver "sh '$PROBE' '$P' 0.3 2 # {}" ::: $(seq 8) >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    [ ! -s err ] || { echo "stderr:"; cat err; return 1; }
    between "peak of jobs at once (the outer pool: 2 tokens + 1)" 2 3 "$(peak)" || return 1
    same "tokens in the outer pipe after the run" xy "$(cat "$CASE/tokens")" || return 1
    out=$(jspipe xy ' -j3 --jobserver-auth={R},{W}' "$CASE/tokens" "$WGRUN" -j8 --jobserver 'echo "$MAKEFLAGS"' 2>&1) ||
        { echo "$out"; return 1; }
    has "a job's MAKEFLAGS (the outer pool's fds)" "--jobserver-auth=$(cat "$CASE/tokens.fds")( |\$)" "$out" || return 1
    has "a job's MAKEFLAGS (the outer -j3)" '(^| )-j3( |$)' "$out"
}
check "--jobserver inside an outer jobserver passes the outer pool through (at most 3 at once, jobs get the outer MAKEFLAGS)" server_inside_client

make_n() {
    in_case_dir
    local out st
    out=$(MAKEFLAGS="n --jobserver-auth=3,4" wg -j2 'echo ok # {}' ::: 1 2 3 2>err 3>&- 4>&-)
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    [ ! -s err ] || { echo "stderr (make -n: no jobserver):"; cat err; return 1; }
    same "output" $'ok\nok\nok' "$out" || return 1
    # Control: the same MAKEFLAGS without the n names closed fds: one warning.
    out=$(MAKEFLAGS=" --jobserver-auth=3,4" wg -j2 'echo ok # {}' ::: 1 2 3 2>err 3>&- 4>&-)
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "output (closed jobserver fds)" $'ok\nok\nok' "$out" || return 1
    same "stderr lines (closed jobserver fds)" 1 "$(grep -ci jobserver err)" || { cat err; return 1; }
    same "stderr lines in all (closed jobserver fds)" 1 "$(wc -l <err)" || { cat err; return 1; }
    # An empty jobserver pipe is not waited for under make -n: -j3 alone rules.
    new_probe
    jspipe "" 'n --jobserver-auth={R},{W}' "$CASE/tokens" \
        "$WGRUN" -j3 "sh '$PROBE' '$P' 0.3 3 # {}" ::: $(seq 6) >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    [ ! -s err ] || { echo "stderr:"; cat err; return 1; }
    same "peak of jobs at once (-j3, an empty pipe not used)" 3 "$(peak)"
}
check "MAKEFLAGS whose first word holds n (make -n): no jobserver, no warning (closed fds warn once without the n)" make_n

# --- 8, 9: a limit that moves ---------------------------------------------------

j_file() {
    in_case_dir
    local st
    new_probe
    echo 1 >"$CASE/limit"
    local cmds=("sh '$PROBE' '$P' 0.5; cat '$P/max' >'$CASE/first'; echo 3 >'$CASE/limit'")
    for _ in 2 3 4 5 6 7 8; do cmds+=("sh '$PROBE' '$P' 0.3 2"); done
    wg -j "$CASE/limit" "${cmds[@]}" >out 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "jobs run" 8 "$(probe_starts)" || return 1
    same "peak while job 1 ran (the file said 1)" 1 "$(cat "$CASE/first")" || { cat "$P/log"; return 1; }
    between "peak once the file said 3" 2 3 "$(peak)"
}
check "-j FILE: the limit is read from the file, and again when a job ends (1, then 3)" j_file

usr2_lowers() {
    in_case_dir
    local later
    new_probe
    in_background out -j4 --joblog "$CASE/joblog" "sh '$PROBE' '$P' 0.6 0 '$CASE/go' # {}" ::: $(seq 12)
    wait_for 10 probe_started_at_least 4 || { kill -KILL "$BG"; echo "4 jobs did not start"; return 1; }
    kill -USR2 "$BG"
    wait_for 5 signal_taken "$BG" USR2 || { kill -KILL "$BG"; echo "SIGUSR2 not taken"; return 1; }
    kill -USR2 "$BG"
    wait_for 5 signal_taken "$BG" USR2 || { kill -KILL "$BG"; echo "second SIGUSR2 not taken"; return 1; }
    touch "$P/after" "$CASE/go"
    finished_bg 30 || return 1
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    same "jobs run" 12 "$(probe_starts)" || return 1
    same "jobs logged with exit 0 and no signal" 12 "$(awk -F'\t' 'NR > 1 && $7 == 0 && $8 == 0' "$CASE/joblog" | wc -l)" ||
        { cat "$CASE/joblog"; return 1; }
    same "jobs that started before the signals" 4 "$(awk '$4 == 0' "$P/log" | wc -l)" || { cat "$P/log"; return 1; }
    later=$(awk '$4 == 1 { if ($3 > m) m = $3 } END { print m + 0 }' "$P/log")
    same "peak of jobs at once seen by the jobs started after two SIGUSR2" 2 "$later" || { cat "$P/log"; return 1; }
}
check "-j4, SIGUSR2 twice while 4 run: no job killed, the jobs after see at most 2 at once" usr2_lowers

usr1_raises() {
    in_case_dir
    new_probe
    in_background out -j1 "sh '$PROBE' '$P' 0.3 0 '$CASE/go' # {}" ::: $(seq 5)
    wait_for 10 probe_started_at_least 1 || { kill -KILL "$BG"; echo "no job started"; return 1; }
    kill -USR1 "$BG"
    # Job 1 waits for go: a second job can only start beside it.
    wait_for 10 probe_started_at_least 2 || { kill -KILL "$BG"; echo "no second job beside the first after SIGUSR1"; return 1; }
    touch "$CASE/go"
    finished_bg 30 || return 1
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    same "jobs run" 5 "$(probe_starts)" || return 1
    same "peak of jobs at once" 2 "$(peak)" || { cat "$P/log"; return 1; }
}
check "-j1, SIGUSR1: a second job runs beside the first, never more than 2" usr1_raises

# --- 10, 11: --load and --memfree -----------------------------------------------

# Burners: busy loops (sh -c LOOP 'sleep MARK': marked, so none_left sees them).
BURNERS=()
start_burners() {
    local i
    for ((i = 0; i < $1; i++)); do
        sh -c 'while :; do :; done' "sleep $MARK" >/dev/null 2>&1 &
        BURNERS+=($!)
    done
}
stop_burners() {
    [ ${#BURNERS[@]} -eq 0 ] && return 0
    kill -KILL "${BURNERS[@]}" 2>/dev/null
    wait "${BURNERS[@]}" 2>/dev/null
    BURNERS=()
}

# load_case: with NPROC+4 busy loops, --load NPROC+2 starts nothing, and its
# job starts once they are gone; --load 100% starts nothing; --load 1000%
# starts at once. (Limits above the CPU count leave room for what else runs
# on the machine once the loops are gone.)
load_case() {
    local max=$((NPROC + 2)) t0 ms st
    start_burners $((NPROC + 4))
    t0=$(now_ms)
    wg --load 1000% 'echo ok' >out 2>err
    st=$?
    ms=$(elapsed_ms "$t0")
    status_is 0 "$st" || { cat err; return 1; }
    between "--load 1000% run's wall time in ms" 0 5000 "$ms" || return 1

    in_background out100 --load 100% "date +%s.%N >'$CASE/started100'"
    bg100=$BG
    in_background out --load "$max" "date +%s.%N >'$CASE/started'"
    ! wait_for 2 test -e "$CASE/started" || { echo "--load $max started a job beside $((NPROC + 4)) busy loops"; return 1; }
    alive "$BG" || { echo "--load $max ended while blocked"; cat "$CASE/err"; return 1; }
    [ ! -e "$CASE/started100" ] || { echo "--load 100% started a job beside $((NPROC + 4)) busy loops"; return 1; }
    alive "$bg100" || { echo "--load 100% ended while blocked"; return 1; }
    kill -TERM "$bg100"
    stop_burners
    wait_for 15 test -e "$CASE/started" || { echo "--load $max: no job within 15 s after the busy loops ended"; kill -KILL "$BG"; return 1; }
    finished_bg 10 || return 1
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    wait "$bg100"
    st=$?
    [ "$st" -gt 128 ] || { echo "--load 100% after SIGTERM exited $st"; return 1; }
    [ ! -e "$CASE/started100" ] || { echo "--load 100% ran its job"; return 1; }
}
load_waits() {
    in_case_dir
    new_mark
    local st=0 bg100= BG=
    load_case || st=1
    stop_burners
    kill_bg "$BG" "$bg100"
    none_left || st=1
    return "$st"
}
# The machine's load is what this case measures: not beside a sanitizer run.
if sanitized; then
    skip "--load with real busy threads" "the sanitizer suites load the machine themselves; the plain run checks it"
else
    check "--load: no job starts while busy threads are at the limit (N and N%), it starts when they go; 1000% runs at once" load_waits
fi

memfree() {
    local BG= st=0
    memfree_case || st=1
    kill_bg "$BG"
    return "$st"
}
memfree_case() {
    in_case_dir
    local out st big
    out=$(wg --memfree 1M 'echo ok' 2>err)
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "--memfree 1M output" ok "$out" || return 1
    big=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 4))k
    starts_nothing "$big" || return 1
    starts_nothing 1000T  # the T suffix: more than this machine has
}
# starts_nothing SIZE: wgrun --memfree SIZE starts no job until SIGTERM ends it.
starts_nothing() {
    rm -f "$CASE/started"
    in_background out --memfree "$1" "date >'$CASE/started'"
    ! wait_for 2 test -e "$CASE/started" || { echo "--memfree $1 started a job"; return 1; }
    alive "$BG" || { echo "--memfree $1 ended while waiting"; cat "$CASE/err"; return 1; }
    kill -TERM "$BG"
    finished_bg 10 || return 1
    [ "$ST" -gt 128 ] || { echo "--memfree $1, after SIGTERM: exit status $ST"; return 1; }
    [ ! -e "$CASE/started" ] || { echo "--memfree $1: a job ran"; return 1; }
}
check "--memfree: 1M runs; more than MemTotal (4 x, in k; 1000T) starts nothing until SIGTERM (exit > 128)" memfree

# --- beside GNU parallel: the same output and exit status ------------------------

procfile_like_gnu() {
    in_case_dir
    echo 2 >two
    echo '50%' >half
    echo abc >bad
    like_gnu -s -j two 'echo {}; sleep 0.1' ::: a b c d || return 1
    like_gnu -s -j half echo ::: a b c || return 1
    # Both refuse a file of no -j value: 255, nothing run (GNU prints its
    # usage on stdout, wgrun one line on stderr).
    local st
    gnu -j bad echo ::: a >gnu.out 2>&1
    st=$?
    status_is 255 "$st" || return 1
    wg -j bad echo ::: a >out 2>err
    st=$?
    status_is 255 "$st" || return 1
    same "stdout" "" "$(cat out)" || return 1
    has "the message" "^wgrun: -j bad: invalid jobs value 'abc'" "$(cat err)"
}
check "GNU: -j FILE (a procfile: 2, 50%, and a bad one) runs alike" procfile_like_gnu
check "GNU: --load 1000% runs alike" like_gnu -s --load 1000% echo ::: a b c
check "GNU: --memfree 1M runs alike" like_gnu -s --memfree 1M echo ::: a b c

# --- 12: the docs ----------------------------------------------------------------

docs() {
    local out opt
    out=$(wg --help) || return 1
    for opt in --jobserver --load --memfree; do
        has "--help" "(^|[ ,])$opt([ ,=]|$)" "$out" || return 1
    done
    has "man page section titles" '^\.S[hsHS] .*[Mm][Aa][Kk][Ee]' "$(grep -E '^\.S[hsHS] ' "$ROOT/man/wgrun.1")" || return 1
    out=$(man -l "$ROOT/man/wgrun.1" 2>/dev/null | col -b)
    # Headings are the lines indented by at most 3 columns (text: 7 or more).
    has "rendered man page headings" '[Mm][Aa][Kk][Ee]' "$(grep -E '^ {0,3}[^ ]' <<<"$out")"
}
check "--help lists --jobserver --load --memfree; the man page has a section about make" docs

finish
