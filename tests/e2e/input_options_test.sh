#!/usr/bin/env bash
# Where input comes from (issue 14): -I -i -d -E -r --arg-sep --arg-file-sep
# --link --shuf {-n} ::::+ --process-slot-var, :::+ stopping at the shorter
# source, stdin's lines as arguments under those options, and the notice when
# the several-commands form leaves input on stdin unread. Ends with the
# cross-checks against GNU parallel 20221122 and GNU xargs.
. "$(dirname "$0")/lib.sh"
exec </dev/null # no case reads the terminal by accident

# filled_pipe TEXT: fd 3 is the read end of a pipe that holds TEXT and is
# closed for writing: what `producer | wgrun` gives once the producer is
# done, with no race against it.
filled_pipe() {
    exec 3< <(printf '%s' "$1")
    wait "$!"
}

# --- stdin's lines are the arguments of one template ---

capital_i_mv() {
    in_case_dir
    touch a 'b c'
    printf 'a\nb c\n' | wg -j1 -I{} mv {} {}.bak || return 1
    same "files" $'a.bak\nb c.bak' "$(names_in .)"
}
check "find . | wgrun -I{} mv {} {}.bak: the words are one template, stdin's lines its input" capital_i_mv

delimiter_rm() {
    in_case_dir
    touch x 'y z'
    printf 'x\ny z\n' | wg -d '\n' rm || return 1
    same "files left" "" "$(names_in .)"
}
check "... | wgrun -d '\\n' rm: each line is appended to the words, quoted" delimiter_rm

malicious_names_nul() {
    in_case_dir
    mkdir d
    local name names=('$(touch pwned)' '`touch pwned2`' 'a b' ';touch pwned3' $'new\nline' '-rf' "quo'te" '*')
    for name in "${names[@]}"; do touch "d/$name"; done
    (cd d && find . -type f -print0) | wg -d '\0' -I F mv d/F d/F.moved 2>err || { cat err; return 1; }
    [ ! -e pwned ] && [ ! -e d/pwned ] && [ ! -e pwned2 ] && [ ! -e pwned3 ] || { echo "a name ran"; return 1; }
    for name in "${names[@]}"; do
        [ -e "d/$name.moved" ] || { echo "not moved: $name"; ls -A d; return 1; }
    done
    same "files" "${#names[@]}" "$(find d -type f | grep -c '\.moved$')"
}
check "-d '\\0' and -I: malicious names are values, moved and never run" malicious_names_nul

malicious_names_null_flag() {
    in_case_dir
    touch '$(touch pwned)' 'a;b'
    find . -maxdepth 1 -type f -print0 | wg -0 -j1 rm -- || return 1
    [ ! -e pwned ] || return 1
    same "files left" "" "$(names_in .)"
}
check "find -print0 | wgrun -0 rm: -0 alone reads stdin's records as arguments" malicious_names_null_flag

eof_stops_reading() {
    in_case_dir
    printf 'a\nSTOP\nb\nc\n' | wg -j1 -E STOP touch || return 1
    same "files" "a" "$(names_in .)"
}
check "-E STOP: the lines after STOP never run" eof_stops_reading

eof_attached() {
    in_case_dir
    local out
    out=$(printf 'a\nend\nb\n' | wg -j1 -eend echo) || return 1
    same "-eSTR" "a" "$out"
    out=$(printf 'a\nend\nb\n' | wg -j1 --eof=end echo) || return 1
    same "--eof=STR" "a" "$out"
    # -e alone has no value: the next word is the command, as in xargs.
    out=$(printf 'a\nend\n' | wg -j1 -k -e echo) || return 1
    same "-e alone" $'a\nend' "$out"
}
check "-eSTR and --eof=STR as -E; -e alone is no end-of-file string" eof_attached

no_run_if_empty() {
    in_case_dir
    local out
    out=$(printf ' \n\n\t\n' | wg -r touch 2>&1) || return 1
    same "output" "" "$out"
    same "files" "" "$(names_in .)"
    out=$(printf 'a\n\n \nb\n' | wg -k -j1 -r echo x) || return 1
    same "blank lines skipped" $'x a\nx b' "$out"
    # Without -r a blank line is an (empty) argument.
    out=$(printf 'a\n\n' | wg -k -j1 -d '\n' echo x) || return 1
    same "without -r" $'x a\nx ' "$out"
}
check "-r: blank input runs nothing, blank lines are skipped" no_run_if_empty

