#!/usr/bin/env bash
# Replacement strings beyond the basic ones: --plus, the --*replace names,
# --parens, --rpl, {= perl =} and --filter, with GNU parallel 20221122 as the
# reference (the "GNU:" cases run both), and the one Perl interpreter of a
# run: started only when a template needs it, never seen by a job, gone
# with wgrun.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# --- Cross-checks against GNU parallel ---------------------------------------

# like_gnu_output ARGS...: GNU parallel and wgrun print the same, whatever
# their exit statuses (for the cases where those differ on purpose, below).
like_gnu_output() {
    local theirs ours
    theirs=$(gnu "$@" 2>/dev/null)
    ours=$(wg "$@" 2>/dev/null)
    same "stdout (GNU parallel, then wgrun)" "$theirs" "$ours"
}

check "GNU: --plus {+/} {+.} {+..} {+...} {..} {...} {/..} {/...}" \
    like_gnu -k --plus echo {+/} {+.} {+..} {+...} {..} {...} {/..} {/...} \
    ::: a.d/b.tar.gz x .a.b.c.d /x.y/z 'sp ace/f.1.2.3'
check "GNU: --plus {0%} {slot} with -j 12" like_gnu -k -j 12 --plus echo '{0%}-{slot}' ::: 1
# {##}, {0#}, total_jobs(): the number of jobs, the input read first.
check "GNU: --plus {##} {0#} over 12 values" like_gnu -k --plus echo '{##}' '{0#}' ::: $(seq 12)
plus_stdin() {
    local dir
    dir=$(mktemp -d "$SANDBOX/stdin.XXXXXX")
    seq 100 >"$dir/in"
    INPUT=$dir/in like_gnu -k --plus 'echo {0#}/{##} {}'
}
check "GNU: --plus {0#}/{##} over 100 lines of stdin" plus_stdin
check "GNU: --plus -N2 {##} counts jobs, not values" like_gnu -k -N2 --plus echo '{##}' '{}' ::: a b c d e
check "GNU: --plus -n3 -X {##}" like_gnu -k -n3 -X --plus echo '{##}-{}' ::: $(seq 10)
check "GNU: {= \$_ = total_jobs() =} with two sources" \
    like_gnu -k echo '{= $_ = $job->seq() . "/" . total_jobs() =}' ::: a b c ::: 1 2
check "GNU: --plus --tagstring '{0#}/{##}'" like_gnu -k --plus --tagstring '{0#}/{##}' echo ::: $(seq 11)
check "GNU: --plus {##} with no input runs nothing" like_gnu -k --plus echo '{##}' :::: /dev/null
check "GNU: --plus bash-like {:-x} {:2} {:1:2}" \
    like_gnu -k --plus echo '{:-empty}' '{:2}' '{:1:2}' ::: '' abcdef
check "GNU: --plus bash-like {#re} {##re} {%re} {%%re}" \
    like_gnu -k --plus echo '{#z.*z.}' '{##z.*z.}' '{%.z*z}' '{%%.z*z}' ::: z.z.z.foo foo.z.z.z
check "GNU: --plus bash-like {/re/s} {//re/s} {/#re/s} {/%re/s}" \
    like_gnu -k --plus echo '{/a/X}' '{//a/X}' '{/#a/X}' '{/%a/X}' ::: banana abba
check "GNU: --plus {^re} {^^re} {,re} {,,re} and a positional {2%.gz}" \
    like_gnu -k --plus echo '{^b}' '{^^a}' '{,B}' '{,,A}' '{2%.gz}' ::: banana BANANA ::: c.gz
check "GNU: --plus {choose_k} skips the jobs that are not k of n (output)" \
    like_gnu_output -k --plus echo '{choose_k}' ::: A B C ::: A B C
check "GNU: --er --bnr --dnr --bner" \
    like_gnu -k --er EXT --bnr BASE --dnr DIR --bner BNE echo EXT BASE DIR BNE '{.}' ::: d/a.b
check "GNU: --seqreplace --slotreplace" \
    like_gnu -k -j1 --seqreplace SEQ --slotreplace SLOT echo SEQ SLOT '{#}' ::: a b
check "GNU: {= perl =} with \$_" like_gnu -k echo '{= s:\.[^.]+$::; =}' ::: foo.tar.gz a.b
check "GNU: {=2 perl =} and {= =} over every source" \
    like_gnu -k echo '{=2 s/a/b/ =}' '{= s/a/c/ =}' ::: xa ::: aa
check "GNU: \$arg[N], \$job->seq(), seq()" \
    like_gnu -k -j1 echo '{= $_=$arg[2].$arg[1] =}' '{= $_=$job->seq()*2 =}' '{= $_=seq() =}' \
    ::: a b ::: c d
check "GNU: \$job->slot() with -j1" like_gnu -k -j1 echo '{= $_=$job->slot() =}' ::: a b
check "GNU: uq() leaves the value to the shell" \
    like_gnu -k echo '{= $_="a   b"; uq() =}' '{= $_="a   b" =}' ::: 1
