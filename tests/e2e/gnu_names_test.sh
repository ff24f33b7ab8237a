#!/usr/bin/env bash
# gnu_names_test.sh: GNU parallel's spellings and meanings of the options
# people type first. -P, --dryrun, --linebuffer, --termseq are names of
# wgrun's options; -t/--verbose prints each command on stderr as it starts;
# -v prints it on stdout as the first line of the job's output (grouped,
# ordered, tagged and saved with it), --silent undoes -v; -q/--quote quotes
# each command word for the shell; --quiet and --report keep their long
# names only; --progress is --eta; --total-jobs gives the display its total
# until the input ends. Cross-checks ("GNU: ...") run GNU parallel 20221122
# on the same arguments.
. "$(dirname "$0")/lib.sh"
exec </dev/null

PTY="/usr/bin/python3 $ROOT/tests/e2e/pty_run.py"
SCREEN="/usr/bin/python3 $ROOT/tests/e2e/screen.py"

# like_gnu_stderr ARGS...: GNU parallel and wgrun write the same stderr for
# ARGS (like_gnu compares stdout only), stdin from /dev/null.
like_gnu_stderr() {
    local dir
    dir=$(mktemp -d "$SANDBOX/like.XXXXXX") || return 1
    gnu "$@" >/dev/null 2>"$dir/theirs"
    wg "$@" >/dev/null 2>"$dir/ours"
    cmp -s "$dir/theirs" "$dir/ours" && return 0
    printf 'stderr of GNU parallel and wgrun differ for: %s\n' "$*"
    diff "$dir/theirs" "$dir/ours" | head -n 20 | cat -A
    return 1
}

# like_gnu_both ARGS...: the same stdout and stderr interleaved (2>&1), for
# -j1 runs whose order is fixed.
like_gnu_both() {
    local theirs ours
    theirs=$(gnu "$@" 2>&1)
    ours=$(wg "$@" 2>&1)
    same "stdout and stderr together" "$theirs" "$ours"
}

# --- GNU's names of wgrun's options ---------------------------------------------

capital_p() {
    in_case_dir
    local out
    out=$(wg -P 3 --no-shell 'sh -c "echo $WGRUN_SLOT"' ::: a b c | sort | tr '\n' ' ') || return 1
    same "three slots at once" "1 2 3 " "$out"
}
check "-P N is -j N" capital_p

