#!/usr/bin/env bash
# The shell jobs run under (GNU parallel's rule: $PARALLEL_SHELL, else the
# shell wgrun was started from, here bash, else $SHELL; wgrun's --shell),
# exported bash functions and bash syntax, and how a job starts: --env,
# --nice, --workdir (--wd), --tty. Cross-checks against GNU parallel.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# This script is bash, so jobs run under bash unless told otherwise.
unset PARALLEL_SHELL

# A function exported from here, as `export -f` does.
my_func() { echo "my_func got $1"; }
export -f my_func
in_bash() { echo "$1 in bash ${BASH_VERSINFO[0]}"; }
export -f in_bash

exported_function() {
    local out
    out=$(wg -j4 -k my_func ::: 1 2 3) || return 1
    same "output" "my_func got 1
my_func got 2
my_func got 3" "$out" || return 1
    out=$(wg in_bash ::: x) || return 1
    same "under bash" "x in bash ${BASH_VERSINFO[0]}" "$out"
}
check "export -f my_func; wgrun -j4 my_func ::: 1 2 3 runs the function under bash" exported_function

function_named_like_a_program() {
    local out
    ls() { echo "the ls function: $*"; }
    export -f ls
    out=$(wg ls ::: /) || return 1
    same "output" "the ls function: /" "$out"
}
check "a function named like a program (ls) wins over the program" function_named_like_a_program

bash_syntax() {
    local out
    out=$(wg -k '[[ {} == b* ]] && echo "match {}"; a=(x y z); echo "${a[1]}" {}; cat <(echo from {})' \
        ::: bb cc) || return 1
    same "output" "match bb
y bb
from bb
y cc
from cc" "$out"
}
check "bash syntax: [[ ]], arrays, <(...)" bash_syntax

bash_builtins() {
    local out
    out=$(wg 'echo -e "a\tb"' ::: x) || return 1
    same "output" "$(printf 'a\tb x')" "$out"
}
check "builtins are bash's: echo -e reads escapes" bash_builtins

parallel_shell_keeps_dash() {
    local out
    out=$(PARALLEL_SHELL=/bin/sh wg 'echo -e "a\nb"; my_func' ::: 1 2>&1; echo "status $?") || return 1
    # dash's echo prints -e and reads \n; dash has no exported functions.
    has "dash's echo" '^-e a$' "$out" && has "no function" 'my_func: not found' "$out"
}
check "PARALLEL_SHELL=/bin/sh: jobs run under dash" parallel_shell_keeps_dash

shell_option() {
    local out
    out=$(PARALLEL_SHELL=/bin/bash wg --shell /bin/sh 'echo "$0"' ::: x) || return 1
    same "output" "/bin/sh x" "$out" || return 1
    out=$(wg --shell bash 'echo "$0"' ::: x) || return 1
    same "output" "bash x" "$out"
}
check "--shell PATH (or a name in PATH) comes before \$PARALLEL_SHELL" shell_option

shell_missing() {
    local err status
    err=$(PARALLEL_SHELL=/no/such/sh wg echo ::: x 2>&1)
    status=$?
    status_is 255 "$status" && has "message" "shell '/no/such/sh' not found" "$err"
}
check "a shell that is not there is wgrun's own error (255)" shell_missing

started_from_dash() {
    local out
    out=$(sh -c '"$1" "echo \$0" ::: x' sh "$WGRUN") || return 1
    same "output" "/bin/sh x" "$out"
}
check "started from sh (dash): jobs run under /bin/sh" started_from_dash

through_timeout_env_nice() {
    local out
    # The walk goes up past timeout, env and nice to this bash.
    out=$(timeout 20 env nice -n 0 "$WGRUN" 'echo $0' ::: x) || return 1
    has "bash" '/bash x$' "$out"
}
check "the parent shell is found past timeout, env and nice" through_timeout_env_nice

