#!/usr/bin/env bash
# pipe_test.sh: --pipe (--spreadstdin) and --pipepart: stdin or a file cut
# into blocks at record boundaries, each block on one job's stdin.
# Cross-checked with GNU parallel 20221122 on the same input (exact under
# -k, sorted otherwise): line records and --block sizes (k = 1000, K =
# 1024), -N, multi-byte --recstart/--recend, --regexp, --header, -0 (as
# GNU's --recend '\0'), a record bigger than the block (one warning),
# binary data with --recend '' (exact block sizes), empty input, input
# without a final newline, --rrs, --tee, --cat, --fifo, --pipepart with
# --block -N and --header, --tag, -k, {#}, --results, a job failing
# mid-block (joblog Seq, exit status), --halt now. wgrun's own: --round-robin
# starts at most -j jobs and hands every record over once; --retries gives a
# block's bytes again; --json per block; no temporary file left after the
# run or after SIGINT; a --fifo job that never opens {} hangs nothing;
# --pipepart on a FIFO is a usage error; bounded memory on a big input, and
# back-pressure on a slow consumer (the input is not read ahead).
. "$(dirname "$0")/lib.sh"
exec </dev/null # no case reads the terminal by accident

# --- inputs ------------------------------------------------------------------

SEQ10=$SANDBOX/seq10 && seq 10 >"$SEQ10"
SEQ1000=$SANDBOX/seq1000 && seq 1000 >"$SEQ1000"
SEQ100K=$SANDBOX/seq100k && seq 100000 >"$SEQ100K"    # 588895 bytes
SEQ200K=$SANDBOX/seq200k && seq 200000 >"$SEQ200K"    # 1.2 MB: past any pipe buffer
SEQ1M=$SANDBOX/seq1m && seq 1000000 >"$SEQ1M"          # 6.9 MB: 7 blocks of 1M
# Multi-line records <r>N ... </r>, one to four lines each.
RECS=$SANDBOX/recs
awk 'BEGIN { srand(3); for (i = 1; i <= 3000; i++) { printf "<r>%d", i
    n = int(rand() * 4); for (j = 0; j < n; j++) printf "\nline %d.%d", i, j; printf "</r>\n" } }' >"$RECS"
RECS5=$SANDBOX/recs5 && printf '<r>a\nb</r>\n<r>c</r>\n<r>dd\n</r>\n<r>e</r>\n' >"$RECS5"
CRLF=$SANDBOX/crlf && seq 20000 | sed 's/$/\r/' >"$CRLF"
# FASTA-like: a '>' starts a record, and '>' also comes inside a line.
FASTA=$SANDBOX/fasta
awk 'BEGIN { srand(7); for (i = 1; i <= 2000; i++) { printf ">seq%d gene a->b\n", i
    n = 1 + int(rand() * 5); for (j = 0; j < n; j++) { s = ""
        for (k = 0; k < 60; k++) s = s substr("ACGT", 1 + int(rand() * 4), 1); print s } } }' >"$FASTA"
# Words; a record ends in ".\n" or ";\n", other lines end in " \n".
TEXT=$SANDBOX/text
awk 'BEGIN { srand(5); for (i = 1; i <= 5000; i++) { r = rand()
    printf "word%d%s\n", i, (r < 0.2 ? "." : r < 0.4 ? ";" : " ") } }' >"$TEXT"
CSV=$SANDBOX/csv && { echo "id,name"; seq 1000 | sed 's/$/,x/'; } >"$CSV"
HEADER_ONLY=$SANDBOX/header_only && echo "id,name" >"$HEADER_ONLY"
NULS=$SANDBOX/nuls && printf 'rec %d\nline two\0' $(seq 3000) >"$NULS"
BIN=$SANDBOX/bin && head -c 1000000 /dev/urandom >"$BIN"
BIN1=$SANDBOX/bin1 && head -c 1000001 /dev/urandom >"$BIN1"
# A 5001-byte line between short ones.
BIG=$SANDBOX/big && { seq 10; head -c 5000 /dev/zero | tr '\0' a; echo; seq 10; } >"$BIG"
BIG2=$SANDBOX/big2 && { seq 10; head -c 5000 /dev/zero | tr '\0' a; echo; seq 3000; } >"$BIG2"
ABC=$SANDBOX/abc && printf 'a\nb\nc' >"$ABC"
NOEOL=$SANDBOX/noeol && { seq 1000; printf 'tail'; } >"$NOEOL"

# $SUM: a job that prints its number and the md5sum of its block: two runs
# print the same lines when they cut at the same places.
SUM='echo "{#} $(md5sum)"'

