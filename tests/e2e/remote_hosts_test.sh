#!/usr/bin/env bash
# Jobs on ssh hosts (-S, --slf, --ssh, --sshdelay, --filter-hosts) against
# real key-only sshd servers on 127.0.0.1, started and stopped by PID here
# (tests/services/sshd.sh): jobs spread by the hosts' slots, the remote
# command quoted (nothing injected), the environment and --workdir remote,
# the remote tree ended on --timeout, --halt now and Ctrl-C, a host stopped
# mid-run (its jobs finish elsewhere), hosts that do not answer, the Host
# column, and GNU parallel's -S on the same hosts.
. "$(dirname "$0")/lib.sh"
exec </dev/null

SSHD=$ROOT/tests/services/sshd.sh
HOSTS=$SANDBOX/hosts
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null; then
    skip "remote hosts" "needs root, sshd and ssh (make deps installs them)"
    finish
    exit
fi
trap '"$SSHD" stop "$HOSTS" >/dev/null 2>&1; rm -rf "$SANDBOX"' EXIT
if ! "$SSHD" start "$HOSTS" h1 h2 h3 >"$SANDBOX/sshd.log" 2>&1; then
    fail "sshd starts" "$(cat "$SANDBOX/sshd.log")"
    finish
    exit
fi
SSH="ssh -F $HOSTS/ssh_config"
port_of() { cat "$HOSTS/$1.port"; }

# timed NAME FUNCTION: a case whose outcome hangs on timing (jobs that must
# overlap, an edit that must land mid-run): not under a sanitizer, whose
# runs share the machine with another suite's.
timed() {
    if sanitized; then skip "$1" "timing-sensitive: not under a sanitizer"; else check "$@"; fi
}

# rwg ARGS...: wgrun with the test's ssh.
rwg() { wg --ssh "$SSH" "$@"; }

# Each job says where it ran: its host as wgrun named it, and the port of the
# sshd that ran it (from SSH_CONNECTION, set by sshd on the host).
WHERE='echo {} $WGRUN_HOST $(echo $SSH_CONNECTION | cut -d" " -f4)'

spread() {
    local out
    out=$(rwg -S 1/h1,2/h2 "$WHERE" ::: 1 2 3 4 5 6) || return
    same "jobs" "1 2 3 4 5 6" "$(cut -d' ' -f1 <<<"$out" | sort -n | xargs)" || return
    has "h1's on h1's sshd" "^[0-9] h1 $(port_of h1)\$" "$out" || return
    has "h2's on h2's sshd" "^[0-9] h2 $(port_of h2)\$" "$out" || return
    ! grep -vE " (h1 $(port_of h1)|h2 $(port_of h2))\$" <<<"$out"
}
check "-S: jobs run on the hosts their slots name" spread

# Peak jobs at once on each host, counted on the host: never above its slots.
per_host_peak() {
    in_case_dir
    local cmd=': {}; d='$CASE'/$WGRUN_HOST; mkdir -p $d; (flock 9; n=$(($(cat $d/n 2>/dev/null || echo 0)+1)); echo $n >$d/n; echo $n >>$d/peaks) 9>$d.lock; sleep 1.5; (flock 9; echo $(($(cat $d/n)-1)) >$d/n) 9>$d.lock'
    # As many jobs as slots, then two more: the first four overlap.
    rwg -S 1/h1,3/h2 "$cmd" ::: 1 2 3 4 5 6 || return
    same "h1's peak" 1 "$(sort -n "$CASE/h1/peaks" | tail -n 1)" || return
    same "h2's peak" 3 "$(sort -n "$CASE/h2/peaks" | tail -n 1)"
}
timed "-S N/host: at most N jobs at once on the host, and as many" per_host_peak

slots_from_cpus() {
    local out
    out=$(rwg -S h1 'sleep 0.2; echo $WGRUN_SLOT; : {}' ::: $(seq 12) | sort -n | uniq | wc -l) || return
    same "slots used" "$(nproc)" "$(xargs <<<"$out")"
}
timed "-S host: its job slots are its CPU count (asked through the connection)" slots_from_cpus

slots_from_j() {
    local out
    out=$(rwg -j 3 -S h1 'sleep 0.2; echo $WGRUN_SLOT; : {}' ::: $(seq 9) | sort -n | uniq | xargs) || return
    same "slots" "1 2 3" "$out"
}
timed "-S host with -j N: N job slots on each host" slots_from_j

# sshd allows 10 sessions a connection (MaxSessions, as the test servers
# keep it): 12 slots on one host take two connections.
many_slots() {
    local out
    out=$(rwg -S 12/h1 'sleep 1; echo $SSH_CONNECTION | cut -d" " -f2; : {}' ::: $(seq 12)) || return
    same "jobs" 12 "$(wc -l <<<"$out")" || return
    same "connections" 2 "$(sort -u <<<"$out" | wc -l)"
}
check "a host with more than 10 slots gets a connection for each 10 (sshd's MaxSessions)" many_slots

