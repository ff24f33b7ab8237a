#!/usr/bin/env bash
# --shard K/N and --shard auto[/N] (cluster arrays): N runs over the same
# input take every job exactly once, with {#}, WGRUN_SEQ, PARALLEL_SEQ and
# joblog Seq counted over the whole input (with -N packing, --shuf and -X
# too); 1/1 is no shard; -k waits for no other shard's job; --resume per
# shard; a shard's exit status, JSON, JUnit, --results and --eta count its
# own jobs only; auto from Slurm (with a step), Kubernetes and AWS Batch
# variables, said on stderr; every refusal is a usage error (255) that
# runs nothing.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# The tests may run inside an array task themselves.
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_STEP \
    SLURM_ARRAY_TASK_COUNT JOB_COMPLETION_INDEX AWS_BATCH_JOB_ARRAY_INDEX AWS_BATCH_JOB_ARRAY_SIZE

PTY="/usr/bin/python3 $ROOT/tests/e2e/pty_run.py"
SCREEN="/usr/bin/python3 $ROOT/tests/e2e/screen.py"

# seqs FILE: the Seqs of job log FILE's rows, sorted, on one line.
seqs() { tail -n +2 "$1" | cut -f 1 | sort -n | tr '\n' ' '; }

# on_one_line: stdin's lines, sorted by number, on one line.
on_one_line() { sort -n | tr '\n' ' '; }

# --- the partition ------------------------------------------------------------

# Three shards of `seq 10` together print what the whole run prints, each
# line once; each shard's {#}, WGRUN_SEQ and PARALLEL_SEQ are the whole
# input's numbers K, K+3, ...; its job log holds those Seqs only.
three_shards_cover_every_job_once() {
    in_case_dir
    local k job='echo {#} $WGRUN_SEQ $PARALLEL_SEQ {}'
    wg -j2 "$job" ::: $(seq 10) >whole || return 1
    for k in 1 2 3; do
        wg -j2 --shard $k/3 --joblog $k.log "$job" ::: $(seq 10) >$k.out 2>$k.err || return 1
        [ ! -s $k.err ] || { echo "shard $k said:"; cat $k.err; return 1; }
    done
    same "the shards' lines, sorted" "$(sort whole)" "$(cat 1.out 2.out 3.out | sort)" || return 1
    same "shard 1's lines" "1 1 1 1 4 4 4 4 7 7 7 7 10 10 10 10 " \
        "$(on_one_line <1.out | tr '\n' ' ')" || return 1
    same "shard 2's numbers" "2 5 8 " "$(cut -d' ' -f1 2.out | on_one_line)" || return 1
    same "shard 3's numbers" "3 6 9 " "$(cut -d' ' -f1 3.out | on_one_line)" || return 1
    same "shard 1's joblog Seqs" "1 4 7 10 " "$(seqs 1.log)" || return 1
    same "shard 2's joblog Seqs" "2 5 8 " "$(seqs 2.log)" || return 1
    same "shard 3's joblog Seqs" "3 6 9 " "$(seqs 3.log)"
}
check "3 shards of seq 10: every job exactly once, {#}, WGRUN_SEQ and joblog Seq of the whole input" \
    three_shards_cover_every_job_once

# -N2 packs two values a job: job numbers are the packed jobs' (the {#} the
# whole run shows), and the shards still cover every value once.
packed_shards() {
    in_case_dir
    local k
    wg -N2 'echo {#}: {}' ::: $(seq 11) >whole || return 1
    for k in 1 2 3; do wg -N2 --shard $k/3 'echo {#}: {}' ::: $(seq 11) >$k.out || return 1; done
    same "the shards' lines, sorted" "$(sort whole)" "$(cat 1.out 2.out 3.out | sort)" || return 1
    same "shard 2" "$(printf '2: 3 4\n5: 9 10')" "$(sort -n 2.out)"
}
check "-N2: shards of the packed jobs, numbered as the whole run numbers them" packed_shards

# --shard 1/1 is the whole run: the same output, in the same order under -k,
# and the same job log but for times.
one_of_one_is_everything() {
    in_case_dir
    wg -k -j3 --joblog a.log 'echo {#} {}' ::: $(seq 20) >a.out || return 1
    wg -k -j3 --joblog b.log --shard 1/1 'echo {#} {}' ::: $(seq 20) >b.out 2>b.err || return 1
    same "stdout" "$(cat a.out)" "$(cat b.out)" || return 1
    [ ! -s b.err ] || { echo "stderr: $(cat b.err)"; return 1; }
    same "job log Seqs and commands" "$(tail -n +2 a.log | cut -f1,7,9 | sort -n)" \
        "$(tail -n +2 b.log | cut -f1,7,9 | sort -n)"
}
check "--shard 1/1 runs every job, as no --shard" one_of_one_is_everything