# sh $HDR N: prints N, the block's first line and its number of lines.
HDR=$SANDBOX/hdr.sh
printf '%s\n' 'awk -v n="$1" '\''NR == 1 { h = $0 } END { print n, h, NR }'\' >"$HDR"

# sum_of FILE: the sum of the numbers FILE's lines start with.
sum_of() { awk '{ s += $1 } END { print s + 0 }' "$1"; }

# joblog_rows FILE: "Seq Exitval Signal" of each row of job log FILE, by Seq.
joblog_rows() { awk -F '\t' 'NR > 1 { print $1, $7, $8 }' "$1" | sort -n; }

# bg_from IN OUT COMMAND...: COMMAND (a wgrun command line, maybe behind
# env) in the background with stdin from IN, SIGINT, SIGTERM and SIGHUP at
# their defaults, stdout to OUT and stderr to $CASE/err; sets BG to its pid.
# (in_background's wgrun has /dev/null as stdin: a background command gets
# it unless it is redirected itself.)
bg_from() {
    local in=$1 out=$2
    shift 2
    perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP); exec @ARGV or die "exec: $!"' \
        "$@" <"$in" >"$out" 2>"$CASE/err" &
    BG=$!
}

# --- line records ------------------------------------------------------------

INPUT=$SEQ100K check "GNU: --block 10k -k wc -l: the same cut points (k is 1000)" \
    like_gnu -k --pipe --block 10k wc -l
INPUT=$SEQ100K check "GNU: -j4 without -k: the same blocks, in any order" \
    like_gnu -s -j4 --pipe --block 20k "$SUM"
INPUT=$SEQ100K check "GNU: --spreadstdin --block-size 20K (K is 1024)" \
    like_gnu -k --spreadstdin --block-size 20K wc -l
INPUT=$SEQ100K check "GNU: --blocksize 30000" like_gnu -k --pipe --blocksize 30000 wc -l
INPUT=$SEQ1M check "GNU: the default --block is 1M" like_gnu -k --pipe wc -l
INPUT=$SEQ1M check "GNU: --block 1m is 10^6 bytes" like_gnu -k --pipe --block 1m wc -l
INPUT=$SEQ100K check "GNU: {#} counts blocks" like_gnu -k --pipe --block 50k 'wc -l >/dev/null; echo {#}'
INPUT=$SEQ10 check "GNU: --tag with --pipe (no value: an empty tag)" like_gnu -k --pipe --tag -N 5 wc -l
INPUT=$SEQ10 check "GNU: -N 3: three records a job, a short last one" \
    like_gnu -k --pipe -N 3 'echo "[{#}]"; cat'
INPUT=$SEQ100K check "GNU: -N 10000" like_gnu -k --pipe -N 10000 wc -l
INPUT=$SEQ100K check "GNU: -k with jobs ending out of order" \
    like_gnu -k -j4 --pipe --block 50k 'sleep 0.$(( 3 - {#} % 4 )); echo "[{#}]"; wc -l'

keep_order_bytes() {
    in_case_dir
    wg -k -j4 --pipe --block 10k 'sleep 0.0$(( {#} % 3 )); cat' <"$SEQ100K" >out || return 1
    cmp out "$SEQ100K" && echo "identical"
}
check "-k: the blocks' output put together is the input, byte for byte" keep_order_bytes

# --- other record separators ------------------------------------------------------

INPUT=$RECS check "GNU: --recstart '<r>' --recend '</r>\n' (multi-byte)" \
    like_gnu -k --pipe --recstart '<r>' --recend '</r>\n' --block 4k "$SUM"
INPUT=$RECS check "GNU: --recstart/--recend with -N 200" \
    like_gnu -k --pipe --recstart '<r>' --recend '</r>\n' -N 200 "$SUM"
INPUT=$RECS check "GNU: --recstart alone" like_gnu -k --pipe --recstart '<r>' --block 4k "$SUM"
INPUT=$CRLF check "GNU: --recend '\r\n' alone" like_gnu -k --pipe --recend '\r\n' --block 10k "$SUM"
INPUT=$FASTA check "GNU: FASTA --recstart '>' (also cuts at the '>' inside lines)" \
    like_gnu -k --pipe --recstart '>' --block 20k "$SUM"
INPUT=$FASTA check "GNU: FASTA --recend '\n' --recstart '>'" \
    like_gnu -k --pipe --recend '\n' --recstart '>' --block 20k "$SUM"
INPUT=$FASTA check "GNU: --regexp --recstart '^>'" \
    like_gnu -k --pipe --regexp --recstart '^>' --block 20k "$SUM"
INPUT=$FASTA check "GNU: --regex --recstart '^>' -N 100" \
    like_gnu -k --pipe --regex --recstart '^>' -N 100 "$SUM"
