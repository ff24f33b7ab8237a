# lib.sh: a tiny harness for end-to-end shell tests. Source it, call
# `check NAME COMMAND...` per case (or pass/fail by hand), and `finish` last:
# it prints the "@@counts" line tests/run reads and sets the exit status.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
_passed=0 _failed=0 _skipped=0
# wgrun and GNU parallel read options from $PARALLEL: not the tester's.
unset PARALLEL
# Nor make's: under `make -jN test` MAKEFLAGS names a jobserver whose fds a
# non-recursive recipe does not get (wgrun would say so on every run).
unset MAKEFLAGS MFLAGS MAKELEVEL
SANDBOX=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-e2e.XXXXXX")
trap 'rm -rf "$SANDBOX"' EXIT

pass() { _passed=$((_passed + 1)); echo "ok   - $1"; }
fail() { _failed=$((_failed + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/       /'; }
skip() { _skipped=$((_skipped + 1)); echo "skip - $1: $2"; }

# check NAME COMMAND...: one case, passed when COMMAND exits 0.
# With TEST_TIMES set, each case's wall time follows it on a "time" line.
check() {
    local name=$1 out began=${EPOCHREALTIME/./}
    shift
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
    if [ -n "${TEST_TIMES:-}" ]; then
        local us=$((${EPOCHREALTIME/./} - began))
        printf 'time %d.%02d s\n' $((us / 1000000)) $((us % 1000000 / 10000))
    fi
}

finish() {
    echo "@@counts passed=$_passed failed=$_failed skipped=$_skipped"
    [ "$_failed" -eq 0 ]
}

# --- helpers for the wgrun end-to-end tests (*_test.sh) ---

# WGRUN: the binary under test.
WGRUN=$BUILD/wgrun

# wg ARGS...: runs wgrun with a time limit, so that no case can hang; a
# wgrun that runs out of time exits 124.
wg() { timeout 60 "$WGRUN" "$@"; }

# sanitized: true when $BUILD is a sanitizer build (slower, more memory).
sanitized() { case $BUILD in *asan* | *tsan*) return 0 ;; esac; return 1; }

# same WHAT EXPECTED ACTUAL: true when equal; otherwise shows both.
same() {
    [ "$2" = "$3" ] && return 0
    printf '%s differs\n--- expected:\n%s\n--- actual:\n%s\n---\n' "$1" "$2" "$3"
    return 1
}

# has WHAT PATTERN TEXT: true when TEXT has a line matching the extended
# regular expression PATTERN; otherwise shows TEXT.
has() {
    grep -qE -- "$2" <<<"$3" && return 0
    printf '%s: no line matches /%s/ in:\n%s\n---\n' "$1" "$2" "$3"
    return 1
}

# status_is EXPECTED ACTUAL: compares exit statuses.
status_is() {
    [ "$1" -eq "$2" ] && return 0
    echo "exit status $2, expected $1"
    return 1
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.05 s until it succeeds,
# for at most SECONDS; false on time-out.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.05
    done
}

# peak_rss_kb FILE: the peak RSS in KiB that `/usr/bin/time -f %M -o FILE`
# recorded (its last line).
peak_rss_kb() { tail -n 1 "$1"; }

# names_in DIR: the names in DIR, hidden ones too, one a line.
names_in() { ls -A "$1"; }

# in_case_dir: makes a fresh directory under $SANDBOX, cds into it and sets
# CASE to it. Meant for the start of a case function (check runs each case in
# a subshell, so the cd ends with the case).
in_case_dir() { CASE=$(mktemp -d "$SANDBOX/case.XXXXXX") && cd "$CASE" || return; }

# on_tmpfs SIZE COMMAND...: mounts a tmpfs of SIZE (16k, 1m) on $CASE/mnt,
# sets MNT to it, runs COMMAND (a function too), unmounts it and returns
# COMMAND's status. Needs root; call it from a case, after in_case_dir.
MNT=
on_tmpfs() {
    local size=$1 result=0
    shift
    MNT=$CASE/mnt
    mkdir "$MNT" || return 1
    mount -t tmpfs -o size="$size" wgrun-e2e-test "$MNT" || { echo "cannot mount"; return 1; }
    "$@" || result=1
    umount "$MNT"
    return "$result"
}

# --- waits a job does (jobs run them with sh: scripts, not functions) --------

# sh $AWAIT FILE [SECONDS]: waits until FILE exists, for at most SECONDS (40).
AWAIT=$SANDBOX/await.sh
cat >"$AWAIT" <<'SH'
i=0 n=$(( ${2:-40} * 20 ))
while [ ! -e "$1" ] && [ "$i" -lt "$n" ]; do sleep 0.05; i=$((i + 1)); done
SH

# sh $AWAIT_COUNT PATTERN N [SECONDS]: waits until N names match the glob
# PATTERN ('dir/*', 'started.*'), for at most SECONDS (40).
AWAIT_COUNT=$SANDBOX/await_count.sh
cat >"$AWAIT_COUNT" <<'SH'
i=0 n=$(( ${3:-40} * 20 ))
while [ "$(ls -d $1 2>/dev/null | wc -l)" -lt "$2" ] && [ "$i" -lt "$n" ]; do sleep 0.05; i=$((i + 1)); done
SH

# --- processes of a case: marks, background wgrun -------------------------

# new_mark: sets MARK to a sleep length of this case's own (no other case, and
# no other program on the machine, is likely to use it), e.g. 1000.42421.
_marks=0
new_mark() {
    _marks=$((_marks + 1))
    MARK="1000.$BASHPID$_marks"
}

# marked: the pids of the processes whose command line holds "sleep $MARK".
marked() {
    local dir args
    for dir in /proc/[0-9]*; do
        args=$({ tr '\0' ' ' <"$dir/cmdline"; } 2>/dev/null) || continue
        case $args in *"sleep $MARK"*) echo "${dir#/proc/}" ;; esac
    done
}
none_marked() { [ -z "$(marked)" ]; }
some_marked() { [ -n "$(marked)" ]; }
marked_at_least() { [ "$(marked | wc -l)" -ge "$1" ]; }

# started N: waits (up to 10 s) until N jobs have written their line to
# $CASE/started (jobs that begin with `echo $$ >>$CASE/started`).
started() { wait_for 10 started_at_least "$1"; }
started_at_least() { [ "$(cat "$CASE/started" 2>/dev/null | wc -l)" -ge "$1" ]; }

# none_left: true when no marked process is left, waiting up to 5 s for the
# dying (a process is gone when it has been reaped); else shows them and
# kills them (by pid).
none_left() {
    local left
    wait_for 5 none_marked && return 0
    left=$(marked)
    echo "left running:"
    for pid in $left; do ps -o pid=,ppid=,pgid=,stat=,args= -p "$pid"; done
    kill -KILL $left 2>/dev/null
    return 1
}

# kill_marked: ends the marked processes a case left on purpose (daemons).
kill_marked() {
    local left
    left=$(marked)
    [ -z "$left" ] || kill -KILL $left 2>/dev/null
    wait_for 5 none_marked
}

# now_ms: the time in milliseconds; elapsed_ms START: milliseconds since START.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
elapsed_ms() { echo $(($(now_ms) - $1)); }

# in_background OUT WGRUN-ARGS...: starts wgrun in the background with
# SIGINT, SIGTERM and SIGHUP at their defaults (a script's background job
# has SIGINT ignored, and wgrun keeps an ignored signal ignored), stdout to
# OUT and stderr to $CASE/err; sets BG to its pid (perl execs wgrun).
in_background() {
    local out=$1
    shift
    perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP); exec @ARGV or die "exec: $!"' \
        "$WGRUN" "$@" >"$out" 2>"$CASE/err" &
    BG=$!
}

