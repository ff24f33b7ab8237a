#!/usr/bin/env bash
# Issue 12, point 10 (the command line's part): an empty value is a usage
# error, not a silently ignored option (`--junit "$UNSET"` wrote nothing);
# CLI11's own words become wgrun's; --term-seq takes SIG,MS pairs only; a
# failed --dry-run write and a refused thread each say what failed.
# Every case here failed before the fix (see each comment).
. "$(dirname "$0")/lib.sh"
exec </dev/null

# usage_error EXPECTED-FIRST-LINE WGRUN-ARGS...: status 255, that message as
# the first line of stderr, "Try 'wgrun --help'" after it, no job run, no
# file left behind by the options.
usage_error() {
    local expected=$1
    shift
    in_case_dir
    wg "$@" 'touch ran' ::: 1 >out 2>err
    status_is 255 $? || { cat err; return 1; }
    same "first line of stderr" "$expected" "$(head -n 1 err)" || return 1
    has "second line" "^Try 'wgrun --help' for more information.$" "$(sed -n 2p err)" || return 1
    [ ! -e ran ] || { echo "a job ran"; return 1; }
    [ -z "$(ls -A . | grep -v '^out$\|^err$')" ] || { echo "left: $(ls -A)"; return 1; }
}

# Before: each of these ran the job and exited 0, writing no report (and
# --retries '' said "Could not convert").
for option in --json --junit --results --tmpdir --halt --delay --timeout --term-seq --ci --retries; do
    check "$option '' is a usage error" \
        usage_error "wgrun: $option: the value is empty (an unset variable?)" "$option" ''
done

# Before: "--term-seq TERM" was taken as TERM then 0 ms.
check "--term-seq TERM (no wait) is a usage error" \
    usage_error "wgrun: invalid --term-seq 'TERM': 'TERM' has no wait after it: give SIG,MS pairs, e.g. TERM,200,KILL,25" \
    --term-seq TERM
check "--term-seq INT,100,KILL (last wait missing) is a usage error" \
    usage_error "wgrun: invalid --term-seq 'INT,100,KILL': 'KILL' has no wait after it: give SIG,MS pairs, e.g. TERM,200,KILL,25" \
    --term-seq INT,100,KILL

# Before: "Could not convert: --retries = -1", "--jobs: At Most 1 required
# but received 2", "Could not convert: --bar = x".
check "--retries -1: wgrun's message" \
    usage_error "wgrun: invalid --retries '-1': N is a whole number of attempts in all" --retries -1
check "--retries abc: wgrun's message" \
    usage_error "wgrun: invalid --retries 'abc': N is a whole number of attempts in all" --retries abc
check "an option given twice: wgrun's message" \
    usage_error "wgrun: --jobs was given more than once: give it once" -j 2 -j 3
check "a value given to a flag: wgrun's message" \
    usage_error "wgrun: --bar takes no value, not 'x'" --bar=x

retries_still_work() {
    in_case_dir
    wg --retries 3 'echo x >>tries; false' ::: 1 >out 2>err
    status_is 1 $? || return 1
    same "attempts" 3 "$(wc -l <tries)"
}
check "--retries 3 still runs a failing job 3 times" retries_still_work

# Before: exit 255 and not a word on stderr.
dry_run_full_disk() {
    local err
    err=$(wg --dry-run 'echo {}' ::: a b 2>&1 >/dev/full)
    status_is 255 $? || return 1
    same "stderr" "wgrun: --dry-run: cannot write the commands to standard output: No space left on device" "$err"
}
check "--dry-run >/dev/full says what failed" dry_run_full_disk

dry_run_reader_gone() {
    local status
    in_case_dir
    seq 300000 >input
    wg --dry-run 'echo {}' :::: input 2>err | head -n 1 >out
    status=${PIPESTATUS[0]}
    same "first line" "echo 1" "$(cat out)" || return 1
    status_is 141 "$status" || return 1
    same "stderr" "" "$(cat err)"
}
check "--dry-run | head -1: SIGPIPE quietly, as a pipeline expects" dry_run_reader_gone

# Before: "wgrun: Resource temporarily unavailable" and nothing else. The
# thread limit (ulimit -u) binds only a user without CAP_SYS_RESOURCE:
# nobody, through setpriv. Sanitizers start threads of their own.
thread_refused() {
    local out
    out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups \
        bash -c "ulimit -u 3; exec timeout 60 '$WGRUN' 'echo {}' ::: 1 2" 2>&1)
    if grep -q "^wgrun: Resource temporarily unavailable$" <<<"$out"; then
        echo "bare message: $out"
        return 1
    fi
    has "what could not start" "^wgrun: cannot (start|run) .*(ulimit -u|Resource temporarily unavailable)" "$out"
}
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
    skip "a refused thread names the thread" "needs root and setpriv"
elif sanitized; then
    skip "a refused thread names the thread" "sanitizers start threads of their own"
else
    check "a refused thread names the thread" thread_refused
fi

finish
