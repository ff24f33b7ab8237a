#!/usr/bin/env bash
# bench/fail_fast.sh WGRUN: the --fail-fast part of `make bench`. How long
# wgrun takes from a job's failure to its own exit while 50 other jobs run,
# beside GNU parallel's --halt now,fail=1 in the same run, as a ratio.
#
#   bench/fail_fast.sh build/wgrun
#
# The workload: 50 jobs `sleep 1000` and one that waits until all 50 have
# started, notes the time and exits 1. The figure is the time from that note
# to the runner's exit (its jobs all ended and reaped), the best and the
# median of FAIL_FAST_REPS runs (5). The sleeps die at the first SIGTERM, so
# this measures the runner: noticing the failure, signalling 50 process
# trees, reaping them and writing the report.
set -u

WGRUN=${1:-build/wgrun}
REPS=${FAIL_FAST_REPS:-5}
N=50
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-failfast.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
export PARALLEL_HOME=$TMP/parallel
mkdir -p "$PARALLEL_HOME"

now_us() { echo "${EPOCHREALTIME/./}"; }

# jobs FILE: the 51 commands, one per line.
{
    for ((i = 1; i <= N; i++)); do echo "echo >>$TMP/started; exec sleep 1000"; done
    echo "while [ \$(wc -l <$TMP/started) -lt $N ]; do sleep 0.01; done; date +%s%6N >$TMP/failed; exit 1"
} >"$TMP/jobs"

# one TOOL: one run; prints the microseconds from the failure to the exit,
# or "fail: why".
one() {
    local t1 st
    rm -f "$TMP/started" "$TMP/failed"
    touch "$TMP/started"
    case $1 in
        wgrun) timeout 60 "$WGRUN" --quiet -j $((N + 1)) --fail-fast <"$TMP/jobs" >/dev/null 2>&1 ;;
        parallel) timeout 60 parallel --will-cite -j $((N + 1)) --halt now,fail=1 <"$TMP/jobs" >/dev/null 2>&1 ;;
    esac
    st=$?
    t1=$(now_us)
    if [[ ! -s $TMP/failed ]]; then echo "fail: the failing job did not run (exit $st)"; return; fi
    if (( st != 1 )); then echo "fail: exit $st, not 1"; return; fi
    echo $(( t1 - $(cat "$TMP/failed") ))
}

declare -A RUNS=()
tools=(wgrun)
if command -v parallel >/dev/null && parallel --version 2>/dev/null | head -n 1 | grep -q 'GNU parallel'; then
    tools+=(parallel)
fi
for ((r = 1; r <= REPS; r++)); do
    for tool in "${tools[@]}"; do
        RUNS[$tool]+="$(one "$tool") "
    done
done

echo
echo "== --fail-fast: from a job's failure to the runner's exit, with $N jobs running (best and median of $REPS)"
declare -A BEST=()
for tool in "${tools[@]}"; do
    read -ra runs <<<"${RUNS[$tool]}"
    if [[ ${runs[*]} == *fail* ]]; then
        printf '  %-34s %s\n' "$tool" "${RUNS[$tool]}"
        continue
    fi
    sorted=($(printf '%s\n' "${runs[@]}" | sort -n))
    BEST[$tool]=${sorted[0]}
    median=${sorted[$(( ${#sorted[@]} / 2 ))]}
    printf '  %-34s best %6d ms   median %6d ms\n' "$tool$([[ $tool == parallel ]] && echo ' --halt now,fail=1' || echo ' --fail-fast')" \
        $(( BEST[$tool] / 1000 )) $(( median / 1000 ))
done
if [[ -n ${BEST[wgrun]:-} && -n ${BEST[parallel]:-} && ${BEST[wgrun]} -gt 0 ]]; then
    r=$(( (BEST[parallel] * 100 + BEST[wgrun] / 2) / BEST[wgrun] ))
    printf '  GNU parallel takes %d.%02dx as long as wgrun\n' $((r / 100)) $((r % 100))
fi
