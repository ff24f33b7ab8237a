#!/usr/bin/env bash
# Argument packing: -n -N -L -l -s -x -X -m --xargs. Several input records in
# one job, {} as all of them and {n} as each, context replace, the length
# limit (ARG_MAX less the environment, and Linux's 128 KiB for one argument),
# -x, laziness over a million lines, and cross-checks with GNU parallel and
# xargs on the same arguments and input.
. "$(dirname "$0")/lib.sh"
exec </dev/null # no case reads the terminal by accident

# A script that shows its arguments as [a][b c]: where one ends.
ARGS_SH=$SANDBOX/args.sh
printf '#!/bin/sh\nfor a in "$@"; do printf "[%%s]" "$a"; done; echo\n' >"$ARGS_SH"
chmod +x "$ARGS_SH"

# input NAME FORMAT [ARG...]: a file of the sandbox holding printf's output.
input() {
    local name=$1
    shift
    printf "$@" >"$SANDBOX/$name"
    echo "$SANDBOX/$name"
}
SEQ20=$(input seq20 '%s\n' $(seq 20))
SEQ5=$(input seq5 '%s\n' $(seq 5))
SEQ100=$(input seq100 '%s\n' $(seq 100))
LINES=$(input lines 'a b\nc  d\n\ne \nf\n')
WORDS=$(input words 'one\ntwo\nthree\nfour\nfive\n')
FILES=$(input files 'dir/a.jpg\nb.tar.gz\nc d.png\n')
ODD=$(input odd 'a b\0new\nline\0it'"'"'s\0\0$HOME\0*\0-n\0\001\377\0')
SPACES=$(input spaces 'a b\nc\td\n x \n')

# --- cross-checks with GNU parallel 20221122 --------------------------------

