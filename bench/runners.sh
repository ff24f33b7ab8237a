#!/usr/bin/env bash
# bench/runners.sh WGRUN FLOOR: the runner part of `make bench`. Times wgrun
# beside xargs -P, GNU parallel and the floor (bench/spawn_floor.cpp, a bare
# posix_spawn loop: the least any runner pays) on a few workloads, in one run,
# and prints each tool's time as a ratio to the floor (lower is better), then
# the peak RSS of wgrun over 10,000 jobs.
#
#   bench/runners.sh build/wgrun build/bench/spawn_floor
#
# Each time is the best of RUNNERS_REPS runs (3), wall clock, the runs of all
# tools interleaved so that a slow spell of the machine hits them all alike.
# Ratios only: absolute times vary too much from machine to machine to be
# compared (the "best" column is there for the record). Two floors: "floor"
# execs the command directly, "floor --shell" runs it through /bin/sh -c;
# every row shows its ratio to both, the target column says which one counts.
# A tool that fails or is missing gets a line saying so in its row, and the
# others are still timed; the script fails only when the floor itself does.
#
# Sizes, to keep the whole run near 2 minutes on the 2-core machine, where one
# fork + exec of `true` costs about 3 to 7 ms (not the usual 0.3 ms):
#   RUNNERS_JOBS (300): jobs of the two `true` workloads; RUNNERS_JOBS=2000
#     gives the sizes the targets were first written for (several minutes).
#   RUNNERS_PARALLEL_JOBS (100) and RUNNERS_PARALLEL_REPS (1): GNU parallel
#     pays about 30 ms of Perl per job, 8 to 15 times the floor, so its rows
#     get fewer jobs and one run: at that ratio the noise does not matter, and
#     the time goes to the rows that have targets. They are timed against
#     floors run at the same job count (best of 3), the rows marked with *.
#   RUNNERS_RSS_JOBS (10000): jobs of the peak RSS run.
#   RUNNERS_REPS (3): runs per tool, the best one counts.
#   RUNNERS_STARTUP_RUNS (100): runs of each command in the startup row.
#   RUNNERS_OLD: another wgrun (the branch point's, say) timed in the same
#     run, in rows of its own ("old ..."), so that two builds compare in one
#     run rather than across runs of different noise.
#
# The startup row times one job: RUNNERS_STARTUP_RUNS times `wgrun true`
# beside as many bare spawns of `true` (the floor with -n 1), `xargs true`
# with no input and a make whose one recipe is `true`: what a runner costs to
# start and end, around one job.
set -u

WGRUN=${1:-build/wgrun}
FLOOR=${2:-build/bench/spawn_floor}
REPS=${RUNNERS_REPS:-3}
JOBS=${RUNNERS_JOBS:-300}
RSS_JOBS=${RUNNERS_RSS_JOBS:-10000}
PAR_JOBS=${RUNNERS_PARALLEL_JOBS:-100}
PAR_REPS=${RUNNERS_PARALLEL_REPS:-1}
STARTUP_RUNS=${RUNNERS_STARTUP_RUNS:-100}
OLD=${RUNNERS_OLD:-}
RSS_TARGET_KB=8192
TIME=/usr/bin/time

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-runners.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export PARALLEL_HOME=$TMP/parallel   # GNU parallel's state, not ~/.parallel
mkdir -p "$PARALLEL_HOME"