injection() {
    in_case_dir
    local values=("\$(touch $CASE/pwned)" "\`touch $CASE/pwned\`" "a'b\"c" "x; touch $CASE/pwned"
        "-n" "*" "~" "\$HOME" "back\\slash" "two  spaces")
    local here there
    here=$(wg -k -j1 'printf "[%s]\n" {}' ::: "${values[@]}") || return
    there=$(rwg -k -S 1/h1 'printf "[%s]\n" {}' ::: "${values[@]}") || return
    same "remote output" "$here" "$there" || return
    [ ! -e "$CASE/pwned" ] || { echo "a value ran a command"; return 1; }
    # Newlines inside values (-0), and --no-shell's words.
    here=$(printf 'a\nb\0$(touch %s/pwned)\0' "$CASE" | wg -0 -k -j1 'printf "[%s]\n" {}') || return
    there=$(printf 'a\nb\0$(touch %s/pwned)\0' "$CASE" | rwg -0 -k -S h1 'printf "[%s]\n" {}') || return
    same "-0 remote output" "$here" "$there" || return
    here=$(wg -k -j1 --no-shell echo '[{}]' ::: '$(touch x)' "a  b") || return
    there=$(rwg -k --no-shell -S h1 echo '[{}]' ::: '$(touch x)' "a  b") || return
    same "--no-shell remote" "$here" "$there" || return
    [ ! -e "$CASE/pwned" ] && [ ! -e "$HOME/x" ]
}
check "the remote command is quoted: values run nothing and arrive whole" injection

environment() {
    local out
    out=$(MY_VAR='a b $(x)' NOT_SENT=1 rwg --env MY_VAR -S 1/h2 \
        'echo "$WGRUN_SEQ $PARALLEL_SEQ $WGRUN_SLOT $PARALLEL_JOBSLOT $WGRUN_HOST [$MY_VAR] [${NOT_SENT:-}]"; : {}' ::: x) || return
    same "remote environment" "1 1 1 1 h2 [a b \$(x)] []" "$out"
}
check "WGRUN_SEQ, WGRUN_SLOT, WGRUN_HOST, PARALLEL_* and --env reach the remote job" environment

exported_function() {
    local out
    my_func() { echo "func $1"; }
    export -f my_func
    out=$(SHELL=/bin/bash rwg --shell /bin/bash --env my_func -S h1 'my_func {}' ::: a) || return
    same "remote function" "func a" "$out"
}
check "--env FUNCTION: an exported bash function reaches the remote job" exported_function

workdirs() {
    in_case_dir
    local out
    out=$(rwg --workdir "$CASE/made/here" -S h1 'pwd' ::: x) || return
    same "--workdir DIR remote" "$CASE/made/here" "$out" || return
    out=$(TMPDIR=$CASE rwg --workdir ... -S h1 'pwd; touch left' ::: x) || return
    has "--workdir ... remote" "^/" "$out" || return
    [ ! -e "$out" ] || { echo "$out is left"; return 1; }
}
check "--workdir DIR and ... apply on the host (... removed afterwards)" workdirs

statuses() {
    local status
    rwg -S h1 'exit {}' ::: 0 3 >/dev/null 2>&1
    status_is 1 $? || return
    rwg -S h1 --joblog "$SANDBOX/st.log" 'kill -TERM $$; : {}' ::: x >/dev/null 2>&1
    status=$?
    status_is 1 "$status" || return
    same "remote signal" 143 "$(awk -F'\t' 'NR == 2 { print $7 }' "$SANDBOX/st.log")"
}
check "remote exit statuses come back; a signal as 128+N" statuses

job_exit_255() {
    local out
    out=$(rwg -S h1 'exit 255; : {}' ::: x 2>&1)
    status_is 1 $? || return
    has "the job's own failure" "job 1 failed \(exit 255\)" "$out" || return
    ! grep -q "lost its host" <<<"$out"
}
check "a job's own exit 255 (its host still up) is the job's failure" job_exit_255

joblog_host() {
    local jl=$SANDBOX/host.log out
    rwg -S 1/:,1/h1 --joblog "$jl" 'sleep 0.3; : {}' ::: 1 2 || return
    same "hosts" ": h1" "$(awk -F'\t' 'NR > 1 { print $2 }' "$jl" | sort | xargs)" || return
    out=$(rwg -S 1/h2 --json - true ::: 1 2>/dev/null) || return
    has "JSON host" '"host":"h2"' "$out" || return
    rwg -S 1/h2 --junit "$SANDBOX/host.xml" true ::: 1 || return
    xmllint --noout --schema "$ROOT/tests/e2e/junit.xsd" "$SANDBOX/host.xml" 2>/dev/null || return
    same "JUnit host" h2 "$(xmllint --xpath 'string(//testcase/properties/property[@name="host"]/@value)' "$SANDBOX/host.xml")"
}
check "joblog's Host, JSON and JUnit name the host (: for this machine)" joblog_host

