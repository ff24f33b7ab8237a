#!/usr/bin/env bash
# bench/jobserver.sh WGRUN: the jobserver part of `make bench`. What being a
# make jobserver client costs: JOBSERVER_JOBS (2000) jobs of `true` run by
# wgrun -j2 with no jobserver, beside the same jobs under a jobserver pipe
# holding 1 token (what `make -j2` leaves a recursive recipe: implicit slot +
# 1 token = 2 at once, the same concurrency) and 2 tokens (3 at once), in one
# run, interleaved, best of JOBSERVER_REPS (3) each. Prints each as a ratio
# to -j2 (lower is better), and checks that every token came back.
#
#   bench/jobserver.sh build/wgrun
set -u

WGRUN=${1:-build/wgrun}
JOBS=${JOBSERVER_JOBS:-2000}
REPS=${JOBSERVER_REPS:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-jobserver.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
seq "$JOBS" >"$TMP/input"

# under TOKENS CMD...: runs CMD with a jobserver pipe of TOKENS tokens named
# in MAKEFLAGS (fds without close-on-exec, as make passes them); prints the
# tokens found in the pipe afterwards on stderr's last line.
under() {
    perl -e '
        use Fcntl;
        my $tokens = shift;
        pipe(my $r, my $w) or die "pipe: $!";
        fcntl($_, F_SETFD, 0) for $r, $w;
        syswrite($w, "+" x $tokens);
        $ENV{MAKEFLAGS} = " -j --jobserver-auth=" . fileno($r) . "," . fileno($w);
        my $pid = fork // die "fork: $!";
        if ($pid == 0) { exec @ARGV or die "exec: $!" }
        waitpid($pid, 0);
        my $status = $?;
        fcntl($r, F_SETFL, O_NONBLOCK);
        my $back = sysread($r, my $buf, 4096) // 0;
        print STDERR "tokens back: $back\n";
        exit($status >> 8);
    ' "$@"
}

now_us() { echo "${EPOCHREALTIME/./}"; }

# one KIND: one run's microseconds, or "fail: why".
one() {
    local t0 t1 st=0 err
    t0=$(now_us)
    case $1 in
        j2) "$WGRUN" -j2 true :::: "$TMP/input" 2>"$TMP/err" || st=$? ;;
        token1) under 1 "$WGRUN" true :::: "$TMP/input" 2>"$TMP/err" || st=$? ;;
        token2) under 2 "$WGRUN" true :::: "$TMP/input" 2>"$TMP/err" || st=$? ;;
    esac
    t1=$(now_us)
    err=$(cat "$TMP/err")
    if [ "$st" -ne 0 ]; then echo "fail: exit $st: $err"; return; fi
    case $1 in
        token1) [ "$(tail -n 1 "$TMP/err")" = "tokens back: 1" ] || { echo "fail: $err"; return; } ;;
        token2) [ "$(tail -n 1 "$TMP/err")" = "tokens back: 2" ] || { echo "fail: $err"; return; } ;;
    esac
    echo $((t1 - t0))
}

declare -A best
for ((rep = 1; rep <= REPS; rep++)); do
    for kind in j2 token1 token2; do
        t=$(one "$kind")
        case $t in
            fail*) echo "$kind: $t"; best[$kind]=fail; continue ;;
        esac
        [ "${best[$kind]:-}" = fail ] && continue
        if [ -z "${best[$kind]:-}" ] || [ "$t" -lt "${best[$kind]}" ]; then best[$kind]=$t; fi
    done
done

echo "jobserver client: $JOBS x true, best of $REPS, ratio to wgrun -j2 (lower is better)"
printf '  %-48s %8s %7s\n' "" "best" "ratio"
for kind in j2 token1 token2; do
    case $kind in
        j2) label="wgrun -j2 (no jobserver)" ;;
        token1) label="wgrun under a jobserver of 1 token (2 at once)" ;;
        token2) label="wgrun under a jobserver of 2 tokens (3 at once)" ;;
    esac
    if [ "${best[$kind]}" = fail ]; then
        printf '  %-48s %8s\n' "$label" "failed"
        continue
    fi
    awk -v label="$label" -v t="${best[$kind]}" -v base="${best[j2]}" \
        'BEGIN { printf "  %-48s %7.2fs %6.2fx\n", label, t / 1e6, t / base }' </dev/null
done
