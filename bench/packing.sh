#!/usr/bin/env bash
# bench/packing.sh WGRUN: argument packing, the part of `make bench` for
# issue 14's targets. A million lines (`seq 1000000`, written to a file
# first so that every tool reads the same bytes at the same cost) packed
# into commands of `echo`, output counted by `wc -l`:
#
#   -n 1000:  wgrun -n 1000 echo   beside  xargs -n 1000 echo   (target <= 1.20x)
#   -X:       wgrun -X echo        beside  xargs echo           (target <= 1.20x)
#
# and GNU parallel with the same options beside them (no target: it is the
# vocabulary's reference, not its speed's). Each time is the best of
# PACKING_REPS runs (3), the tools interleaved, wall clock. GNU parallel
# takes about 100 s for a million lines here, so its rows (marked *) read
# PACKING_PARALLEL_LINES (100000) lines, once, and their ratio is to xargs
# timed on the same lines. Ratios are to xargs (lower is better). Each row also checks the count of output lines (the commands run),
# so that a tool that runs nothing cannot look fast.
set -u

WGRUN=${1:-build/wgrun}
REPS=${PACKING_REPS:-3}
PAR_REPS=${PACKING_PARALLEL_REPS:-1}
LINES=${PACKING_LINES:-1000000}
PAR_LINES=${PACKING_PARALLEL_LINES:-100000}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-packing.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export PARALLEL_HOME=$TMP/parallel   # GNU parallel's state, not ~/.parallel
mkdir -p "$PARALLEL_HOME"
seq "$LINES" >"$TMP/input"
seq "$PAR_LINES" >"$TMP/input_p"

ratio() {   # ratio T F: "1.23x"
    local r=$(( ($1 * 100 + $2 / 2) / $2 ))
    printf '%d.%02dx' $((r / 100)) $((r % 100))
}

# run ROW: one run of the row's command on the input; prints the count of
# output lines.
run() {
    case $1 in
        wg_n)     "$WGRUN" -n 1000 echo ;;
        xargs_n)  xargs -n 1000 echo ;;
        par_n)    parallel --will-cite -n 1000 echo <"$TMP/input_p" ;;
        xargs_n_p) xargs -n 1000 echo <"$TMP/input_p" ;;
        wg_X)     "$WGRUN" -X echo ;;
        xargs_X)  xargs echo ;;
        par_X)    parallel --will-cite -X echo <"$TMP/input_p" ;;
        xargs_X_p) xargs echo <"$TMP/input_p" ;;
    esac <"$TMP/input" | wc -l   # (the *_p rows read their own input)
}

declare -A BEST=() LINES_OUT=() FAILED=()
time_rows() {   # time_rows REPS ROW...
    local reps=$1 rep row t0 t1 out
    shift
    for (( rep = 1; rep <= reps; rep++ )); do
        for row in "$@"; do
            [[ -n ${FAILED[$row]:-} ]] && continue
            t0=${EPOCHREALTIME//[!0-9]/}
            out=$(run "$row" 2>"$TMP/err")
            t1=${EPOCHREALTIME//[!0-9]/}
            if [[ ! $out =~ ^[0-9]+$ ]] || (( out == 0 )) || [[ -s $TMP/err ]]; then
                FAILED[$row]="failed: ${out:-no output}; $(head -n 1 "$TMP/err" | cut -c1-80)"
                continue
            fi
            LINES_OUT[$row]=$out
            if [[ -z ${BEST[$row]:-} ]] || (( t1 - t0 < BEST[$row] )); then BEST[$row]=$((t1 - t0)); fi
        done
    done
}

print_row() {   # print_row ROW LABEL REF TARGET(0|1)
    local row=$1 label=$2 ref=$3 target=$4 t vs="-" goal=""
    if [[ -n ${FAILED[$row]:-} ]]; then
        printf '  %-26s %s\n' "$label" "${FAILED[$row]}"
        return
    fi
    t=${BEST[$row]}
    [[ -n ${BEST[$ref]:-} ]] && vs=$(ratio "$t" "${BEST[$ref]}")
    if (( target )) && [[ -n ${BEST[$ref]:-} ]]; then
        if (( t * 100 <= BEST[$ref] * 120 )); then goal="   target <= 1.20x: ok"; else goal="   target <= 1.20x: MISSED"; fi
    fi
    printf '  %-26s %9s %10s %9s%s\n' "$label" "$vs" \
        "$(printf '%d.%03d s' $((t / 1000000)) $((t / 1000 % 1000)))" "${LINES_OUT[$row]}" "$goal"
}

have_parallel=1
parallel --version 2>/dev/null | head -n 1 | grep -q 'GNU parallel' || have_parallel=0
(( have_parallel )) || FAILED[par_n]="skipped: GNU parallel not installed" FAILED[par_X]="skipped: GNU parallel not installed"

echo
echo "== argument packing: $LINES lines into echo commands (best of $REPS, wall clock; ratio = time / xargs time, lower is better)"
time_rows "$REPS" xargs_n wg_n xargs_X wg_X
time_rows "$PAR_REPS" par_n par_X
time_rows "$REPS" xargs_n_p xargs_X_p
printf '  %-26s %9s %10s %9s\n' "tool" "vs xargs" "best" "commands"
print_row xargs_n "xargs -n 1000 echo" xargs_n 0
print_row wg_n "wgrun -n 1000 echo" xargs_n 1
print_row par_n "GNU parallel -n 1000 echo*" xargs_n_p 0
print_row xargs_X "xargs echo" xargs_X 0
print_row wg_X "wgrun -X echo" xargs_X 1
print_row par_X "GNU parallel -X echo*" xargs_X_p 0
echo "  * $PAR_LINES lines, $PAR_REPS run(s), ratio to xargs on the same lines"
exit 0
