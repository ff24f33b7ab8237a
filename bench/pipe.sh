#!/usr/bin/env bash
# bench/pipe.sh WGRUN: the --pipe/--pipepart part of `make bench`. How fast
# wgrun cuts a big text file into blocks for `wc -l` jobs, beside GNU
# parallel doing the same and beside `wc -l` reading the file alone:
#
#   wc -l < F                                         (the floor: one reader)
#   WGRUN --pipe --block 1M -j2 wc -l < F
#   parallel --pipe --block 1M -j2 wc -l < F
#   WGRUN --pipepart -a F --block 1M -j2 wc -l
#   parallel --pipepart -a F --block 1M -j2 wc -l
#   cat F | WGRUN --pipe --block 1M -j2 wc -l         (a pipe: blocks through memory)
#   WGRUN --pipe --block 16M -j2 wc -l < F            (16x fewer jobs to start)
#
#   bench/pipe.sh build/wgrun
#
# F is PIPE_BYTES (2 GiB) of `seq`-like lines: a chunk of at most 64 MiB of
# `seq` output (whole lines) written again and again, so making it takes
# seconds; it is read once (cat > /dev/null) before the runs so that every
# row reads it from the page cache. The rows run interleaved, PIPE_REPS (3)
# rounds, each row's best wall time kept (measured with $EPOCHREALTIME
# around the run; /usr/bin/time -f '%e %M' gives its peak RSS, jobs
# included, and its own %e is shown too); every run is under `timeout`
# (PIPE_TIMEOUT, 900 s) so that a hang is reported instead of stalling
# `make bench`.
#
# Correctness comes first: every run's counts, summed, must be the file's
# number of lines, else the row says so, takes no further runs, and the
# script exits 1 at the end. Missed ratios are printed, and the script
# still exits 0. The targets (the --pipe issue's): wgrun's --pipe at 3x GNU's
# throughput (PIPE_TARGET_VS_GNU), --pipepart at 2x (PIPE_TARGET_PART),
# --pipe within 1.5x of `wc -l` alone (PIPE_TARGET_VS_WC, 0.67), and
# wgrun's peak RSS below 3 * j * block + 8 MiB. At --block 1M each job
# reads 1 MiB and a job's start (fork, exec, wc's own start) costs about as
# much as reading it: the 16M row shows the splitting alone. GNU's --pipe at
# 2 GiB takes a while (it moves ~100-500 MB/s): the whole run is a few
# minutes on the 2-core machine.
set -u

WGRUN=${1:-build/wgrun}
BYTES=${PIPE_BYTES:-2147483648}
REPS=${PIPE_REPS:-3}
LIMIT=${PIPE_TIMEOUT:-900}
TARGET_GNU=${PIPE_TARGET_VS_GNU:-3.00}
TARGET_PART=${PIPE_TARGET_PART:-2.00}
TARGET_WC=${PIPE_TARGET_VS_WC:-0.67}
J=2
BLOCK=1M
BLOCK_BYTES=1048576
RSS_BOUND_KB=$(( (3 * J * BLOCK_BYTES + 8 * 1048576) / 1024 ))
TIME=/usr/bin/time
CHUNK_MAX=$(( 64 * 1048576 ))

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-pipe.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export PARALLEL_HOME=$TMP/parallel   # GNU parallel's state, not ~/.parallel
mkdir -p "$PARALLEL_HOME"
export TMPDIR=$TMP                   # and its temporary files

