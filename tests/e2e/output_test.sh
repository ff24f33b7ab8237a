#!/usr/bin/env bash
# Grouped output: each job's stdout and stderr reach wgrun's, whole, byte for
# byte, never mixed with another job's; memory stays bounded; output that
# cannot be kept makes the job fail.
. "$(dirname "$0")/lib.sh"
exec </dev/null

streams() {
    in_case_dir
    wg -j1 'echo out{}; echo err{} >&2' ::: 1 2 >out 2>err || { cat err; return 1; }
    same "stdout" $'out1\nout2' "$(cat out)" || return 1
    same "stderr" $'err1\nerr2' "$(cat err)"
}
check "a job's stdout goes to stdout, its stderr to stderr" streams

# check_mix FILE JOBS LINES: FILE holds, for each of JOBS jobs, the lines
# "JOBn 1" .. "JOBn LINES", each job's lines together and in order.
check_mix() {
    awk -v jobs="$2" -v lines="$3" '
        $1 != prev {
            if (prev != "" && count[prev] != lines) { print "job " prev " cut after line " count[prev]; bad = 1 }
            if ($1 in count) { print "job " $1 " resumes at line " NR; bad = 1 }
            runs++; prev = $1
        }
        { count[$1]++
          if ($2 != count[$1] || NF != 2) { print "line " NR " is \"" $0 "\", expected \"" $1 " " count[$1] "\""; bad = 1; exit 1 } }
        END {
            n = 0; for (k in count) { n++; if (count[k] != lines) { print k ": " count[k] " lines, expected " lines; bad = 1 } }
            if (n != jobs) { print n " jobs in the output, expected " jobs; bad = 1 }
            if (runs != jobs) { print runs " runs of lines, expected " jobs; bad = 1 }
            exit bad
        }' "$1"
}

# 30 jobs, each 3 MB: "JOBn 1".."JOBn 300000" is about 3.6 MB.
mix_stdout() {
    in_case_dir
    wg -j0 'seq -f "JOB{} %.0f" 1 300000' ::: $(seq 30) >out 2>err || { cat err; return 1; }
    check_mix out 30 300000
}
check "MIX: 30 jobs writing 3 MB each at once: each job's stdout is whole" mix_stdout

mix_stderr() {
    in_case_dir
    wg -j0 'seq -f "JOB{} %.0f" 1 300000 >&2; seq -f "OUT{} %.0f" 1 1000' ::: $(seq 10) >out 2>err ||
        { tail err; return 1; }
    check_mix err 10 300000 && check_mix out 10 1000
}
check "MIX: 10 jobs writing 3 MB of stderr at once: each job's stderr is whole" mix_stderr

binary() {
    in_case_dir
    head -c 5000000 /dev/urandom >f
    wg 'cat f' >out 2>err || { cat err; return 1; }
    cmp f out
}
check "5 MB of random bytes come out byte-exact" binary

nul_bytes() {
    in_case_dir
    wg "printf 'a\\0b\\0\\0c'" >out || return 1
    printf 'a\0b\0\0c' >expected
    cmp expected out
}
check "NUL bytes come out as they are" nul_bytes

no_trailing_newline() {
    in_case_dir
    wg 'printf abc' >out || return 1
    printf abc >expected
    cmp expected out || return 1
    wg -j1 'printf a' 'printf b' >out || return 1
    printf ab >expected
    cmp expected out
}
check "output without a trailing newline gets none added" no_trailing_newline

huge_line() {
    in_case_dir
    head -c 100000000 /dev/zero | tr '\0' a >big
    echo >>big
    timeout 120 "$WGRUN" 'cat big' >out 2>err || { cat err; return 1; }
    cmp big out
}
check "a 100 MB line survives" huge_line

both_streams_lots() {
    in_case_dir
    wg -j2 'head -c 10000000 /dev/zero; head -c 10000000 /dev/zero >&2; head -c 1000000 /dev/zero' \
        'head -c 10000000 /dev/zero >&2; head -c 10000000 /dev/zero; head -c 1000000 /dev/zero >&2' \
        >out 2>err
    local st=$?
    status_is 0 "$st" || return 1
    same "stdout bytes" 21000000 "$(wc -c <out)" || return 1
    same "stderr bytes" 21000000 "$(wc -c <err)"
}
check "no deadlock when a job writes a lot to stdout and to stderr" both_streams_lots

memory_bounded() {
    in_case_dir
    local st kb
    TMPDIR=$CASE timeout 120 /usr/bin/time -f %M -o rss "$WGRUN" -j4 'head -c 200000000 /dev/zero # {}' ::: 1 2 3 4 \
        >/dev/null 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    kb=$(peak_rss_kb rss)
    [ "$kb" -lt 40960 ] || { echo "peak RSS ${kb} KiB, limit 40960 KiB"; return 1; }
}
if [ ! -x /usr/bin/time ]; then
    skip "4 jobs writing 200 MB each at -j4 keep wgrun under 40 MB" "no /usr/bin/time"
elif sanitized; then
    skip "4 jobs writing 200 MB each at -j4 keep wgrun under 40 MB" "sanitizer build"
else
    check "4 jobs writing 200 MB each at -j4 keep wgrun under 40 MB" memory_bounded
fi

# TMPDIR on a 1 MB tmpfs: a job whose 5 MB of output cannot be kept fails,
# with a message that says its output was lost; the other job is fine.
TINY=$SANDBOX/tiny
full_disk() {
    in_case_dir
    local st
    TMPDIR=$TINY timeout 60 "$WGRUN" -j2 'head -c 5000000 /dev/zero' 'echo small' >out 2>err
    st=$?
    [ "$st" -ne 124 ] || { echo "wgrun hung"; return 1; }
    status_is 1 "$st" || { cat err; return 1; }
    grep -qx small out || { echo "the small job's output is missing"; return 1; }
    has "message about the lost output" "[Oo]utput" "$(grep -v 'jobs\? failed$' err)" || return 1
    has "failure report" "head -c 5000000" "$(cat err)"
}
mkdir -p "$TINY"
if mount -t tmpfs -o size=1m tmpfs "$TINY" 2>/dev/null; then
    trap 'umount "$TINY" 2>/dev/null; rm -rf "$SANDBOX"' EXIT
    check "a full TMPDIR: the job fails with a message about its lost output" full_disk
    umount "$TINY"
    trap 'rm -rf "$SANDBOX"' EXIT
else
    skip "a full TMPDIR: the job fails with a message about its lost output" "cannot mount a tmpfs"
fi

finish
