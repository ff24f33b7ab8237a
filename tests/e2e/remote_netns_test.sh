#!/usr/bin/env bash
# Jobs on ssh hosts that have network addresses of their own: two network
# namespaces, each with its own sshd, joined by veth pairs to a bridge in a
# controller namespace, which is where wgrun runs (tests/services/
# netns_hosts.sh; nothing is added to the root namespace, nothing is sent
# outside these namespaces). Jobs spread by the hosts' slots and seen on the
# hosts, the Host column, a host whose sshd is stopped mid-run, a host whose
# network goes away mid-run (found out by the master's ServerAlive* and its
# job run elsewhere; its remote job ended once the network is back, or by
# sshd's ClientAlive* while it is still down; one listed first is tried
# until it is left out), an
# address where nobody answers (--filter-hosts), and the remote tree ended on
# --timeout.
. "$(dirname "$0")/lib.sh"
exec </dev/null

NETNS=$ROOT/tests/services/netns_hosts.sh
HOSTS=$SANDBOX/hosts
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null || ! command -v ip >/dev/null; then
    skip "hosts in network namespaces" "needs root, sshd, ssh and ip (make deps installs them)"
    finish
    exit
fi
trap '"$NETNS" stop "$HOSTS" >/dev/null 2>&1; rm -rf "$SANDBOX"' EXIT
"$NETNS" start "$HOSTS" >"$SANDBOX/netns.log" 2>&1
case $? in
0) ;;
77)
    skip "hosts in network namespaces" "$(tail -n 1 "$SANDBOX/netns.log")"
    finish
    exit
    ;;
*)
    fail "the namespaces and their sshd start" "$(cat "$SANDBOX/netns.log")"
    finish
    exit
    ;;
esac
# CTL, N1, N2 (the namespaces), N1_ADDR, N2_ADDR, NOBODY_ADDR, HOST_DEV
. "$HOSTS/env"
SSH="ssh -F $HOSTS/ssh_config"

# wgrun runs in the controller namespace (wg and in_background run $WGRUN).
REAL_WGRUN=$WGRUN
WGRUN=$SANDBOX/wgrun-in-controller
printf '#!/bin/bash\nexec ip netns exec %q %q "$@"\n' "$CTL" "$REAL_WGRUN" >"$WGRUN"
chmod +x "$WGRUN"

# rwg ARGS...: wgrun in the controller with the test's ssh.
rwg() { wg --ssh "$SSH" "$@"; }

# Timings, printed after the cases that measure them.
note() { echo "     $*"; }

# Each job says where it ran: its host as wgrun named it, and the address of
# the sshd that ran it (SSH_CONNECTION's third field, set by that sshd).
WHERE='echo {} $WGRUN_HOST $(echo $SSH_CONNECTION | cut -d" " -f3)'

reach() {
    local out
    out=$(rwg -k -S "$N1_ADDR,$N2_ADDR" "$WHERE" ::: 1 2) || return
    same "jobs" "1 2" "$(cut -d' ' -f1 <<<"$out" | xargs)" || return
    ! grep -vE "^[12] ($N1_ADDR $N1_ADDR|$N2_ADDR $N2_ADDR)\$" <<<"$out"
}
check "the hosts are reached at their own addresses, from the controller's" reach

spread() {
    in_case_dir
    local out
    # Two rounds of three jobs, each job waiting until its round has all
    # started: a round holds every slot, so each round is one job on n1 and
    # two on n2, however long starting them takes.
    out=$(rwg -S "1/$N1_ADDR,2/$N2_ADDR" \
        "touch $CASE/s.{}; sh $AWAIT_COUNT '$CASE/s.*' \$(( ({} + 2) / 3 * 3 )) 20; $WHERE" ::: 1 2 3 4 5 6) || return
    same "jobs" "1 2 3 4 5 6" "$(cut -d' ' -f1 <<<"$out" | sort -n | xargs)" || return
    ! grep -vE "^[1-6] ($N1_ADDR $N1_ADDR|$N2_ADDR $N2_ADDR)\$" <<<"$out" || return
    same "jobs on $N1_ADDR (1 slot)" 2 "$(grep -c " $N1_ADDR\$" <<<"$out")" || return
    same "jobs on $N2_ADDR (2 slots)" 4 "$(grep -c " $N2_ADDR\$" <<<"$out")"
}
check "-S 1/n1,2/n2: the jobs spread by the slots, seen on the hosts" spread

