#!/usr/bin/env bash
# bench/output.sh WGRUN: the output part of `make bench`. Times how fast wgrun
# passes a lot of job output through, in each output mode, beside GNU
# parallel, and prints each time as a ratio to the same bytes written serially
# into a pipe (lower is better), with wgrun's peak RSS in each mode.
#
#   bench/output.sh build/wgrun
#
# The workload: 8 jobs at -j4, each `cat` of the same 64 MiB file of text
# lines (so that --line-buffer has lines to split), the runner's stdout piped
# to `wc -c`. The baseline "serial" is `for i in 1..8; do cat FILE; done |
# wc -c`: the least any runner can pay to deliver those bytes to a pipe.
#
# Each row is run OUTPUT_REPS times (5), wall clock, the runs of all rows
# interleaved (serial first in each round) so that a slow spell of the
# machine hits them all alike. Two ratios: "best/best", the row's best time
# over the serial pipe's best time, and "median", the median over the rounds
# of the row's time over that round's serial time. On a noisy machine the
# serial pipe's best is now and then a lucky outlier (0.33 s where it
# usually takes 0.41-0.44 s on the 2-core machine), which moves every
# best/best ratio of that run by as much as 25%; the paired median is not
# moved by one lucky round. The targets are judged on both, and both are
# printed. Ratios only: absolute times vary too much from machine to
# machine to be compared (the "best" column is there for the record).
#
# Correctness comes first: every run's byte count at `wc -c` must be 8 x 64
# MiB, else the row says "wrong output (N bytes)" instead of a ratio. Each
# wgrun mode also gets one untimed check run before the timed ones, under
# /usr/bin/time -f %M (peak RSS, which includes the jobs' own: `cat` and
# /bin/sh are about 2 MB) and under `timeout` (OUTPUT_TIMEOUT, 60 s), so that
# a mode that hangs is reported instead of stalling `make bench`; /usr/bin/time
# stays out of the timed runs, where its fork + exec (20 ms or more on the
# 2-core machine) would weigh against the 1.05x target. A tool that fails, or
# prints the wrong number of bytes, gets a line saying so in its row, and the
# others are still timed; the script fails only when the baseline does.
#
# Sizes: OUTPUT_MIB (64) MiB per job; OUTPUT_REPS (5) runs per row. The whole
# run takes about a minute on the 2-core machine (GNU parallel's grouped row,
# which goes through temporary files, is a quarter of it).
set -u

WGRUN=${1:-build/wgrun}
REPS=${OUTPUT_REPS:-5}
MIB=${OUTPUT_MIB:-64}
LIMIT=${OUTPUT_TIMEOUT:-60}
NJOBS=8
J=4
EXPECT=$(( NJOBS * MIB * 1024 * 1024 ))
TIME=/usr/bin/time

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-output.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export PARALLEL_HOME=$TMP/parallel   # GNU parallel's state, not ~/.parallel
mkdir -p "$PARALLEL_HOME"
# Output that the runners keep on disk (GNU parallel's grouped files, wgrun's
# spill) goes here too, and so goes away with the rest even after a kill.
export TMPDIR=$TMP

