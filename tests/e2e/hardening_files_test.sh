#!/usr/bin/env bash
# The files wgrun writes, as a hostile or careless user meets them (issue 12,
# points 1, 2 and 10): --junit writes into a FIFO, a device or an open fd and
# follows a symlink instead of replacing it; --results writes and replaces
# only DIR/<seq>/{stdout,stderr,status}, a conflict being that job's error;
# --json leaves whole lines on a full disk; runs appending to one --joblog
# +FILE at once take turns (flock) and write one header; two runs saving to
# one --results DIR at once both save every job.
#
# Each case failed before the fix (the binary of the base commit); what it
# did then is said above each case. Cases never use /dev/null, /dev/stdout
# and the like as --junit FILE: the old binary replaced them.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# junit_ok FILE N: FILE is a whole JUnit report of N tests.
junit_ok() {
    has "report of $2 tests" "<testsuites name=\"wgrun\" tests=\"$2\"" "$(cat "$1")" || return 1
    same "last line of the report" "</testsuites>" "$(tail -n 1 "$1")"
}

# ======================= 1. --junit FILE =======================

# Fails before the fix: the device node became a regular file.
junit_device() {
    in_case_dir
    mknod n c 1 3 || { echo "cannot mknod"; return 1; }
    wg --junit n 'echo {}' ::: 1 >out 2>err || { cat err; return 1; }
    [ -c n ] || { echo "n is no longer a character device: $(ls -l n)"; return 1; }
    same "files" "$(printf 'err\nn\nout')" "$(names_in .)"
}
check "--junit DEVICE (mknod c 1 3, as /dev/null): written into, stays a device" junit_device

# Fails before the fix: the FIFO was replaced by a regular file (and the
# reader never got a byte).
junit_fifo() {
    in_case_dir
    mkfifo f
    timeout 60 cat f >got &
    local reader=$!
    wg --junit f 'echo {}' ::: 1 2 >out 2>err
    local st=$?
    [ -p f ] || kill "$reader"  # it waits for a writer that will never come
    wait "$reader"
    status_is 0 "$st" || { cat err; return 1; }
    [ -p f ] || { echo "f is no longer a FIFO: $(ls -l f)"; return 1; }
    junit_ok got 2
}
check "--junit FIFO: the reader gets the report, f stays a FIFO" junit_fifo

# Fails before the fix: link.xml became a regular file, t.xml never came.
junit_symlink() {
    in_case_dir
    ln -s t.xml link.xml
    wg --junit link.xml 'echo {}' ::: 1 >out 2>err || { cat err; return 1; }
    [ -L link.xml ] || { echo "link.xml is no longer a symlink"; return 1; }
    same "link target" "t.xml" "$(readlink link.xml)" || return 1
    junit_ok t.xml 1 || return 1
    # A symlink in another directory to an existing report, relative to it.
    mkdir sub reports
    echo "old report" >reports/r.xml
    ln -s ../reports/r.xml sub/link.xml
    wg --junit sub/link.xml 'echo {}' ::: 1 2 3 >out 2>err || { cat err; return 1; }
    [ -L sub/link.xml ] || { echo "sub/link.xml is no longer a symlink"; return 1; }
    junit_ok reports/r.xml 3 || return 1
    same "files beside the report" "r.xml" "$(names_in reports)"
}
check "--junit SYMLINK: the symlink stays, its target gets the report" junit_symlink

# Fails before the fix: "--junit /proc/self/fd/9: ...", exit 255.
junit_open_fd() {
    in_case_dir
    wg --junit /proc/self/fd/9 'echo {}' ::: 1 9>out.xml >out 2>err || { cat err; return 1; }
    junit_ok out.xml 1 || return 1
    # An fd that goes to a file holding job output: the report comes after it.
    wg --junit /dev/fd/1 'echo job{}' ::: 1 >out 2>err || { cat err; return 1; }
    same "first line" "job1" "$(head -n 1 out)" || return 1
    junit_ok out 1 || return 1
    # And to a pipe.
    same "through a pipe" "</testsuites>" \
        "$(wg --junit /proc/self/fd/1 'true {}' ::: 1 2>err | tail -n 1)"
}
check "--junit /proc/self/fd/9 9>out.xml, /dev/fd/1: written into the open file" junit_open_fd