# alive PID: true when PID is a process that has not ended (a zombie has).
alive() {
    local state
    state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# none_alive PID...: true when none of the PIDs is alive.
none_alive() {
    local p
    for p in "$@"; do alive "$p" && return 1; done
    return 0
}

# bg_ended: true when $BG has ended (gone, or a zombie waiting for us).
bg_ended() { ! alive "$BG"; }

# wgrun_under PID: true when PID (a `timeout` that runs wgrun) has a child
# that is wgrun (exec'd, so never `timeout` itself); sets WGPID to it.
wgrun_under() { WGPID=$(pgrep -P "$1" -x wgrun | head -n 1) && [ -n "$WGPID" ]; }

# fds_into PID DIR: true when PID has a file in DIR open (a deleted one too).
fds_into() {
    local f
    for f in /proc/"$1"/fd/*; do
        case $(readlink "$f" 2>/dev/null) in "$2"/*) return 0 ;; esac
    done
    return 1
}

# bytes_into PID DIR: true when PID has a file in DIR open (a deleted one
# too) that holds bytes.
bytes_into() {
    local f
    for f in /proc/"$1"/fd/*; do
        case $(readlink "$f" 2>/dev/null) in "$2"/*) [ -s "$f" ] && return 0 ;; esac
    done
    return 1
}

# pipe_drained FILE: true when the pipe FILE (a FIFO, or /proc/PID/fd/N: a
# job's stdout) holds no unread bytes: its reader (wgrun) has taken them in.
# pipe_full FILE: true when it holds all it can (less than a page free): its
# writer is stuck.
_pipe_fill() {
    python3 -c 'import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
held = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
size = fcntl.fcntl(fd, 1032)  # F_GETPIPE_SZ
sys.exit(0 if (held == 0 if sys.argv[2] == "empty" else held > size - 4096) else 1)' "$1" "$2" 2>/dev/null
}
pipe_drained() { _pipe_fill "$1" empty; }
pipe_full() { _pipe_fill "$1" full; }

# signal_taken PID SIGNAL: true when no SIGNAL (a name: INT) sent to PID
# waits for it any more (wgrun blocks its signals and takes them on a thread
# of its own): what to wait for before a second signal, which would
# otherwise merge with the first.
signal_taken() {
    local bit mask
    bit=$((1 << ($(kill -l "$2") - 1)))
    for mask in $(awk '/^(SigPnd|ShdPnd):/ { print $2 }' "/proc/$1/status" 2>/dev/null); do
        (((16#$mask & bit) == 0)) || return 1
    done
    return 0
}

# blocked_in PID CALL...: true when a thread of PID is blocked in one of the
# system calls CALL (names: flock, poll...), as /proc/PID/task/*/syscall tells.
_syscall_numbers=
blocked_in() {
    local pid=$1 f call name numbers=" "
    shift
    for name in "$@"; do
        call=$(sed -n "s/^$name=//p" <<<"$_syscall_numbers")
        if [ -z "$call" ]; then
            call=$(echo "SYS_$name" | cpp -include sys/syscall.h -P 2>/dev/null | tail -n 1)
            _syscall_numbers+="$name=$call"$'\n'
        fi
        numbers+="$call "
    done
    for f in /proc/"$pid"/task/*/syscall; do
        read -r call _ <"$f" 2>/dev/null || continue
        [[ $numbers == *" $call "* ]] && return 0
    done
    return 1
}

# finished_bg [SECONDS]: waits that long (30 s by default) for $BG to end,
# else kills it and fails; sets ST to its exit status.
finished_bg() {
    local limit=${1:-30}
    if ! wait_for "$limit" bg_ended; then
        echo "wgrun did not end within $limit s: killed"
        kill -KILL "$BG"
        wait "$BG"
        ST=$?
        return 1
    fi
    wait "$BG"
    ST=$?
}

# --- cross-checks with GNU parallel and xargs ---
# A cross-check is a `check` whose name starts with "GNU: " or "xargs: ", so
# that they can be counted (grep -c '^ok   - \(GNU\|xargs\): ').

# gnu ARGS...: the installed GNU parallel, quiet about citing, with a home
# of its own in the sandbox and a time limit.
gnu() {
    mkdir -p "$SANDBOX/parallel-home"
    PARALLEL_HOME=$SANDBOX/parallel-home timeout 60 /usr/bin/parallel --will-cite "$@"
}

# _like TOOL SORT ARGS...: TOOL ARGS and wgrun ARGS, each with stdin from
# the file $INPUT (else /dev/null), in the current directory: their stdouts
# (sorted when SORT is "sort", byte for byte otherwise) and exit statuses
# must be the same.
_like() {
    local tool=$1 order=$2 dir theirs ours
    shift 2
    dir=$(mktemp -d "$SANDBOX/like.XXXXXX") || return 1
    "$tool" "$@" <"${INPUT:-/dev/null}" >"$dir/theirs" 2>"$dir/theirs.err"
    theirs=$?
    wg "$@" <"${INPUT:-/dev/null}" >"$dir/ours" 2>"$dir/ours.err"
    ours=$?
    if [ "$order" = sort ]; then
        LC_ALL=C sort "$dir/theirs" >"$dir/theirs.s" && mv "$dir/theirs.s" "$dir/theirs"
        LC_ALL=C sort "$dir/ours" >"$dir/ours.s" && mv "$dir/ours.s" "$dir/ours"
    fi
    if ! cmp -s "$dir/theirs" "$dir/ours"; then
        printf 'stdout of %s and wgrun differ for: %s\n' "$tool" "$*"
        diff "$dir/theirs" "$dir/ours" | head -n 20 | cat -A
        printf -- '--- wgrun stderr:\n'; head -n 5 "$dir/ours.err"
        return 1
    fi
    [ "$theirs" -eq "$ours" ] && return 0
    printf 'exit status: %s %s, wgrun %s, for: %s\n--- wgrun stderr:\n' "$tool" "$theirs" "$ours" "$*"
    head -n 5 "$dir/ours.err"
    return 1
}

# like_gnu [-s] ARGS...: GNU parallel and wgrun agree on ARGS (see _like;
# -s compares sorted output, for -j above 1 without -k).
like_gnu() {
    local order=bytes
    [ "$1" = -s ] && { order=sort; shift; }
    _like gnu "$order" "$@"
}

# like_xargs [-s] ARGS...: xargs and wgrun agree on ARGS (see _like).
like_xargs() {
    local order=bytes
    [ "$1" = -s ] && { order=sort; shift; }
    _like xargs "$order" "$@"
}