INPUT=$FASTA check "GNU: --regexp --recend '\n' --recstart '>seq[0-9]+ '" \
    like_gnu -k --pipe --regexp --recend '\n' --recstart '>seq[0-9]+ ' --block 20k "$SUM"
INPUT=$TEXT check "GNU: --regexp --recend '[.;]\n'" \
    like_gnu -k --pipe --regexp --recend '[.;]\n' --block 4k "$SUM"
INPUT=$TEXT check "GNU: --regexp --recend '\.\n|;\n' (the | inside the separator)" \
    like_gnu -k --pipe --regexp --recend '\.\n|;\n' --block 4k "$SUM"
INPUT=$NULS check "GNU: --recend '\0'" like_gnu -k --pipe --recend '\0' --block 4k "$SUM"

# GNU 20221122's -0 does not change --pipe's records (they still end in \n:
# its input here would be one block, grown to hold it, with a warning per
# growth); wgrun's -0 means NUL-ended records: GNU's --recend '\0'.
null_records() {
    in_case_dir
    gnu --pipe --recend '\0' --block 4k -k "$SUM" <"$NULS" >theirs || return 1
    wg --pipe -0 --block 4k -k "$SUM" <"$NULS" >ours 2>err || { cat err; return 1; }
    same "-0 blocks, as GNU's --recend '\\0'" "$(cat theirs)" "$(cat ours)" || return 1
    wg --pipe --null --block 4k -k "$SUM" <"$NULS" >ours 2>err || { cat err; return 1; }
    same "--null blocks" "$(cat theirs)" "$(cat ours)" || return 1
    [ ! -s err ] || { echo "stderr: $(cat err)"; return 1; }
}
check "-0/--null: NUL-ended records, cut as GNU's --recend '\\0'" null_records

INPUT=$RECS5 check "GNU: --rrs -N 1 removes --recstart and --recend" \
    like_gnu -k --pipe --recstart '<r>' --recend '</r>\n' -N 1 --rrs 'echo "[{#}]"; cat; echo'
INPUT=$RECS check "GNU: --remove-rec-sep with --block" \
    like_gnu -k --pipe --recstart '<r>' --recend '</r>\n' --block 4k --remove-rec-sep "$SUM"
INPUT=$SEQ10 check "GNU: --rrs -N 3 with line records" like_gnu -k --pipe --rrs -N 3 'echo "[{#}]"; cat; echo'

# --- headers ---------------------------------------------------------------------

INPUT=$CSV check "GNU: --header : gives every block the first line" \
    like_gnu -k --pipe --header : --block 1k "sh $HDR {#}"
INPUT=$CSV check "GNU: --header 2" like_gnu -k --pipe --header 2 --block 1k "sh $HDR {#}"
INPUT=$CSV check "GNU: --header REGEX" like_gnu -k --pipe --header 'id,.*\n' --block 1k "sh $HDR {#}"
INPUT=$CSV check "GNU: --header : with -N 100" like_gnu -k --pipe --header : -N 100 "sh $HDR {#}"
INPUT=$HEADER_ONLY check "GNU: --header : on a header alone: no job" \
    like_gnu -k --pipe --header : 'echo ran; cat'

header_first_in_every_job() {
    in_case_dir
    wg -j4 --pipe --header : --block 1k 'awk "NR == 1"' <"$CSV" >out || return 1
    same "first lines" "id,name" "$(sort -u out)" || return 1
    [ "$(wc -l <out)" -gt 3 ] || { echo "only $(wc -l <out) jobs"; return 1; }
}
check "--header :: every job's stdin starts with the header" header_first_in_every_job

# --- a record bigger than the block ------------------------------------------

INPUT=$BIG check "GNU: a 5001-byte record with --block 1k is not cut" like_gnu -k --pipe --block 1k 'wc -c'
INPUT=$BIG2 check "GNU: after a big record the blocks are cut as GNU cuts them (the grown block stays)" \
    like_gnu -k --pipe --block 1k 'wc -l'

big_record_one_warning() {
    in_case_dir
    wg --pipe --block 100 -k cat <"$BIG" >out 2>err || { cat err; return 1; }
    cmp out "$BIG" || return 1
    has "a warning" "[Ww]arning" "$(cat err)" || return 1
    same "warnings (GNU prints one per growth: 15 here)" 1 "$(grep -ci warning err)"
}
check "a record bigger than the block: the block grows, one warning on stderr" big_record_one_warning

# --- binary data --------------------------------------------------------------------

INPUT=$BIN check "GNU: --recend '' cuts binary data at exactly --block bytes" \
    like_gnu -k --pipe --recend '' --block 100k 'wc -c'