no_shell_parent_uses_shell_variable() {
    local out
    # setsid + perl: no shell among wgrun's ancestors up to init? Not so:
    # this script is one. A login shell of $SHELL is used only when no
    # ancestor is a shell, which a unit test checks (ChooseShell); here the
    # parent shell wins over $SHELL.
    out=$(SHELL=/bin/sh wg 'echo $0' ::: x) || return 1
    has "bash" '/bash x$' "$out"
}
check "the parent shell comes before \$SHELL" no_shell_parent_uses_shell_variable

nice_option() {
    local out
    out=$(wg --nice 9 'cut -d" " -f19 /proc/self/stat; true' ::: x) || return 1
    same "niceness" "9" "$out" || return 1
    out=$(nice -n 3 "$WGRUN" --nice 5 'cut -d" " -f19 /proc/self/stat; true' ::: x) || return 1
    same "absolute, not added to wgrun's" "5" "$out" || return 1
    out=$(nice -n 4 "$WGRUN" 'cut -d" " -f19 /proc/self/stat; true' ::: x) || return 1
    same "without --nice: wgrun's own" "4" "$out"
}
check "--nice N: jobs run at niceness N" nice_option

nice_bad() {
    local err status
    err=$(wg --nice x true ::: 1 2>&1)
    status=$?
    status_is 255 "$status" && has "message" "nice" "$err"
}
check "--nice x is a usage error" nice_bad

workdir_option() {
    in_case_dir
    local out
    out=$(wg -k --wd 'new dir/sub' 'pwd; echo "$PWD" {}' ::: x) || return 1
    same "output" "$CASE/new dir/sub
$CASE/new dir/sub x" "$out"
}
check "--wd DIR: made if missing, the jobs' directory and PWD" workdir_option

workdir_malicious() {
    in_case_dir
    local out name='-x; touch pwned; $(touch pwned2) `touch pwned3` *'
    out=$(wg --workdir "$name" pwd ::: x) || return 1
    same "output" "$CASE/$name" "$out" || return 1
    same "nothing ran" "$name" "$(names_in .)"
}
check "--workdir with a name full of shell syntax is only a name" workdir_malicious

workdir_dot() {
    in_case_dir
    local out
    out=$(wg --wd . 'pwd' ::: x) || return 1
    same "output" "$CASE" "$out"
}
check "--wd . is the current directory" workdir_dot

temp_workdir() {
    in_case_dir
    local out
    mkdir tmp
    out=$(TMPDIR=$CASE/tmp wg -k -j2 --wd ... 'pwd; touch file; ls; exit {}' ::: 0 3 0 2>/dev/null)
    status_is 1 $? || return 1
    has "a folder per job" "^$CASE/tmp/wgrun-wd\.[^/]+/1$" "$out" || return 1
    has "job 2's" "^$CASE/tmp/wgrun-wd\.[^/]+/2$" "$out" || return 1
    same "each fresh" "3" "$(grep -c '^file$' <<<"$out")" || return 1
    same "all removed, failed jobs' too" "" "$(names_in tmp)"
}
check "--wd ...: a fresh temporary folder per job, removed after" temp_workdir

temp_workdir_sigint() {
    in_case_dir
    mkdir tmp
    new_mark
    TMPDIR=$CASE/tmp in_background out -j2 --wd ... "touch here; echo \$PWD >>$CASE/started; sleep $MARK" ::: 1 2
    started 2 || return 1
    same "folders while running" 2 "$(find tmp -mindepth 2 -maxdepth 2 -type d | wc -l)" || return 1
    kill -INT "$BG"
    wait "$BG"
    status_is 130 $? || return 1
    none_left || return 1
    same "removed on SIGINT" "" "$(names_in tmp)"
}
check "--wd ...: removed on SIGINT too" temp_workdir_sigint

env_option_function_for_dash() {
    local out
    out=$(PARALLEL_SHELL=/bin/sh wg --env my_func my_func ::: 1 2>&1) || return 1
    same "output" "my_func got 1" "$out"
}
check "--env my_func gives the function to a non-bash shell (dash)" env_option_function_for_dash