# -k prints a shard's jobs in their order and waits for none of the others'
# numbers (the later ones end first here).
keep_order_shard() {
    in_case_dir
    wg -k -j4 --shard 2/3 'sleep 0.$((12 - {})); echo {#}' ::: $(seq 11) >out || return 1
    same "stdout" "$(printf '2\n5\n8\n11')" "$(cat out)"
}
check "-k: the shard's jobs in order, no wait for other shards' numbers" keep_order_shard

# -k with many shards: the other shards' jobs between two of this shard's
# cost no memory each (about 36 MB here when each held an entry).
keep_order_many_shards_memory() {
    in_case_dir
    seq 1000000 >input
    /usr/bin/time -f %M -o rss timeout 60 "$WGRUN" -k -j4 --shard 1/100000 'sleep 0.2; echo {#}' \
        :::: input >out || return 1
    same "stdout" "$(seq 1 100000 1000000)" "$(cat out)" || return 1
    local kb
    kb=$(peak_rss_kb rss)
    echo "peak RSS $kb KiB"
    [ "$kb" -lt 12000 ] || { echo "peak RSS $kb KiB, expected below 12000"; return 1; }
}
if sanitized; then
    skip "-k with 100000 shards: memory" "a sanitizer build's memory is not wgrun's"
else
    check "-k with 100000 shards: no memory per left-out job" keep_order_many_shards_memory
fi

# {##} is the number of jobs of the whole input, as {#} counts them.
job_total_whole_input() {
    in_case_dir
    wg -k --plus --shard 2/2 'echo {#}/{##}' ::: a b c d e >out || return 1
    same "stdout" "$(printf '2/5\n4/5')" "$(cat out)"
}
check "{##} is the whole input's number of jobs" job_total_whole_input

# --shuf: every task shuffles alike under --shard, so the shards still
# cover every value once, numbered alike in every run.
shuffled_shards() {
    in_case_dir
    local k round
    for round in 1 2; do
        for k in 1 2 3; do wg --shuf --shard $k/3 'echo {#} {}' ::: $(seq 30); done >$round.out || return 1
    done
    same "the values of the 3 shards" "$(seq 30 | tr '\n' ' ')" \
        "$(cut -d' ' -f2 1.out | on_one_line)" || return 1
    same "the numbers of the 3 shards" "$(seq 30 | tr '\n' ' ')" \
        "$(cut -d' ' -f1 1.out | on_one_line)" || return 1
    same "two runs' numbering" "$(sort -n 1.out)" "$(sort -n 2.out)" || return 1
    [ "$(sort -n 1.out | cut -d' ' -f2 | tr '\n' ' ')" != "$(seq 30 | tr '\n' ' ')" ] ||
        { echo "not shuffled"; return 1; }
}
check "--shuf under --shard: one order in every task, every value once" shuffled_shards

# -X spreads a short input over the job slots, which may differ from task to
# task: not under --shard, so tasks with other -j still cover every value once.
spread_independent_of_slots() {
    in_case_dir
    { wg -X -j1 --shard 1/2 echo ::: a b c d && wg -X -j3 --shard 2/2 echo ::: a b c d; } >out ||
        return 1
    same "the values" "a b c d " "$(tr ' ' '\n' <out | sort | tr '\n' ' ')"
}
check "-X under --shard: the packing does not depend on -j" spread_independent_of_slots

# --dry-run prints the shard's commands, with their numbers.
dry_run_shard() {
    in_case_dir
    wg --dry-run --shard 3/4 'echo {#} {}' ::: $(seq 10) >out || return 1
    same "stdout" "$(printf 'echo 3 3\necho 7 7')" "$(cat out)"
}
check "--dry-run prints the shard's commands only" dry_run_shard

# Environment variables are read only for --shard auto.
variables_need_auto() {
    in_case_dir
    SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 \
        wg 'echo {}' ::: $(seq 4) >out 2>err || return 1
    same "stdout" "1 2 3 4 " "$(on_one_line <out)" || return 1
    [ ! -s err ] || { echo "stderr: $(cat err)"; return 1; }
}
check "array variables without --shard auto change nothing" variables_need_auto

