#!/usr/bin/env bash
# results_gnu_test.sh: --results NAME as GNU parallel names it (NAME/1/VALUE/,
# a per-job NAME, NAME.csv/.tsv/.json tables), --files, and --retries
# writing only the last attempt's output: cross-checks against GNU parallel
# 20221122, and wgrun's own cases (values that try to leave NAME, long
# values, a full disk, the JSON record's dropped_output_bytes).
exec </dev/null
. "$(dirname "$0")/lib.sh"

# --- helpers ---------------------------------------------------------------

# tree_of DIR: every file under DIR (wgrun's own status files left out, GNU
# has none) with its content, one "== PATH" line before each.
tree_of() {
    (cd "$1" && find . -type f ! -name status ! -name '*.status' -print0 | LC_ALL=C sort -z |
        while IFS= read -r -d '' f; do printf '== %s\n' "$f"; cat -- "$f"; printf '\n'; done)
}

# like_gnu_tree ARGS...: GNU parallel and wgrun run ARGS in directories of
# their own (g/ and w/, stdin from $INPUT or /dev/null); the files they
# leave there, with their contents, and their exit statuses must be the
# same. (Their stdouts differ on purpose: GNU 20221122 writes the jobs'
# output only to the files, wgrun to its stdout as well: see
# results_also_written below.)
like_gnu_tree() {
    mkdir g w || return 1
    local theirs ours
    (cd g && gnu "$@" <"${INPUT:-/dev/null}" >../g.out 2>../g.err)
    theirs=$?
    (cd w && wg "$@" <"${INPUT:-/dev/null}" >../w.out 2>../w.err)
    ours=$?
    rm -f g/count.* w/count.*  # the --retries cases' counters
    same "files and contents" "$(tree_of g)" "$(tree_of w)" || return 1
    same "exit status" "$theirs" "$ours"
}

# no_timing SEP FILE: a --results table (CSV or TSV, GNU's quoting) parsed
# and written back as Python lists, one a row, with Starttime and
# JobRuntime made T, and the single quotes taken out of Command (GNU quotes
# every value it puts in a command, wgrun only those the shell needs to).
no_timing() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
with open(sys.argv[2], newline="") as f:
    for i, row in enumerate(csv.reader(f, delimiter=sys.argv[1])):
        if i > 0:
            row[2] = row[3] = "T"
            row[8] = row[8].replace("'", "")
        print(row)
PY
}

# like_gnu_table NAME ARGS...: both write the table NAME (-j1, so the rows
# come in job order); equal but for the timing columns.
like_gnu_table() {
    local name=$1 sep=,
    shift
    case $name in *.tsv) sep=$'\t' ;; esac
    mkdir g w || return 1
    (cd g && gnu -j1 --results "$name" "$@" >../g.out 2>../g.err)
    (cd w && wg -j1 --results "$name" "$@" >../w.out 2>../w.err)
    if [ "${name%.json}" != "$name" ]; then
        same "table" "$(sed -E "s/\"(Starttime|JobRuntime)\": [0-9.]+/\"\\1\": T/g; s/'//g" "g/$name")" \
            "$(sed -E "s/\"(Starttime|JobRuntime)\": [0-9.]+/\"\\1\": T/g; s/'//g" "w/$name")" || return 1
    else
        same "table" "$(no_timing "$sep" "g/$name")" "$(no_timing "$sep" "w/$name")" || return 1
    fi
    # (stdout: GNU writes none, wgrun the jobs' output: results_also_written)
}

# files_shape: stdout with each --files name made TMPDIR/parX.par.
files_shape() { sed -E 's#/par[A-Za-z0-9_]{5,6}\.par$#/parX.par#'; }

# --- cross-checks: --results NAME --------------------------------------------

gnu_results_two_sources() { in_case_dir; like_gnu_tree --results name echo ::: a b ::: c d; }
check "GNU: --results name: name/1/A/2/B/ with seq, stdout, stderr" gnu_results_two_sources

gnu_results_slash() { in_case_dir; like_gnu_tree --results name 'printf "%s\n" {}; echo e{} >&2' ::: 'd/e' '/abs' 'x/'; }
check "GNU: --results name: a / in a value is \\_" gnu_results_slash

gnu_results_backslash_tab() { in_case_dir; like_gnu_tree --results name printf '%s\n' ::: 'a\b' $'t\tab' '\_'; }
check "GNU: --results name: \\ and TAB in values are \\\\ and \\t" gnu_results_backslash_tab

