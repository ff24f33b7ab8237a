#!/usr/bin/env bash
# netns_hosts.sh: ssh hosts with network addresses of their own, each in a
# network namespace with its own sshd, and a controller namespace to run the
# ssh clients (wgrun) in. Nothing is added to the root namespace: the bridge
# lives in the controller, and each host is joined to it by a veth pair
# whose two ends are in the controller and in the host.
#
#   controller  NET.1   bridge, and one veth port per host
#   n1          NET.11  sshd on NET.11:22
#   n2          NET.12  sshd on NET.12:22
#   (NET.13 and the rest of NET.0/24 are empty: nothing answers there)
#
#   netns_hosts.sh start DIR [NET]   NET: the /24's first three parts
#                                    (10.231.77 by default); makes the
#                                    namespaces (names unique to this run)
#                                    and starts the sshd; writes
#                                    DIR/ssh_config (Host NET.11, NET.12 and
#                                    Host *: the client key, BatchMode, no
#                                    known-hosts prompts, ConnectTimeout 2)
#                                    and DIR/env (CTL=, N1=, N2= the
#                                    namespaces' names, N1_ADDR=, N2_ADDR=,
#                                    NOBODY_ADDR= an address nobody has,
#                                    HOST_DEV= the hosts' interface)
#   netns_hosts.sh stop DIR          ends every sshd (and its connections)
#                                    and deletes the namespaces
#   netns_hosts.sh stop-sshd DIR NAME  ends host NAME's (n1, n2) sshd and its
#                                    connections, by PID
#   netns_hosts.sh start-sshd DIR NAME [SSHD-ARGS...]  starts it again
#                                    (-o ClientAliveInterval=1...)
#   netns_hosts.sh link DIR NAME up|down  sets host NAME's interface up or
#                                    down (its network goes; no process on
#                                    either side is told)
#
# Needs root (namespaces, sshd's privilege separation), iproute2 and
# openssh-server. start exits 77 when network namespaces cannot be made
# here (no CAP_SYS_ADMIN, no `ip netns`): a test skips then. A start that
# fails half-way undoes itself.
set -euo pipefail

usage="usage: netns_hosts.sh start DIR [NET] | stop DIR | stop-sshd DIR NAME | start-sshd DIR NAME [SSHD-ARGS...] | link DIR NAME up|down"
cmd=${1:?$usage}
dir=${2:?$usage}
shift 2
HOSTS="n1 n2"
HOST_DEV=eth0

# Every descendant of PID, children first found through /proc.
descendants() {
    local pid=$1 child
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        echo "$child"
        descendants "$child"
    done
}