# Microseconds since the epoch, read in place (no subshell in a timed span).
started=${EPOCHREALTIME//[!0-9]/}

# ratio T F: "1.23x", T / F rounded to two decimals.
ratio() {
    local r=$(( ($1 * 100 + $2 / 2) / $2 ))
    printf '%d.%02dx' $((r / 100)) $((r % 100))
}

# --- the tools -------------------------------------------------------------
# The current workload, set by workload(): N jobs, at most J at once, each
# running the words of TMPL plus one argument, which is the job number (the
# line of `seq N`) when CONST is empty, else CONST for every job.
N=0 J=0 CONST="" TMPL=()

feed() {
    if [[ -n $CONST ]]; then yes "$CONST" | head -n "$N"; else seq "$N"; fi
}

run_tool() {
    local -a floor_args=(-- "${TMPL[@]}")
    [[ -n $CONST ]] && floor_args=(--no-append -- "${TMPL[@]}" "$CONST")
    case $1 in
        floor)    "$FLOOR" -j "$J" -n "$N" "${floor_args[@]}" ;;
        floor_sh) "$FLOOR" -j "$J" -n "$N" --shell "${floor_args[@]}" ;;
        wg)       feed | "$WGRUN" -j "$J" --no-shell "${TMPL[@]}" :::: - ;;
        wg_sh)    feed | "$WGRUN" -j "$J" "${TMPL[@]}" :::: - ;;
        wg_old)    feed | "$OLD" -j "$J" --no-shell "${TMPL[@]}" :::: - ;;
        wg_sh_old) feed | "$OLD" -j "$J" "${TMPL[@]}" :::: - ;;
        xargs)    feed | xargs -P "$J" -n 1 "${TMPL[@]}" ;;
        parallel) feed | parallel --will-cite -j "$J" "${TMPL[@]}" ;;
    esac
}

declare -A LABEL=(
    [floor]="floor"             [floor_sh]="floor --shell"
    [wg]="wgrun --no-shell"     [wg_sh]="wgrun (shell)"
    [wg_old]="old --no-shell"   [wg_sh_old]="old (shell)"       [make]="make"
    [xargs]="xargs -P"          [parallel]="GNU parallel"
    [floor_p]="floor*"          [floor_sh_p]="floor --shell*"
)
declare -A STATUS=()   # tool -> "" (usable) or why its rows are not timed
declare -A WHY=()      # tool -> first line of its stderr when it failed
TOOLS=(floor floor_sh wg wg_sh xargs parallel)
WG_ROWS=(wg wg_sh)
if [[ -n $OLD ]]; then TOOLS+=(wg_old wg_sh_old); WG_ROWS+=(wg_old wg_sh_old); fi

# Check each tool once on 3 echo jobs: it must exit 0 and print 1, 2 and 3.
# This catches a wgrun that is not written yet, or one that exits 0 without
# running its jobs (which would show as an impossibly good ratio).
preflight() {
    N=3 J=2 CONST="" TMPL=(echo)
    local tool got rc
    for tool in "${TOOLS[@]}"; do
        [[ -n ${STATUS[$tool]:-} ]] && continue
        run_tool "$tool" >"$TMP/out" 2>"$TMP/err"; rc=$?
        got=$(sort -n "$TMP/out" | tr '\n' ' ')
        if (( rc != 0 )); then
            STATUS[$tool]="failed (exit $rc)"
        elif [[ $got != "1 2 3 " ]]; then
            STATUS[$tool]="failed (exit 0, but the 3 echo jobs printed $(wc -l <"$TMP/out") line(s) [${got:0:30}], not [1 2 3 ])"
        fi
        [[ -n ${STATUS[$tool]:-} ]] && WHY[$tool]=$(head -n 1 "$TMP/err" | cut -c1-100)
    done
}

# --- one workload ----------------------------------------------------------
# workload TITLE N J CONST TEMPLATE...: times every usable tool, prints a table.
# The -j2 workload carries the targets (TARGETS=1).
declare -A BEST=()
TARGETS=0

# record_run ROW RC T0 T1: one timed run of ROW. A failure marks the row
# (with the first line of its stderr, $TMP/err); else the time counts when
# it is the row's best.
record_run() {
    local row=$1 rc=$2 took=$(( $4 - $3 ))
    if (( rc != 0 )); then
        STATUS[$row]="failed (exit $rc)"
        WHY[$row]=$(head -n 1 "$TMP/err" | cut -c1-100)
    elif [[ -z ${BEST[$row]:-} ]] || (( took < BEST[$row] )); then
        BEST[$row]=$took
    fi
}

