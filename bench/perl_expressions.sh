#!/usr/bin/env bash
# bench/perl_expressions.sh WGRUN: the {= perl =} part of `make bench`.
# 10,000 jobs `echo {= s/a/b/ =}` against the same jobs with `echo {}`, in
# one run, as a ratio (target: within 1.5x). The Perl expression costs one
# round trip to wgrun's one perl coprocess per job.
#
#   bench/perl_expressions.sh build/wgrun
#
# PERL_BENCH_JOBS (10000): the number of jobs.
set -u

WGRUN=${1:-build/wgrun}
JOBS=${PERL_BENCH_JOBS:-10000}
TARGET=1.5
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-perl.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

seq "$JOBS" | sed 's/^/a/' >"$TMP/input"

now_us() { echo "${EPOCHREALTIME/./}"; }

# one TEMPLATE: microseconds for the run, or "fail: why".
one() {
    local t0 t1 lines
    t0=$(now_us)
    "$WGRUN" -j2 echo "$1" :::: "$TMP/input" >"$TMP/out" 2>"$TMP/err" || {
        echo "fail: exit $? ($(head -c 200 "$TMP/err"))"
        return
    }
    t1=$(now_us)
    lines=$(wc -l <"$TMP/out")
    [ "$lines" -eq "$JOBS" ] || { echo "fail: $lines lines of output, not $JOBS"; return; }
    echo $((t1 - t0))
}

plain=$(one '{}')
perl=$(one '{= s/a/b/ =}')
echo
echo "{= perl =}: $JOBS jobs, echo {= s/a/b/ =} against echo {} (one run, target <= ${TARGET}x)"
case "$plain$perl" in
    *fail*) echo "  {}: $plain"; echo "  {= s/a/b/ =}: $perl"; exit 1 ;;
esac
awk -v p="$plain" -v q="$perl" -v t="$TARGET" 'BEGIN {
    r = q / p
    printf "  {}            %8.2f s\n  {= s/a/b/ =}  %8.2f s\n  ratio         %8.2f  %s\n",
        p / 1e6, q / 1e6, r, (r <= t ? "(within target)" : "(OVER TARGET)")
}'
