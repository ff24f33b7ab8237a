#!/usr/bin/env bash
# pipe_size_test.sh: bulk output moves in big pipe turns. The jobs' stdout
# pipes are 1 MiB when few jobs run at once, shared out under a 16 MiB budget
# when many do, and wgrun's own stdout pipe is grown to 1 MiB. The sizes are
# read with F_GETPIPE_SZ (1032) from perl, which GNU parallel brings along.
source "$(dirname "$0")/lib.sh"

# $SIZES: a perl script that prints the pipe sizes of its stdout and stderr
# ("none" for a fd that is not a pipe), each on the stream itself.
SIZES=$SANDBOX/sizes.pl
cat >"$SIZES" <<'PERL'
print STDOUT (fcntl(STDOUT, 1032, 0) // "none"), "\n";
print STDERR (fcntl(STDERR, 1032, 0) // "none"), "\n";
PERL

jobs_stdout_pipe_is_big_at_j4() {
    local out
    out=$(wg -j4 --no-shell perl "$SIZES" ::: 1 2 2>/dev/null)
    same "job pipe sizes" $'1048576\n1048576' "$out"
}

jobs_stdout_pipes_share_the_budget_at_j64() {
    local out
    out=$(wg -j64 --no-shell perl "$SIZES" ::: 1 2>/dev/null)
    same "job pipe size at -j64" 262144 "$out"
}

jobs_stdout_pipe_keeps_the_default_at_j1000() {
    local out
    out=$(wg -j1000 --no-shell perl "$SIZES" ::: 1 2>/dev/null)
    same "job pipe size at -j1000" 65536 "$out"
}

jobs_stderr_pipe_keeps_the_default() {
    local out
    out=$(wg -j4 --no-shell perl "$SIZES" ::: 1 2>&1 >/dev/null)
    same "job stderr pipe size" 65536 "$out"
}

wgruns_stdout_pipe_is_grown() {
    # cat drains the pipe to its end; the pipe stays perl's stdin after.
    local out
    out=$(wg -j2 'echo {}' ::: a b | { cat >/dev/null; perl -e 'print fcntl(STDIN, 1032, 0) // "none"'; })
    same "wgrun's stdout pipe size" 1048576 "$out"
}

a_file_as_stdout_is_fine() {
    wg -j2 'echo {}' ::: a b >"$SANDBOX/out" || return
    same "output to a file" $'a\nb' "$(sort "$SANDBOX/out")"
}

if ! command -v perl >/dev/null; then
    skip "pipe sizes" "perl is not installed (make deps installs it with parallel)"
else
    check "a job's stdout pipe is 1 MiB at -j4" jobs_stdout_pipe_is_big_at_j4
    check "at -j64 the jobs share the 16 MiB budget: 256 KiB each" jobs_stdout_pipes_share_the_budget_at_j64
    check "at -j1000 job pipes keep Linux's 64 KiB" jobs_stdout_pipe_keeps_the_default_at_j1000
    check "a job's stderr pipe keeps Linux's 64 KiB" jobs_stderr_pipe_keeps_the_default
    check "wgrun grows its own stdout pipe to 1 MiB" wgruns_stdout_pipe_is_grown
fi
check "a file as wgrun's stdout is left as it is" a_file_as_stdout_is_fine
finish