time_tools() {   # time_tools ROW_NAME... (ROW_NAME = tool, or tool_p for the floors at PAR_JOBS)
    local rep row tool t0 t1 rc
    for (( rep = 1; rep <= REPS; rep++ )); do
        for row in "$@"; do
            tool=${row%_p}
            [[ -n ${STATUS[$row]:-} ]] && continue
            [[ $row == parallel ]] && (( rep > PAR_REPS )) && continue
            t0=${EPOCHREALTIME//[!0-9]/}
            run_tool "$tool" >/dev/null 2>"$TMP/err"; rc=$?
            t1=${EPOCHREALTIME//[!0-9]/}
            record_run "$row" "$rc" "$t0" "$t1"
        done
    done
}

print_row() {   # print_row ROW FLOOR_ROW FLOOR_SH_ROW TARGET_REF
    local row=$1 f=$2 fs=$3 target=$4 label=${LABEL[$1]} vs_f="-" vs_fs="-" best t
    local prefix="" ref="" goal=""
    [[ $row == wg* ]] && prefix="wgrun: "
    case $target in
        direct) ref=$f goal="target <= 1.10x floor" ;;
        sh)     ref=$fs goal="target <= 1.10x floor --shell" ;;
        startup) ref=$f goal="target <= 1.30x floor" ;;
    esac
    if [[ -n ${STATUS[$row]:-} ]]; then
        printf '  %-18s %s%s\n' "$label" "$prefix${STATUS[$row]}" "${goal:+   ($goal)}"
        if [[ -n ${WHY[$row]:-} ]]; then printf '  %-18s   stderr: %s\n' "" "${WHY[$row]}"; fi
        return 0
    fi
    t=${BEST[$row]}
    [[ -z ${STATUS[$f]:-} ]] && vs_f=$(ratio "$t" "${BEST[$f]}")
    [[ -z ${STATUS[$fs]:-} ]] && vs_fs=$(ratio "$t" "${BEST[$fs]}")
    best=$(printf '%d.%03d s' $((t / 1000000)) $((t / 1000 % 1000)))
    if [[ -n $ref ]]; then
        local limit=110
        [[ $target == startup ]] && limit=130
        if (( t * 100 <= BEST[$ref] * limit )); then goal+=": ok"; else goal+=": MISSED"; fi
    fi
    printf '  %-18s %9s %16s %10s%s\n' "$label" "$vs_f" "$vs_fs" "$best" "${goal:+   $goal}"
}

workload() {
    local title=$1
    N=$2 J=$3 CONST=$4
    shift 4
    TMPL=("$@")
    BEST=()
    local row
    for row in floor floor_sh floor_p floor_sh_p; do STATUS[$row]=""; WHY[$row]=""; done
    local rows=(floor floor_sh "${WG_ROWS[@]}" xargs)
    time_tools "${rows[@]}"
    # GNU parallel, and the floors again at its job count when that differs.
    local par_n=$N
    (( PAR_JOBS < N )) && par_n=$PAR_JOBS
    if [[ -z ${STATUS[parallel]:-} ]]; then
        local saved_n=$N
        N=$par_n
        if (( par_n < saved_n )); then time_tools floor_p floor_sh_p parallel; else time_tools parallel; fi
        N=$saved_n
    fi

    echo
    echo "== $title (best of $REPS, wall clock; ratio = time / floor time, lower is better)"
    printf '  %-18s %9s %16s %10s\n' "tool" "vs floor" "vs floor --shell" "best"
    if [[ -n ${STATUS[floor]} || -n ${STATUS[floor_sh]} ]]; then
        echo "  the floor failed: ${STATUS[floor]:-}${STATUS[floor_sh]:-} ${WHY[floor]:-}${WHY[floor_sh]:-}"
        return 1
    fi
    local t_direct="" t_sh=""
    (( TARGETS )) && t_direct=direct t_sh=sh
    print_row floor floor floor_sh ""
    print_row floor_sh floor floor_sh ""
    print_row wg floor floor_sh "$t_direct"
    print_row wg_sh floor floor_sh "$t_sh"
    if [[ -n $OLD ]]; then
        print_row wg_old floor floor_sh ""
        print_row wg_sh_old floor floor_sh ""
    fi
    print_row xargs floor floor_sh ""
    if [[ -n ${STATUS[parallel]:-} ]]; then
        print_row parallel floor floor_sh ""
        return 0
    fi
    local runs="best of $PAR_REPS"
    (( PAR_REPS == 1 )) && runs="1 run"
    if (( par_n < N )); then
        print_row floor_p floor_p floor_sh_p ""
        print_row floor_sh_p floor_p floor_sh_p ""
        print_row parallel floor_p floor_sh_p ""
        echo "  * GNU parallel ($runs) and the floors marked * ran $par_n jobs, not $N"
    else
        print_row parallel floor floor_sh ""
        (( PAR_REPS != REPS )) && echo "  GNU parallel: $runs"
    fi
    return 0
}