INPUT=$BIN1 check "GNU: --recend '' --block 300000 on 1000001 bytes" \
    like_gnu -k --pipe --recend '' --block 300000 'wc -c'

binary_exact() {
    in_case_dir
    wg -k -j4 --pipe --recend '' --block 100k 'wc -c' <"$BIN" >sizes || return 1
    same "block sizes" "$(printf '100000\n%.0s' $(seq 10))" "$(cat sizes)" || return 1
    wg -k -j4 --pipe --recend '' --block 100k cat <"$BIN" >out || return 1
    same "md5sum of the -k output" "$(md5sum <"$BIN")" "$(md5sum <out)"
}
check "--recend '': blocks of exactly --block bytes; -k cat gives the input back" binary_exact

# --- empty input, no final newline ------------------------------------------------

check "GNU: empty input: no job, exit 0" like_gnu --pipe 'cat; echo ran'

empty_input_runs_nothing() {
    in_case_dir
    local opts st
    for opts in "" "-N 2" "--round-robin" "--cat" "--fifo" "--header :" "--recend ''" \
        "--regexp --recstart '^>'" "-k --block 10"; do
        eval "wg --pipe --joblog log $opts 'cat {} >/dev/null; echo ran'" </dev/null >out 2>err
        st=$?
        status_is 0 "$st" || { echo "with --pipe $opts"; cat err; return 1; }
        same "stdout with --pipe $opts" "" "$(cat out)" || return 1
        same "joblog rows with --pipe $opts" 1 "$(wc -l <log)" || return 1
    done
    : >empty
    wg --pipepart -a empty 'cat; echo ran' >out 2>err || { cat err; return 1; }
    same "stdout of --pipepart on an empty file" "" "$(cat out)"
}
check "empty input: no job, exit 0 (-N, --round-robin, --cat, --fifo, --header, --pipepart...)" \
    empty_input_runs_nothing

INPUT=$ABC check "GNU: no final newline: the last block holds the rest" \
    like_gnu -k --pipe --block 3 'echo "[{#}]"; cat; echo "|"'
INPUT=$ABC check "GNU: no final newline with -N 2" like_gnu -k --pipe -N 2 'echo "[{#}]"; cat; echo "|"'
INPUT=$NOEOL check "GNU: no final newline, --block 1k" like_gnu -k --pipe --block 1k "$SUM"

# --- --round-robin ---------------------------------------------------------------------

round_robin() {
    in_case_dir
    local opt n
    for opt in --round-robin --roundrobin --round; do
        wg -j3 --pipe "$opt" --block 10k 'echo "started $$"; cat' <"$SEQ100K" >out 2>err ||
            { echo "$opt"; cat err; return 1; }
        same "$opt: every record once (sorted md5sum)" "$(sort "$SEQ100K" | md5sum)" \
            "$(grep -v '^started' out | sort | md5sum)" || return 1
        n=$(grep -c '^started' out)
        [ "$n" -ge 1 ] && [ "$n" -le 3 ] || { echo "$opt: $n jobs started, at most 3 expected"; return 1; }
        same "$opt: distinct jobs" "$n" "$(grep '^started' out | sort -u | wc -l)" || return 1
    done
}
check "--round-robin (and its aliases): at most -j jobs, every record exactly once" round_robin

round_robin_counts_match_gnu() {
    in_case_dir
    gnu -j2 --pipe --round-robin --block 10k wc -l <"$SEQ100K" >theirs || return 1
    wg -j2 --pipe --round-robin --block 10k wc -l <"$SEQ100K" >ours || return 1
    same "total lines" "$(sum_of theirs)" "$(sum_of ours)" || return 1
    [ "$(wc -l <ours)" -le 2 ] || { echo "more than 2 jobs: $(cat ours)"; return 1; }
}
check "GNU: --round-robin -j2: the same total, at most 2 jobs" round_robin_counts_match_gnu

# --- --tee ----------------------------------------------------------------------------

INPUT=$SEQ1000 check "GNU: --tee --tag 'grep {} | wc -l' ::: 4 5 6" \
    like_gnu -s --pipe --tee --tag 'grep {} | wc -l' ::: 4 5 6
INPUT=$SEQ1000 check "GNU: --tee -k runs all 8 at once by default (-j 0)" \
    like_gnu -k --pipe --tee --tag 'grep {} | wc -l' ::: 1 2 3 4 5 6 7 8
INPUT=$SEQ200K check "GNU: --tee: every job gets the whole of a 1.2 MB stdin" \
    like_gnu -k --pipe --tee 'echo {} $(md5sum)' ::: 1 2 3
INPUT=$SEQ200K check "GNU: --tee: a job that reads nothing does not stop the others" \
    like_gnu -k --pipe --tee 'if [ {} = 2 ]; then echo 2 quit; else echo {} $(md5sum); fi' ::: 1 2 3