check "GNU: Q() quotes inside the expression" \
    like_gnu -k echo '{= $_="it'"'"'s"; $_ = "<" . Q($_) . ">" =}' ::: 1
check "GNU: a value with shell syntax through {= =} is one word" \
    like_gnu -k echo '{= $_ .= q{;echo pwned $(id) `id` "x"} =}' ::: 'a b' "it's"
check "GNU: --parens ,,, (left ',' right ',,')" like_gnu -k --parens ,,, echo ',s/a/b/,,' ::: aa
check "GNU: --parens [[]]" like_gnu -k --parens '[[]]' echo '[[2 tr/a-z/A-Z/]]' ::: x ::: yz
check "GNU: --rpl 'TAG perl'" \
    like_gnu -k --rpl '{..} s:\.[^.]+$::;s:\.[^.]+$::;' echo '{..}' '{2..}' ::: a.b.c ::: d.e.f
check "GNU: --rpl with a (group): \$\$1" \
    like_gnu -k --rpl '{/(\w+)/} s/$$1/X/g' echo '{/an/}' ::: banana
check "GNU: --rpl replacing {}" like_gnu -k --rpl '{} tr/a-z/A-Z/' echo '{}' x{}y ::: ab
check "GNU: a Perl syntax error is an error before any job" like_gnu echo '{= s/( =}' ::: a b
check "GNU: {= =} in the command's first word is not quoted as a word" \
    like_gnu -k '{= $_="echo" =}' x ::: 1
check "GNU: {} as the command: its values are not quoted" \
    like_gnu -k '{}' ::: 'echo a   b' 'echo c;echo d'
check "GNU: V={} is an assignment: the values stay quoted" \
    like_gnu -k 'V={}; echo "$V"' {} ::: 'a   b;c'
check "GNU: --tag and {= =}" like_gnu -k --tag echo '{= $_=uc =}' ::: a b
check "GNU: yyyy_mm_dd() is today's date" like_gnu -k echo '{= $_=yyyy_mm_dd() =}' ::: 1
check "GNU: skip() leaves the job out (output)" \
    like_gnu_output -k echo '{= skip() if /x/ =}' ::: xa ya xb
check "GNU: --filter runs only the true jobs (output)" \
    like_gnu_output -k --filter '"{}" =~ /y/ and {#} > 1' echo ::: y1 xa ya xb

# --- Where wgrun differs from GNU (documented in wgrun(1)) ---------------------

# GNU 20221122 records a skipped job with exit value -2 and counts it as
# failed (exit status 2 here); wgrun counts it as left out, like --resume.
skip_is_not_a_failure() {
    local out status
    out=$(wg -k echo '{= skip() if /x/ =}' ::: xa ya xb); status=$?
    status_is 0 "$status" && same "output" "ya" "$out" || return 1
    out=$(wg -k --filter '"{}" =~ /y/' echo ::: xa ya); status=$?
    status_is 0 "$status" && same "output" "ya" "$out"
}
check "skip() and a false --filter leave the job out, not failed (GNU: exit -2, failed)" \
    skip_is_not_a_failure

skip_keeps_order_and_the_log() {
    in_case_dir
    local out
    out=$(wg -k -j3 --joblog log 'sleep 0.0{%}; echo {= skip() if $_ % 3 == 0 =}' ::: $(seq 9)) ||
        return 1
    same "output" "$(printf '%s\n' 1 2 4 5 7 8)" "$out" &&
        same "logged jobs" "1 2 4 5 7 8" "$(awk 'NR > 1 { print $1 }' log | sort -n | tr '\n' ' ' | sed 's/ $//')"
}
check "-k keeps the order around skipped jobs; the job log has only the jobs run" \
    skip_keeps_order_and_the_log

dry_run_skips() {
    local out
    out=$(wg --dry-run -k echo '{= skip() if /x/ =}' ::: xa ya) || return 1
    same "output" "echo ya" "$out"
}
check "--dry-run does not print a skipped job (GNU prints it)" dry_run_skips

# GNU ends the whole run (exit 25) when an expression dies; wgrun fails that
# job with the message, and runs the others.
die_fails_the_job() {
    local out err status
    out=$(wg -k echo '{= die "bad value $_\n" if /x/ =}' ::: xa ya 2>"$SANDBOX/die.err"); status=$?
    err=$(cat "$SANDBOX/die.err")
    status_is 1 "$status" && same "output" "ya" "$out" &&
        has "stderr" "a Perl expression died: bad value xa" "$err"
}
check "a die in an expression fails that job with Perl's message; the others run" die_fails_the_job

syntax_error_is_a_usage_error() {
    local err status
    err=$(wg echo '{= s/( =}' ::: a 2>&1 >/dev/null); status=$?
    status_is 255 "$status" && has "stderr" "Perl expression 's/\( '.*Substitution pattern" "$err"
}
check "a Perl syntax error is a usage error at start, naming the expression" \
    syntax_error_is_a_usage_error