# --- what a shard counts -----------------------------------------------------

# Values 1 ... 5, the odd ones fail: shard 1/2 has jobs 1, 3, 5 (3 failures),
# shard 2/2 jobs 2 and 4 (none).
exit_status_own_failures() {
    in_case_dir
    local job='test $(({} % 2)) -eq 0'
    wg --shard 1/2 "$job" ::: 1 2 3 4 5 >out 2>err
    status_is 3 $? || return 1
    has "the report" '^wgrun: 3 of 3 jobs failed$' "$(cat err)" || return 1
    wg --shard 2/2 "$job" ::: 1 2 3 4 5 >out 2>err
    status_is 0 $? || { cat err; return 1; }
}
check "a shard's exit status counts its own failures only" exit_status_own_failures

# JSON Lines, JUnit XML and --results: the shard's jobs only, nothing
# "skipped" for the others.
results_shard_only() {
    in_case_dir
    wg --shard 2/3 --json out.jsonl --junit out.xml --results 'res/{#}/' 'echo {}' \
        ::: $(seq 10) >out || return 1
    /usr/bin/python3 - out.jsonl out.xml <<'EOF' || return 1
import json, sys, xml.etree.ElementTree as ET
records = [json.loads(l) for l in open(sys.argv[1])]
jobs = [r['seq'] for r in records if r.get('type') == 'job']
summary = [r for r in records if r.get('type') == 'summary'][0]
assert sorted(jobs) == [2, 5, 8], jobs
assert summary['jobs'] == 3 and summary['skipped'] == 0, summary
suite = ET.parse(sys.argv[2]).getroot()
suite = suite if suite.tag == 'testsuite' else suite.find('testsuite')
assert suite.get('tests') == '3' and suite.get('skipped') == '0', suite.attrib
EOF
    same "the --results folders" "2 5 8 " "$(names_in res | on_one_line)"
}
check "JSON, JUnit and --results hold the shard's jobs only, none skipped" results_shard_only

# --resume per shard: a shard stopped by its first failure (--halt) leaves
# its later jobs unrun; --resume runs only those (none of another shard's);
# --resume-failed then reruns the failed one.
resume_per_shard() {
    in_case_dir
    local job='echo {#}; [ {} != 4 ] || [ -e fixed ]'
    wg -j1 --shard 1/3 --halt now,fail=1 --joblog s1.log "$job" ::: $(seq 10) >out 2>err
    status_is 1 $? || { cat err; return 1; }
    same "the first run's jobs" "1 4 " "$(on_one_line <out)" || return 1
    wg -j1 --shard 1/3 --joblog s1.log --resume "$job" ::: $(seq 10) >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "--resume's jobs" "7 10 " "$(on_one_line <out)" || return 1
    touch fixed
    wg -j1 --shard 1/3 --joblog s1.log --resume-failed "$job" ::: $(seq 10) >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "--resume-failed's jobs" "4 " "$(on_one_line <out)" || return 1
    same "the log's Seqs" "1 4 4 7 10 " "$(seqs s1.log)"
}
check "--resume and --resume-failed run the rest of the shard only" resume_per_shard

# --retry-failed with --shard reruns the log's failed jobs of the shard only
# (here a whole run's log, where jobs 2 and 3 failed).
retry_failed_per_shard() {
    in_case_dir
    wg --joblog all.log 'echo {}; [ {} != 2 ] && [ {} != 3 ]' ::: 1 2 3 4 >out 2>err
    status_is 2 $? || { cat err; return 1; }
    wg --joblog all.log --retry-failed --shard 2/2 >out 2>err
    status_is 1 $? || { cat err; return 1; }
    same "the jobs rerun" "2" "$(cat out)"
}
check "--retry-failed under --shard reruns the shard's failed jobs only" retry_failed_per_shard

# --eta counts the shard's jobs: 3 of seq 10 for shard 2/3.
eta_counts_the_shard() {
    in_case_dir
    $PTY --cols 200 -- timeout 60 "$WGRUN" --eta -j2 --shard 2/3 'sleep 0.3 # {}' \
        ::: $(seq 10) >ts || { echo "exit status $?"; return 1; }
    local draws
    draws=$($SCREEN --draws <ts)
    while read -r line; do
        has "a draw" '^[0-3]/3 done, ' "$line" || return 1
    done <<<"$draws"
    has "the final line" '^3/3 done, 0 failed, 0 running' "$($SCREEN --cols 200 <ts | tail -n 1)"
}
check "--eta counts the shard's jobs" eta_counts_the_shard