joblog_host() {
    in_case_dir
    local jl=$CASE/jl
    rwg -S "1/$N1_ADDR,1/root@$N2_ADDR:22" --joblog "$jl" 'sleep 0.3; : {}' ::: 1 2 || return
    same "Host column" "$N1_ADDR root@$N2_ADDR:22" "$(awk -F'\t' 'NR > 1 { print $2 }' "$jl" | sort | xargs)"
}
check "the joblog's Host column names the logins as written" joblog_host

# --- hosts that fail --------------------------------------------------------

# What the lost-host notice may say of how, after the host's name.
HOW_LOST='( \(exit 255: [^)]*\))?'

sshd_stopped() {
    in_case_dir
    local out err
    # n2's sshd (and its connections, and so its running job) goes while
    # job 2 runs there, its first line written; every job still runs once,
    # on n1, and its lines are written once: the lost attempt's are dropped.
    in_background "$CASE/out" --ssh "$SSH" -S "1/$N1_ADDR,1/$N2_ADDR" \
        "echo begin {} \$WGRUN_HOST; echo {} >>$CASE/started; sleep 1; echo end {} \$WGRUN_HOST" ::: 1 2 3 4
    started 2 || return
    "$NETNS" stop-sshd "$HOSTS" n2
    finished_bg || return
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    out=$(cat "$CASE/out")
    same "every job's lines once" "begin 1 begin 2 begin 3 begin 4 end 1 end 2 end 3 end 4" \
        "$(cut -d' ' -f1,2 <<<"$out" | sort | xargs)" || return
    err=$(cat "$CASE/err")
    has "the lost job named" "lost its host $N2_ADDR$HOW_LOST; it goes back to the queue" "$err" || return
    has "n2 left out" "host $N2_ADDR left out after 3 failures in a row" "$err" || return
    same "the jobs ran on" "$N1_ADDR" "$(cut -d' ' -f3 <<<"$out" | sort -u)"
}
check "a host whose sshd is stopped mid-run: its job runs again on the other" sshd_stopped
"$NETNS" start-sshd "$HOSTS" n2 || fail "n2's sshd starts again" "$(cat "$HOSTS/n2.log")"