small_i() {
    local out
    out=$(printf 'a\nb\n' | wg -k -j1 -i echo 'v={}') || return 1
    same "-i alone" $'v=a\nv=b' "$out"
    out=$(printf 'a\n' | wg -iXX echo 'XX-XX') || return 1
    same "-iXX" "a-a" "$out"
    out=$(printf 'a\n' | wg --replace=R echo R) || return 1
    same "--replace=R" "a" "$out"
    out=$(printf 'a\n' | wg --replace echo '{}!') || return 1
    same "--replace" "a!" "$out"
}
check "-i[R] and --replace[=R]: R attached, {} alone; the next word is the command (xargs)" small_i

replace_with_literal_braces() {
    in_case_dir || return 1
    printf 'a\nb c\n' >in
    INPUT=in like_gnu -j1 -I % echo % {} '{.}'
}
check "GNU: -I % leaves a {} in the command as it is (only % is the input)" replace_with_literal_braces

replace_keeps_other_strings() {
    local out
    out=$(wg -k -I XX echo XX '{.}' '{#}' ::: f.c g.h) || return 1
    same "output" $'f.c f 1\ng.h g 2' "$out"
}
check "-I XX: the other replacement strings stay" replace_keeps_other_strings

stdin_arguments_terminal() {
    command -v script >/dev/null || { echo "no script(1)"; return 0; }
    local out
    out=$(script -qec "$WGRUN -I{} echo {}" /dev/null </dev/null 2>&1)
    has "message" "standard input is a terminal" "$out"
}
check "-I with a terminal on stdin is a usage error, not a wait" stdin_arguments_terminal

# --- :::+ and --link ---

linked_stops() {
    local out
    out=$(wg -k echo ::: A B C D E :::+ F G) || return 1
    same "output" $'A F\nB G' "$out"
}
check ":::+ stops at the shorter source (GNU 20221122)" linked_stops

link_wraps() {
    local out
    out=$(wg -k --link echo ::: a b c ::: 1 2) || return 1
    same "output" $'a 1\nb 2\nc 1' "$out"
}
check "--link zips every source, the shorter ones wrapping around" link_wraps

linked_file_first() {
    in_case_dir
    printf 'p\nq\n' >f
    printf '1\n2\n3\n' >g
    local out
    out=$(wg -k echo ::::+ f g) || return 1
    same "::::+ first" $'p 1\nq 2' "$out"
    out=$(wg -k echo :::+ a b ::: 1) || return 1
    same ":::+ first" $'a 1\nb 1' "$out"
}
check "::::+ (or :::+) as the first source: accepted, its files linked to each other" linked_file_first

negative_sources() {
    local out status=0
    out=$(wg -k echo '{-1}' '{-2}' '{-1.}' ::: a ::: b.c) || return 1
    same "output" "b.c a b" "$out"
    out=$(printf 'x/y.z\n' | wg 'echo {-1/.}') || return 1
    same "stdin is one source" "y" "$out"
    out=$(wg echo '{-3}' ::: a ::: b 2>&1) || status=$?
    status_is 255 "$status" || return 1
    has "message" "the command uses \{-3\} but there are only 2 input sources" "$out"
}
check "{-n}: the n-th source from the end, with modifiers; beyond the sources an error" negative_sources

# --- separators, --shuf, --process-slot-var ---