gnu_results_spaces() { in_case_dir; like_gnu_tree --results name printf '%s\n' ::: 'sp ace' ' lead' '"q"' "it's"; }
check "GNU: --results name: spaces and quotes stay in the directory name" gnu_results_spaces

gnu_results_stdin() {
    in_case_dir
    printf 'l1\nl2\n' >input
    like_gnu_tree --results name echo :::: ../input ::: x
}
check "GNU: --results name: a file's lines as source 1 (::::)" gnu_results_stdin

gnu_results_seq_dir() { in_case_dir; like_gnu_tree --results 'r/{#}/' 'echo {}; echo err >&2' ::: a b c; }
check "GNU: --results 'r/{#}/': a directory per job number" gnu_results_seq_dir

gnu_results_file_form() { in_case_dir; like_gnu_tree --results 'f/{1}-{2}' 'echo o{}; echo e{} >&2' ::: x y ::: 1; }
check "GNU: --results 'f/{1}-{2}': the stdout file, .err and .seq beside it" gnu_results_file_form

gnu_results_nested_template() { in_case_dir; like_gnu_tree --results 'out/{1}/{2}/' echo ::: a b ::: c; }
check "GNU: --results 'out/{1}/{2}/': replacement strings make the path" gnu_results_nested_template

gnu_results_status() { in_case_dir; like_gnu_tree --results name 'echo {}; exit {}' ::: 0 1 2; }
check "GNU: --results name: failing jobs are saved too" gnu_results_status


gnu_results_csv() { in_case_dir; like_gnu_table t.csv 'echo {}; echo e >&2' ::: 'a,b' 'c"d' 'plain'; }
check "GNU: --results t.csv: one table, GNU's columns and quoting" gnu_results_csv

gnu_results_csv_two_sources() { in_case_dir; like_gnu_table t.csv 'echo {1}+{2}; exit {2}' ::: x y ::: 0 1; }
check "GNU: --results t.csv: V1 V2 and Exitval" gnu_results_csv_two_sources

gnu_results_tsv() { in_case_dir; like_gnu_table t.tsv echo ::: a 'b c' $'d\te'; }
check "GNU: --results t.tsv: TAB-separated, whitespace quoted" gnu_results_tsv

gnu_results_json() { in_case_dir; like_gnu_table t.json 'printf "%s\n" {}; printf "e\\\\\n" >&2' ::: a 'q"uote' $'ctl\x01'; }
check "GNU: --results t.json: a line per job, GNU's escapes" gnu_results_json

gnu_results_table_on_stdout() {
    in_case_dir
    gnu -j1 --results -.csv 'echo {}; echo err >&2' ::: a b >g.out 2>g.err
    wg -j1 --results -.csv 'echo {}; echo err >&2' ::: a b >w.out 2>w.err
    same "the table on stdout, nothing else" "$(no_timing , g.out)" "$(no_timing , w.out)" || return 1
    same "stderr" "$(cat g.err)" "$(cat w.err)"
}
check "GNU: --results -.csv: the table on stdout, the jobs' output nowhere" gnu_results_table_on_stdout

# --- cross-checks: --files ---------------------------------------------------

gnu_files_keep_order() {
    in_case_dir
    mkdir t
    gnu --tmpdir "$PWD/t" -k --files 'echo out{}' ::: 1 2 3 >g.out || return 1
    wg --tmpdir "$PWD/t" -k --files 'echo out{}' ::: 1 2 3 >w.out || return 1
    same "names printed" "$(files_shape <g.out | sed "s#^$PWD/t#T#")" \
        "$(files_shape <w.out | sed "s#^$PWD/t#T#")" || return 1
    same "what the files hold" "$(cat $(cat g.out))" "$(cat $(cat w.out))"
}
check "GNU: --files -k: a file name per job in job order, the files hold stdout" gnu_files_keep_order

gnu_files_tag() {
    in_case_dir
    mkdir t
    gnu --tmpdir "$PWD/t" -k --tag --files echo ::: a b | files_shape | sed "s#$PWD/t#T#" >g.out
    wg --tmpdir "$PWD/t" -k --tag --files echo ::: a b | files_shape | sed "s#$PWD/t#T#" >w.out
    same "tagged names" "$(cat g.out)" "$(cat w.out)"
}
check "GNU: --files --tag: the tag, a TAB and the name" gnu_files_tag

gnu_files_empty() {
    in_case_dir
    mkdir t
    gnu --tmpdir t --files true ::: 1 >g.out
    wg --tmpdir t --files true ::: 1 >w.out
    same "one name, an empty file" "$(files_shape <g.out) $(wc -c <"$(cat g.out)")" \
        "$(files_shape <w.out) $(wc -c <"$(cat w.out)")"
}
check "GNU: --files: a job with no output still gets its (empty) file" gnu_files_empty