# --total-jobs N counts the whole input, as {#} does: while the input
# streams, shard 2/3 counts to its share of 10 (2, 5, 8: 3).
total_jobs_share() {
    in_case_dir
    $PTY --cols 200 -- bash -c "(seq 4; sleep 1.5; seq 5 10) |
        timeout 60 '$WGRUN' --eta --total-jobs 10 --shard 2/3 'sleep 0.6 # {}'" >ts ||
        { echo "exit status $?"; return 1; }
    local draws
    draws=$($SCREEN --draws <ts)
    has "a draw counting to 3" '^[01]/3 done, ' "$draws" || return 1
    if grep -q '/?' <<<"$draws"; then echo "an unknown total:"; echo "$draws"; return 1; fi
    has "the final line" '^3/3 done, 0 failed, 0 running' "$($SCREEN --cols 200 <ts | tail -n 1)"
}
check "--total-jobs N under --shard: the display counts to the shard's share of N" total_jobs_share

# --- --shard auto ------------------------------------------------------------

# auto_run EXPECTED-LINE EXPECTED-JOBS VAR=VALUE... -- WGRUN-ARGS...: runs
# 'echo {#}' over seq 10 with the variables; one line on stderr, the jobs.
auto_run() {
    local line=$1 jobs=$2 vars=()
    shift 2
    while [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    in_case_dir
    env "${vars[@]}" timeout 60 "$WGRUN" "$@" 'echo {#}' ::: $(seq 10) >out 2>err
    status_is 0 $? || { cat err; return 1; }
    same "stderr" "$line" "$(cat err)" || return 1
    same "the jobs" "$jobs" "$(on_one_line <out)"
}
check "auto: a Slurm array from 10 (shard 3/4), said on stderr" auto_run \
    "wgrun: --shard auto: shard 3/4 from SLURM_ARRAY_TASK_ID=12 (SLURM_ARRAY_TASK_MIN=10, SLURM_ARRAY_TASK_COUNT=4)" \
    "3 7 " SLURM_ARRAY_TASK_ID=12 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_MAX=13 \
    SLURM_ARRAY_TASK_COUNT=4 -- --shard auto
check "auto: a Slurm array with a step (--array=0-8:4, task 8: shard 3/3)" auto_run \
    "wgrun: --shard auto: shard 3/3 from SLURM_ARRAY_TASK_ID=8 (SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_STEP=4, SLURM_ARRAY_TASK_COUNT=3)" \
    "3 6 9 " SLURM_ARRAY_TASK_ID=8 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=8 \
    SLURM_ARRAY_TASK_STEP=4 SLURM_ARRAY_TASK_COUNT=3 -- --shard auto
check "auto/N: a Slurm array whose COUNT is N" auto_run \
    "wgrun: --shard auto/2: shard 1/2 from SLURM_ARRAY_TASK_ID=1 (SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=2)" \
    "1 3 5 7 9 " SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 \
    -- --shard auto/2
check "auto/N: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=1: shard 2/3)" auto_run \
    "wgrun: --shard auto/3: shard 2/3 from JOB_COMPLETION_INDEX=1" \
    "2 5 8 " JOB_COMPLETION_INDEX=1 -- --shard auto/3
check "auto/N: an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX=0: shard 1/4)" auto_run \
    "wgrun: --shard auto/4: shard 1/4 from AWS_BATCH_JOB_ARRAY_INDEX=0" \
    "1 5 9 " AWS_BATCH_JOB_ARRAY_INDEX=0 -- --shard auto/4
check "auto: an AWS Batch array job with AWS_BATCH_JOB_ARRAY_SIZE" auto_run \
    "wgrun: --shard auto: shard 4/4 from AWS_BATCH_JOB_ARRAY_INDEX=3 (AWS_BATCH_JOB_ARRAY_SIZE=4)" \
    "4 8 " AWS_BATCH_JOB_ARRAY_INDEX=3 AWS_BATCH_JOB_ARRAY_SIZE=4 -- --shard auto
check "auto: Slurm first when Kubernetes' and AWS Batch's are set too" auto_run \
    "wgrun: --shard auto/2: shard 2/2 from SLURM_ARRAY_TASK_ID=2 (SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=2)" \
    "2 4 6 8 10 " SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 \
    JOB_COMPLETION_INDEX=0 AWS_BATCH_JOB_ARRAY_INDEX=0 -- --shard auto/2

# The 4 tasks of a Slurm array (--array=1-4) together run every job once.
slurm_array_covers_everything() {
    in_case_dir
    local id
    for id in 1 2 3 4; do
        SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=4 \
            wg --shard auto 'echo {#}' ::: $(seq 10) 2>/dev/null || return 1
    done >out
    same "every job once" "$(seq 10 | tr '\n' ' ')" "$(on_one_line <out)"
}
check "the tasks of a Slurm array together run every job once" slurm_array_covers_everything

# --- refusals --------------------------------------------------------------

# refused EXPECTED-MESSAGE VAR=VALUE... -- WGRUN-ARGS...: exit 255, the
# message on stderr's first line, no job run.
refused() {
    local expected=$1 vars=()
    shift
    while [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    in_case_dir
    env "${vars[@]}" timeout 60 "$WGRUN" "$@" 'touch ran' ::: 1 2 3 >out 2>err
    status_is 255 $? || { cat err; return 1; }
    same "first line of stderr" "$expected" "$(head -n 1 err)" || return 1
    [ ! -s out ] || { echo "stdout: $(cat out)"; return 1; }
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
check "--shard 0/3: 255" refused "wgrun: invalid --shard '0/3': K must be from 1 to N (3)" \
    -- --shard 0/3
check "--shard 4/3: 255" refused "wgrun: invalid --shard '4/3': K must be from 1 to N (3)" \
    -- --shard 4/3
check "--shard 3: 255" refused \
    "wgrun: invalid --shard '3': give K/N (this run takes jobs K, K+N, K+2N, ...), auto or auto/N" \
    -- --shard 3
check "--shard a/b: 255" refused \
    "wgrun: invalid --shard 'a/b': K and N must be whole numbers, as in 2/8" -- --shard a/b
check "--shard 1/0: 255" refused "wgrun: invalid --shard '1/0': N must be at least 1" \
    -- --shard 1/0
check "--shard auto with no array variable: 255, naming them" refused \
    "wgrun: --shard auto: no array task in the environment (none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set): give --shard K/N" \
    -- --shard auto
check "--shard auto with JOB_COMPLETION_INDEX but no /N: 255" refused \
    "wgrun: --shard auto: JOB_COMPLETION_INDEX=2 gives this task's index but not how many tasks there are (the Job's completions): give --shard auto/N" \
    JOB_COMPLETION_INDEX=2 -- --shard auto
check "--shard auto/3 with JOB_COMPLETION_INDEX=3: 255" refused \
    "wgrun: --shard auto/3: JOB_COMPLETION_INDEX=3 is not below N (3): indexes go from 0 to N-1" \
    JOB_COMPLETION_INDEX=3 -- --shard auto/3
check "--shard auto with AWS_BATCH_JOB_ARRAY_INDEX alone: 255" refused \
    "wgrun: --shard auto: AWS_BATCH_JOB_ARRAY_INDEX=1 is set but AWS_BATCH_JOB_ARRAY_SIZE is not: give --shard auto/N" \
    AWS_BATCH_JOB_ARRAY_INDEX=1 -- --shard auto
check "--shard auto on an irregular Slurm array (--array=1,3,8): 255" refused \
    "wgrun: --shard auto: the Slurm array is not an evenly spaced range (SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=8, SLURM_ARRAY_TASK_COUNT=3), as --array=1,3,8 makes: submit it as --array=A-B or A-B:STEP, or give --shard K/N" \
    SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=8 SLURM_ARRAY_TASK_COUNT=3 \
    -- --shard auto
check "--shard auto/4 on a Slurm array of 8: 255" refused \
    "wgrun: --shard auto/4: SLURM_ARRAY_TASK_COUNT=8: the array has 8 tasks, not 4" \
    SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=8 -- --shard auto/4
check "--shard auto with a malformed SLURM_ARRAY_TASK_ID: 255, naming it" refused \
    "wgrun: --shard auto: SLURM_ARRAY_TASK_ID='1x' is not a whole number" \
    SLURM_ARRAY_TASK_ID=1x SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=8 -- --shard auto

help_lists_shard() {
    local out
    out=$(wg --help) || return 1
    has "--help" '--shard K/N +Run only jobs K, K\+N, K\+2N' "$out"
}
check "--help lists --shard" help_lists_shard

finish