arg_seps() {
    in_case_dir
    printf 'f1\nf2\n' >f
    local out
    out=$(wg -k --arg-sep ,, echo ::: ,, a b) || return 1
    same "--arg-sep" $'::: a\n::: b' "$out"
    out=$(wg -k --arg-file-sep // echo // f ::: x) || return 1
    same "--arg-file-sep" $'f1 x\nf2 x' "$out"
    out=$(wg -k --arg-sep @ echo @ a b @+ 1 2) || return 1
    same "SEP+" $'a 1\nb 2' "$out"
}
check "--arg-sep and --arg-file-sep replace ::: and :::: (and their +)" arg_seps

shuffled() {
    local out nums values
    out=$(wg --shuf -k -j1 'echo {#} {}' ::: $(seq 30)) || return 1
    nums=$(cut -d' ' -f1 <<<"$out" | tr '\n' ' ')
    values=$(cut -d' ' -f2 <<<"$out" | tr '\n' ' ')
    same "job numbers in run order" "$(seq 30 | tr '\n' ' ')" "$nums" || return 1
    [ "$values" != "$(seq 30 | tr '\n' ' ')" ] || { echo "not shuffled (1 in 30!)"; return 1; }
    same "each value once" "$(seq 30)" "$(cut -d' ' -f2 <<<"$out" | sort -n)"
}
check "--shuf: every job once, in a random order, numbered in run order" shuffled

shuffle_reads_all_first() {
    in_case_dir
    # With --shuf no job starts before the input has ended.
    mkfifo in
    wg --shuf -j1 'touch started' :::: in &
    local bg=$!
    exec 4>in
    printf 'a\n' >&4
    sleep 0.3
    [ ! -e started ] || { echo "a job started before the input ended"; exec 4>&-; wait "$bg"; return 1; }
    exec 4>&-
    wait "$bg" || return 1
    [ -e started ]
}
check "--shuf reads all the input before the first job" shuffle_reads_all_first

slot_var() {
    local out
    out=$(wg -k -j1 --process-slot-var SLOT0 'echo $SLOT0-$PARALLEL_JOBSLOT' ::: a b) || return 1
    same "-j1" $'0-1 a\n0-1 b' "$out"
    out=$(wg -j2 --process-slot-var S 'sleep 0.2; echo $S; : {}' ::: a b | sort | tr '\n' ' ') || return 1
    same "-j2" "0 1 " "$out"
}
check "--process-slot-var NAME: NAME is the slot less one in each job" slot_var

# --- the several-commands form and stdin (wgrun(1), Job sources) ---

ci_empty_pipe() {
    local out
    out=$(: | wg -k -j2 'echo a' 'echo b' 2>&1) || return 1
    same "output" $'a\nb' "$out"
    out=$(: | wg 'echo one' 2>&1) || return 1
    same "one command" "one" "$out"
    # An empty pipe still open for writing: nothing waited for.
    out=$(sleep 3 | wg 'echo one' 2>&1) || return 1
    same "open pipe" "one" "$out"
}
check "CI's empty stdin pipe: the commands run, no notice" ci_empty_pipe

cat_list_echo() {
    in_case_dir
    printf 'a\nb\n' >list
    filled_pipe $'a\nb\n'
    local out status=0
    out=$(wg echo <&3 2>err) || status=$?
    status_is 0 "$status" || return 1
    same "stdout" "" "$out"
    same "stderr" "wgrun: standard input was not read: the command ran once, without it; to run a command on each line of input, put {} in it or use -n 1, -I {} or :::: - (see wgrun(1), Job sources)" "$(cat err)"
    # A file on stdin too.
    wg echo <list 2>err || return 1
    has "file" "^wgrun: standard input was not read" "$(cat err)"
}
check "cat list | wgrun echo: one line says stdin was not read and what to use" cat_list_echo

two_words_notice() {
    filled_pipe $'x.html\n'
    local status=0 err
    err=$(wg -j1 echo --best <&3 2>&1 >/dev/null) || status=$?
    status_is 1 "$status" || return 1  # --best is no command: 1 failed, as without stdin
    has "notice" "^wgrun: standard input was not read: each of the 2 words ran as a command of its own;" "$err"
}
check "find | wgrun gzip --best: the notice, and the exit status of the jobs alone" two_words_notice

notice_exit_status() {
    filled_pipe $'a\n'
    local status=0
    wg 'exit 3' 'true' <&3 2>/dev/null || status=$?
    status_is 1 "$status"
}
check "the notice leaves the exit status alone" notice_exit_status

jobs_do_not_read_stdin() {
    in_case_dir
    filled_pipe $'secret\n'
    local out
    out=$(wg 'cat' <&3 2>err) || return 1
    same "the job's stdin" "" "$out"
    has "notice" "^wgrun: standard input was not read" "$(cat err)"
}
check "jobs get /dev/null: the unread input stays unread and is reported" jobs_do_not_read_stdin

no_notice_cases() {
    in_case_dir
    printf 'a\n' >list
    wg echo </dev/null 2>err || return 1
    same "/dev/null" "" "$(cat err)"
    wg -k echo ::: x <list >/dev/null 2>err || return 1
    same "input sources" "" "$(cat err)"
    wg 'echo {}' <list >/dev/null 2>err || return 1
    same "a template read it" "" "$(cat err)"
    wg --dry-run echo <list >/dev/null 2>err || return 1
    has "--dry-run says it too" "^wgrun: standard input was not read" "$(cat err)"
}
check "no notice when stdin is /dev/null, read, or beside input sources" no_notice_cases

# --- cross-checks: GNU parallel 20221122 ---

gnu_inputs() {
    in_case_dir
    printf 'p\nq\n' >f1
    printf '1\n2\n3\n' >f2
    printf 'a,b,,c' >comma
    printf 'a\tb c\td' >tab
    printf 'a\0b c\0' >nul
    printf 'a\nstop\nb\n' >stop
    printf 'a\n\n  \nb\n' >blanks
    printf ' \n\n' >blank_only
    printf 'x/a.tar.gz\ny/b.c\n' >paths
}

g_linked_stop() { gnu_inputs; like_gnu -k echo ::: A B C D E :::+ F G; }
check "GNU: ::: A B C D E :::+ F G stops at the shorter source" g_linked_stop
g_linked_in_product() { gnu_inputs; like_gnu -k echo ::: a b ::: A B C :::+ 1 2; }
check "GNU: a linked pair in a product stops at its shorter source" g_linked_in_product
g_linked_middle() { gnu_inputs; like_gnu -k echo ::: a b :::+ 1 2 3 ::: x y; }
check "GNU: :::+ in the middle of three sources" g_linked_middle
g_link_wraps() { gnu_inputs; like_gnu -k --link echo ::: a b c ::: 1 2; }
check "GNU: --link wraps the shorter source" g_link_wraps
g_link_three() { gnu_inputs; like_gnu -k --link echo ::: a b ::: 1 2 3 :::+ x y; }
check "GNU: --link with :::+ makes one group of all" g_link_three
g_xapply() { gnu_inputs; like_gnu -k --xapply echo ::: a b c ::: 1 2; }
check "GNU: --xapply is --link" g_xapply
g_link_files() { gnu_inputs; like_gnu -k --link echo :::: f1 f2; }
check "GNU: --link with two files" g_link_files
g_file_plus_first() { gnu_inputs; like_gnu -k echo ::::+ f1 f2; }
check "GNU: ::::+ as the first source" g_file_plus_first
g_args_plus_first() { gnu_inputs; like_gnu -k echo :::+ a b ::: 1 2; }
check "GNU: :::+ as the first source" g_args_plus_first
g_file_linked() { gnu_inputs; like_gnu -k echo :::: f1 ::::+ f2; }
check "GNU: :::: f ::::+ g stops at the shorter file" g_file_linked
g_neg() { gnu_inputs; like_gnu -k echo '{-1}' '{-2}' ::: a ::: b; }
check "GNU: {-1} {-2}" g_neg
g_neg_mod() { gnu_inputs; like_gnu -k echo '{-1.}' '{-1/}' '{-2//}' ::: x/a.b ::: y/c.d; }
check "GNU: {-n} with modifiers" g_neg_mod
g_neg_stdin() { gnu_inputs; INPUT=paths like_gnu -k echo '{-1/.}' :::: -; }
check "GNU: {-1} with stdin as the only source" g_neg_stdin
g_capital_i() { gnu_inputs; like_gnu -k -I @@ echo pre-@@-post ::: a b; }
check "GNU: -I @@" g_capital_i
g_capital_i_ext() { gnu_inputs; like_gnu -k -I XX echo XX 'XX{.}' ::: a.b c; }
check "GNU: -I XX keeps {.}" g_capital_i_ext
g_small_i() { gnu_inputs; like_gnu -k -iZZ echo ZZ ::: a b; }
check "GNU: -iZZ" g_small_i
g_replace_eq() { gnu_inputs; like_gnu -k --replace=R echo R-R ::: a; }
check "GNU: --replace=R" g_replace_eq
g_delim_comma() { gnu_inputs; INPUT=comma like_gnu -k -d , echo x; }
check "GNU: -d , (an empty record is an empty argument)" g_delim_comma
g_delim_tab() { gnu_inputs; INPUT=tab like_gnu -k -d '\t' echo '[{}]'; }
check "GNU: -d '\\t'" g_delim_tab
g_delim_nul() { gnu_inputs; INPUT=nul like_gnu -k -d '\0' echo '[{}]'; }
check "GNU: -d '\\0'" g_delim_nul
g_delim_file() { gnu_inputs; like_gnu -k -d , echo :::: comma; }
check "GNU: -d applies to :::: files" g_delim_file
g_eof_stdin() { gnu_inputs; INPUT=stop like_gnu -k -E stop echo; }
check "GNU: -E stop on stdin" g_eof_stdin
g_eof_args() { gnu_inputs; like_gnu -k -E stop echo ::: a stop b; }
check "GNU: -E stop on a ::: source" g_eof_args
g_eof_attached() { gnu_inputs; INPUT=stop like_gnu -k -estop echo; }
check "GNU: -estop" g_eof_attached
g_eof_long() { gnu_inputs; INPUT=stop like_gnu -k --eof=stop echo; }
check "GNU: --eof=stop" g_eof_long
g_r_stdin() { gnu_inputs; INPUT=blanks like_gnu -k -r echo x; }
check "GNU: -r skips blank lines" g_r_stdin
g_r_blank_only() { gnu_inputs; INPUT=blank_only like_gnu -k -r echo x; }
check "GNU: -r with only blanks runs nothing" g_r_blank_only
g_r_args() { gnu_inputs; like_gnu -k -r echo ::: a '' ' ' b; }
check "GNU: -r on a ::: source" g_r_args
g_arg_sep() { gnu_inputs; like_gnu -k --arg-sep ,, echo ,, a b; }
check "GNU: --arg-sep" g_arg_sep
g_arg_sep_plus() { gnu_inputs; like_gnu -k --arg-sep @ echo @ a b c @+ 1 2; }
check "GNU: --arg-sep SEP+" g_arg_sep_plus
g_arg_sep_literal() { gnu_inputs; like_gnu -k --arg-sep ,, echo ::: ,, a; }
check "GNU: with --arg-sep, ::: is a word" g_arg_sep_literal
g_arg_file_sep() { gnu_inputs; like_gnu -k --arg-file-sep // echo // f1 ::: x y; }
check "GNU: --arg-file-sep" g_arg_file_sep
g_slot_var() { gnu_inputs; like_gnu -k -j1 --process-slot-var S 'echo $S {}' ::: a b; }
check "GNU: --process-slot-var" g_slot_var
g_shuf() { gnu_inputs; like_gnu -s --shuf echo ::: a b c d e; }
check "GNU: --shuf runs every job once" g_shuf

# --- cross-checks: GNU xargs ---

# wgrun runs several jobs at once where xargs runs one: sorted output (-s)
# where there are several.
x_capital_i() { gnu_inputs; INPUT=paths like_xargs -s -I{} echo '[{}]' '{}'; }
check "xargs: -I{}" x_capital_i
x_capital_i_pct() { gnu_inputs; INPUT=f2 like_xargs -s -I % echo %-% x; }
check "xargs: -I %" x_capital_i_pct
x_small_i() { gnu_inputs; INPUT=f1 like_xargs -s -i echo 'v={}'; }
check "xargs: -i alone, the next word the command" x_small_i
x_small_i_attached() { gnu_inputs; INPUT=f1 like_xargs -s -iQ echo Q Q; }
check "xargs: -iQ" x_small_i_attached
x_replace() { gnu_inputs; INPUT=f1 like_xargs -s --replace=Q echo Q; }
check "xargs: --replace=Q" x_replace
x_delim_comma() { gnu_inputs; INPUT=comma like_xargs -s -d , -I{} echo '[{}]'; }
check "xargs: -d , -I{}" x_delim_comma
x_delim_hex() { gnu_inputs; INPUT=comma like_xargs -s -d '\x2c' -I{} echo '[{}]'; }
check "xargs: -d '\\x2c'" x_delim_hex
x_delim_octal() { gnu_inputs; INPUT=comma like_xargs -s -d '\054' -I{} echo '[{}]'; }
check "xargs: -d '\\054'" x_delim_octal
x_delim_tab() { gnu_inputs; INPUT=tab like_xargs -s -d '\t' -I{} echo '[{}]'; }
check "xargs: -d '\\t'" x_delim_tab
x_null() { gnu_inputs; INPUT=nul like_xargs -s -0 -I{} echo '[{}]'; }
check "xargs: -0 -I{}" x_null
x_eof() { gnu_inputs; INPUT=stop like_xargs -s -E stop -I{} echo '[{}]'; }
check "xargs: -E stop" x_eof
x_r_empty() { gnu_inputs; like_xargs -r echo x; }
check "xargs: -r with no input runs nothing" x_r_empty
x_r_blank() { gnu_inputs; INPUT=blank_only like_xargs -r -I{} echo x; }
check "xargs: -r with blank input runs nothing" x_r_blank
x_slot_var() {
    gnu_inputs
    printf '#!/bin/sh\necho "$S $1"\n' >show && chmod +x show
    printf 'p\n' >one  # one job: slot 0 in both (xargs -P1, wgrun -j CPUs)
    INPUT=one like_xargs -I{} --process-slot-var=S ./show {}
}
check "xargs: --process-slot-var" x_slot_var
x_bad_delim() {
    gnu_inputs
    local status=0
    like_xargs -d ab echo >/dev/null && { echo "both accepted -d ab"; return 1; }
    wg -d ab echo 2>/dev/null || status=$?
    xargs -d ab echo </dev/null 2>/dev/null
    [ "$?" -ne 0 ] && status_is 255 "$status"
}
check "xargs: -d ab is an error in both (wgrun: 255, a usage error)" x_bad_delim

finish