n_equals() {
    local out
    out=$(wg -k echo '{2= s/a/b/ =}' '{-1= s/a/c/ =}' ::: x ::: aa) || return 1
    same "output" "ba ca" "$out"
}
check "{n= perl =} and {-n= perl =} (wgrun's spelling of GNU's {=n perl =})" n_equals

no_shell_keeps_blocks_whole() {
    local out
    out=$(wg -k --no-shell printf '[%s]' '{= s/ /_/g =}' ::: 'a b') || return 1
    same "output" "[a_b]" "$out"
}
check "--no-shell: a {= =} with blanks is one expression, its value one word" \
    no_shell_keeps_blocks_whole

malicious_values() {
    in_case_dir
    local out
    out=$(wg -k echo '{= s/^/>/ =}' ::: '$(touch pwned1)' '`touch pwned2`' '; touch pwned3' \
        "'; touch pwned4; '" $'a\nb') || return 1
    same "output" $'>$(touch pwned1)\n>`touch pwned2`\n>; touch pwned3\n>\'; touch pwned4; \'\n>a\nb' "$out" &&
        same "files made" "" "$(ls)"
}
check "values with shell syntax and newlines through {= =} reach the command as they are" \
    malicious_values

# --- The interpreter: started once, only when needed, never seen by a job ------

# A perl in PATH that logs its pid, then is the real perl.
fake_perl() {
    mkdir -p "$CASE/bin"
    cat >"$CASE/bin/perl" <<EOS
#!/bin/sh
echo \$\$ >>"$CASE/perl.log"
exec /usr/bin/perl "\$@"
EOS
    chmod +x "$CASE/bin/perl"
}

no_perl_for_plain_templates() {
    in_case_dir
    fake_perl
    PATH=$CASE/bin:$PATH wg --plus -k echo '{} {.} {+.} {#} {%} {0%}' ::: a.b c.d >/dev/null || return 1
    PATH=$CASE/bin:$PATH wg -k echo '{}' ::: a >/dev/null || return 1
    same "perl started for plain templates" "" "$(cat perl.log 2>/dev/null)" || return 1
    local out
    out=$(PATH=$CASE/bin:$PATH wg -j4 echo '{= s/a/b/ =}' ::: $(seq 50 | sed s/^/a/) | sort | tr '\n' ' ')
    same "output" "$(seq 50 | sed s/^/b/ | sort | tr '\n' ' ')" "$out" &&
        same "perls started for 50 jobs" 1 "$(wc -l <perl.log)"
}
check "no perl for templates without Perl; one perl for a whole run that has some" \
    no_perl_for_plain_templates

perl_gone_after_the_run() {
    in_case_dir
    fake_perl
    PATH=$CASE/bin:$PATH wg -j2 echo '{= $_ .= "!" =}' ::: a b c >/dev/null || return 1
    local pid
    pid=$(cat perl.log)
    [ -n "$pid" ] || { echo "perl not started"; return 1; }
    ! [ -e "/proc/$pid" ] || { echo "perl $pid is still there: $(cat /proc/$pid/stat)"; return 1; }
}
check "the perl of a run is gone (reaped) once wgrun has exited" perl_gone_after_the_run

perl_ends_when_wgrun_is_killed() {
    in_case_dir
    fake_perl
    new_mark
    PATH=$CASE/bin:$PATH "$WGRUN" -j1 "sleep $MARK; echo {= \$_ .= 1 =}" ::: a >/dev/null 2>&1 &
    local wgrun=$!
    wait_for 10 some_marked || { kill "$wgrun"; echo "job not started"; return 1; }
    local pid
    pid=$(cat perl.log)
    kill -KILL "$wgrun"
    wait "$wgrun" 2>/dev/null
    # End of file on its input: it exits (and init, or a subreaper, reaps it).
    wait_for 10 perl_gone "$pid" || { echo "perl $pid still runs"; return 1; }
    kill $(marked) 2>/dev/null
    none_left
}
perl_gone() { ! [ -e "/proc/$1" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }
check "the perl ends when wgrun is SIGKILLed (end of file on its input)" \
    perl_ends_when_wgrun_is_killed

jobs_do_not_see_perl_fds() {
    local plain perl
    plain=$(wg -j1 --no-shell sh -c 'ls /proc/$$/fd | sort -n | tr "\n" " "' ::: 1) || return 1
    perl=$(wg -j1 --no-shell sh -c 'ls /proc/$$/fd | sort -n | tr "\n" " "; : {= $_ = 1 =}' ::: 1) ||
        return 1
    same "a job's fds with a Perl template" "$plain" "$perl"
}
check "a job gets no fd of the perl's (the same fds as without Perl)" jobs_do_not_see_perl_fds

finish