host_strings() {
    local out
    out=$(rwg --plus -S 1/h1,1/h2 --tagstring '{host}' 'echo $WGRUN_HOST {sshlogin}' ::: a b) || return
    same "tags" "h1	h1 h1
h2	h2 h2" "$(sort <<<"$out")"
}
check "--plus {host} and {sshlogin}: the job's host, in the command and --tagstring" host_strings
check "GNU: --plus {host} {sshlogin} in the command" like_gnu --plus --ssh "$SSH" -S 1/h1 'echo {} {host} {sshlogin}' ::: a

# --- ending the remote tree -------------------------------------------------

# tree: a job that starts a setsid'ed grandchild and a child (both sleep
# $MARK), says it started, and waits.
tree() { echo ": {}; setsid sleep $MARK & sleep $MARK & echo \$\$ >>$CASE/started; wait"; }

remote_timeout() {
    in_case_dir
    new_mark
    rwg -S h1 --timeout 1 "$(tree); exit 0" ::: x >/dev/null 2>&1
    status_is 1 $? || return
    none_left
}
check "--timeout ends the remote job's tree (a setsid'ed grandchild too)" remote_timeout

remote_halt() {
    in_case_dir
    new_mark
    rwg -S 2/h1 --halt now,fail=1 "if [ {} = 1 ]; then sleep 0.5; exit 1; fi; $(tree)" \
        ::: 1 2 >/dev/null 2>&1
    status_is 1 $? || return
    none_left
}
check "--halt now ends the other remote jobs' trees" remote_halt

remote_ctrl_c() {
    in_case_dir
    new_mark
    in_background "$CASE/out" --ssh "$SSH" -S 2/h2 "$(tree)" ::: 1 2
    started 2 || return
    wait_for 5 marked_at_least 4 || return
    kill -INT "$BG"
    wait "$BG"
    status_is 130 $? || return
    none_left
}
check "Ctrl-C ends every remote job's tree" remote_ctrl_c

# --- hosts that fail ----------------------------------------------------------

host_stopped() {
    in_case_dir
    local out err
    # h3 goes away while its job runs (its first line written); every job
    # still runs once, on h1, and the lost attempt's line is dropped.
    in_background "$CASE/out" --ssh "$SSH" -S 1/h1,1/h3 \
        'echo begin {} $WGRUN_HOST; echo $$ >>'"$CASE"'/started; sleep 1; echo {} $WGRUN_HOST' ::: 1 2 3 4
    started 2 || return
    "$SSHD" stop "$HOSTS" h3
    wait "$BG"
    status_is 0 $? || { cat "$CASE/err"; return 1; }
    out=$(grep -v '^begin' "$CASE/out" | cut -d' ' -f1 | sort -n | xargs)
    same "every job once" "1 2 3 4" "$out" || return
    out=$(grep '^begin' "$CASE/out" | cut -d' ' -f2 | sort -n | xargs)
    same "every job's first line once" "1 2 3 4" "$out" || return
    err=$(cat "$CASE/err")
    has "the lost job named" "lost its host h3 \(exit 255: the connection went\); it goes back to the queue" "$err" || return
    has "h3 left out" "host h3 left out after 3 failures in a row" "$err" || return
    ! grep -q " h3\$" "$CASE/out"
}
check "a host stopped mid-run: its job goes back to the queue and runs elsewhere" host_stopped

refused_at_start() {
    local out dead_port
    dead_port=$(port_of h3)  # stopped above
    out=$(rwg -S h1,127.0.0.1:"$dead_port" true ::: x 2>&1)
    status_is 255 $? || return
    has "the host named" "host 127.0.0.1:$dead_port cannot be logged in to: .*(refused|closed).*--filter-hosts" "$out" || return
    out=$(rwg --filter-hosts -S 1/h1,127.0.0.1:"$dead_port" 'echo $WGRUN_HOST; : {}' ::: x y 2>&1) || return
    has "left out" "--filter-hosts: leaving out 127.0.0.1:$dead_port" "$out" || return
    same "ran on h1" "h1 h1" "$(grep -v '^wgrun' <<<"$out" | xargs)"
}
check "a host that cannot be logged in to: an error, or left out with --filter-hosts" refused_at_start

# --- --slf, --sshdelay, bad logins ----------------------------------------------