# --- cross-checks: --retries writes the last attempt's output ----------------

# A job that fails its first two attempts; a counter per run and job ($PPID
# is the runner, the same for its jobs; {} the job's value).
RETRY='c=count.$PPID.{}; n=$(cat $c 2>/dev/null || echo 0); n=$((n + 1)); echo $n >$c; echo "attempt $n"; echo "err $n" >&2; [ $n -ge 3 ]'

gnu_retries_group() { in_case_dir; like_gnu --retries 3 "$RETRY" ::: 1; }
check "GNU: --retries 3: only the last attempt's output" gnu_retries_group

gnu_retries_keep_order() { in_case_dir; like_gnu -k -j2 --retries 3 "$RETRY" ::: 1 2; }
check "GNU: --retries 3 -k: only the last attempt's output, in order" gnu_retries_keep_order

gnu_retries_give_up() { in_case_dir; like_gnu --retries 2 "$RETRY" ::: 1; }
check "GNU: --retries 2 that never succeeds: the last attempt's output, its status" gnu_retries_give_up

gnu_retries_ungroup() { in_case_dir; like_gnu -u --retries 3 "$RETRY" ::: 1; }
check "GNU: --retries 3 -u: every attempt's output (it is out already)" gnu_retries_ungroup

# Not a cross-check: GNU 20221122 --line-buffer --retries loses some
# attempts' lines at random (run it a few times: "attempt 1, attempt 3", or
# "attempt 3" alone). wgrun writes every attempt's, as under -u.
retries_line_buffer() {
    in_case_dir
    wg --line-buffer --retries 3 "$RETRY" ::: 1 >out 2>err || { cat err; return 1; }
    same "every attempt" $'attempt 1\nattempt 2\nattempt 3' "$(cat out)"
}
check "--retries 3 --line-buffer: every attempt's output (it is out already)" retries_line_buffer

gnu_retries_results() { in_case_dir; like_gnu_tree --retries 3 --results 'r/{#}/' "$RETRY" ::: 1; }
check "GNU: --retries 3 --results: the last attempt's files" gnu_retries_results

gnu_retries_ungroup_results() { in_case_dir; like_gnu_tree -u --retries 3 --results 'r/{#}/' "$RETRY" ::: 1; }
check "GNU: --retries 3 -u --results: the files hold the last attempt's output" gnu_retries_ungroup_results

gnu_retries_csv() { in_case_dir; like_gnu_table t.csv --retries 3 "$RETRY" ::: 1; }
check "GNU: --retries 3 --results t.csv: the last attempt's row" gnu_retries_csv

# --- wgrun's own cases ---------------------------------------------------------

# GNU 20221122 writes the jobs' output only to --results' files; wgrun
# writes it to its stdout and stderr as well (as it always did: a CI log
# keeps its output), a documented difference.
results_also_written() {
    in_case_dir
    gnu --results g 'echo {}; echo e{} >&2' ::: a b >g.out 2>g.err
    wg --results w 'echo {}; echo e{} >&2' ::: a b >w.out 2>w.err || { cat w.err; return 1; }
    same "GNU's stdout" "" "$(cat g.out)" || return 1
    same "wgrun's stdout" $'a\nb' "$(sort w.out)" || return 1
    same "wgrun's stderr" $'ea\neb' "$(sort w.err)"
}
check "--results NAME: the output is written as well (GNU 20221122 writes only the files)" results_also_written

# Values that would leave NAME in GNU (.., ., "") stay inside it here.
results_values_stay_inside() {
    in_case_dir
    mkdir out
    wg --results out/r 'echo {}' ::: .. . '' / ../x >/dev/null 2>err || { cat err; return 1; }
    same "only out/r, nothing beside it" "r" "$(ls -A out)" || return 1
    same "the places" "$(printf '%s\n' './1/..\_x' './1/\' './1/\.' './1/\..' './1/\_' | sort)" \
        "$(cd out/r && find . -name stdout | sed 's#/stdout$##' | sort)" || return 1
    same "job 1's stdout" ".." "$(cat 'out/r/1/\../stdout')"
}
check "--results: .., ., empty and / values stay inside NAME" results_values_stay_inside

results_long_value() {
    in_case_dir
    local long
    long=$(printf 'v%.0s' $(seq 400))
    wg --results r echo ::: "$long" short >/dev/null 2>err || { cat err; return 1; }
    same "the name cut to 255 bytes" "${long:0:255}" "$(ls r/1 | grep -v short)" || return 1
    same "its stdout" "$long" "$(cat "r/1/${long:0:255}/stdout")"
}
check "--results: a value longer than a file name is cut to 255 bytes" results_long_value