# on_n2: true when a marked process runs on n2 (in its network namespace: the
# ssh clients here hold "sleep $MARK" in their arguments too).
N2_NET=$(ip netns exec "$N2" readlink /proc/self/ns/net)
on_n2() {
    local pid
    for pid in $(marked); do
        [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$N2_NET" ] && return 0
    done
    return 1
}
none_marked_on_n2() { ! on_n2; }

# link_down LOGINS NAME HOW: jobs 1 and 2 on -S LOGINS (1 slot on n1 and on
# n2): the one on n1 ends at once, the one on n2 runs until n2's network
# goes, cut off at the bridge with no word to either side. The master asks
# every second and gives up after 2 unanswered (--ssh's -o): the job goes
# back to the queue and runs on n1. Writes the timings to $SANDBOX/NAME.ms.
# The job cut off on n2 then ends (HOW):
#   back          once the network is back (not before: nothing reaches n2)
#   client_alive  while the network is still down, n2's sshd having given
#                 up on its client (sshd -o ClientAlive*)
link_down() {
    in_case_dir
    new_mark
    local logins=$1 name=$2 how=$3 t0 lost ended gone seq
    in_background "$CASE/out" --ssh "$SSH -o ServerAliveInterval=1 -o ServerAliveCountMax=2" \
        -S "$logins" \
        "echo {} \$WGRUN_HOST >>$CASE/started; [ \$WGRUN_HOST = $N1_ADDR ] || sleep $MARK; echo {} \$WGRUN_HOST" ::: 1 2
    wait_for 10 grep -q " $N2_ADDR\$" "$CASE/started" || { echo "no job on n2"; cat "$CASE/started"; return 1; }
    seq=$(sed -n "s/ $N2_ADDR\$//p" "$CASE/started")
    wait_for 5 on_n2 || return
    t0=$(now_ms)
    "$NETNS" link "$HOSTS" n2 down || return
    # Times from then: the job found lost, the run over, the job gone on n2.
    lost='' ended='' gone=''
    while [ -z "$lost" ] || [ -z "$ended" ] || { [ "$how" = client_alive ] && [ -z "$gone" ]; }; do
        [ "$(elapsed_ms "$t0")" -lt 30000 ] || break
        [ -n "$lost" ] || ! grep -q "lost its host" "$CASE/err" || lost=$(elapsed_ms "$t0")
        [ -n "$ended" ] || ! bg_ended || ended=$(elapsed_ms "$t0")
        [ -n "$gone" ] || on_n2 || gone=$(elapsed_ms "$t0")
        sleep 0.05
    done
    echo "$lost $ended" >"$SANDBOX/$name.ms"
    finished_bg 1 || return
    status_is 0 "$ST" || { cat "$CASE/err"; return 1; }
    same "output" "1 $N1_ADDR
2 $N1_ADDR" "$(sort "$CASE/out")" || return
    has "the lost job named" "^wgrun: job $seq lost its host $N2_ADDR$HOW_LOST; it goes back to the queue\$" "$(cat "$CASE/err")" || return
    [ "$lost" -lt 8000 ] || { echo "found out after $lost ms"; return 1; }
    if [ "$how" = client_alive ]; then
        # sshd closed the session: the wrapper ended the job.
        [ -n "$gone" ] || { echo "n2's job still runs, its network down"; none_left; return 1; }
        echo "$gone" >"$SANDBOX/$name.end.ms"
        return 0
    fi
    # Nothing can end the job cut off on n2 from here.
    on_n2 || { echo "n2's job ended while its network was down"; return 1; }
    # Back on the network, the controller's kernel still sends the closed
    # connection's FIN: sshd closes the session, and the wrapper ends the job.
    t0=$(now_ms)
    "$NETNS" link "$HOSTS" n2 up || return
    if ! wait_for 30 none_marked_on_n2; then
        echo "n2's job still runs 30 s after its network came back"
        none_left
        return 1
    fi
    echo "$(elapsed_ms "$t0")" >"$SANDBOX/$name.up.ms"
}
# note_link_down NAME: prints the timings link_down wrote.
note_link_down() {
    local lost ended
    if [ -s "$SANDBOX/$1.ms" ]; then
        read -r lost ended <"$SANDBOX/$1.ms"
        note "network down -> job lost: $lost ms, run over: $ended ms (ServerAliveInterval=1, CountMax=2)"
    fi
    [ -s "$SANDBOX/$1.up.ms" ] && note "network back -> the cut-off job ended on n2: $(cat "$SANDBOX/$1.up.ms") ms"
    [ -s "$SANDBOX/$1.end.ms" ] && note "network down -> the cut-off job ended on n2 (sshd's ClientAlive*): $(cat "$SANDBOX/$1.end.ms") ms"
    return 0
}

# n1 first: the lost job goes to n1, free, the first host on a tie.
check "a host whose network goes mid-run: found out, its job runs on the other" \
    link_down "1/$N1_ADDR,1/$N2_ADDR" n1_first back
"$NETNS" link "$HOSTS" n2 up
note_link_down n1_first

# n2 first: the lost job still goes to n1 (a host whose last job lost its
# connection comes after the others), not back to n2, which is not tried
# again. This time n2's sshd asks its clients every second (ClientAlive*, as
# a host can be set up): it ends the cut-off session itself.
"$NETNS" stop-sshd "$HOSTS" n2
"$NETNS" start-sshd "$HOSTS" n2 -o ClientAliveInterval=1 -o ClientAliveCountMax=2 ||
    fail "n2's sshd starts again" "$(cat "$HOSTS/n2.log")"
n2_first() {
    link_down "1/$N2_ADDR,1/$N1_ADDR" n2_first client_alive || return
    local tries
    tries=$(grep -c "lost its host $N2_ADDR" "$CASE/err")
    same "n2's losses" 1 "$tries"
}
check "a host whose network goes mid-run, the first host: its lost job goes to the other" n2_first
"$NETNS" link "$HOSTS" n2 up
note_link_down n2_first
"$NETNS" stop-sshd "$HOSTS" n2
"$NETNS" start-sshd "$HOSTS" n2 || fail "n2's sshd starts again" "$(cat "$HOSTS/n2.log")"

nobody_there() {
    local out
    # ConnectTimeout 2 (ssh_config): nothing answers at NOBODY_ADDR.
    out=$(rwg -S "$N1_ADDR,$NOBODY_ADDR" true ::: x 2>&1)
    status_is 255 $? || return
    has "the host named" "host $NOBODY_ADDR cannot be logged in to: .*(timed out|No route to host).*--filter-hosts" "$out" || return
    out=$(rwg --filter-hosts -S "1/$N1_ADDR,$NOBODY_ADDR,1/$N2_ADDR" "$WHERE" ::: 1 2 3 4 2>&1) || return
    has "left out" "^wgrun: --filter-hosts: leaving out $NOBODY_ADDR" "$out" || return
    same "jobs" "1 2 3 4" "$(grep -v '^wgrun' <<<"$out" | cut -d' ' -f1 | sort -n | xargs)" || return
    ! grep -v '^wgrun' <<<"$out" | grep -vE "^[1-4] ($N1_ADDR $N1_ADDR|$N2_ADDR $N2_ADDR)\$"
}
check "an address where nobody answers: an error (255), or left out with --filter-hosts" nobody_there

# --- ending the remote tree -------------------------------------------------

# sleeps_marked: the marked processes that are the sleeps themselves (the
# local ssh and the remote wrapper hold "sleep $MARK" in their arguments).
sleeps_marked() {
    local pid
    for pid in $(marked); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && echo "$pid"
    done
}
two_sleeps() { [ "$(sleeps_marked | wc -l)" -ge 2 ]; }

remote_timeout() {
    in_case_dir
    new_mark
    local pid
    # The job: a setsid'ed grandchild and a child, both sleep $MARK. The
    # timeout counts from the start of ssh (its master connection first),
    # which took 2 s on a slow machine, and more than 6 s under ASan while
    # the TSan suite ran beside it: the limit leaves the sleeps time to start.
    local limit=6
    if sanitized; then limit=20; fi
    in_background "$CASE/out" --ssh "$SSH" -S "1/$N2_ADDR" --timeout "$limit" \
        ": {}; setsid sleep $MARK & sleep $MARK & wait" ::: x
    wait_for "$((limit + 5))" two_sleeps || { echo "the sleeps did not start"; return 1; }
    # They run on n2: in its network namespace.
    for pid in $(sleeps_marked); do
        same "network namespace of sleep $pid" "$N2_NET" "$(readlink "/proc/$pid/ns/net")" || return
    done
    finished_bg || return
    status_is 1 "$ST" || return
    none_left
}
check "--timeout ends the remote job's tree on its host (a setsid'ed grandchild too)" remote_timeout

finish
