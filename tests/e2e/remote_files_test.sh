#!/usr/bin/env bash
# Files of remote jobs (--transferfile, --transfer, --return, --cleanup, --trc,
# --basefile, --rsync-opts) against real key-only sshd servers on 127.0.0.1
# (tests/services/sshd.sh): where files land on the host and come back, names
# that a shell would expand, --workdir DIR and ..., what --cleanup leaves,
# base files, files that cannot be sent or fetched, --timeout, Ctrl-C and a
# host lost mid-job with files, and GNU parallel on the same hosts.
#
# The hosts are this machine: a relative file lands under the remote home,
# so every case works in a remote folder of its own (--workdir under $RWD,
# removed at the end), and compares it with the local files by content.
. "$(dirname "$0")/lib.sh"
exec </dev/null

SSHD=$ROOT/tests/services/sshd.sh
HOSTS=$SANDBOX/hosts
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null ||
    ! command -v rsync >/dev/null; then
    skip "remote files" "needs root, sshd, ssh and rsync (make deps installs them)"
    finish
    exit
fi
if ! "$SSHD" start "$HOSTS" h1 h2 h3 >"$SANDBOX/sshd.log" 2>&1; then
    fail "sshd starts" "$(cat "$SANDBOX/sshd.log")"
    finish
    exit
fi
SSH="ssh -F $HOSTS/ssh_config"
# The remote home, and this test's folder in it (relative to it, for --wd).
RHOME=$($SSH h1 'echo $HOME')
RWD=.wgrun-files-test.$$
trap '"$SSHD" stop "$HOSTS" >/dev/null 2>&1; [ -n "$RHOME" ] && rm -rf "$RHOME/$RWD"; rm -rf "$SANDBOX"' EXIT

rwg() { wg --ssh "$SSH" "$@"; }

# A file name no shell may expand, split or run.
ODD='odd $(touch pwned) `touch pwned` '"'q'"' "d" *.txt'

# --- where the files go --------------------------------------------------------

round_trip() {
    in_case_dir
    mkdir -p in/deep
    echo alpha >in/a.txt
    echo beta >"in/deep/$ODD"
    local out
    out=$(rwg -S h1 --wd "$RWD/rt" --trc {}.up 'tr a-z A-Z <{} >{}.up; pwd' ::: in/a.txt "in/deep/$ODD") || return
    same "the job ran in --wd" "$RHOME/$RWD/rt $RHOME/$RWD/rt" "$(xargs <<<"$out")" || return
    same "fetched" "ALPHA" "$(cat in/a.txt.up)" || return
    same "fetched odd" "BETA" "$(cat "in/deep/$ODD.up")" || return
    [ ! -e pwned ] && [ ! -e "$RHOME/$RWD/rt/pwned" ] || { echo "a name ran a command"; return 1; }
    [ ! -e "$RHOME/$RWD/rt" ] || { echo "left on the host:"; find "$RHOME/$RWD/rt"; return 1; }
}
check "--trc: files go under --wd with their path, come back, and go (odd names too)" round_trip

home_and_no_cleanup() {
    in_case_dir
    mkdir -p "$RWD/home"
    echo x >"$RWD/home/$$.in"
    # No --wd: relative to the remote home (the local file is under $CASE).
    rwg -S h2 --tf {} --return {}.out 'cp {} {}.out' ::: "$RWD/home/$$.in" || return
    same "sent to the home" x "$(cat "$RHOME/$RWD/home/$$.in")" || return
    same "fetched" x "$(cat "$RWD/home/$$.in.out")" || return
    [ -e "$RHOME/$RWD/home/$$.in.out" ] || { echo "--return without --cleanup removed it"; return 1; }
}
check "--tf and --return without --wd: relative to the remote home; left there without --cleanup" home_and_no_cleanup

slash_dot_slash() {
    in_case_dir
    mkdir -p top/mid back
    echo leaf >top/mid/leaf
    rwg -S h1 --wd "$RWD/sds" --tf "$CASE/top/./mid/leaf" --return 'back/./{}.r' \
        'cat mid/leaf >{}.r; ls -R . | grep -c leaf' ::: x >out || return
    same "sent to mid/leaf under --wd" 1 "$(cat out)" || return
    same "fetched into back/" leaf "$(cat back/x.r)"
}
check "/./ in a path: the part after it goes under the folder, both ways" slash_dot_slash

workdir_dots() {
    in_case_dir
    echo w >f.txt
    local dir
    dir=$(rwg -S h1 --wd ... --trc {}.out 'cp {} {}.out; pwd' ::: f.txt) || return
    same "fetched" w "$(cat f.txt.out)" || return
    has "a folder of its own" "/wgrun-wd\." "$dir" || return
    [ ! -e "$dir" ] || { echo "$dir is left"; return 1; }
}
check "--workdir ...: the job's files go to its own temporary folder, removed afterwards" workdir_dots

