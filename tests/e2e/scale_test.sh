#!/usr/bin/env bash
# scale_test.sh: 100,000 jobs with --joblog and --json: every job is logged
# and recorded, and wgrun's peak RSS stays under 16 MB (the sinks stream:
# nothing is kept per job but the failed jobs for the report).
. "$(dirname "$0")/lib.sh"

JOBS=100000
NAME="$JOBS jobs with --joblog and --json in less than 16 MB"

# The job: the least a program can be, so that the 100,000 spawns take
# seconds, not minutes (a dynamically linked /bin/true costs 4 times as
# much to start): on x86-64 a static program that only calls exit(0).
tiny_true() {
    if [ "$(uname -m)" = x86_64 ] &&
        printf '.globl _start\n_start: mov $60, %%eax\nxor %%edi, %%edi\nsyscall\n' >true.s &&
        cc -nostdlib -static -o true true.s 2>/dev/null && ./true; then
        echo "$PWD/true"
    else
        echo /bin/true
    fi
}

hundred_thousand() {
    in_case_dir
    local job
    job=$(tiny_true)
    seq "$JOBS" | timeout 900 /usr/bin/time -f %M -o rss \
        "$WGRUN" -j4 --no-shell --joblog log.tsv --json out.jsonl "$job {}" >out 2>err
    status_is 0 $? || { head err; return 1; }
    same "job log rows" "$((JOBS + 1))" "$(wc -l <log.tsv)" || return 1
    same "JSON lines" "$((JOBS + 1))" "$(wc -l <out.jsonl)" || return 1
    same "every Seq once" "$JOBS" "$(tail -n +2 log.tsv | cut -f1 | sort -un | wc -l)" || return 1
    /usr/bin/python3 - out.jsonl "$JOBS" <<'PY' || return 1
import json, sys
jobs = int(sys.argv[2])
seqs = set()
with open(sys.argv[1], 'rb') as f:
    for line in f:
        r = json.loads(line)
        if r['type'] == 'job':
            assert r['exit'] == 0 and not r['failed'], r
            seqs.add(r['seq'])
        else:
            assert r['type'] == 'summary' and r['jobs'] == jobs and r['failed'] == 0, r
assert seqs == set(range(1, jobs + 1)), len(seqs)
PY
    local rss
    rss=$(peak_rss_kb rss)
    echo "peak RSS for $JOBS jobs: $rss KiB"
    [ "$rss" -lt 16384 ] || { echo "peak RSS $rss KiB, not under 16 MB"; return 1; }
}

if sanitized; then
    skip "$NAME" "memory sizes differ under sanitizers"
elif [ ! -x /usr/bin/time ]; then
    skip "$NAME" "no /usr/bin/time"
else
    check "$NAME" hundred_thousand
fi
finish