results_bad_template() {
    in_case_dir
    wg --results 'r/{0}/' echo ::: a >out 2>err
    status_is 255 $? || return 1
    has "the error" "^wgrun: --results r/\{0\}/: " "$(cat err)" || return 1
    [ ! -e r ] || { echo "r was made"; return 1; }
}
check "--results with a bad replacement string is a usage error, nothing runs" results_bad_template

results_table_unwritable() {
    in_case_dir
    mkdir ro && chmod 500 ro
    wg --results ro/t.csv 'echo {} >ran' ::: a >out 2>err
    status_is 255 $? || { cat err; return 1; }
    has "the error" "^wgrun: --results ro/t.csv: Permission denied$" "$(cat err)" || return 1
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
[ "$(id -u)" = 0 ] && skip "--results t.csv in a read-only directory: exit 255, no job runs" "root writes anyway" ||
    check "--results t.csv in a read-only directory: exit 255, no job runs" results_table_unwritable

full_disk_results() {
    # One job's 40 kB fit, the other's do not.
    wg -j1 --results "$MNT/r" 'head -c 40000 /dev/zero; echo {}' ::: a b >out 2>err
    status_is 1 $? || { cat err; return 1; }
    has "job's error" "results not saved: .*No space left on device" "$(cat err)" || return 1
    same "stdout still written" 80004 "$(wc -c <out)"
}
full_disk_results_case() { in_case_dir; on_tmpfs 48k full_disk_results; }
check "--results on a full disk: the jobs fail saying so, their output is still written" full_disk_results_case

full_disk_files() {
    wg -j1 --tmpdir "$MNT" --files 'head -c 40000 /dev/zero; echo {}' ::: a b >out 2>err
    status_is 1 $? || { cat err; return 1; }
    has "job's error" "output lost: --files: $MNT/par.*: No space left on device" "$(cat err)" || return 1
    # The file of a failed job is removed; a job that fit keeps its file.
    same "names printed = files left" "$(ls "$MNT" | sed "s#^#$MNT/#" | sort)" "$(sort out)"
}
full_disk_files_case() { in_case_dir; on_tmpfs 48k full_disk_files; }
check "--files on a full disk: the job fails saying so, its file is removed" full_disk_files_case

files_stderr_passed() {
    in_case_dir
    mkdir t
    wg --tmpdir t --files 'echo out; echo err >&2 # {}' ::: 1 >out 2>err || return 1
    same "stderr (GNU 20221122 loses it)" "err" "$(cat err)" || return 1
    same "the file" "out" "$(cat "$(cat out)")"
}
check "--files: stderr is written as usual (GNU loses it)" files_stderr_passed

retries_json_dropped() {
    in_case_dir
    wg --json j.jsonl --retries 3 "$RETRY" ::: 1 >out 2>err || { cat err; return 1; }
    same "stdout" "attempt 3" "$(cat out)" || return 1
    same "stderr" "err 3" "$(cat err)" || return 1
    same "dropped_output_bytes, attempts (2 x 16 bytes)" "32 3" \
        "$(python3 -c 'import json,sys; r=json.loads(open("j.jsonl").readline()); print(r["dropped_output_bytes"], r["attempts"])')"
}
check "--retries: the dropped attempts' bytes are counted in the JSON record" retries_json_dropped

retries_ungroup_json() {
    in_case_dir
    wg -u --json j.jsonl --retries 3 "$RETRY" ::: 1 >out 2>err || { cat err; return 1; }
    same "every attempt" $'attempt 1\nattempt 2\nattempt 3' "$(cat out)" || return 1
    same "nothing dropped" 0 \
        "$(python3 -c 'import json; print(json.loads(open("j.jsonl").readline())["dropped_output_bytes"])')"
}
check "--retries -u: every attempt's output, nothing dropped" retries_ungroup_json

retries_big_output() {
    in_case_dir
    wg --retries 2 'c=count.$PPID; n=$(cat $c 2>/dev/null || echo 0); n=$((n + 1)); echo $n >$c; head -c 3000000 /dev/zero | tr "\0" "$n"; [ $n -ge 2 ]' >out 2>err ||
        { cat err; return 1; }
    same "3 MB of the second attempt only" "3000000 0" "$(tr -cd 2 <out | wc -c) $(tr -cd 1 <out | wc -c)"
}
check "--retries: a retried attempt's 3 MB are dropped, the last one's written whole" retries_big_output

finish