started=${EPOCHREALTIME//[!0-9]/}

# --- the file ------------------------------------------------------------------
F=$TMP/input
chunk=$(( BYTES < CHUNK_MAX ? BYTES : CHUNK_MAX ))
# seq's output cut to the chunk size, less the cut last line.
seq 1 999999999 2>/dev/null | head -c "$chunk" | sed '$d' >"$TMP/chunk"
csize=$(stat -c %s "$TMP/chunk")
clines=$(wc -l <"$TMP/chunk")
if (( csize == 0 )); then
    echo "pipe: PIPE_BYTES=$BYTES is too small for a line" >&2
    exit 1
fi
# Whole chunks, then the part of one that fills up to PIPE_BYTES (whole lines).
copies=$(( BYTES / csize ))
head -c $(( BYTES - copies * csize )) "$TMP/chunk" | sed '$d' >"$TMP/rest"
for (( i = 0; i < copies; i++ )); do cat "$TMP/chunk"; done >"$F" || { echo "pipe: cannot write $F" >&2; exit 1; }
cat "$TMP/rest" >>"$F" || { echo "pipe: cannot write $F" >&2; exit 1; }
LINES=$(( clines * copies + $(wc -l <"$TMP/rest") ))
rm -f "$TMP/chunk" "$TMP/rest"
SIZE=$(stat -c %s "$F")
cat "$F" >/dev/null   # into the page cache

# --- the rows ----------------------------------------------------------------------
ROWS=(wc wg_pipe gnu_pipe wg_part gnu_part wg_stream wg_big)
declare -A LABEL=(
    [wc]="wc -l < F"
    [wg_pipe]="wgrun --pipe --block $BLOCK -j$J wc -l"
    [gnu_pipe]="GNU parallel --pipe --block $BLOCK -j$J"
    [wg_part]="wgrun --pipepart -a F --block $BLOCK -j$J"
    [gnu_part]="GNU parallel --pipepart -a F ..."
    [wg_stream]="cat F | wgrun --pipe --block $BLOCK -j$J"
    [wg_big]="wgrun --pipe --block 16M -j$J wc -l"
)
declare -A STATUS=()   # row -> why it is not timed (any more)
declare -A BEST=()     # row -> best wall time, microseconds
declare -A BEST_E=()   # row -> /usr/bin/time's %e of that run
declare -A RSS=()      # row -> highest peak RSS over its runs, KB
count_failed=0

if [[ ! -x $WGRUN ]]; then
    STATUS[wg_pipe]="missing ($WGRUN)" STATUS[wg_part]="missing ($WGRUN)"
    STATUS[wg_stream]="missing ($WGRUN)" STATUS[wg_big]="missing ($WGRUN)"
fi
if ! command -v parallel >/dev/null; then
    STATUS[gnu_pipe]="skipped: GNU parallel not installed" STATUS[gnu_part]=${STATUS[gnu_pipe]}
elif ! parallel --version 2>/dev/null | head -n 1 | grep -q 'GNU parallel'; then
    STATUS[gnu_pipe]="skipped: \`parallel\` is not GNU parallel" STATUS[gnu_part]=${STATUS[gnu_pipe]}
fi
if [[ ! -x $TIME ]]; then
    echo "pipe: $TIME is not installed (make deps installs the package time)" >&2
    exit 1
fi

# run ROW: one run of ROW under timeout and /usr/bin/time; its stdout in
# $TMP/out, stderr in $TMP/err, "%e %M" in $TMP/time; sets T (wall, us)
# and returns the command's exit status.
run() {
    local -a cmd
    local in=$F t0 t1 rc
    case $1 in
        wc) cmd=(wc -l) ;;
        wg_pipe) cmd=("$WGRUN" --pipe --block "$BLOCK" -j"$J" wc -l) ;;
        gnu_pipe) cmd=(parallel --will-cite --pipe --block "$BLOCK" -j"$J" wc -l) ;;
        wg_part) cmd=("$WGRUN" --pipepart -a "$F" --block "$BLOCK" -j"$J" wc -l) in=/dev/null ;;
        gnu_part) cmd=(parallel --will-cite --pipepart -a "$F" --block "$BLOCK" -j"$J" wc -l) in=/dev/null ;;
        wg_stream)
            cmd=(bash -c 'cat "$1" | "$2" --pipe --block "$3" -j"$4" wc -l' _ "$F" "$WGRUN" "$BLOCK" "$J")
            in=/dev/null ;;
        wg_big) cmd=("$WGRUN" --pipe --block 16M -j"$J" wc -l) ;;
    esac
    rm -f "$TMP/time"
    t0=${EPOCHREALTIME//[!0-9]/}
    timeout -k 5 "$LIMIT" "$TIME" -f '%e %M' -o "$TMP/time" "${cmd[@]}" <"$in" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    t1=${EPOCHREALTIME//[!0-9]/}
    T=$(( t1 - t0 ))
    return "$rc"
}

for (( rep = 1; rep <= REPS; rep++ )); do
    for row in "${ROWS[@]}"; do
        [[ -n ${STATUS[$row]:-} ]] && continue
        run "$row"
        rc=$?
        n=$(awk '{ s += $1 } END { printf "%d", s }' "$TMP/out")
        if (( rc != 0 )); then
            STATUS[$row]="fail: exit $rc$( ((rc == 124)) && echo " (timed out after $LIMIT s)")"
            [[ -s $TMP/err ]] && STATUS[$row]+=": $(grep -v '^Command exited' "$TMP/err" | head -n 1 | cut -c1-100)"
            count_failed=1
            continue
        fi
        if [[ $n != "$LINES" ]]; then
            STATUS[$row]="fail: the counts sum to $n, not $LINES"
            count_failed=1
            continue
        fi
        read -r e m < <(tail -n 1 "$TMP/time")
        printf '  round %d: %-42s %7.2f s\n' "$rep" "${LABEL[$row]}" "$(awk -v t="$T" 'BEGIN { print t / 1e6 }')"
        if [[ -z ${BEST[$row]:-} ]] || (( T < BEST[$row] )); then BEST[$row]=$T BEST_E[$row]=$e; fi
        if [[ $m =~ ^[0-9]+$ ]] && (( m > ${RSS[$row]:-0} )); then RSS[$row]=$m; fi
    done
done

# --- the table ---------------------------------------------------------------------
# mbs ROW: the row's best throughput in MB/s (10^6 bytes), or "".
mbs() { [[ -n ${BEST[$1]:-} ]] && awk -v b="$SIZE" -v t="${BEST[$1]}" 'BEGIN { printf "%.1f", b / t }'; }

echo
printf '== pipe: F = %.2f GiB (%d lines of seq-like text), --block %s -j%d, best of %d (wall clock, page cache warm)\n' \
    "$(awk -v b="$SIZE" 'BEGIN { print b / 1073741824 }')" "$LINES" "$BLOCK" "$J" "$REPS"
printf '  %-44s %9s %7s %10s %11s\n' "" "best" "(%e)" "MB/s" "peak RSS"
for row in "${ROWS[@]}"; do
    if [[ -n ${STATUS[$row]:-} ]]; then
        printf '  %-44s %s\n' "${LABEL[$row]}" "${STATUS[$row]}"
        continue
    fi
    printf '  %-44s %7.2f s %7s %10s %8s KB\n' "${LABEL[$row]}" \
        "$(awk -v t="${BEST[$row]}" 'BEGIN { print t / 1e6 }')" "${BEST_E[$row]}" "$(mbs "$row")" "${RSS[$row]:--}"
done

# ratio A B TARGET WHAT: A's throughput over B's, against TARGET (none if empty).
ratio() {
    local a=$1 b=$2 target=$3 what=$4 r verdict=""
    if [[ -z ${BEST[$a]:-} || -z ${BEST[$b]:-} ]]; then
        printf '  %-50s -   (a row did not run)\n' "$what"
        return
    fi
    r=$(awk -v a="${BEST[$a]}" -v b="${BEST[$b]}" 'BEGIN { printf "%.2f", b / a }')
    if [[ -n $target ]]; then
        if awk -v r="$r" -v t="$target" 'BEGIN { exit !(r >= t) }'; then
            verdict="   (target >= ${target}x: ok)"
        else
            verdict="   (target >= ${target}x: MISSED)"
        fi
    fi
    printf '  %-50s %5sx%s\n' "$what" "$r" "$verdict"
}
echo "== throughput ratios (higher is better)"
ratio wg_pipe gnu_pipe "$TARGET_GNU" "wgrun --pipe / GNU --pipe"
ratio wg_part gnu_part "$TARGET_PART" "wgrun --pipepart / GNU --pipepart"
ratio wg_stream gnu_pipe "" "cat F | wgrun --pipe / GNU --pipe"
ratio wg_pipe wc "$TARGET_WC" "wgrun --pipe / wc -l alone"
ratio wg_part wc "" "wgrun --pipepart / wc -l alone"
ratio wg_big wc "" "wgrun --pipe --block 16M / wc -l alone"
echo "== wgrun's peak RSS (jobs included), bound 3*j*block + 8 MiB = $RSS_BOUND_KB KB"
for row in wg_pipe wg_part wg_stream; do
    if [[ -z ${RSS[$row]:-} ]]; then
        printf '  %-44s -\n' "${LABEL[$row]}"
    elif (( RSS[$row] < RSS_BOUND_KB )); then
        printf '  %-44s %8s KB   ok\n' "${LABEL[$row]}" "${RSS[$row]}"
    else
        printf '  %-44s %8s KB   OVER the bound\n' "${LABEL[$row]}" "${RSS[$row]}"
    fi
done
end=${EPOCHREALTIME//[!0-9]/}
echo "pipe: done in $(( (end - started) / 1000000 )) s"
if (( count_failed )); then
    echo "pipe: FAILED: a run failed or its counts were wrong (see the table)" >&2
    exit 1
fi
exit 0