INPUT=$SEQ1000 check "GNU: --tee with -j below the number of jobs: an error, 255" \
    like_gnu --pipe --tee -j2 'grep {} | wc -l' ::: 4 5 6

tee_too_few_jobs_said() {
    local err
    err=$(wg --pipe --tee -j2 'grep {} | wc -l' ::: 4 5 6 <"$SEQ1000" 2>&1 >/dev/null)
    status_is 255 $? || return 1
    has "stderr names --tee" "tee" "$err"
}
check "--tee with too low -j says why" tee_too_few_jobs_said

# --- --cat and --fifo: temporary files -------------------------------------------

INPUT=$SEQ100K check "GNU: --cat: {} is a file holding the block" \
    like_gnu -k --pipe --cat --block 50k 'wc -l <{}'
INPUT=$SEQ100K check "GNU: --fifo: {} is a named pipe with the block" \
    like_gnu -k --pipe --fifo --block 50k 'wc -l <{}'

cat_files_removed() {
    in_case_dir
    mkdir tmp
    TMPDIR=$CASE/tmp wg -j2 --pipe --cat --block 10k 'test -f {} && echo "{} $(wc -l <{})"' \
        <"$SEQ100K" >out 2>err || { cat err; return 1; }
    same "lines" 100000 "$(awk '{ s += $2 } END { print s }' out)" || return 1
    same "paths outside \$TMPDIR" "" "$(awk '{ print $1 }' out | grep -v "^$CASE/tmp/")" || return 1
    same "distinct paths" "$(wc -l <out)" "$(awk '{ print $1 }' out | sort -u | wc -l)" || return 1
    same "left in \$TMPDIR" "" "$(names_in tmp)" || return 1
    # Failing jobs too.
    wg -j2 --pipe --cat --tmpdir "$CASE/tmp" --block 100k 'wc -l <{} >/dev/null; exit 1' \
        <"$SEQ100K" >out 2>err
    status_is 6 $? || return 1
    same "left in --tmpdir after failing jobs" "" "$(names_in tmp)"
}
check "--cat: {} in \$TMPDIR, a file per block, none left after the run" cat_files_removed

fifo_files_removed() {
    in_case_dir
    mkdir tmp
    wg -j2 --pipe --fifo --tmpdir "$CASE/tmp" --block 10k 'test -p {} && echo "{} $(wc -l <{})"' \
        <"$SEQ100K" >out 2>err || { cat err; return 1; }
    same "lines" 100000 "$(awk '{ s += $2 } END { print s }' out)" || return 1
    same "paths outside --tmpdir" "" "$(awk '{ print $1 }' out | grep -v "^$CASE/tmp/")" || return 1
    same "left in --tmpdir" "" "$(names_in tmp)"
}
check "--fifo: {} a named pipe in --tmpdir, none left after the run" fifo_files_removed

# GNU 20221122 hangs here (it opens the FIFO for writing, and no one reads).
fifo_never_opened() {
    in_case_dir
    mkdir tmp
    timeout 20 "$WGRUN" -j2 --pipe --fifo --tmpdir "$CASE/tmp" --block 100k 'echo {#}' \
        <"$SEQ100K" >out 2>err
    local st=$?
    [ "$st" -ne 124 ] || { echo "still running after 20 s"; return 1; }
    same "jobs" "$(seq 6)" "$(sort -n out)" || return 1
    same "left in --tmpdir" "" "$(names_in tmp)"
}
check "--fifo: jobs that never open {} do not hang the run; none left" fifo_never_opened