env_option_variable() {
    local out
    out=$(MY_VAR=hello wg --env MY_VAR 'echo $MY_VAR' ::: x) || return 1
    same "output" "hello x" "$out" || return 1
    out=$(A=1 B=2 wg --env A,B --env C 'echo $A$B' ::: x) || return 1
    same "comma list" "12 x" "$out"
}
check "--env NAME and NAME,NAME: the variables reach the jobs" env_option_variable

env_underscore() {
    in_case_dir
    local out err
    err=$(PARALLEL_HOME=$CASE/home wg --env _ true ::: x 2>&1)
    status_is 255 $? || return 1
    has "message" "record-env" "$err" || return 1
    mkdir home
    printf '%s\n' PATH HOME >home/ignored_vars
    out=$(PARALLEL_HOME=$CASE/home PARALLEL_SHELL=/bin/sh wg --env _ my_func ::: 1) || return 1
    same "function given" "my_func got 1" "$out"
}
check "--env _ needs ignored_vars (GNU's --record-env), then passes the rest" env_underscore

tty_defaults() {
    local out
    out=$(wg --tty --dry-run echo ::: a b)
    same "dry run" "echo a
echo b" "$out" || return 1
    # No terminal here: stdin is /dev/null; -j1 keeps the order.
    out=$(wg --tty 'sleep 0.{}; echo {}' ::: 9 1 5) || return 1
    same "one at a time" "9
1
5" "$out" || return 1
    out=$(wg --tty -j3 'sleep 0.{}; echo {}' ::: 9 1 5) || return 1
    same "-j3 given" "1
5
9" "$out"
}
check "--tty implies -j1 unless -j is given" tty_defaults

tty_terminal() {
    command -v python3 >/dev/null || { echo "no python3"; return 1; }
    local out
    out=$(python3 - "$WGRUN" <<'EOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--tty",
                           "read line; echo got $line; tty >/dev/null && echo stdin-is-tty", ":::", "x"])
os.write(fd, b"hello\n")
out = b""
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    out += data
os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r", ""))
EOF
)
    has "read the terminal" '^got hello$' "$out" && has "stdin" '^stdin-is-tty x$' "$out"
}
check "--tty: the job reads the terminal" tty_terminal

# ---- cross-checks against GNU parallel ----------------------------------------

check "GNU: export -f my_func; my_func ::: 1 2 3" like_gnu -k my_func ::: 1 2 3
check "GNU: -j4 exported function, sorted" like_gnu -s -j4 my_func ::: a b c d e
check "GNU: an exported function sees bash" like_gnu in_bash ::: x
check "GNU: bash syntax [[ ]] and arrays" like_gnu -k '[[ {} == a* ]] && a=(1 2) && echo ${a[1]} {}' ::: ab ba
check "GNU: process substitution <(...)" like_gnu 'cat <(echo {})' ::: x
check "GNU: echo -e is bash's" like_gnu 'echo -e "a\tb{}"' ::: 1
check "GNU: echo with \\n under bash" like_gnu "echo 'a\\nb'" ::: 1
check "GNU: \$0 is the shell" like_gnu 'echo $0' ::: x
gnu_parallel_shell() { PARALLEL_SHELL=/bin/sh like_gnu 'echo "a\nb"; echo $0' ::: x; }
check "GNU: PARALLEL_SHELL=/bin/sh" gnu_parallel_shell
gnu_parallel_shell_bash() { PARALLEL_SHELL=/bin/bash like_gnu 'echo $0 ${BASH_VERSINFO[0]}' ::: x; }
check "GNU: PARALLEL_SHELL=/bin/bash" gnu_parallel_shell_bash
gnu_ls_function() { ls() { echo "fn $*"; }; export -f ls; like_gnu -k ls ::: x y; }
check "GNU: a function named ls" gnu_ls_function
check "GNU: --nice 7" like_gnu --nice 7 'cut -d" " -f19 /proc/self/stat; true' ::: x
check "GNU: --nice 0 (absolute)" like_gnu --nice 0 'cut -d" " -f19 /proc/self/stat; true' ::: x
gnu_wd() { in_case_dir; mkdir -p d; like_gnu --wd d 'pwd | sed "s:.*/::"; ls' ::: x; }
check "GNU: --wd DIR" gnu_wd
# Replacement strings in --wd DIR: each job's own directory, made if missing.
gnu_wd_template() {
    in_case_dir
    mkdir -p d1/sub
    touch d1/sub/f.txt d1/g.txt
    like_gnu -k --wd '{//}' 'pwd | sed "s:^$PWD/::"; ls {/}' ::: d1/sub/f.txt d1/g.txt || return 1
    like_gnu -k --wd 'new_{}/x' 'pwd | sed "s:^$PWD/::"' ::: a 'b c' || return 1
    [ -d new_a/x ] && [ -d 'new_b c/x' ] || { echo "new_a/x, new_b c/x not made"; return 1; }
}
check "GNU: --wd '{//}', --wd 'new_{}/x': each job in its own directory, made if missing" \
    gnu_wd_template