# running PID: true when PID has not ended (a zombie has: the daemon's
# parent, init, may take a second or two to reap it).
running() {
    local state
    state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# stop_sshd NAME: ends host NAME's sshd and everything under it (its
# connections and their jobs), by PID, if it is ours (its command line names
# our config).
stop_sshd() {
    local name=$1 pid tree
    [ -f "$dir/$name.pid" ] || return 0
    pid=$(cat "$dir/$name.pid")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/$name.conf"; then
        tree="$(descendants "$pid") $pid"
        # shellcheck disable=SC2086
        kill -TERM $tree 2>/dev/null || true
        for _ in $(seq 50); do
            running "$pid" || break
            sleep 0.05
        done
        # shellcheck disable=SC2086
        kill -KILL $tree 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
}

# namespace_of NAME: host NAME's namespace, from DIR/env.
namespace_of() { sed -n "s/^${1^^}=//p" "$dir/env" 2>/dev/null; }

# start_sshd NAME NAMESPACE [SSHD-ARGS...]: starts host NAME's sshd
# (DIR/NAME.conf) in NAMESPACE (its own when empty) and waits for its pid
# file.
start_sshd() {
    local name=$1 ns=${2:-$(namespace_of "$1")}
    shift 2
    [ -n "$ns" ] && [ -f "$dir/$name.conf" ] || { echo "netns_hosts.sh: no host $name" >&2; return 1; }
    rm -f "$dir/$name.pid"
    ip netns exec "$ns" /usr/sbin/sshd -f "$dir/$name.conf" -E "$dir/$name.log" "$@"
    for _ in $(seq 100); do
        [ -s "$dir/$name.pid" ] && return 0
        sleep 0.02
    done
    echo "netns_hosts.sh: sshd $name did not start: $(cat "$dir/$name.log")" >&2
    return 1
}

# Namespaces this run made, one a line in DIR/namespaces (written as each is
# made, so that a start that fails half-way is undone).
delete_namespaces() {
    local ns
    [ -f "$dir/namespaces" ] || return 0
    while read -r ns; do
        if [ -n "$ns" ]; then ip netns delete "$ns" 2>/dev/null || true; fi
    done <"$dir/namespaces"
    rm -f "$dir/namespaces"
}

stop_all() {
    local name
    for name in $HOSTS; do stop_sshd "$name"; done
    delete_namespaces
}

# new_namespace PREFIX: makes a namespace named PREFIX-TAG, records it, and
# prints its name.
new_namespace() {
    local ns=$1-$tag
    ip netns add "$ns" || return 1
    echo "$ns" >>"$dir/namespaces"
    ip -n "$ns" link set lo up
    echo "$ns"
}

start() {
    local net=${1:-10.231.77} ctl ns name i addr
    started=
    if [ -s "$dir/namespaces" ]; then
        echo "netns_hosts.sh: $dir is in use (stop it first)" >&2
        exit 1
    fi
    mkdir -p "$dir" /run/sshd
    chmod 700 "$dir"
    # A tag of this run's own: two suites at once (ASan and TSan in CI)
    # never share a namespace; one a crashed run left behind is skipped.
    for _ in 1 2 3 4 5; do
        tag=$$-$RANDOM
        [ ! -e "/run/netns/wgc-$tag" ] && break
    done
    trap '[ -n "$started" ] || stop_all' EXIT
    trap 'exit 1' INT TERM HUP
    if ! ctl=$(new_namespace wgc 2>"$dir/netns.err"); then
        echo "netns_hosts.sh: cannot make a network namespace: $(cat "$dir/netns.err")" >&2
        exit 77
    fi
    ip -n "$ctl" link add br0 type bridge
    ip -n "$ctl" addr add "$net.1/24" dev br0
    ip -n "$ctl" link set br0 up
    [ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    [ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
    cp "$dir/client_key.pub" "$dir/authorized_keys"
    : >"$dir/ssh_config"
    {
        echo "CTL=$ctl"
        echo "HOST_DEV=$HOST_DEV"
        echo "NOBODY_ADDR=$net.13"
    } >"$dir/env"
    i=0
    for name in $HOSTS; do
        i=$((i + 1))
        addr=$net.1$i
        ns=$(new_namespace "wg$name")
        # Both ends made in namespaces of ours: vN in the controller (a port
        # of its bridge), eth0 in the host.
        ip -n "$ctl" link add "v$name" type veth peer name "$HOST_DEV" netns "$ns"
        ip -n "$ctl" link set "v$name" master br0 up
        ip -n "$ns" addr add "$addr/24" dev "$HOST_DEV"
        ip -n "$ns" link set "$HOST_DEV" up
        cat >"$dir/$name.conf" <<CONF
ListenAddress $addr
Port 22
HostKey $dir/host_key
PidFile $dir/$name.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxStartups 100:30:200
MaxSessions 100
LogLevel ERROR
# No rc file of the tester runs at login: bash under sshd reads ~/.bashrc
# only at SHLVL 0 (a pyenv there, its rehash cut off by a job ended early,
# left a lock that every later login waited 60 s for).
SetEnv SHLVL=1
CONF
        start_sshd "$name" "$ns"
        local upper=${name^^}
        {
            echo "$upper=$ns"
            echo "${upper}_ADDR=$addr"
        } >>"$dir/env"
        cat >>"$dir/ssh_config" <<CONF
Host $addr
    Port 22
CONF
    done
    cat >>"$dir/ssh_config" <<CONF
Host *
    User root
    IdentityFile $dir/client_key
    IdentitiesOnly yes
    BatchMode yes
    StrictHostKeyChecking no
    UserKnownHostsFile /dev/null
    LogLevel ERROR
    ConnectTimeout 2
CONF
    # Up when the controller reaches every sshd (the bridge's ports take a
    # moment to forward).
    for name in $HOSTS; do
        addr=$(sed -n "s/^${name^^}_ADDR=//p" "$dir/env")
        for _ in $(seq 100); do
            ip netns exec "$ctl" bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null && break
            sleep 0.05
        done
    done
    started=1
}

case $cmd in
start) start "$@" ;;
stop) stop_all ;;
start-sshd)
    name=${1:?$usage}
    shift
    start_sshd "$name" "" "$@"
    ;;
stop-sshd) stop_sshd "${1:?$usage}" ;;
link)
    ns=$(namespace_of "${1:?$usage}")
    [ -n "$ns" ] || { echo "netns_hosts.sh: no host $1" >&2; exit 2; }
    ip -n "$ns" link set "$HOST_DEV" "${2:?$usage}"
    ;;
*)
    echo "$usage" >&2
    exit 2
    ;;
esac