# sigint_leaves_no_temp MODE COMMAND: wgrun --pipe MODE with two jobs
# running COMMAND (MARK in it made $MARK, CASE $CASE: it notes its start in
# $CASE/started, then sleeps), temporary files in $CASE/tmp (by
# --tmpdir, or by $TMPDIR for --cat); SIGINT to wgrun: it ends with 130, the
# jobs with it, and $CASE/tmp is empty.
sigint_leaves_no_temp() {
    local mode=$1 command=$2
    in_case_dir
    new_mark
    mkdir tmp
    command=${command//MARK/$MARK}
    command=${command//CASE/$CASE}
    if [ "$mode" = --cat ]; then
        bg_from "$SEQ100K" out env TMPDIR="$CASE/tmp" "$WGRUN" -j2 --pipe --cat --block 10k "$command"
    else
        bg_from "$SEQ100K" out "$WGRUN" -j2 --pipe "$mode" --tmpdir "$CASE/tmp" --block 10k "$command"
    fi
    started 2 || { echo "the jobs did not start"; cat err; kill -KILL "$BG"; kill_marked; return 1; }
    [ -n "$(names_in tmp)" ] || echo "(no temporary file seen while the jobs ran)"
    kill -INT "$BG"
    finished_bg 30 || { kill_marked; return 1; }
    status_is 130 "$ST" || { cat err; kill_marked; return 1; }
    none_left || return 1
    same "left in the temporary directory" "" "$(names_in tmp)"
}
check "SIGINT with --cat (TMPDIR): 130, jobs ended, no temporary file left" \
    sigint_leaves_no_temp --cat 'cat {} >/dev/null; echo x >>CASE/started; sleep MARK'
check "SIGINT with --fifo: 130, jobs ended, no FIFO left" \
    sigint_leaves_no_temp --fifo 'cat {} >/dev/null; echo x >>CASE/started; sleep MARK'
check "SIGINT with --fifo whose jobs have not opened {}: 130, no FIFO left" \
    sigint_leaves_no_temp --fifo 'echo x >>CASE/started; sleep MARK; cat {} >/dev/null'

# --- --pipepart -----------------------------------------------------------------------

check "GNU: --pipepart -a FILE --block 10k" like_gnu -k --pipepart -a "$SEQ100K" --block 10k wc -l
check "GNU: --pipepart's default --block is -10 (10 blocks a job slot)" \
    like_gnu -k -j2 --pipepart -a "$SEQ100K" wc -l
check "GNU: --pipepart --block -2 -j2" like_gnu -k -j2 --pipepart -a "$SEQ100K" --block -2 wc -l
check "GNU: --pipe-part --block -2 -j3" like_gnu -k -j3 --pipe-part -a "$SEQ100K" --block -2 "$SUM"
check "GNU: --pipepart --header :" like_gnu -k --pipepart -a "$CSV" --header : --block 1k "sh $HDR {#}"
check "GNU: --pipepart --header : --block -2 -j2" \
    like_gnu -k -j2 --pipepart -a "$CSV" --header : --block -2 "sh $HDR {#}"
check "GNU: --pipepart with --recstart/--recend" \
    like_gnu -k --pipepart -a "$RECS" --recstart '<r>' --recend '</r>\n' --block 4k "$SUM"
check "GNU: --pipepart --recend '' cuts at exact offsets" \
    like_gnu -k --pipepart -a "$BIN1" --recend '' --block 300000 'wc -c'

pipepart_fifo_refused() {
    in_case_dir
    mkfifo f
    timeout 5 "$WGRUN" --pipepart -a f wc -l >out 2>err
    local st=$?
    [ "$st" -ne 124 ] || { echo "wgrun waited on the FIFO for 5 s"; return 1; }
    status_is 255 "$st" || { cat err; return 1; }
    gnu --pipepart -a f wc -l >/dev/null 2>&1
    status_is 255 $? # GNU: "f is neither a file nor a block device"
}
check "GNU: --pipepart on a FIFO: a usage error (255), as GNU's, without opening it" pipepart_fifo_refused

block_error_names_block() {
    local err
    err=$(wg --pipe --block abc wc -l <"$SEQ10" 2>&1 >/dev/null)
    status_is 255 $? || return 1
    has "stderr" "--block" "$err" || return 1
    if grep -q -- --memfree <<<"$err"; then echo "the message speaks of --memfree: $err"; return 1; fi
}
check "--block abc: a usage error about --block" block_error_names_block

# --- failures: --retries, a job failing mid-block, --halt, --joblog ---------------

retries_same_bytes() {
    in_case_dir
    # Each attempt records the md5sum of its stdin; the first attempt of each
    # block fails (its marker does not exist yet), the second one prints.
    cat >job.sh <<'SH'
sum=$(md5sum | cut -d' ' -f1)
echo "$sum" >>"$1/attempts.$2"
if [ ! -e "$1/failed.$2" ]; then : >"$1/failed.$2"; exit 3; fi
echo "$2 $sum"
SH
    gnu -k --pipe --block 50k 'echo "{#} $(md5sum | cut -d" " -f1)"' <"$SEQ100K" >blocks || return 1
    wg -j2 -k --pipe --block 50k --retries 2 "sh '$CASE/job.sh' '$CASE' {#}" <"$SEQ100K" >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "each block's md5sum, as GNU cuts them" "$(cat blocks)" "$(cat out)" || return 1
    local f
    for f in attempts.*; do
        same "$f: attempts" 2 "$(wc -l <"$f")" || return 1
        same "$f: distinct md5sums" 1 "$(sort -u "$f" | wc -l)" || return 1
    done
    same "blocks tried" "$(wc -l <blocks)" "$(ls attempts.* | wc -l)"
}
check "--retries 2: the failed block's bytes go in again, the same" retries_same_bytes

# Jobs 2 and 4 exit 5 after one line of their 1 MiB block: wgrun writes into
# a pipe no one reads; the run goes on.
mid_block_failure() {
    in_case_dir
    wg -j2 --pipe --block 1M --joblog log \
        'read x; case {#} in 2|4) exit 5;; esac; cat >/dev/null; echo {#} done' <"$SEQ1M" >out 2>err
    status_is 2 $? || { cat err; return 1; }
    same "blocks done" "$(printf '%s done\n' 1 3 5 6 7)" "$(sort -n out)" || return 1
    same "joblog Seq Exitval Signal" "$(printf '1 0 0\n2 5 0\n3 0 0\n4 5 0\n5 0 0\n6 0 0\n7 0 0')" \
        "$(joblog_rows log)" || return 1
    has "report" "^wgrun: job 2 failed \(exit 5\)" "$(cat err)" || return 1
    has "report" "^wgrun: job 4 failed \(exit 5\)" "$(cat err)"
}
check "a job failing mid-block: joblog Seq and exit status, report, exit 2" mid_block_failure

# The same jobs reading their whole block before failing: as GNU's joblog.
failures_as_gnu() {
    in_case_dir
    local job='cat >/dev/null; case {#} in 2|4) exit 5;; esac; echo {#} done' theirs ours
    gnu -j2 --pipe --block 1M --joblog g.log "$job" <"$SEQ1M" >g.out 2>/dev/null
    theirs=$?
    wg -j2 --pipe --block 1M --joblog w.log "$job" <"$SEQ1M" >w.out 2>w.err
    ours=$?
    same "exit status" "$theirs" "$ours" || return 1
    same "stdout, sorted" "$(sort g.out)" "$(sort w.out)" || return 1
    same "joblog Seq Exitval Signal" "$(joblog_rows g.log)" "$(joblog_rows w.log)"
}
check "GNU: failing blocks: the same joblog rows and exit status" failures_as_gnu

halt_now() {
    in_case_dir
    local job='cat >/dev/null; [ {#} != 2 ] || exit 5; sleep 0.5; echo {#} done' theirs ours
    gnu -j2 --pipe --block 1M --halt now,fail=1 "$job" <"$SEQ1M" >g.out 2>/dev/null
    theirs=$?
    wg -j2 --pipe --block 1M --halt now,fail=1 "$job" <"$SEQ1M" >w.out 2>w.err
    ours=$?
    same "exit status (GNU: the failed job's)" "$theirs" "$ours" || return 1
    [ "$(wc -l <w.out)" -lt 6 ] || { echo "most blocks ran: $(cat w.out)"; return 1; }
}
check "GNU: --halt now,fail=1 on a failing block: its exit status, the rest not run" halt_now

# GNU 20221122 counts such a job as failed when it loses the race with its
# writer (joblog Signal 13, exit status 7 here, or 1 on small blocks);
# wgrun takes the job's own exit status.
unread_block_is_no_failure() {
    in_case_dir
    wg -j2 --pipe --block 1M --joblog log true <"$SEQ1M" >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "joblog Seq Exitval Signal" "$(printf '%s 0 0\n' 1 2 3 4 5 6 7)" "$(joblog_rows log)"
}
check "a job that exits 0 without reading its block succeeds (GNU: SIGPIPE, failed)" \
    unread_block_is_no_failure

# --- --results and --json -------------------------------------------------------

results_per_block() {
    in_case_dir
    mkdir g w
    (cd g && gnu --pipe --block 50k --results 'res/{#}/' wc -l <"$SEQ100K" >/dev/null) || return 1
    (cd w && wg --pipe --block 50k --results 'res/{#}/' wc -l <"$SEQ100K" >/dev/null) || return 1
    local d
    same "block directories" "$(ls g/res | sort -n)" "$(ls w/res | sort -n)" || return 1
    for d in $(ls g/res); do
        same "res/$d/stdout" "$(cat "g/res/$d/stdout")" "$(cat "w/res/$d/stdout")" || return 1
        same "res/$d/seq" "$(cat "g/res/$d/seq")" "$(cat "w/res/$d/seq")" || return 1
    done
}
check "GNU: --results 'DIR/{#}/': a directory per block, the same stdout and seq" results_per_block

results_json_per_block() {
    in_case_dir
    gnu --pipe --block 50k --results g.json wc -l <"$SEQ100K" >/dev/null || return 1
    wg --pipe --block 50k --results w.json wc -l <"$SEQ100K" >/dev/null || return 1
    python3 - g.json w.json <<'PY'
import json, sys
def rows(path):
    return sorted((r["Seq"], r["Stdout"]) for r in map(json.loads, open(path)))
g, w = rows(sys.argv[1]), rows(sys.argv[2])
if g != w:
    sys.exit(f"(Seq, Stdout) differ:\nGNU:   {g}\nwgrun: {w}")
PY
}
check "GNU: --results x.json: a row per block, the same Seq and Stdout" results_json_per_block

json_per_block() {
    in_case_dir
    gnu -k --pipe --block 50k wc -l <"$SEQ100K" >counts || return 1
    wg -j2 --pipe --block 50k --json j.json 'wc -l; [ {#} != 2 ]' <"$SEQ100K" >out 2>err
    status_is 1 $? || { cat err; return 1; }
    python3 - j.json counts <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
counts = [line for line in open(sys.argv[2])]
jobs = sorted((r for r in records if r["type"] == "job"), key=lambda r: r["seq"])
summary = [r for r in records if r["type"] == "summary"]
n = len(counts)
if [r["seq"] for r in jobs] != list(range(1, n + 1)):
    sys.exit(f"job seqs {[r['seq'] for r in jobs]}, expected 1..{n}")
for r, c in zip(jobs, counts):
    if r["stdout_bytes"] != len(c):
        sys.exit(f"job {r['seq']}: stdout_bytes {r['stdout_bytes']}, expected {len(c)} ({c!r})")
    if r["failed"] != (r["seq"] == 2) or r["exit"] != (1 if r["seq"] == 2 else 0):
        sys.exit(f"job {r['seq']}: failed {r['failed']}, exit {r['exit']}")
if len(summary) != 1 or summary[0]["jobs"] != n or summary[0]["failed"] != 1:
    sys.exit(f"summary {summary}, expected jobs {n}, failed 1")
PY
}
check "--json: a record per block (seq, stdout_bytes, exit), a summary counting blocks" json_per_block

# --- memory and back-pressure ------------------------------------------------------

# 5000000 lines (38.9 MB) through --block 100k at -j2: wgrun holds a few
# blocks, not the input: peak RSS below 3*j*block + 16 MiB.
memory_bounded() {
    in_case_dir
    seq 5000000 | /usr/bin/time -f %M -o rss timeout 60 "$WGRUN" --pipe --block 100k -j2 \
        'sleep 0.0; wc -l' >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "lines counted" 5000000 "$(sum_of out)" || return 1
    local kb limit=$(((3 * 2 * 100000 + 16 * 1048576) / 1024))
    kb=$(peak_rss_kb rss)
    echo "peak RSS $kb KiB"
    [ "$kb" -lt "$limit" ] || { echo "peak RSS $kb KiB, expected below $limit KiB"; return 1; }
}
if sanitized; then
    skip "--pipe memory on a big input" "a sanitizer build's memory is not wgrun's"
else
    check "--pipe on 39 MB: peak RSS below 3*j*block + 16 MiB" memory_bounded
fi

# A generator writes MIB chunks of about 1 MiB (10486 lines each), noting in
# its count file how many it has written so far.
GEN=$SANDBOX/gen.pl
cat >"$GEN" <<'PERL'
my ($count, $mib) = @ARGV;
my $chunk = ("x" x 99 . "\n") x 10486;
for my $i (1 .. $mib) {
    my $off = 0;
    while ($off < length $chunk) {
        my $n = syswrite(STDOUT, $chunk, length($chunk) - $off, $off);
        defined $n or exit 1;
        $off += $n;
    }
    open(my $f, ">", "$count.new") or die; print $f "$i\n"; close $f;
    rename("$count.new", $count) or die;
}
PERL

# Two jobs hold their blocks until $CASE/go exists: wgrun must stop reading
# stdin (the generator blocks) instead of taking the whole input in.
back_pressure() {
    in_case_dir
    local mib=128 limit=32 settle=1 pid st written
    if sanitized; then mib=64 limit=24 settle=2; fi
    echo 0 >count
    perl "$GEN" "$CASE/count" "$mib" |
        timeout 60 "$WGRUN" --pipe --block 1M -j2 \
            "echo x >>'$CASE/started'; sh '$AWAIT' '$CASE/go' 30; wc -l" >out 2>err &
    pid=$!
    if ! started 2; then
        touch go
        wait "$pid"
        echo "the jobs did not start"
        cat err
        return 1
    fi
    sleep "$settle"
    written=$(cat count)
    touch go
    wait "$pid"
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    same "lines counted" $((mib * 10486)) "$(sum_of out)" || return 1
    echo "$written MiB of $mib read while the jobs held their blocks"
    [ "$written" -le "$limit" ] ||
        { echo "the generator had written $written MiB of $mib (limit $limit): no back-pressure"; return 1; }
}
check "back-pressure: with the jobs stuck, wgrun stops reading its stdin" back_pressure

finish