wd_template_fails() {
    in_case_dir
    local status
    wg -k --wd 'f{}' 'echo ran {}' ::: 1 2 >out 2>err
    status=$?
    status_is 0 "$status" || { cat err; return 1; }
    : >f3  # a file where job 3's directory would be
    wg -k --wd 'f{}' 'echo ran {}' ::: 2 3 >out 2>err
    status=$?
    status_is 1 "$status" || { cat err; return 1; }
    same "the other job ran" "ran 2" "$(cat out)" || return 1
    has "why" "^wgrun: --workdir '$CASE/f3': cannot make it or enter it: " "$(cat err)"
}
check "--wd 'f{}' where f3 is a file: job 3 fails saying why, job 2 runs" wd_template_fails
wd_template_dry_run() {
    in_case_dir
    wg --dry-run --wd 'never_{}' echo ::: a >/dev/null || return 1
    [ ! -e never_a ] || { echo "--dry-run made never_a"; return 1; }
}
check "--dry-run --wd 'never_{}' makes no directory" wd_template_dry_run
gnu_wd_made() { in_case_dir; like_gnu --wd 'new/sub dir' 'basename "$PWD"' ::: x; }
check "GNU: --wd makes a missing DIR" gnu_wd_made
gnu_wd_dot() { in_case_dir; like_gnu --wd . 'ls' ::: x; }
check "GNU: --wd ." gnu_wd_dot
check "GNU: --wd ... runs in an empty folder" like_gnu -k --wd ... 'ls -A | wc -l; touch f; ls' ::: 1 2
check "GNU: --wd ... keeps the exit status" like_gnu --wd ... 'exit {}' ::: 0 3
gnu_env_var() { MY_VAR=v like_gnu --env MY_VAR 'echo $MY_VAR' ::: x; }
check "GNU: --env VAR" gnu_env_var
gnu_env_function_bash() { PARALLEL_SHELL=/bin/bash like_gnu -k --env my_func my_func ::: 1 2; }
check "GNU: --env my_func under PARALLEL_SHELL=/bin/bash" gnu_env_function_bash

# Deliberately unlike GNU: its --env f text runs `export -f f` bare, at
# which dash exits; wgrun's runs it as `command export -f`, so that dash
# gets the function.
env_function_dash_unlike_gnu() {
    local theirs ours
    theirs=$(PARALLEL_SHELL=/bin/sh gnu --env my_func my_func ::: 1 2>/dev/null)
    ours=$(PARALLEL_SHELL=/bin/sh wg --env my_func my_func ::: 1) || return 1
    same "GNU's" "" "$theirs" && same "ours" "my_func got 1" "$ours"
}
check "--env f under dash: GNU's job fails at export -f, wgrun's runs f" env_function_dash_unlike_gnu
gnu_env_list() { A=1 B=2 like_gnu --env A,B --env my_func 'echo $A$B; my_func {}' ::: 1; }
check "GNU: --env A,B --env my_func" gnu_env_list
check "GNU: --tty runs one job at a time, in order" like_gnu --tty 'sleep 0.{}; echo {}' ::: 9 1 5
check "GNU: --tty -j3" like_gnu -s --tty -j3 'echo {}' ::: 3 1 2

finish