# --- the startup row -------------------------------------------------------
# start_once ROW: one start of that tool around one `true` job.
start_once() {
    case $1 in
        floor)     "$FLOOR" -j 1 -n 1 --no-append -- true ;;
        wg)        "$WGRUN" --no-shell true ;;
        wg_sh)     "$WGRUN" true ;;
        wg_old)    "$OLD" --no-shell true ;;
        wg_sh_old) "$OLD" true ;;
        xargs)     xargs true ;;
        make)      make -s -f "$TMP/startup.mk" ;;
    esac </dev/null
}

startup_row() {
    printf 'all:\n\ttrue\n' >"$TMP/startup.mk"
    local rows=(floor "${WG_ROWS[@]}" xargs make) rep row i t0 t1 rc
    command -v make >/dev/null || STATUS[make]="skipped: not installed"
    BEST=()
    for (( rep = 1; rep <= REPS; rep++ )); do
        for row in "${rows[@]}"; do
            [[ -n ${STATUS[$row]:-} ]] && continue
            rc=0
            t0=${EPOCHREALTIME//[!0-9]/}
            for (( i = 0; i < STARTUP_RUNS; i++ )); do
                start_once "$row" >/dev/null 2>"$TMP/err" || { rc=$?; break; }
            done
            t1=${EPOCHREALTIME//[!0-9]/}
            record_run "$row" "$rc" "$t0" "$t1"
        done
    done
    echo
    echo "== startup: $STARTUP_RUNS x one \`true\` job, one start each (best of $REPS, wall clock; ratio = time / floor time)"
    printf '  %-18s %9s %16s %10s\n' "tool" "vs floor" "" "best"
    if [[ -n ${STATUS[floor]:-} ]]; then
        echo "  the floor failed: ${STATUS[floor]} ${WHY[floor]:-}"
        return 1
    fi
    STATUS[floor_sh]="-"  # no --shell floor in this row
    print_row floor floor floor_sh ""
    print_row wg floor floor_sh ""
    print_row wg_sh floor floor_sh startup
    if [[ -n $OLD ]]; then
        print_row wg_old floor floor_sh ""
        print_row wg_sh_old floor floor_sh ""
    fi
    print_row xargs floor floor_sh ""
    print_row make floor floor_sh ""
    STATUS[floor_sh]=""
    return 0
}

# --- main ------------------------------------------------------------------
if [[ ! -x $FLOOR ]]; then
    echo "runners: the floor $FLOOR is not built (make $FLOOR)" >&2
    exit 1
fi
echo
echo "== job runners: wgrun ($WGRUN) beside the floor ($FLOOR), xargs -P and GNU parallel"
if [[ ! -x $WGRUN ]]; then
    echo "wgrun: $WGRUN does not exist or is not executable; its rows are skipped"
    STATUS[wg]="missing ($WGRUN)" STATUS[wg_sh]="missing ($WGRUN)"
fi
if [[ -n $OLD && ! -x $OLD ]]; then
    echo "RUNNERS_OLD: $OLD does not exist or is not executable; its rows are skipped"
    STATUS[wg_old]="missing ($OLD)" STATUS[wg_sh_old]="missing ($OLD)"
elif [[ -n $OLD ]]; then
    echo "== beside it, in the same run: the other wgrun $OLD (the rows \"old ...\")"
fi
if ! command -v parallel >/dev/null; then
    echo "GNU parallel: not installed (make deps installs it); its rows are skipped"
    STATUS[parallel]="skipped: not installed"
elif ! parallel --version 2>/dev/null | head -n 1 | grep -q 'GNU parallel'; then
    echo "GNU parallel: \`parallel\` is not GNU parallel (moreutils?); its rows are skipped"
    STATUS[parallel]="skipped: not GNU parallel"
fi
preflight
if [[ -n ${STATUS[floor]:-} || -n ${STATUS[floor_sh]:-} ]]; then
    echo "runners: the floor does not work: ${STATUS[floor]:-}${STATUS[floor_sh]:-} ${WHY[floor]:-}${WHY[floor_sh]:-}" >&2
    exit 1
fi
if [[ -n ${STATUS[wg]:-} && -x $WGRUN ]]; then
    echo "wgrun: \`seq 3 | $WGRUN -j 2 --no-shell echo :::: -\` ${STATUS[wg]}${WHY[wg]:+; stderr: ${WHY[wg]}}; its rows are skipped"
fi

startup_row || exit 1
TARGETS=1
workload "$JOBS x true, -j2" "$JOBS" 2 "" true || exit 1
TARGETS=0
workload "$JOBS x true, -j8" "$JOBS" 8 "" true || exit 1
workload "100 x sleep 0.01, -j100" 100 100 0.01 sleep || exit 1

echo
echo "== peak RSS of wgrun, $RSS_JOBS x true, -j2 --no-shell (/usr/bin/time -f %M; includes the jobs' own RSS)"
if [[ ! -x $TIME ]]; then
    echo "  skipped: $TIME is not installed (make deps installs the package time)"
elif [[ -n ${STATUS[wg]:-} ]]; then
    printf '  %-18s wgrun: %s   (target < %d KB)\n' "wgrun --no-shell" "${STATUS[wg]}" "$RSS_TARGET_KB"
else
    seq "$RSS_JOBS" | "$TIME" -f %M -o "$TMP/rss" "$WGRUN" -j 2 --no-shell true :::: - >/dev/null 2>"$TMP/err"
    rc=$?
    kb=$(tail -n 1 "$TMP/rss" 2>/dev/null)
    if (( rc != 0 )) || [[ ! $kb =~ ^[0-9]+$ ]]; then
        printf '  %-18s wgrun: failed (exit %d)   (target < %d KB)\n' "wgrun --no-shell" "$rc" "$RSS_TARGET_KB"
        [[ -s $TMP/err ]] && printf '  %-18s   stderr: %s\n' "" "$(head -n 1 "$TMP/err" | cut -c1-100)"
    else
        verdict=ok
        (( kb >= RSS_TARGET_KB )) && verdict=MISSED
        printf '  %-18s %9s KB   target < %d KB: %s\n' "wgrun --no-shell" "$kb" "$RSS_TARGET_KB" "$verdict"
    fi
    # For scale: the same measurement of the floor, which holds almost nothing.
    "$TIME" -f %M -o "$TMP/rss" "$FLOOR" -j 2 -n 100 -- true >/dev/null 2>&1
    printf '  %-18s %9s KB   (100 jobs; what the measurement reads for a runner of no size)\n' \
        "floor" "$(tail -n 1 "$TMP/rss")"
fi
end=${EPOCHREALTIME//[!0-9]/}
echo
echo "runners: done in $(( (end - started) / 1000000 )) s"