# A symlink to a directory is a directory: before the fix too.
junit_link_to_dir() {
    in_case_dir
    mkdir d
    ln -s d dl
    local err
    err=$(wg --junit dl "touch ran" ::: 1 2>&1)
    status_is 255 $? || return 1
    has "message" "^wgrun: --junit dl: Is a directory$" "$err" || return 1
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
check "--junit SYMLINK-TO-DIR: 'Is a directory', exit 255, no job runs" junit_link_to_dir

# ======================= 2. --results DIR/{#}/ (wgrun's DIR/<seq>/) =======================
# (Before GNU's naming came, --results DIR meant this layout: these cases
# now say DIR/{#}/, and the files include GNU's seq.)

# Fails before the fix: 1/src/main.c was deleted.
results_keeps_others() {
    in_case_dir
    mkdir -p 1/src
    echo code >1/src/main.c
    wg --results './{#}/' 'echo {}' ::: a b >out 2>err || { cat err; return 1; }
    same "main.c" "code" "$(cat 1/src/main.c 2>&1)" || return 1
    same "job 1" "a 0" "$(cat 1/stdout) $(cat 1/status)" || return 1
    same "job 2" "b 0" "$(cat 2/stdout) $(cat 2/status)" || return 1
    same "files of job 1" "$(printf 'seq\nsrc\nstatus\nstderr\nstdout')" "$(names_in 1)" || return 1
    # A second run replaces our files only.
    echo notes >1/notes
    wg --results './{#}/' 'echo again {}' ::: a >out 2>err || { cat err; return 1; }
    same "job 1 again" "again a" "$(cat 1/stdout)" || return 1
    same "files of job 1" "$(printf 'notes\nseq\nsrc\nstatus\nstderr\nstdout')" "$(names_in 1)" || return 1
    same "files" "$(printf '1\n2\nerr\nout')" "$(names_in .)"
}
check "--results: what is already in DIR/<seq> stays, only stdout, stderr, seq, status are replaced" \
    results_keeps_others

# Fails before the fix: the plain file res/1 was replaced by a directory,
# the directory res/2/stdout was deleted, and wgrun exited 0.
results_conflicts() {
    in_case_dir
    mkdir -p res/2/stdout
    echo data >res/1
    echo keep >res/2/stdout/keep
    wg --results 'res/{#}/' 'echo {}' ::: a b c >out 2>err
    status_is 2 $? || { cat err; return 1; }
    has "job 1's error" "^wgrun: job 1 failed \(exit 0; results not saved: res/1: Not a directory\): echo a$" \
        "$(cat err)" || return 1
    has "job 2's error" "^wgrun: job 2 failed \(exit 0; results not saved: res/2/stdout: Is a directory\): echo b$" \
        "$(cat err)" || return 1
    same "res/1" "data" "$(cat res/1)" || return 1
    same "res/2/stdout/keep" "keep" "$(cat res/2/stdout/keep)" || return 1
    same "res/2" "stdout" "$(names_in res/2)" || return 1
    same "job 3" "c 0" "$(cat res/3/stdout) $(cat res/3/status)" || return 1
    same "files" "$(printf '1\n2\n3')" "$(names_in res)" || return 1
    # The output still went to stdout.
    same "stdout" "$(printf 'a\nb\nc')" "$(sort out)"
}
check "--results: DIR/1 a file, DIR/2/stdout a directory: those jobs fail, saying why; nothing replaced" \
    results_conflicts

# Fails before the fix: "res/N: No such file or directory" for some jobs of
# either run (each removed the other's DIR/.N.partial), exit 1-101.
results_two_runs() {
    in_case_dir
    local n=300
    sanitized && n=100
    wg -j8 --results 'res/{#}/' 'echo out{}; echo err{} >&2' ::: $(seq "$n") >out1 2>err1 &
    local first=$!
    wg -j8 --results 'res/{#}/' 'echo out{}; echo err{} >&2' ::: $(seq "$n") >out2 2>err2
    local st2=$? st1=0
    wait "$first" || st1=$?
    status_is 0 "$st1" || { grep -m5 ^wgrun err1; return 1; }
    status_is 0 "$st2" || { grep -m5 ^wgrun err2; return 1; }
    local seq missing=
    for seq in $(seq "$n"); do
        [ "$(cat "res/$seq/stdout" 2>&1) $(cat "res/$seq/stderr" 2>&1) $(cat "res/$seq/status" 2>&1)" = \
            "out$seq err$seq 0" ] || missing+=" $seq"
    done
    [ -z "$missing" ] || { echo "jobs not saved whole:$missing"; return 1; }
    same "names in res" "$(seq "$n" | sort)" "$(names_in res | sort)"
}
check "--results: two runs at once on one DIR: every job saved whole, no error" results_two_runs

# ======================= 10. --json, --joblog +FILE =======================

# Fails before the fix: the last line of out.jsonl was cut in the middle.
json_full_disk() {
    in_case_dir
    on_tmpfs 16k json_full_disk_case
}
json_full_disk_case() {
    local err
    err=$(wg --json "$MNT/out.jsonl" 'echo {}' ::: $(seq 500) 2>&1 >/dev/null)
    status_is 255 $? || return 1
    has "message" "^wgrun: --json $MNT/out.jsonl: No space left on device$" "$err" || return 1
    [ -s "$MNT/out.jsonl" ] || { echo "nothing written"; return 1; }
    same "last byte" "0a" "$(tail -c 1 "$MNT/out.jsonl" | od -An -tx1 | tr -d ' ')" || return 1
    python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    json.loads(line)
' "$MNT/out.jsonl"
}
if [ "$(id -u)" -ne 0 ]; then
    skip "--json on a full disk (16 KiB tmpfs): whole lines only" "not root"
else
    check "--json on a full disk (16 KiB tmpfs): whole lines only" json_full_disk
fi

# Fails before the fix: wgrun wrote the header and its row while another
# process held the lock.
# The lock holder keeps it until the test has looked at the log while wgrun
# waits in flock(2) (or has ended, as wgrun did before the fix).
joblog_lock() {
    in_case_dir
    : >log
    flock log sh -c "touch locked; sh '$AWAIT' release 30" &
    local holder=$!
    wait_for 10 test -e locked || { echo "the lock holder never started"; return 1; }
    timeout 60 "$WGRUN" --joblog +log 'echo {}' ::: 1 >out 2>err &
    local pid=$!
    WGPID=
    wait_for 10 wgrun_under "$pid" || { touch release; echo "wgrun did not start"; return 1; }
    wait_for 30 wgrun_waits_or_ended || { touch release; echo "wgrun neither waited for the lock nor ended"; return 1; }
    local during
    during=$(wc -c <log)
    touch release
    wait "$holder"
    wait "$pid" || { cat err; return 1; }
    same "bytes written while the lock was held" 0 "$during" || return 1
    same "rows" 2 "$(wc -l <log)" || return 1
    has "header" "^Seq	Host	Starttime" "$(head -n 1 log)"
}
wgrun_waits_or_ended() { blocked_in "$WGPID" flock || ! alive "$WGPID"; }
check "--joblog +FILE waits for flock(FILE) held by another process" joblog_lock

# Before the fix, runs starting at the same moment could each write the
# header (a race of microseconds: this case does not always catch it; the
# lock case above shows the lock).
joblog_concurrent() {
    in_case_dir
    local runs=6 jobs=100 i pids=()
    sanitized && jobs=40
    for i in $(seq "$runs"); do
        wg -j4 --joblog +log "echo run$i-{}" ::: $(seq "$jobs") >"out$i" 2>"err$i" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || { cat err*; return 1; }; done
    same "headers" 1 "$(grep -c '^Seq' log)" || return 1
    has "header first" "^Seq	Host" "$(head -n 1 log)" || return 1
    same "rows" $((runs * jobs)) "$(grep -vc '^Seq' log)" || return 1
    same "rows of 9 columns" $((runs * jobs + 1)) "$(awk -F'\t' 'NF == 9' log | wc -l)" || return 1
    # And it is a job log that --resume reads: nothing left to run.
    wg --resume --joblog log 'echo {}' ::: $(seq "$jobs") >out 2>err || { cat err; return 1; }
    same "resumed output" "" "$(cat out)"
}
check "--joblog +FILE: $((6)) runs at once: one header, every row whole" joblog_concurrent

finish
