#!/usr/bin/env bash
# bench/remote.sh WGRUN: the remote-host part of `make bench`. REMOTE_JOBS
# (200) jobs of `true` on two ssh hosts on 127.0.0.1 (real sshd, started and
# stopped here by PID: tests/services/sshd.sh; needs root), each with 4 job
# slots: wgrun -S beside GNU parallel -S, in one run, interleaved, best of
# REMOTE_REPS (3) each. Prints seconds and each as a ratio to wgrun (lower is
# better). GNU's -M (--controlmaster) is not compared: with --ssh given (the
# test hosts need their ssh_config) GNU 20221122 runs -M's jobs on this
# machine instead, as `echo $SSH_CONNECTION` shows. Both pay the remote
# login shell's start-up per job (bash reads ~/.bashrc under sshd).
#
#   bench/remote.sh build/wgrun
set -u

WGRUN=${1:-build/wgrun}
JOBS=${REMOTE_JOBS:-200}
REPS=${REMOTE_REPS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ]; then
    echo "remote hosts: skipped (needs root and sshd)"
    exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-remote.XXXXXX") || exit 1
trap '"$ROOT/tests/services/sshd.sh" stop "$TMP/hosts" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
"$ROOT/tests/services/sshd.sh" start "$TMP/hosts" b1 b2 || exit 1
SSH="ssh -F $TMP/hosts/ssh_config"
seq "$JOBS" >"$TMP/input"

now_us() { echo "${EPOCHREALTIME/./}"; }

# one KIND: one run's microseconds, or "fail: why".
one() {
    local t0 t1 st=0
    t0=$(now_us)
    case $1 in
        wgrun) "$WGRUN" --ssh "$SSH" -S 4/b1,4/b2 true :::: "$TMP/input" 2>"$TMP/err" || st=$? ;;
        gnu) parallel --ssh "$SSH" -S 4/b1,4/b2 true :::: "$TMP/input" 2>"$TMP/err" || st=$? ;;
    esac
    t1=$(now_us)
    if [ "$st" -ne 0 ]; then echo "fail: exit $st: $(head -c 300 "$TMP/err")"; return; fi
    echo $((t1 - t0))
}

declare -A best
kinds="wgrun gnu"
for ((rep = 1; rep <= REPS; rep++)); do
    for kind in $kinds; do
        t=$(one "$kind")
        case $t in
            fail*) echo "$kind: $t"; best[$kind]=fail; continue ;;
        esac
        [ "${best[$kind]:-}" = fail ] && continue
        if [ -z "${best[$kind]:-}" ] || [ "$t" -lt "${best[$kind]}" ]; then best[$kind]=$t; fi
    done
done

echo "remote hosts: $JOBS x true on 2 loopback ssh hosts, 4 slots each, best of $REPS, ratio to wgrun (lower is better)"
printf '  %-44s %8s %7s %9s\n' "" "best" "ratio" "per job"
for kind in $kinds; do
    case $kind in
        wgrun) label="wgrun -S (one ControlMaster per host)" ;;
        gnu) label="GNU parallel -S" ;;
    esac
    if [ "${best[$kind]}" = fail ]; then
        printf '  %-44s %8s\n' "$label" "failed"
        continue
    fi
    awk -v label="$label" -v t="${best[$kind]}" -v base="${best[wgrun]}" -v jobs="$JOBS" \
        'BEGIN { printf "  %-44s %7.2fs %6.2fx %7.1fms\n", label, t / 1e6, t / base, t / 1e3 / jobs * 8 }' </dev/null
done
