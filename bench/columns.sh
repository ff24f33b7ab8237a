#!/usr/bin/env bash
# bench/columns.sh WGRUN: the --colsep part of `make bench`. Times wgrun
# running one job per line of a two-column TAB-separated file with the line
# split into its columns (--colsep '\t', `echo {1} {2}`), beside the same
# jobs on the whole line (`echo {}`), and prints the ratio (target: 1.30x
# at most).
#
#   bench/columns.sh build/wgrun
#
# The input: COLUMNS_LINES (100,000) lines "N<TAB>2N". Both runs read it with
# :::: FILE at -j of the CPUs, their output piped to `wc -l`, which must count
# one line per job (else the row says so instead of a time). The jobs are
# real (`echo`, exec'd directly: no shell), so the time is mostly the
# spawns, and the ratio shows what the column stage adds to them: the split
# (a plain search for a literal separator) and the trim. One run of each by
# default, as the issue asks; COLUMNS_REPS runs each, interleaved, keep the
# best. About 2 x 70 s on the 2-core machine.
set -u

WGRUN=${1:-build/wgrun}
LINES=${COLUMNS_LINES:-100000}
REPS=${COLUMNS_REPS:-1}
J=$(nproc)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-columns.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

seq "$LINES" | awk '{ print $1 "\t" $1 * 2 }' >"$TMP/lines.tsv"

# one ROW: one run; prints its microseconds, or "fail: why".
one() {
    local t0 t1 count
    t0=${EPOCHREALTIME//[!0-9]/}
    case $1 in
        plain)  count=$("$WGRUN" -j "$J" echo {} :::: "$TMP/lines.tsv" 2>"$TMP/err" | wc -l) ;;
        colsep) count=$("$WGRUN" -j "$J" --colsep '\t' echo {1} {2} :::: "$TMP/lines.tsv" 2>"$TMP/err" | wc -l) ;;
    esac
    t1=${EPOCHREALTIME//[!0-9]/}
    if (( count != LINES )); then
        echo "fail: $count lines, not $LINES ($(head -n 1 "$TMP/err" | cut -c1-80))"
        return
    fi
    echo $(( t1 - t0 ))
}

declare -A BEST=() WHY=()
for (( rep = 1; rep <= REPS; rep++ )); do
    for row in plain colsep; do
        [[ -n ${WHY[$row]:-} ]] && continue
        took=$(one "$row")
        if [[ $took == fail* ]]; then
            WHY[$row]=$took
        elif [[ -z ${BEST[$row]:-} ]] || (( took < BEST[$row] )); then
            BEST[$row]=$took
        fi
    done
done

echo
runs="best of $REPS"
(( REPS == 1 )) && runs="one run"
echo "== --colsep '\\t': $LINES jobs, one per line of a 2-column file, -j $J ($runs each, wall clock)"
declare -A LABEL=([plain]="echo {}" [colsep]="--colsep '\\t' echo {1} {2}")
for row in plain colsep; do
    if [[ -n ${WHY[$row]:-} ]]; then
        printf '  %-30s %s\n' "${LABEL[$row]}" "${WHY[$row]}"
    else
        printf '  %-30s %4d.%03d s\n' "${LABEL[$row]}" $(( BEST[$row] / 1000000 )) $(( BEST[$row] / 1000 % 1000 ))
    fi
done
if [[ -n ${BEST[plain]:-} && -n ${BEST[colsep]:-} ]]; then
    r=$(( (BEST[colsep] * 100 + BEST[plain] / 2) / BEST[plain] ))
    verdict=ok
    (( r > 130 )) && verdict=MISSED
    printf '  --colsep / plain: %d.%02dx   (target <= 1.30x: %s)\n' $((r / 100)) $((r % 100)) "$verdict"
fi