# Microseconds since the epoch, read in place (no subshell in a timed span).
started=${EPOCHREALTIME//[!0-9]/}

# ratio T F: "1.23x", T / F rounded to two decimals.
ratio() {
    local r=$(( ($1 * 100 + $2 / 2) / $2 ))
    printf '%d.%02dx' $((r / 100)) $((r % 100))
}

# The 64 MiB of text lines every job prints (the last line is cut short by
# head -c, and has no newline: the runners must pass it on all the same).
LINES=$TMP/lines
yes 'the quick brown fox jumps over the lazy dog 0123456789' | head -c $(( MIB * 1024 * 1024 )) >"$LINES"
if [[ $(wc -c <"$LINES") -ne $(( MIB * 1024 * 1024 )) ]]; then
    echo "output: could not write $MIB MiB to $LINES" >&2
    exit 1
fi
# The job's command, run by /bin/sh: the input line (the job number) lands in
# a comment, or cat would take it as a second file.
CMD="cat $(printf '%q' "$LINES") # {}"

# --- the rows --------------------------------------------------------------
ROWS=(serial wg wg_k wg_lb wg_k_lb wg_u parallel parallel_lb)
declare -A LABEL=(
    [serial]="serial"
    [wg]="wgrun (grouped)"      [wg_k]="wgrun -k"
    [wg_lb]="wgrun --line-buffer"  [wg_k_lb]="wgrun -k --line-buffer"
    [wg_u]="wgrun -u"
    [parallel]="GNU parallel"   [parallel_lb]="GNU parallel --lb"
)
declare -A FLAGS=(
    [serial]=""
    [wg]=""  [wg_k]="-k"  [wg_lb]="--line-buffer"  [wg_k_lb]="-k --line-buffer"  [wg_u]="-u"
    [parallel]=""  [parallel_lb]="--line-buffer"
)
declare -A TARGET=( [wg]=110 [wg_k]=110 [wg_lb]=125 [wg_u]=105 )   # percent of serial
declare -A QUOTED=( [parallel]="1.16x" [parallel_lb]="1.92x" )     # the issue's figures
declare -A STATUS=()   # row -> "" (usable) or why it is not timed
declare -A WHY=()      # row -> first line of its stderr when it failed
declare -A BEST=()     # row -> best time, microseconds
declare -A PAIRED=()   # row -> "r1 r2 ...": each rep's time / that rep's serial time, 1/10000ths
declare -A RSS=()      # row -> peak RSS of the check run, KB

# run_row ROW [PREFIX...]: one run of a runner's ROW, its stdout piped to
# `wc -c`, whose count lands in $TMP/count; stderr in $TMP/err. PREFIX
# (timeout, time) goes before wgrun. Returns the runner's exit status, not wc's.
# (The serial baseline is run in place by time_rows: no function call in its
# timed span.)
run_row() {
    local row=$1
    shift
    local -a flags=()
    read -ra flags <<<"${FLAGS[$row]}"
    case $row in
        parallel*)
            seq "$NJOBS" | parallel --will-cite -j "$J" "${flags[@]}" "$CMD" 2>"$TMP/err" | wc -c >"$TMP/count" ;;
        *)
            seq "$NJOBS" | "$@" "$WGRUN" -j "$J" "${flags[@]}" "$CMD" :::: - 2>"$TMP/err" | wc -c >"$TMP/count" ;;
    esac
    return "${PIPESTATUS[1]}"
}
# judge ROW RC KIND: after a run (KIND check or timed), sets STATUS[ROW] when the run failed or printed
# the wrong number of bytes; returns 1 then.
judge() {
    local row=$1 rc=$2 n
    n=$(tr -d ' \n' <"$TMP/count" 2>/dev/null)
    if [[ $n != "$EXPECT" ]]; then
        STATUS[$row]="wrong output (${n:-no} bytes, not $EXPECT)"
        (( rc != 0 )) && STATUS[$row]+=", exit $rc"
        (( rc == 124 )) && [[ $3 == check ]] && STATUS[$row]="timed out after $LIMIT s (${n:-no} bytes by then)"
    elif (( rc != 0 )); then
        STATUS[$row]="failed (exit $rc)"
    else
        return 0
    fi
    [[ -s $TMP/err ]] && WHY[$row]=$(head -n 1 "$TMP/err" | cut -c1-100)
    return 1
}

# check ROW: the untimed first run of a wgrun row, under timeout and
# /usr/bin/time; records its peak RSS.
check() {
    local row=$1 rc kb
    local -a prefix=(timeout -k 5 "$LIMIT")
    [[ -x $TIME ]] && prefix+=("$TIME" -f %M -o "$TMP/rss")
    rm -f "$TMP/rss"
    run_row "$row" "${prefix[@]}"; rc=$?
    judge "$row" "$rc" check || return 1
    kb=$(tail -n 1 "$TMP/rss" 2>/dev/null)
    [[ $kb =~ ^[0-9]+$ ]] && RSS[$row]=$kb
    return 0
}