dryrun_alias() {
    in_case_dir
    local out
    out=$(wg --dryrun 'touch {}' ::: x y) || return 1
    same "commands" $'touch x\ntouch y' "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "--dryrun is --dry-run: prints, runs nothing" dryrun_alias

linebuffer_alias() {
    in_case_dir
    # The first job's first line comes while it still runs.
    wg --linebuffer -j2 'echo first-{}; sh '"$AWAIT"' go' ::: 1 >out 2>err &
    local pid=$!
    wait_for 10 grep -q first-1 out || { echo "no line while the job ran"; kill "$pid"; return 1; }
    touch go
    wait "$pid"
}
check "--linebuffer is --line-buffer: lines come while the job runs" linebuffer_alias

termseq_alias() {
    in_case_dir
    wg --termseq INT,200,KILL,25 --timeout 0.3 \
        'trap "echo got INT {}; exit 7" INT; sleep 5 & wait' ::: 1 >out 2>err
    status_is 1 $? || return 1
    same "the job's trap" "got INT 1" "$(cat out)"
}
check "--termseq is --term-seq: the job gets the first signal named" termseq_alias

# --- -t/--verbose -------------------------------------------------------------------

t_at_start() {
    in_case_dir
    wg -t 'sh '"$AWAIT"' go; echo done # {}' ::: 1 >out 2>err &
    local pid=$!
    wait_for 10 grep -q 'sh .* go; echo done' err || { echo "no -t line while the job ran"; kill "$pid"; return 1; }
    [ ! -s out ] || { echo "stdout before the job ended: $(cat out)"; return 1; }
    touch go
    wait "$pid" || return 1
    same "stdout" "done" "$(cat out)"
}
check "-t: the command on stderr as the job starts, stdout untouched" t_at_start

t_long_name() {
    in_case_dir
    wg --verbose -k echo ::: a 'b c' >out 2>err || return 1
    same "stderr" $'echo a\necho \'b c\'' "$(cat err)" || return 1
    same "stdout" $'a\nb c' "$(cat out)"
}
check "--verbose is -t" t_long_name

t_dry_run() {
    in_case_dir
    wg -t --dry-run 'touch {}' ::: x >out 2>err || return 1
    same "stdout" "touch x" "$(cat out)" || return 1
    same "stderr" "touch x" "$(cat err)" || return 1
    [ -z "$(ls | grep -v '^out$\|^err$')" ] || { echo "ran: $(ls)"; return 1; }
}
check "-t with --dry-run: the command on stdout and on stderr, nothing run" t_dry_run

# Every -t line is whole and on a line of its own among big grouped stderr
# output of other jobs.
t_among_stderr() {
    in_case_dir
    wg -t -j4 'head -c 300000 /dev/zero | tr "\0" x >&2; echo >&2 # {}' ::: $(seq 8) 2>err >/dev/null || return 1
    same "-t lines" 8 "$(grep -c '^head -c 300000 /dev/zero' err)" || return 1
    same "job lines" 8 "$(awk '/^x+$/ && length($0) == 300000 { n++ } END { print n + 0 }' err)" || return 1
    same "lines in all" 16 "$(wc -l <err)"
}
check "-t lines never land inside a job's grouped stderr" t_among_stderr

# --- -v and --silent -------------------------------------------------------------------

v_grouped() {
    in_case_dir
    wg -v -j2 'sleep 0.{}; echo out {}' ::: 3 1 >out 2>err || return 1
    same "each command before its output" $'sleep 0.1; echo out 1\nout 1\nsleep 0.3; echo out 3\nout 3' "$(cat out)" || return 1
    [ ! -s err ] || { echo "stderr: $(cat err)"; return 1; }
}
check "-v: the command as the first line of the job's grouped output" v_grouped

v_results() {
    in_case_dir
    wg -v --results res/{#}/ 'echo {}' ::: a >out 2>err || return 1
    same "stdout" $'echo a\na' "$(cat out)" || return 1
    same "--results stdout" $'echo a\na' "$(cat res/1/stdout)"
}
check "-v: --results saves the command with the job's stdout (as GNU)" v_results

v_failed_start() {
    in_case_dir
    wg -v --no-shell ./missing ::: a >out 2>err
    status_is 1 $? || return 1
    same "stdout" "./missing a" "$(cat out)"
}
check "-v: a job that cannot start shows its command too" v_failed_start

silent_undoes_v() {
    in_case_dir
    wg -v --silent echo ::: a >out 2>err || return 1
    same "stdout" "a" "$(cat out)"
}
check "--silent undoes -v" silent_undoes_v

# --- -q/--quote -------------------------------------------------------------------------

q_perl() {
    in_case_dir
    command -v perl >/dev/null || { echo "SKIP: no perl"; return 0; }
    local out
    out=$(wg -k -q perl -e 'print "@ARGV\n"' ::: This works) || return 1
    same "output" $'This\nworks' "$out"
}
check "-q: GNU's example, perl -e 'print \"@ARGV\\n\"'" q_perl

q_nothing_expands() {
    in_case_dir
    local out
    out=$(HOME=/h wg -k -q printf '[%s]' '$HOME' '*' 'a;b' "it's" '' '$(echo x)' ::: '$HOME' '*') || return 1
    same "output" "[\$HOME][*][a;b][it's][][\$(echo x)][\$HOME][\$HOME][*][a;b][it's][][\$(echo x)][*]" "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "-q: no word is expanded or split by the shell" q_nothing_expands

q_dry_run() {
    in_case_dir
    local out
    out=$(wg --dry-run -q echo 'a {} b' '$HOME' ::: 'x y') || return 1
    same "display" "echo 'a x y b' '\$HOME'" "$out"
}
check "-q --dry-run: each word quoted whole, the value inside it" q_dry_run

q_no_longer_quiet() {
    in_case_dir
    wg -q false ::: 1 >out 2>err
    status_is 1 $? || return 1
    has "the failure report" '^wgrun: 1 of 1 job' "$(cat err)" || return 1
    wg --quiet false ::: 1 >out 2>err
    status_is 1 $? || return 1
    [ ! -s err ] || { echo "--quiet wrote: $(cat err)"; return 1; }
}
check "-q is no longer --quiet; --quiet still is" q_no_longer_quiet

v_no_longer_report() {
    in_case_dir
    wg -v true ::: 1 >out 2>err || return 1
    [ ! -s err ] || { echo "-v wrote a report: $(cat err)"; return 1; }
    wg --report true ::: 1 >out 2>err || return 1
    has "--report's heading" '^seq +status' "$(cat err)"
}
check "-v is no longer --report; --report still is" v_no_longer_report

# --- --progress, --total-jobs -------------------------------------------------------------

# The input streams ('a' now, 'b' 1.5 s later): with --total-jobs 5 the
# draws count to 5 before the input ends; the final line has the real total.
total_jobs_eta() {
    in_case_dir
    $PTY --cols 200 -- bash -c "(echo a; sleep 1.5; echo b) |
        timeout 60 '$WGRUN' --eta --total-jobs 5 'echo {}; sleep 0.6'" >ts || { echo "exit status $?"; return 1; }
    local draws
    draws=$($SCREEN --draws <ts)
    has "a draw counting to 5" '^[01]/5 done, ' "$draws" || return 1
    if grep -q '/?' <<<"$draws"; then echo "an unknown total:"; echo "$draws"; return 1; fi
    has "the final line" '^2/2 done, 0 failed, 0 running' "$($SCREEN --cols 200 <ts | tail -n 1)"
}
check "--total-jobs: --eta counts to N until the input ends, then to the real total" total_jobs_eta

# A --total-jobs below the jobs already started: the count started is the
# total (as GNU's max(total, completed)), never "3/2".
total_jobs_too_low() {
    in_case_dir
    $PTY --cols 200 -- bash -c "(seq 4; sleep 1.5; echo 5) |
        timeout 60 '$WGRUN' --eta --total-jobs 2 -j4 'sleep 0.5 # {}'" >ts || { echo "exit status $?"; return 1; }
    local draws
    draws=$($SCREEN --draws <ts)
    [ "$(grep -c . <<<"$draws")" -ge 3 ] || { echo "too few draws:"; cat -A ts; return 1; }
    while read -r line; do
        has "a draw counting to the jobs started or more" '^[0-5]/[45] done, ' "$line" || return 1
    done <<<"$draws"
    has "the final line" '^5/5 done, 0 failed, 0 running' "$($SCREEN --cols 200 <ts | tail -n 1)"
}
check "--total-jobs below the jobs started: the count started is the total" total_jobs_too_low

progress_is_eta() {
    in_case_dir
    $PTY --cols 200 -- timeout 60 "$WGRUN" --progress -j2 'sleep 0.3; echo {}' ::: 1 2 3 >ts || return 1
    has "the --eta line" '^3/3 done, 0 failed, 0 running, 0:0[0-9] elapsed$' "$($SCREEN --cols 200 <ts | tail -n 1)" || return 1
    wg --progress echo ::: 1 >out 2>err || return 1
    [ ! -s err ] || { echo "stderr not a terminal, but: $(cat -A err)"; return 1; }
}
check "--progress: the --eta line on a terminal, nothing elsewhere" progress_is_eta

total_jobs_bad() {
    in_case_dir
    wg --total-jobs ten echo ::: 1 >out 2>err
    status_is 255 $? || return 1
    has "message" "^wgrun: invalid --total-jobs 'ten': N is a whole number of jobs$" "$(cat err)"
}
check "--total-jobs takes a whole number" total_jobs_bad

# --- cross-checks with GNU parallel -----------------------------------------------------------

check "GNU: -P 2" like_gnu -s -P 2 echo ::: a b c d
check "GNU: -P1 -k with sleeps" like_gnu -P1 -k 'sleep 0.0{}; echo {}' ::: 3 1 2
check "GNU: --dryrun" like_gnu -s --dryrun echo ::: a b.c d/e
check "GNU: --dryrun with {.} and {#}" like_gnu -s --dryrun 'mv {} {.}.{#}' ::: a.txt b.tar.gz
check "GNU: --linebuffer -k" like_gnu --linebuffer -k -j3 'echo {}; sleep 0.0{}; echo {}-2' ::: 3 1 2
check "GNU: --linebuffer, whole lines" like_gnu -s --linebuffer -j3 'seq 1000 | sed s/^/{}-/' ::: a b c
check "GNU: --termseq with --timeout" like_gnu --termseq INT,200,KILL,25 --timeout 0.5 \
    'trap "echo got INT {}; exit 7" INT; sleep 5 & wait' ::: 1
check "GNU: -t leaves stdout alone" like_gnu -k -t echo ::: a 'b c'
check "GNU: -t on stderr" like_gnu_stderr -j1 -t echo ::: a 'b c' '$x'
check "GNU: --verbose on stderr" like_gnu_stderr -j1 --verbose 'echo {} >/dev/null' ::: 1 2
check "GNU: -t -j1, stdout and stderr in order" like_gnu_both -j1 -t 'echo {}; echo e{} >&2' ::: 1 2
check "GNU: -t --dryrun stdout" like_gnu -s -t --dryrun echo ::: a b
check "GNU: -t --dryrun stderr" like_gnu_stderr -j1 -t --dryrun echo ::: a b
check "GNU: -v -j1" like_gnu -j1 -v echo ::: a 'b c'
check "GNU: -v -k -j2" like_gnu -k -j2 -v 'sleep 0.{}; echo {}' ::: 3 1
check "GNU: -v --tag -k" like_gnu -k -v --tag echo ::: a 'b c'
check "GNU: -v -u -j1" like_gnu -u -j1 -v 'echo {}; echo {}-2' ::: a b
check "GNU: -v --dryrun prints once" like_gnu -s -v --dryrun echo ::: a b
check "GNU: -v with failing jobs" like_gnu -k -v 'echo {}; exit {}' ::: 0 2 3
check "GNU: -v --silent" like_gnu -k -v --silent echo ::: a b
check "GNU: -t -v together" like_gnu -j1 -t -v echo ::: a
check "GNU: -q perl's @ARGV" like_gnu -k -q perl -e 'print "@ARGV\n"' ::: This works
check "GNU: -q quotes, dollars, spaces" like_gnu -k -q printf '[%s]\n' '$HOME' "it's" 'a  b' '' '*' ::: 'x y' '$z' "q'q"
check "GNU: -q replacement inside a word" like_gnu -k -q echo 'a {} b' '<{.}>' ::: 'x;y.c' 'q"z' '$(id)'
check "GNU: -q two sources" like_gnu -k -q printf '%s|' '{2}-{1}' ::: a 'b c' ::: '$d' 'e f'
check "GNU: -q lone {} with two sources" like_gnu -k -q printf '<%s>' {} ::: 'a b' ::: 'c d'
check "GNU: -q sh -c with an argument" like_gnu -k -q sh -c 'echo "[$0] [$1]"' '{}' 'x {}' ::: 'a b' '$c'
check "GNU: --quote --dryrun, plain words" like_gnu -s --quote --dryrun echo a.b '{}' ::: x y
printf 'echo one\necho "two  three"\n' >"$SANDBOX/commands"
# with_input FILE COMMAND...: COMMAND with $INPUT set to FILE (like_gnu's stdin).
with_input() { local INPUT=$1; shift; "$@"; }
check "GNU: -v with commands on stdin" with_input "$SANDBOX/commands" like_gnu -k -v
check "GNU: -t with commands from -a, stderr" like_gnu_stderr -j1 -t -a "$SANDBOX/commands"
check "GNU: --total-jobs leaves the output alone" like_gnu -k --total-jobs 10 echo ::: a b
check "GNU: --progress leaves stdout alone" like_gnu -k --progress echo ::: a b

check "GNU: -v with --retries: the command once, then the last attempt's output" \
    like_gnu -j1 -v --retries 3 'echo try {}; false' ::: a

finish