rsync_opts() {
    in_case_dir
    echo r >f
    chmod 644 f
    local mode
    mode=$(rwg -S h1 --wd "$RWD/ro" --rsync-opts '-rlR --chmod=F600' --tf {} --cleanup 'stat -c %a {}' ::: f) || return
    same "--rsync-opts applied" 600 "$mode"
}
check "--rsync-opts: rsync's options" rsync_opts

transfer_alone() {
    in_case_dir
    echo t >t.txt
    same "--transfer" t "$(rwg -S h1 --wd "$RWD/tr" --transfer --cleanup 'cat {}' ::: t.txt)"
}
check "--transfer sends the input file" transfer_alone

# --- base files ----------------------------------------------------------------

base_files() {
    in_case_dir
    echo base >base.dat
    local out
    out=$(rwg -S 1/h1,1/h2 --wd "$RWD/bf" --bf base.dat 'cat base.dat; echo $WGRUN_HOST {}' ::: 1 2 3 4) || return
    same "every job has it" 4 "$(grep -c '^base$' <<<"$out")" || return
    same "both hosts ran jobs" "h1 h2" "$(grep -o 'h[12]' <<<"$out" | sort -u | xargs)" || return
    [ -e "$RHOME/$RWD/bf/base.dat" ] || { echo "removed without --cleanup"; return 1; }
    rwg -S h1,h2 --wd "$RWD/bf" --bf base.dat --cleanup 'cat base.dat >/dev/null; : {}' ::: 1 2 || return
    [ ! -e "$RHOME/$RWD/bf" ] || { echo "left with --cleanup:"; find "$RHOME/$RWD/bf"; return 1; }
    out=$(rwg -S h1 --bf "no such base" true ::: 1 2>&1)
    status_is 255 $? || return
    has "named" "--basefile no such base: cannot be read" "$out"
}
check "--basefile: each host has it before its first job; removed with --cleanup; unreadable: 255" base_files

# Both test hosts are this machine: job 1 removes the base file on h1 and
# waits; the file is back once h2, added to the --slf file, has got it.
base_files_added_host() {
    in_case_dir
    echo base >base.dat
    printf '1/h1\n' >hosts
    local dir=$RHOME/$RWD/bfa go=$CASE/go
    in_background "$CASE/out" --ssh "$SSH" --slf "$CASE/hosts" --wd "$RWD/bfa" --bf base.dat \
        'if [ {} = 1 ]; then rm base.dat; touch '"$CASE"'/removed; while [ ! -e '"$go"' ]; do sleep 0.05; done; fi; cat base.dat; echo $WGRUN_HOST {}' ::: 1 2 3
    wait_for 10 eval '[ -e "$CASE/removed" ]' || { echo "job 1 did not start"; return 1; }
    printf '1/h1\n1/h2\n' >hosts.new && mv hosts.new hosts
    wait_for 10 eval '[ -e "$dir/base.dat" ]' || { echo "h2 did not get the base file"; cat "$CASE/err"; return 1; }
    touch "$go"
    wait "$BG"
    status_is 0 $? || { cat "$CASE/err"; return 1; }
    # Job 2 waited for h2 (h1 was busy); job 3 may run on either.
    same "every job had it" 3 "$(grep -c '^base$' "$CASE/out")" || { cat "$CASE/out" "$CASE/err"; return 1; }
    grep -q '^h2 2$' "$CASE/out" || { echo "job 2 did not run on h2"; cat "$CASE/out"; return 1; }
}
check "--basefile with --slf: a host added mid-run gets the files before its first job" base_files_added_host

# --- failures ------------------------------------------------------------------

unreadable_transfer() {
    in_case_dir
    local out
    out=$(rwg -S h1 --wd "$RWD/ur" --tf 'not here' 'echo ran {}' ::: x 2>&1) || return
    has "the job ran" "^ran x$" "$out" || return
    has "the file named" "'not here' cannot be read: not sent to h1" "$out"
}
check "a --tf file that cannot be read: named, not sent, the job runs (as GNU)" unreadable_transfer

send_fails() {
    in_case_dir
    echo s >f
    local out
    # The host's rsync fails (no --wd: nothing overrides --rsync-path).
    out=$(rwg -S h1 --rsync-opts '-rlR --rsync-path=false' --tf {} 'touch '"$CASE"'/ran; : {}' ::: f 2>&1)
    status_is 1 $? || return
    has "why" "cannot send 'f' to h1 \(rsync: exit [0-9]+\)" "$out" || return
    [ ! -e ran ] || { echo "the job ran"; return 1; }
}
check "a file rsync cannot send: the job is not run, and fails" send_fails

