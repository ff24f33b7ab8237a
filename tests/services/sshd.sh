#!/usr/bin/env bash
# sshd.sh: key-only sshd servers on 127.0.0.1 for the remote-host tests,
# started and stopped by PID (never by name).
#
#   sshd.sh start DIR NAME...   one sshd per NAME on a free loopback port;
#                               writes DIR/ssh_config (Host NAME -> its port,
#                               the client key, no known-hosts prompts) and
#                               DIR/NAME.pid, DIR/NAME.port
#   sshd.sh stop DIR [NAME...]  ends those sshd (all by default) and their
#                               connections (the listener's descendants)
#
# Needs root (sshd's privilege separation) and openssh-server.
set -euo pipefail

cmd=${1:?usage: sshd.sh start|stop DIR [NAME...]}
dir=${2:?usage: sshd.sh start|stop DIR [NAME...]}
shift 2

# Every descendant of PID, children first found through /proc.
descendants() {
    local pid=$1 child
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        echo "$child"
        descendants "$child"
    done
}

stop_one() {
    local name=$1 pid
    [ -f "$dir/$name.pid" ] || return 0
    pid=$(cat "$dir/$name.pid")
    # Only our sshd: its command line names our config.
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/$name.conf"; then
        local tree
        tree="$(descendants "$pid") $pid"
        # shellcheck disable=SC2086
        kill -TERM $tree 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        # shellcheck disable=SC2086
        kill -KILL $tree 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
}

free_port() {
    local port
    for _ in $(seq 200); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

case $cmd in
start)
    mkdir -p "$dir" /run/sshd
    chmod 700 "$dir"
    [ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    [ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
    cp "$dir/client_key.pub" "$dir/authorized_keys"
    : >"$dir/ssh_config"
    for name in "$@"; do
        started=
        for _ in 1 2 3 4 5; do
            port=$(free_port)
            cat >"$dir/$name.conf" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/$name.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxStartups 100:30:200
MaxSessions 10
LogLevel ERROR
# No rc file of the tester runs at login: bash under sshd reads ~/.bashrc
# only at SHLVL 0 (a pyenv there, its rehash cut off by a job ended early,
# left a lock that every later login waited 60 s for).
SetEnv SHLVL=1
CONF
            rm -f "$dir/$name.pid"
            if /usr/sbin/sshd -f "$dir/$name.conf" -E "$dir/$name.log"; then
                for _ in $(seq 100); do
                    [ -s "$dir/$name.pid" ] && break
                    sleep 0.02
                done
                started=1
                break
            fi
        done
        [ -n "$started" ] || { echo "sshd.sh: cannot start sshd $name" >&2; exit 1; }
        echo "$port" >"$dir/$name.port"
        cat >>"$dir/ssh_config" <<CONF
Host $name
    HostName 127.0.0.1
    Port $port
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
    ConnectTimeout 5
CONF
    ;;
stop)
    if [ $# -eq 0 ]; then
        for pidfile in "$dir"/*.pid; do
            [ -e "$pidfile" ] || continue
            set -- "$@" "$(basename "$pidfile" .pid)"
        done
    fi
    for name in "$@"; do stop_one "$name"; done
    ;;
*)
    echo "usage: sshd.sh start|stop DIR [NAME...]" >&2
    exit 2
    ;;
esac