login_file() {
    in_case_dir
    printf '# two hosts\n1/h1\n\n  2/h2  \n' >"$CASE/hosts"
    local out
    out=$(rwg --slf "$CASE/hosts" --sshdelay 0.2 'sleep 0.3; echo $WGRUN_HOST; : {}' ::: 1 2 3 | sort | uniq | xargs) || return
    same "hosts used" "h1 h2" "$out"
}
check "--slf FILE: one login a line, comments skipped; --sshdelay" login_file

# The file is replaced whole (mv), as editors and scripts do; each job
# waits for a go file so that the edit lands mid-run.
slf_edited() {
    in_case_dir
    printf '1/h1\n' >"$CASE/hosts"
    in_background "$CASE/out" --ssh "$SSH" --slf "$CASE/hosts" \
        'echo $$ >>'"$CASE"'/started; sleep 0.3; echo {} $WGRUN_HOST' ::: $(seq 24)
    started 1 || return
    printf '1/h1\n2/h2\n' >"$CASE/hosts.new" && mv "$CASE/hosts.new" "$CASE/hosts"
    wait_for 10 grep -q " h2\$" "$CASE/out" || { cat "$CASE/err"; return 1; }
    # h1 goes: no new job there once the edit is seen (the file is looked at
    # twice a second: a few jobs may still start there meanwhile).
    printf '2/h2\n' >"$CASE/hosts.new" && mv "$CASE/hosts.new" "$CASE/hosts"
    local edited
    edited=$(wc -l <"$CASE/started")
    wait "$BG"
    status_is 0 $? || { cat "$CASE/err"; return 1; }
    same "every job once" "$(seq 24 | xargs)" "$(cut -d' ' -f1 "$CASE/out" | sort -n | xargs)" || return
    has "added" "--slf: host h2 added \(2 slots\)" "$(cat "$CASE/err")" || return
    has "removed" "--slf: host h1 removed: no new jobs there" "$(cat "$CASE/err")" || return
    local late
    late=$(awk -v after="$((edited + 6))" '$1 > after && $2 == "h1"' "$CASE/out")
    [ -z "$late" ] || { echo "jobs started on h1 well after its removal: $late"; return 1; }
}
timed "--slf edited mid-run: a host added gets jobs, one removed gets no new ones" slf_edited

slf_bad_edit() {
    in_case_dir
    printf '1/h1\n' >"$CASE/hosts"
    in_background "$CASE/out" --ssh "$SSH" --slf "$CASE/hosts" \
        'echo $$ >>'"$CASE"'/started; sleep 0.3; echo {} $WGRUN_HOST' ::: $(seq 6)
    started 1 || return
    printf '1/h1\n-oProxyCommand=x\n' >"$CASE/hosts.new" && mv "$CASE/hosts.new" "$CASE/hosts"
    wait "$BG"
    status_is 0 $? || return
    same "all on h1" "6" "$(grep -c ' h1$' "$CASE/out")" || return
    same "one warning" 1 "$(grep -c "the hosts stay as they were" "$CASE/err")"
}
check "--slf edited into a bad line: one warning, the hosts stay as they were" slf_bad_edit

bad_logins() {
    local out
    for login in "-oProxyCommand=touch /tmp/x" "h1:99999" "0/h1" "me@"; do
        out=$(rwg -S "$login" true ::: x 2>&1)
        status_is 255 $? || return
        has "message" "sshlogin" "$out" || return
    done
    out=$(rwg --slf "$SANDBOX/no-such-file" true ::: x 2>&1)
    status_is 255 $? || return
    out=$(rwg -S h1 --env _ true ::: x 2>&1)
    status_is 255 $? || return
    out=$(rwg -S h1 -j 0 true ::: x 2>&1)
    status_is 255 $? || return
    out=$(rwg -S h1 --workdir 'd{}' true ::: x 2>&1)
    status_is 255 $? || return
    has "templated --workdir" "replacement strings is for jobs on this machine" "$out"
}
check "bad logins, --slf, --env _, -j 0 and a templated --workdir with hosts are usage errors (255)" bad_logins

no_master_left() {
    in_case_dir
    rwg -S h1,h2 true ::: 1 2 || return
    ! pgrep -f "ssh -F $HOSTS/ssh_config.* -M -N" >/dev/null
}
check "the hosts' connections end with the run" no_master_left

# --- GNU parallel on the same hosts -----------------------------------------------

check "GNU: -S two hosts" like_gnu -s --ssh "$SSH" -S h1,h2 'echo {} $PARALLEL_SEQ' ::: a b c d
check "GNU: -S with quoting" like_gnu -k --ssh "$SSH" -S h1 'echo {}' ::: "a'b" '$HOME' 'x;y'
check "GNU: -S exit status" like_gnu --ssh "$SSH" -S h1 'exit {}' ::: 0 3

finish
