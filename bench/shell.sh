#!/usr/bin/env bash
# bench/shell.sh NEW OLD: what the job shell costs. Jobs of wgrun started
# from bash run under bash (exported functions, bash syntax), where they ran
# under /bin/sh (dash) before; plain commands are still exec'ed directly.
# Times NEW and OLD (another wgrun: the branch point's) on the same
# workloads, alternating run by run so that a slow spell hits both alike,
# and prints best and median wall time of each and the ratio NEW/OLD:
#   true         2000 x `true N`: a builtin, so a shell runs it (dash for
#                both: under bash, true, false and plain echo go to dash)
#   /bin/true    2000 x `/bin/true N`: plain, exec'ed directly by both
#   true;true    2000 x `true;true N`: shell syntax, the shell runs it:
#                bash now, dash before
#   PARALLEL_SHELL=/bin/sh true   the first row with dash chosen again
#
#   bench/shell.sh build/wgrun OLD_WGRUN
#
# SHELL_JOBS (2000) jobs a run, SHELL_REPS (7) runs of each.
set -u
if [ $# -ne 2 ]; then
    echo "usage: bench/shell.sh NEW_WGRUN OLD_WGRUN (a wgrun built before the job shell)" >&2
    exit 2
fi
NEW=$1
OLD=$2
JOBS=${SHELL_JOBS:-2000}
REPS=${SHELL_REPS:-7}
unset PARALLEL_SHELL

seconds() {  # seconds COMMAND...: wall time of COMMAND, output dropped
    local start=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1 </dev/null
    local end=${EPOCHREALTIME/./}
    echo $((end - start))
}

stats() {  # stats MICROSECONDS...: "best median" in ms
    printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END {
        printf "%.0f %.0f", a[1] / 1000, a[int((NR + 1) / 2)] / 1000 }'
}

row() {  # row NAME ENV COMMAND
    local name=$1 env=$2 command=$3 new=() old=() i nb nm ob om
    for ((i = 0; i < REPS; i++)); do
        new+=("$(seconds env $env "$NEW" "$command" ::: $(seq "$JOBS"))")
        old+=("$(seconds env $env "$OLD" "$command" ::: $(seq "$JOBS"))")
    done
    read -r nb nm <<<"$(stats "${new[@]}")"
    read -r ob om <<<"$(stats "${old[@]}")"
    printf '%-32s new %6s ms best %6s median   old %6s best %6s median   ratio %s best %s median\n' \
        "$name" "$nb" "$nm" "$ob" "$om" \
        "$(awk -v a="$nb" -v b="$ob" 'BEGIN { printf "%.2f", a / b }')" \
        "$(awk -v a="$nm" -v b="$om" 'BEGIN { printf "%.2f", a / b }')"
}

echo "$JOBS jobs a run, $REPS runs each, alternating; from bash"
row "true (builtin: dash)" "" "true"
row "/bin/true (plain: direct)" "" "/bin/true"
row "true;true (shell syntax)" "" "true;true"
row "PARALLEL_SHELL=/bin/sh true" "PARALLEL_SHELL=/bin/sh" "true"
