#!/usr/bin/env bash
# --compress, --compress-program, --decompress-program (wgrun(1)): output
# kept on disk (spill files, -k's parking file, --files' files) is kept
# compressed; it comes out byte for byte as without them and as GNU
# parallel's; a failing program loses output loudly (exit 1, "output lost"),
# never silently.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# A job writing 3 MB that compresses well, then its value and 1 MB on stderr.
BIG='head -c 3000000 /dev/zero | tr "\0" {}; echo {}; head -c 1000000 /dev/zero >&2'

check "GNU: --compress -k, 12 jobs of 3 MB (spilled, parked): the same bytes" \
    like_gnu -k -j12 --compress "$BIG" ::: a b c d e f g h i j k l
check "GNU: --compress-program 'gzip -c', grouped, sorted: the same bytes" \
    like_gnu -s -j4 --compress-program 'gzip -c' "$BIG" ::: a b c d e f
check "GNU: --compress-program gzip --decompress-program 'gzip -dc' -k: the same bytes" \
    like_gnu -k -j3 --compress-program gzip --decompress-program 'gzip -dc' "$BIG" ::: a b c
check "GNU: --compress with small output (never spilled): the same bytes" \
    like_gnu -k -j4 --compress 'echo {}; echo {} >&2' ::: $(seq 20)

# --files: the file holds the compressed stdout, as GNU's does.
files_compressed() {
    in_case_dir
    local ours theirs
    ours=$(wg --files --compress-program gzip 'seq {}' ::: 100000) || return 1
    theirs=$(gnu --files --compress-program gzip 'seq {}' ::: 100000) || return 1
    has "our file is gzip data" 'gzip compressed data' "$(file "$ours")" || return 1
    has "GNU's file is gzip data" 'gzip compressed data' "$(file "$theirs")" || return 1
    same "decompressed" "$(gzip -dc <"$theirs" | md5sum)" "$(gzip -dc <"$ours" | md5sum)" || return 1
    rm -f "$ours" "$theirs"
}
check "GNU: --files --compress-program gzip: the file is gzip data, as GNU's, and holds the output" \
    files_compressed

# While job 1 waits (-k), the others' 3 MB each wait on disk (spill files, then
# the parking file): compressed, the files wgrun holds in --tmpdir are a
# small part of 33 MB.
parked_compressed() {
    in_case_dir
    mkfifo gate
    mkdir tmp
    local opt=$1 status total f
    in_background out --tmpdir "$CASE/tmp" -k -j12 $opt \
        "if [ {} = 1 ]; then cat $CASE/gate; fi; head -c 3000000 /dev/zero; echo {}" ::: $(seq 12)
    # wait until only job 1 is left (the others ended and were parked)
    wait_for 30 _only_job_one_left || { echo "jobs did not end"; kill "$BG"; return 1; }
    total=0
    for f in /proc/"$WGPID"/fd/*; do
        case $(readlink "$f" 2>/dev/null) in "$CASE/tmp"/*) total=$((total + $(stat -L -c %s "$f"))) ;; esac
    done
    echo x >gate
    wait "$BG"
    status=$?
    status_is 0 "$status" || { cat err; return 1; }
    same "bytes out (job 1 also passes on the gate's x)" 36000029 "$(wc -c <out)" || return 1
    PARKED=$total
}
# Only job 1 is left: the other jobs' shells are gone, and so are the
# compress programs (they end with their job's output).
_only_job_one_left() {
    WGPID=$BG
    local child jobs=0 compressors=0
    for child in $(cat /proc/"$BG"/task/*/children 2>/dev/null); do
        case $(tr '\0' ' ' 2>/dev/null </proc/"$child"/cmdline) in
        *wgrun-compress*) compressors=$((compressors + 1)) ;;
        *"echo "[0-9]*) jobs=$((jobs + 1)) ;;  # a job (wgrun's guardian has {})
        esac
    done
    [ "$jobs" = 1 ] && [ "$compressors" = 0 ]
}
parked_sizes() {
    local plain compressed
    parked_compressed "" || return 1
    plain=$PARKED
    parked_compressed "--compress-program gzip" || return 1
    compressed=$PARKED
    echo "held on disk: $plain bytes plain, $compressed compressed"
    [ "$plain" -ge 20000000 ] || { echo "expected >= 20 MB parked plain"; return 1; }
    [ "$compressed" -le 6000000 ] || { echo "expected <= 6 MB with --compress"; return 1; }
}
check "-k: 11 jobs of 3 MB waiting for job 1 (kept, parked) take their compressed size on disk (>= 20 MB plain, <= 6 MB compressed)" \
    parked_sizes