INPUT=$SEQ20 check "GNU: -n 3 packs three lines a job, a short last job" like_gnu -k -n 3 echo
INPUT=$SEQ20 check "GNU: --max-args 4 with {#} and {}" like_gnu -k --max-args 4 echo '{#}:' {}
check "GNU: -n 2 packs ::: values" like_gnu -k -n 2 echo {} ::: a b c d e
INPUT=$SEQ5 check "GNU: -N2 {1}-{2}: {2} past the last value is empty" like_gnu -k -N2 echo {1}-{2}
check "GNU: -N2 with two sources packs combinations" like_gnu -k -N2 "$ARGS_SH" ::: a b c ::: 1 2
check "GNU: -N2 {3} {4} index the packed values" like_gnu -k -N2 "$ARGS_SH" {3} {4} ::: a b c ::: 1 2
INPUT=$SEQ5 check "GNU: -N2 repeats a word holding {}" like_gnu -k -N2 "$ARGS_SH" pic{}.jpg
INPUT=$SEQ5 check "GNU: -n2 puts all values in the word" like_gnu -k -n2 "$ARGS_SH" pic{}.jpg
INPUT=$SEQ5 check "GNU: -X repeats the word, spread over -j4 slots" like_gnu -k -j4 -X "$ARGS_SH" pic{}.jpg
INPUT=$SEQ5 check "GNU: -m spreads a short input over -j2 slots" like_gnu -k -j2 -m "$ARGS_SH" {}
INPUT=$FILES check "GNU: -X with {/.} and spaces in names" like_gnu -k -j1 -X "$ARGS_SH" {/.}.png
INPUT=$SEQ5 check "GNU: -X with no replacement string appends" like_gnu -k -j2 -X "$ARGS_SH" x
INPUT=$SEQ100 check "GNU: --xargs packs all that fit in one command" like_gnu -k --xargs echo
INPUT=$SEQ100 check "GNU: --xargs -j4 does not spread" like_gnu -k -j4 --xargs echo
INPUT=$LINES check "GNU: -L2: a line is one argument; a trailing blank goes on" like_gnu -k -L2 "$ARGS_SH"
INPUT=$LINES check "GNU: -l without N is one line a job" like_gnu -k -l "$ARGS_SH"
INPUT=$LINES check "GNU: --max-lines=3" like_gnu -k --max-lines=3 "$ARGS_SH"
INPUT=$WORDS check "GNU: -L1 repeats a word holding {}" like_gnu -k -L1 "$ARGS_SH" x{}y
INPUT=$SPACES check "GNU: -N3 quotes each value" like_gnu -k -N3 "$ARGS_SH" {1} {2} {3}
INPUT=$ODD check "GNU: -0 -n 2 with odd and binary values" like_gnu -k -0 -n 2 "$ARGS_SH"
INPUT=$SEQ20 check "GNU: -X -s 20 caps the command length as GNU counts it" like_gnu -k -j1 -X -s 20 echo
INPUT=$SEQ20 check "GNU: -n 5 -s 15 stops a job short of its count" like_gnu -k -n 5 -s 15 echo
INPUT=$SEQ20 check "GNU: -m --max-chars=30" like_gnu -k -j1 -m --max-chars=30 echo
INPUT=$SEQ20 check "GNU: -N1 is one value a job" like_gnu -k -N1 echo {}
INPUT=$SEQ20 check "GNU: -N2 repeats x{}y, {#} numbers the jobs" like_gnu -k -N2 "$ARGS_SH" x{}y {#}
INPUT=$SEQ20 check "GNU: -X with two {} in one word" like_gnu -k -j1 -X "$ARGS_SH" a{}b{}c
INPUT=$SEQ20 check "GNU: -m -j3 with {1} and {}" like_gnu -k -j3 -m "$ARGS_SH" {1} {}
INPUT=$LINES check "GNU: -L2 -m takes context replace away" like_gnu -k -L2 -m "$ARGS_SH" x{}
INPUT=$LINES check "GNU: --xargs -L2 takes context replace away" like_gnu -k --xargs -L2 "$ARGS_SH" x{}
INPUT=$SEQ20 check "GNU: -n 3 -X -j1" like_gnu -k -n 3 -j1 -X "$ARGS_SH" {}

# --- cross-checks with xargs (sorted: wgrun runs jobs at once) --------------

INPUT=$SEQ20 check "xargs: -n 3" like_xargs -s -n 3 echo
INPUT=$SEQ100 check "xargs: --max-args=7" like_xargs -s --max-args=7 echo
INPUT=$SEQ100 check "xargs: -s 30" like_xargs -s -s 30 echo
INPUT=$SEQ100 check "xargs: --max-chars 50 -n 4" like_xargs -s --max-chars 50 -n 4 echo
INPUT=$SEQ20 check "xargs: -n 2 -s 15" like_xargs -s -n 2 -s 15 echo
INPUT=$SEQ20 check "xargs: -x -n 5 when every job fits" like_xargs -s -x -n 5 -s 100 echo
INPUT=$ODD check "xargs: -0 -n 3 with odd and binary values" like_xargs -s -0 -n 3 "$ARGS_SH"
INPUT=$WORDS check "xargs: -L 2 with one word a line" like_xargs -s -L 2 "$ARGS_SH"
INPUT=$SEQ100 check "xargs: -n 1000 gives one command" like_xargs -s -n 1000 echo
INPUT=$SEQ20 check "xargs: -n 3 gzip-like words after the command" like_xargs -s -n 3 echo --best

# --- differences from xargs and GNU, tested as such --------------------------

l_keeps_the_line() {
    local ours
    ours=$(printf 'a b\nc\n' | wg -L 1 "$ARGS_SH" | sort) || return 1
    same "GNU's -L: a line is one argument (xargs splits it)" $'[a b]\n[c]' "$ours"
}
check "-L: a line is one argument, as GNU (xargs: words)" l_keeps_the_line

l_keeps_blank_lines() {
    local ours
    ours=$(printf 'a\n\nb\n' | wg -k -L 1 "$ARGS_SH") || return 1
    same "blank lines are arguments (GNU), not skipped (xargs)" $'[a]\n[]\n[b]' "$ours"
}
check "-L: a blank line is an empty argument, as GNU" l_keeps_blank_lines

s_alone_packs() {
    local out
    out=$(seq 12 | wg -k -s 12 echo) || return 1
    same "xargs' -s: as many as fit (GNU's -s alone runs a value a job)" \
        $'1 2 3\n4 5 6\n7 8 9\n10 11\n12' "$out"
}
check "-s alone packs as xargs does, not one value a job as GNU" s_alone_packs

empty_line_is_an_argument() {
    local out
    out=$(printf 'a\n\nb\n' | wg -k -n 3 "$ARGS_SH") || return 1
    same "GNU keeps it as '', xargs drops it" '[a][][b]' "$out"
}
check "-n: an empty line is an empty argument, as GNU (xargs skips it)" empty_line_is_an_argument

# --- the length limit --------------------------------------------------------

too_long_alone_fails_that_job() {
    in_case_dir
    { echo x; head -c 200000 /dev/zero | tr '\0' a; echo; echo y; } >in
    local st
    wg -k -n 1 echo <in >out 2>err
    st=$?
    status_is 1 "$st" || return 1
    same "the others ran" $'x\ny' "$(cat out)" || return 1
    has "the job and its size named" \
        "^wgrun: job 2: the command is 200006 bytes, over the limit of 131072 bytes" "$(cat err)"
}
check "an argument over the 128 KiB limit fails its job, named with its size; the rest run" \
    too_long_alone_fails_that_job

longer_than_arg_max_no_shell() {
    in_case_dir
    local arg_max
    arg_max=$(getconf ARG_MAX)
    { echo x; head -c $((arg_max + 1000)) /dev/zero | tr '\0' a; echo; echo y; } >in
    local st
    wg -k --no-shell -s 99999999 -n 1 echo <in >out 2>err
    st=$?
    status_is 1 "$st" || return 1
    same "the others ran" $'x\ny' "$(cat out)" || return 1
    has "the capped -s said" "^wgrun: warning: -s 99999999 is above the limit of [0-9]+ bytes \(ARG_MAX $arg_max less" "$(cat err)" || return 1
    has "the job named" "^wgrun: job 2: the command is [0-9]+ bytes, over the limit of" "$(cat err)"
}
check "--no-shell: an argument longer than ARG_MAX fails its job; -s above the limit is capped" \
    longer_than_arg_max_no_shell

one_string_limit_no_shell() {
    in_case_dir
    { echo x; head -c 140000 /dev/zero | tr '\0' a; echo; } >in
    wg -k --no-shell -s 1000000 -n 1 echo <in >out 2>err
    status_is 1 $? || return 1
    has "MAX_ARG_STRLEN named" "^wgrun: job 2: one argument of the command is 140001 bytes, over Linux's limit of 131072 bytes for one argument \(MAX_ARG_STRLEN\)" "$(cat err)"
}
check "--no-shell: one argument over 128 KiB fails its job, not exec" one_string_limit_no_shell

shell_s_capped() {
    local err
    err=$(seq 3 | wg -s 500000 echo 2>&1 >/dev/null)
    has "capped to one argument's limit" \
        "^wgrun: warning: -s 500000 is above the limit of 131072 bytes \(Linux's limit on one argument, which a shell command is\): using 131072" \
        "$err"
}
check "-s above 128 KiB is capped for shell commands, with a warning" shell_s_capped

xargs_fills_commands() {
    local out lines
    out=$(seq 100000 | wg --xargs echo) || return 1
    lines=$(printf '%s\n' "$out" | wc -l)
    [ "$(printf '%s\n' "$out" | tr ' ' '\n' | wc -l)" -eq 100000 ] || { echo "values lost"; return 1; }
    # 588895 bytes of values in commands of at most 131072 bytes: 5 or 6.
    [ "$lines" -ge 5 ] && [ "$lines" -le 6 ] || { echo "$lines commands"; return 1; }
    printf '%s\n' "$out" | awk 'length($0) + 6 > 131072 { bad = 1 } END { exit bad }' ||
        { echo "a command over 131072 bytes"; return 1; }
}
check "--xargs fills each command up to 128 KiB and no further" xargs_fills_commands

small_s() {
    local out
    out=$(seq 12 | wg -k -n 2 -s 9 echo) || return 1
    same "commands of at most 9 bytes" $'1 2\n3 4\n5 6\n7 8\n9\n10\n11\n12' "$out"
}
check "-s small: commands of at most N bytes, NUL counted, before -n's count" small_s

# --- -x -----------------------------------------------------------------------

exit_stops_the_run() {
    local out err st
    out=$(seq 20 | wg -k -x -n 5 -s 15 echo 2>"$SANDBOX/x.err")
    st=$?
    err=$(cat "$SANDBOX/x.err")
    status_is 255 "$st" || return 1
    same "the jobs before ran" "1 2 3 4 5" "$out" || return 1
    has "said why" "^wgrun: -x: job 2's arguments do not fit in 15 bytes \(-s 15\): with '10' the command would be 16 bytes; no more jobs are started" "$err"
}
check "-x: a job that cannot have its -n count stops the run, exit 255" exit_stops_the_run

exit_drops_the_pending_job() {
    local out st
    out=$(printf 'aaaa\n%s\ncc\n' "$(head -c 46 /dev/zero | tr '\0' b)" | wg -x -s 20 echo 2>/dev/null)
    st=$?
    status_is 255 "$st" || return 1
    same "nothing ran (xargs -x drops the pending command too)" "" "$out"
}
check "-x: an argument too long alone stops before the pending job, as xargs" \
    exit_drops_the_pending_job

# --- the rest -----------------------------------------------------------------

reads_stdin_as_arguments() {
    local out
    out=$(printf 'a\nb\nc\n' | wg -k -n 2 echo --best) || return 1
    same "one template, stdin's lines appended" $'--best a b\n--best c' "$out"
}
check "-n N cmd args: stdin's lines are the arguments of the whole command" \
    reads_stdin_as_arguments

context_no_shell() {
    local out
    out=$(printf 'a b\nc\n' | wg -k -j1 --no-shell -X "$ARGS_SH" pre{}.x end) || return 1
    same "repeated words under --no-shell" '[prea b.x][prec.x][end]' "$out"
}
check "-X under --no-shell repeats the word per value" context_no_shell

dry_run_packs() {
    local out
    out=$(seq 7 | wg --dry-run -n 3 echo) || return 1
    same "packed commands" $'echo 1 2 3\necho 4 5 6\necho 7' "$out"
}
check "--dry-run shows the packed commands" dry_run_packs

dry_run_too_long() {
    local out st
    out=$({ echo a; head -c 140000 /dev/zero | tr '\0' b; echo; echo c; } |
        wg --dry-run -n 1 echo 2>"$SANDBOX/dry.err")
    st=$?
    status_is 1 "$st" || return 1
    same "the others shown" $'echo a\necho c' "$out" || return 1
    has "the job named" "^wgrun: job 2: the command is 140006 bytes" "$(cat "$SANDBOX/dry.err")"
}
check "--dry-run: a command too long is said, not shown, and counts as failed" dry_run_too_long

million_lines() {
    in_case_dir
    local lines
    /usr/bin/time -f %M -o rss sh -c "seq 1000000 | timeout 120 '$WGRUN' -n 1000 echo >out" ||
        return 1
    lines=$(wc -l <out)
    same "a line per job" 1000 "$lines" || return 1
    same "every value" 1000000 "$(tr ' ' '\n' <out | wc -l)" || return 1
    sanitized && return 0
    [ "$(peak_rss_kb rss)" -lt 65536 ] || { echo "peak RSS $(peak_rss_kb rss) KiB"; return 1; }
}
check "a million lines with -n 1000: 1000 jobs, every value, bounded memory" million_lines

lazy_start() {
    in_case_dir
    # The producer waits for the first job before it writes the rest: a
    # packer that read all input first would hang here.
    { seq 10; sh "$AWAIT" "$CASE/flag" 20; seq 11 20; } |
        wg -k -n 10 "touch '$CASE/flag'; echo" >out || return 1
    same "two jobs of ten" "$(seq 10 | paste -sd' ')"$'\n'"$(seq 11 20 | paste -sd' ')" "$(cat out)"
}
check "jobs start before the input ends" lazy_start

# Packing together with the other parts of the vocabulary.
check "GNU: -N2 {-1} is each job's last value" like_gnu -j1 -N2 echo {-1} {1} ::: a b c d
check "GNU: -X repeats a word holding a Perl expression per value" \
    like_gnu -j1 -X echo 'pre{= s/a/b/ =}post' ::: a1 a2 a3
check "GNU: --colsep with -N1 picks a column" like_gnu -j1 --colsep , -N1 echo {2} ::: a,b c,d

finish