time_rows() {
    local rep row t0 t1 rc i serial_t=0
    for (( rep = 1; rep <= REPS; rep++ )); do
        for row in "${ROWS[@]}"; do
            [[ -n ${STATUS[$row]:-} ]] && continue
            if [[ $row == serial ]]; then
                t0=${EPOCHREALTIME//[!0-9]/}
                for (( i = 1; i <= NJOBS; i++ )); do cat "$LINES" || exit; done | wc -c >"$TMP/count"
                rc=${PIPESTATUS[0]}
                t1=${EPOCHREALTIME//[!0-9]/}
                : >"$TMP/err"
            else
                t0=${EPOCHREALTIME//[!0-9]/}
                run_row "$row"; rc=$?
                t1=${EPOCHREALTIME//[!0-9]/}
            fi
            judge "$row" "$rc" timed || continue
            if [[ $row == serial ]]; then
                serial_t=$((t1 - t0))
            elif (( serial_t > 0 )); then
                PAIRED[$row]+=" $(( (t1 - t0) * 10000 / serial_t ))"
            fi
            if [[ -z ${BEST[$row]:-} ]] || (( t1 - t0 < BEST[$row] )); then
                BEST[$row]=$((t1 - t0))
            fi
        done
        [[ -n ${STATUS[serial]:-} ]] && return 1
    done
    return 0
}

# median ROW: the median of the row's paired ratios, as "1.23x" ("-" if none).
median() {
    local -a sorted
    read -ra sorted <<<"$(tr ' ' '\n' <<<"${PAIRED[$1]:-}" | sed '/^$/d' | sort -n | tr '\n' ' ')"
    local n=${#sorted[@]} m
    (( n == 0 )) && { echo "-"; return; }
    if (( n % 2 )); then m=${sorted[n / 2]}; else m=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
    printf '%d.%02dx' $(( (m + 50) / 10000 )) $(( (m + 50) / 100 % 100 ))
}

print_row() {
    local row=$1 label=${LABEL[$1]} vs="-" best rss="-" goal="" note="" t med="-"
    if [[ -n ${TARGET[$row]:-} ]]; then
        goal="target <= $(( TARGET[$row] / 100 )).$(printf '%02d' $(( TARGET[$row] % 100 )))x"
    elif [[ -n ${QUOTED[$row]:-} ]]; then
        note="the issue quotes ${QUOTED[$row]}"
    elif [[ $row == wg_k_lb ]]; then
        note="no target"
    fi
    if [[ -n ${STATUS[$row]:-} ]]; then
        goal+=$note
        printf '  %-24s %s%s\n' "$label" "${STATUS[$row]}" "${goal:+   ($goal)}"
        if [[ -n ${WHY[$row]:-} ]]; then printf '  %-24s   stderr: %s\n' "" "${WHY[$row]}"; fi
        return 0
    fi
    t=${BEST[$row]}
    vs=$(ratio "$t" "${BEST[serial]}")
    [[ $row == serial ]] && med="1.00x" || med=$(median "$row")
    best=$(printf '%d.%03d s' $((t / 1000000)) $((t / 1000 % 1000)))
    [[ -n ${RSS[$row]:-} ]] && rss="${RSS[$row]} KB"
    if [[ -n ${TARGET[$row]:-} ]]; then
        local m=${med%x}
        m=${m/./}
        if [[ $m =~ ^[0-9]+$ ]] && (( 10#$m <= TARGET[$row] )); then goal+=": median ok"; else goal+=": median MISSED"; fi
        if (( t * 100 <= BEST[serial] * TARGET[$row] )); then goal+=", best ok"; else goal+=", best MISSED"; fi
    fi
    [[ -n $note ]] && goal="($note)"
    printf '  %-24s %9s %9s %10s %11s%s\n' "$label" "$vs" "$med" "$best" "$rss" "${goal:+   $goal}"
}

# --- main ------------------------------------------------------------------
echo
echo "== output: $NJOBS jobs x $MIB MiB of text lines at -j$J, stdout piped to wc -c; wgrun ($WGRUN) and GNU parallel"
if [[ ! -x $WGRUN ]]; then
    echo "wgrun: $WGRUN does not exist or is not executable; its rows are skipped"
    for row in wg wg_k wg_lb wg_k_lb wg_u; do STATUS[$row]="missing ($WGRUN)"; done
fi
if ! command -v parallel >/dev/null; then
    echo "GNU parallel: not installed (make deps installs it); its rows are skipped"
    STATUS[parallel]="skipped: not installed" STATUS[parallel_lb]="skipped: not installed"
elif ! parallel --version 2>/dev/null | head -n 1 | grep -q 'GNU parallel'; then
    echo "GNU parallel: \`parallel\` is not GNU parallel (moreutils?); its rows are skipped"
    STATUS[parallel]="skipped: not GNU parallel" STATUS[parallel_lb]="skipped: not GNU parallel"
fi
[[ -x $TIME ]] || echo "wgrun: $TIME is not installed (make deps installs the package time); no peak RSS"

for row in wg wg_k wg_lb wg_k_lb wg_u; do
    [[ -n ${STATUS[$row]:-} ]] || check "$row"
done
if ! time_rows; then
    echo "output: the baseline failed: ${STATUS[serial]} ${WHY[serial]:-}" >&2
    exit 1
fi

echo
echo "== $NJOBS x cat of $MIB MiB, -j$J, | wc -c ($REPS rounds, wall clock; ratios to the serial pipe, lower is better:"
echo "   best/best = best time / serial's best; median = median over the rounds of time / that round's serial time)"
printf '  %-24s %9s %9s %10s %11s\n' "tool" "best/best" "median" "best" "peak RSS"
for row in "${ROWS[@]}"; do print_row "$row"; done
echo "  serial: for i in 1..$NJOBS; do cat FILE; done | wc -c.  peak RSS: the untimed check run, jobs included."
end=${EPOCHREALTIME//[!0-9]/}
echo
echo "output: done in $(( (end - started) / 1000000 )) s"