# A failing program: the job fails, what was in memory is written, and
# the report says which program did what.
compress_fails() {
    in_case_dir
    local status
    wg --compress-program false 'head -c 3000000 /dev/zero; true {}' ::: 1 >out 2>err
    status=$?
    status_is 1 "$status" || { cat err; return 1; }
    same "bytes written (the memory part)" 524288 "$(wc -c <out)" || return 1
    has "the report" "^wgrun: job 1 failed \(exit 0; output lost: --compress in .*: 'false' exited with 1\)" "$(cat err)"
}
check "--compress-program false: exit 1, 'output lost: ... 'false' exited with 1', the memory part written" \
    compress_fails

decompress_fails() {
    in_case_dir
    local status
    wg --compress-program 'gzip -c' --decompress-program 'exit 7' 'head -c 3000000 /dev/zero; true {}' ::: 1 >out 2>err
    status=$?
    status_is 1 "$status" || { cat err; return 1; }
    has "the report" "output lost: --compress in .*: 'exit 7' exited with 7" "$(cat err)"
}
check "--decompress-program 'exit 7': exit 1, the report names it" decompress_fails

missing_program() {
    in_case_dir
    local status
    wg --compress-program no-such-compressor 'head -c 3000000 /dev/zero; true {}' ::: 1 >out 2>err
    status=$?
    status_is 1 "$status" || { cat err; return 1; }
    has "the report" "'no-such-compressor' exited with 127" "$(cat err)"
}
check "--compress-program that is not there: exit 1, exited with 127" missing_program

usage_errors() {
    local out status
    for args in "--compress-program ''" "--decompress-program gzip" "--compress-program ' '"; do
        out=$(eval "wg $args echo ::: 1" 2>&1)
        status=$?
        status_is 255 "$status" || { echo "$args: $out"; return 1; }
    done
    out=$(wg --decompress-program gzip echo ::: 1 2>&1)
    has "message" "^wgrun: --decompress-program is for --compress or --compress-program" "$out"
}
check "--compress-program '', --decompress-program alone: usage errors (exit 255)" usage_errors

retries_compressed() {
    in_case_dir
    local status
    wg --retries 2 --compress-program 'gzip -c' \
        'head -c 2000000 /dev/zero | tr "\0" {}; if [ ! -e seen ]; then touch seen; exit 1; fi' ::: z >out 2>err
    status=$?
    status_is 0 "$status" || { cat err; return 1; }
    same "only the last attempt's bytes" 2000000 "$(wc -c <out)"
}
check "--retries 2 --compress: only the last attempt's output, whole" retries_compressed

# The programs cost fds; with few, wgrun keeps the bytes in memory instead.
few_fds() {
    in_case_dir
    local status limit=24
    sanitized && limit=40  # the sanitizers' own fds
    (ulimit -n "$limit"; exec timeout 60 "$WGRUN" -k -j4 --compress-program 'gzip -c' "$BIG" ::: 1 2 3 4 5 6) >out 2>err
    status=$?
    status_is 0 "$status" || { tr -d '\0' <err | head -c 2000; return 1; }
    same "stdout bytes" 18000012 "$(wc -c <out)"
}
check "--compress with 24 fds (40 sanitized), -j4, 6 jobs of 3 MB: nothing lost" few_fds

finish