fetch_fails() {
    in_case_dir
    local out
    out=$(rwg -S h1 --wd "$RWD/ff" --return 'never made' 'true {}' ::: x 2>&1)
    status_is 1 $? || return
    has "why" "cannot fetch 'never made' from h1 \(rsync: exit 23\)" "$out" || return
    has "the job failed" "job 1 failed \(exit 255\)" "$out" || return
    rwg -S h1 --wd "$RWD/ff" --joblog jl --return 'never made' 'exit 3; : {}' ::: x >/dev/null 2>&1
    same "the job's own status" 3 "$(awk -F'\t' 'NR == 2 { print $7 }' jl)"
}
check "a file that cannot be fetched fails a job that succeeded, keeps another's status" fetch_fails

no_hosts() {
    local out
    out=$(wg --trc x true ::: 1 2>&1)
    status_is 255 $? || return
    has "needs hosts" "--trc needs hosts" "$out" || return
    # This machine only: the files are here already.
    same "-S :" done "$(wg -S : --trc {}.out 'echo done; : {}' ::: x)"
}
check "file options need -S or --slf; on : they change nothing" no_hosts

# --- ending jobs with files ------------------------------------------------------

remote_timeout() {
    in_case_dir
    new_mark
    echo t >f
    rwg -S h1 --wd "$RWD/to" --trc {}.out --timeout 1 \
        ": {}; setsid sleep $MARK & sleep $MARK & wait" ::: f >/dev/null 2>&1
    status_is 1 $? || return
    none_left
}
check "--timeout with files: nothing hangs, the remote tree ends" remote_timeout

remote_ctrl_c() {
    in_case_dir
    new_mark
    echo c >f1
    echo c >f2
    in_background "$CASE/out" --ssh "$SSH" -S 2/h2 --wd "$RWD/cc" --trc {}.out \
        "echo \$\$ >>$CASE/started; cat {} >{}.out; sleep $MARK" ::: f1 f2
    started 2 || return
    wait_for 5 marked_at_least 2 || return
    kill -INT "$BG"
    wait "$BG"
    status_is 130 $? || return
    none_left
}
check "Ctrl-C with files: every remote tree ends" remote_ctrl_c

host_lost() {
    in_case_dir
    local n
    for n in 1 2 3 4; do echo "$n" >"in$n"; done
    in_background "$CASE/out" --ssh "$SSH" -S 1/h1,1/h3 --wd "$RWD/hl" --trc {}.out \
        'echo $$ >>'"$CASE"'/started; sleep 1; cat {} >{}.out; echo {} $WGRUN_HOST' ::: in1 in2 in3 in4
    started 2 || return
    "$SSHD" stop "$HOSTS" h3
    wait "$BG"
    status_is 0 $? || { cat "$CASE/err"; return 1; }
    for n in 1 2 3 4; do
        same "in$n fetched" "$n" "$(cat "in$n.out" 2>&1)" || return
    done
    has "the lost job named" "lost its host h3 .*; it goes back to the queue" "$(cat "$CASE/err")"
}
check "a host lost mid-job: the job and its files go to another host" host_lost

# --- GNU parallel on the same hosts ----------------------------------------------

# gnu_places: GNU and wgrun, one after the other with the same options, list
# the same files under the job's folder and leave the same files here. (No
# blank in the names: GNU 20221122 quotes them twice for a modern rsync and
# fetches none.)
gnu_places() {
    in_case_dir
    mkdir -p in/sub
    echo a >in/a.txt
    echo b >in/sub/b.txt
    local tool args=(--ssh "$SSH" -S 1/h1 --wd "$RWD/gp" --tf {} --return {}.out --return 'got/./{/}.copy'
        --cleanup 'cat {} >{}.out; cp {} {/}.copy; find . -type f | LC_ALL=C sort')
    for tool in gnu wg; do
        mkdir "$tool" && (cd "$tool" && cp -r ../in . && "$tool" "${args[@]}" ::: in/a.txt in/sub/b.txt |
            LC_ALL=C sort >../"$tool.out") || return
    done
    same "remote files during the jobs" "$(cat gnu.out)" "$(cat wg.out)" || return
    same "files here after" "$(cd gnu && find . -type f | LC_ALL=C sort)" "$(cd wg && find . -type f | LC_ALL=C sort)" || return
    [ ! -e "$RHOME/$RWD/gp" ] || { echo "left:"; find "$RHOME/$RWD/gp"; return 1; }
}
check "GNU: --tf, --return, /./ and --cleanup place the same files" gnu_places

gnu_trc() {
    in_case_dir
    echo x >f1
    echo y >f2
    like_gnu -k --ssh "$SSH" -S h1 --wd "$RWD/gt" --trc {}.out 'cat {} | tee {}.out' ::: f1 f2
}
check "GNU: --trc output and status" gnu_trc

finish
