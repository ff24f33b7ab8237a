#!/usr/bin/env bash
# --joblog, --resume, --resume-failed and --retry-failed: GNU parallel's job
# log format (checked column by column against a log GNU parallel writes for
# the same commands), rows in completion order and in the file as each job
# ends, +FILE and -, every way a job ends, malformed logs, a full disk, the
# resume rules, a round trip with GNU parallel both ways, and a resume after
# wgrun is SIGKILLed mid-run (nothing runs twice, nothing is lost).
. "$(dirname "$0")/lib.sh"
exec </dev/null

GNU=/usr/bin/parallel
export PARALLEL_HOME=$SANDBOX/parallel-home
mkdir -p "$PARALLEL_HOME"
HEADER=$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')

# gnu ARGS...: GNU parallel, quiet about citing, with a time limit.
gnu() { timeout 60 "$GNU" --will-cite "$@"; }

# col N FILE: column N of the rows of job log FILE (the header left out).
col() { tail -n +2 "$2" | cut -f "$1"; }

# seqs FILE: the Seqs of FILE's rows, sorted, on one line.
seqs() { col 1 "$1" | sort -n | tr '\n' ' '; }

# lines FILE: FILE's lines sorted, on one line (done.txt and the like).
lines() { sort -n "$1" | tr '\n' ' '; }

# check_log FILE: FILE is a well-formed job log: the header, then rows of 9
# or more tab-separated columns in GNU's formats.
check_log() {
    /usr/bin/python3 - "$1" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
assert data.endswith(b'\n'), 'no newline at the end'
lines = data[:-1].split(b'\n')
assert lines[0] == b'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand', lines[0]
for n, line in enumerate(lines[1:], 2):
    c = line.split(b'\t', 8)
    assert len(c) == 9, (n, line)
    assert re.fullmatch(rb'[1-9][0-9]*', c[0]), (n, 'Seq', c[0])
    assert c[1] == b':', (n, 'Host', c[1])
    assert re.fullmatch(rb'[0-9]{10}\.[0-9]{3}', c[2]), (n, 'Starttime', c[2])
    assert re.fullmatch(rb' *[0-9]+\.[0-9]{3}', c[3]) and len(c[3]) >= 10, (n, 'JobRuntime', c[3])
    assert c[4] == b'0' and re.fullmatch(rb'[0-9]+', c[5]), (n, 'Send/Receive', c[4], c[5])
    assert re.fullmatch(rb'-?[0-9]+', c[6]) and re.fullmatch(rb'[0-9]+', c[7]), (n, c[6], c[7])
EOF
}

# --- the format ----------------------------------------------------------

# The same five commands under wgrun and GNU parallel, -j1 so that both end
# them in the same order: every column has the same format, and Seq, Host,
# Send, Receive (the bytes of grouped stdout), Exitval, Signal and Command
# the same values.
same_format_as_gnu() {
    in_case_dir
    local cmds=('echo a' 'exit 3' 'kill -9 $$' 'nosuchcmd_wgrun_joblog' $'printf "x\ty"\necho z')
    printf '%s\0' "${cmds[@]}" >cmds  # NUL-separated: GNU's ::: splits at newlines
    wg -0 -j1 --joblog ours.log :::: cmds >/dev/null 2>&1
    status_is 3 $? || return
    gnu -0 -j1 --joblog gnu.log :::: cmds >/dev/null 2>&1
    check_log ours.log || return
    /usr/bin/python3 - ours.log gnu.log <<'EOF'
import re, sys
def rows(path):
    data = open(path, 'rb').read()
    assert data.endswith(b'\n')
    lines = data[:-1].split(b'\n')
    return lines[0], [l.split(b'\t', 8) for l in lines[1:]]
oh, ours = rows(sys.argv[1])
gh, gnu = rows(sys.argv[2])
assert oh == gh, (oh, gh)
assert len(ours) == len(gnu) == 5, (ours, gnu)
def shape(v):  # a value's format: digits become 9
    return re.sub(rb'[0-9]', b'9', v)
for o, g in zip(ours, gnu):
    for i, name in ((0, 'Seq'), (1, 'Host'), (4, 'Send'), (5, 'Receive'), (6, 'Exitval'), (7, 'Signal'), (8, 'Command')):
        assert o[i] == g[i], (name, o, g)
    assert shape(o[2]) == shape(g[2]), ('Starttime', o[2], g[2])
    assert len(o[3]) == len(g[3]) == 10 and shape(o[3]).strip() and re.fullmatch(rb' *[0-9]+\.[0-9]{3}', o[3]), ('JobRuntime', o[3], g[3])
    assert re.fullmatch(rb'[0-9]+', o[5]) and re.fullmatch(rb'[0-9]+', g[5]), ('Receive', o[5], g[5])
assert ours[4][8] == b'printf "x\ty"\0echo z', ours[4][8]  # and GNU's too
EOF
}
check "the log has GNU parallel's format, column by column, for the same commands" same_format_as_gnu

# Exitval and Signal for every way a job ends.
how_jobs_end() {
    in_case_dir
    wg -j4 --timeout 0.3 --joblog log ::: 'true' 'exit 7' 'kill -9 $$' 'kill -TERM $$' \
        'nosuchcmd_wgrun_joblog' 'sleep 5' >/dev/null 2>&1
    status_is 5 $? || return
    check_log log || return
    local got
    got=$(tail -n +2 log | awk -F'\t' '{ print $1, $7, $8 }' | sort -n | tr '\n' ,)
    same "Seq Exitval Signal" "1 0 0,2 7 0,3 0 9,4 0 15,5 127 0,6 -1 15," "$got"
}
check "Exitval and Signal: exit 0 and 7, SIGKILL (0 9), SIGTERM (0 15), not found (127 0), --timeout (-1 15)" how_jobs_end

# A job that cannot be executed at all (--no-shell, not found): 127 too.
not_found_without_shell() {
    in_case_dir
    wg --no-shell --joblog log ./no-such-program >/dev/null 2>&1
    status_is 1 $? || return
    same "Exitval Signal" "127 0" "$(col 7-8 log | tr '\t' ' ')"
}
check "--no-shell, a program that is not there: Exitval 127, Signal 0" not_found_without_shell

# Newlines in a command become NUL bytes, tabs stay: one line per row.
newline_and_tab() {
    in_case_dir
    wg --joblog log ::: $'printf "a\tb"\necho c' $'echo d\n\necho e' >/dev/null 2>&1 || return
    check_log log || return
    [ "$(wc -l <log)" -eq 3 ] || { echo "expected 3 lines:"; cat -A log; return 1; }
    /usr/bin/python3 - log <<'EOF'
import sys
rows = open(sys.argv[1], 'rb').read().split(b'\n')[1:-1]
commands = sorted(r.split(b'\t', 8)[8] for r in rows)
assert commands == [b'echo d\0\0echo e', b'printf "a\tb"\0echo c'], commands
EOF
}
check "newlines in a command are written as NUL, tabs as they are: one line per row" newline_and_tab

# Rows go in as jobs end: the quickest job first.
completion_order() {
    in_case_dir
    wg -j3 --joblog log ::: 'sleep 0.9' 'sleep 0.5' 'sleep 0.1' || return
    same "Seqs in file order" "3 2 1 " "$(col 1 log | tr '\n' ' ')"
}
check "rows are in completion order (jobs ending in reverse order)" completion_order

# A row is in the file while a later job is still running.
row_while_running() {
    in_case_dir
    (wg -j2 --joblog log ::: 'true' 'until [ -e go ]; do sleep 0.05; done' >out 2>&1; echo $? >status) &
    local bg=$!
    if ! wait_for 10 grep -q '^1	' log; then
        touch go; wait "$bg"
        echo "row 1 never appeared"; cat log; return 1
    fi
    local rows_now
    rows_now=$(tail -n +2 log | wc -l)
    touch go
    wait "$bg"
    same "rows while job 2 ran" 1 "$rows_now" || return
    status_is 0 "$(cat status)" || return
    same "Seqs" "1 2 " "$(seqs log)"
}
check "a finished job's row is in the file while a later job still runs (no buffering)" row_while_running

# +FILE appends: one header, the rows of both runs.
append_plus() {
    in_case_dir
    wg --joblog +log ::: 'echo 1' >/dev/null || return
    wg --joblog +log ::: 'echo 2' 'echo 3' >/dev/null || return
    check_log log || return
    same "headers" 1 "$(grep -c '^Seq' log)" || return
    same "Commands" "echo 1,echo 2,echo 3," "$(col 9 log | sort | tr '\n' ,)" || return
    # Without the +, the file starts again.
    wg --joblog log ::: 'echo 4' >/dev/null || return
    same "Commands" "echo 4," "$(col 9 log | tr '\n' ,)"
}
check "--joblog +FILE appends with one header; --joblog FILE starts again" append_plus

# New files are made 0666 less the umask.
file_mode() {
    in_case_dir
    (umask 027 && wg --joblog log true) || return
    same "mode" 640 "$(stat -c %a log)"
}
check "a new job log is created 0666 less the umask" file_mode

# --joblog -: rows on stdout, between the jobs' output.
joblog_stdout() {
    in_case_dir
    wg -j1 --joblog - ::: 'echo out1' 'echo out2' >out || return
    local shape
    shape=$(sed -E 's/^([0-9]+)\t:\t[0-9]+\.[0-9]{3}\t +[0-9]+\.[0-9]{3}\t0\t5\t0\t0\t/row \1 /' out)
    same "stdout" "$HEADER
out1
row 1 echo out1
out2
row 2 echo out2" "$shape"
}
check "--joblog - writes the header, then each row after its job's output, on stdout" joblog_stdout

# A full disk: the message, exit 255, and the jobs still ran.
dev_full() {
    in_case_dir
    wg --joblog /dev/full ::: 'touch ran1' 'touch ran2' >out 2>err
    status_is 255 $? || return
    has "message" '^wgrun: --joblog /dev/full: No space left on device$' "$(cat err)" || return
    [ -e ran1 ] && [ -e ran2 ] || { echo "the jobs did not run"; return 1; }
}
check "--joblog /dev/full: 'No space left on device', exit 255, the jobs still ran" dev_full

cannot_open() {
    in_case_dir
    wg --joblog no/such/dir/log 'touch ran' >out 2>err
    status_is 255 $? || return
    same "stderr" "wgrun: --joblog no/such/dir/log: No such file or directory" "$(cat err)" || return
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
check "a --joblog that cannot be created: the message, exit 255, nothing run" cannot_open

# --- options ----------------------------------------------------------------

usage_error() {  # usage_error EXPECTED-MESSAGE WGRUN-ARGS...
    local expected=$1 err
    shift
    in_case_dir
    wg "$@" 'touch ran' >out 2>err
    status_is 255 $? || return
    same "first line of stderr" "$expected" "$(head -n 1 err)" || return
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
check "--resume without --joblog: GNU's message, 255" \
    usage_error "wgrun: --resume and --resume-failed require --joblog" --resume
check "--resume-failed without --joblog: 255" \
    usage_error "wgrun: --resume and --resume-failed require --joblog" --resume-failed
check "--retry-failed without --joblog: 255" \
    usage_error "wgrun: --retry-failed requires --joblog" --retry-failed
check "--resume --joblog -: 255" \
    usage_error "wgrun: --resume reads the --joblog: it must be a file, not - (standard output)" \
    --resume --joblog -
check "--resume with --retry-failed: 255" \
    usage_error "wgrun: choose one of --resume, --resume-failed and --retry-failed" \
    --resume --retry-failed --joblog log
check "--joblog +: no file name, 255" \
    usage_error "wgrun: --joblog needs a file name (or - for standard output)" --joblog +

help_lists_options() {
    local help
    help=$(wg --help) || return
    for option in --joblog --resume --resume-failed --retry-failed; do
        has "--help" "^ *$option( |$)" "$help" || return
    done
}
check "--help lists --joblog, --resume, --resume-failed, --retry-failed" help_lists_options

# --- malformed logs ---------------------------------------------------------

# malformed LINE-NUMBER EXPECTED-MESSAGE-END CONTENT (printf format): exit
# 255, the message names the file and the line, nothing runs, the log is
# untouched.
malformed() {
    local expected=$2
    in_case_dir
    printf "$3" >run.log
    cp run.log before.log
    wg --resume --joblog run.log ::: 'touch ran' >out 2>err
    status_is 255 $? || return
    same "stderr" "wgrun: --joblog run.log: line $1: $expected" "$(cat err)" || return
    [ ! -e ran ] || { echo "a job ran"; return 1; }
    cmp -s run.log before.log || { echo "the log was changed"; return 1; }
}
H='Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n'
R='1\t:\t1764324000.456\t     0.010\t0\t0\t0\t0\techo 1\n'
check "malformed: no header" malformed 1 \
    "not a job log: the first line is not the header 'Seq<TAB>Host<TAB>Starttime<TAB>JobRuntime<TAB>Send<TAB>Receive<TAB>Exitval<TAB>Signal<TAB>Command'" \
    "$R"
check "malformed: Exitval 'x'" malformed 3 "Exitval is not a number: 'x'" \
    "$H$R"'2\t:\t1764324000.456\t     0.010\t0\t0\tx\t0\techo 2\n'
check "malformed: Seq 'a'" malformed 2 "Seq is not a positive whole number: 'a'" \
    "$H"'a\t:\t1764324000.456\t     0.010\t0\t0\t0\t0\techo 2\n'
check "malformed: Seq 0" malformed 2 "Seq is not a positive whole number: '0'" \
    "$H"'0\t:\t1764324000.456\t     0.010\t0\t0\t0\t0\techo 2\n'
check "malformed: empty Host" malformed 2 "Host is empty" \
    "$H"'1\t\t1764324000.456\t     0.010\t0\t0\t0\t0\techo 2\n'
check "malformed: Starttime" malformed 2 "Starttime is not a number: 'yesterday'" \
    "$H"'1\t:\tyesterday\t     0.010\t0\t0\t0\t0\techo 2\n'
check "malformed: JobRuntime" malformed 2 "JobRuntime is not a number: '  1,5'" \
    "$H"'1\t:\t1764324000.456\t  1,5\t0\t0\t0\t0\techo 2\n'
check "malformed: Send" malformed 2 "Send is not a number: '1k'" \
    "$H"'1\t:\t1764324000.456\t     0.010\t1k\t0\t0\t0\techo 2\n'
check "malformed: Receive" malformed 2 "Receive is not a number: ''" \
    "$H"'1\t:\t1764324000.456\t     0.010\t0\t\t0\t0\techo 2\n'
check "malformed: Signal" malformed 2 "Signal is not a number: 'KILL'" \
    "$H"'1\t:\t1764324000.456\t     0.010\t0\t0\t0\tKILL\techo 2\n'
check "malformed: too few columns" malformed 3 "expected 9 columns separated by tabs, found 3: '2\\x09:\\x09x'" \
    "$H$R"'2\t:\tx\n'
check "malformed: an empty line" malformed 3 "expected 9 columns separated by tabs, found 1: ''" \
    "$H$R"'\n'
check "malformed: non-UTF-8 bytes are shown escaped" malformed 2 "Exitval is not a number: '\\xff\\xfe'" \
    "$H"'1\t:\t1764324000.456\t     0.010\t0\t0\t\377\376\t0\techo 2\n'

malformed_retry() {
    in_case_dir
    printf "$H"'1\t:\t1.0\t1.0\t0\t0\t1\t0\techo 1\n2\t:\t1.0\t1.0\t0\t0\t1\t0\n' >run.log
    wg --retry-failed --joblog run.log >out 2>err
    status_is 255 $? || return
    same "stderr" "wgrun: --joblog run.log: line 3: expected 9 columns separated by tabs, found 8: '2\\x09:\\x091.0\\x091.0\\x090\\x090\\x091\\x090'" "$(cat err)"
}
check "malformed under --retry-failed too: 255, the line named" malformed_retry

unreadable() {
    in_case_dir
    mkdir run.log
    wg --resume --joblog run.log 'touch ran' >out 2>err
    status_is 255 $? || return
    same "stderr" "wgrun: --joblog run.log: Is a directory" "$(cat err)"
}
check "--resume --joblog DIR: 'Is a directory', 255" unreadable

# --- resume -----------------------------------------------------------------

# job: the command of the resume cases; jobs 2 and 4 fail (the first time).
JOB='echo {} >> ran.txt; case {} in 2|4) [ -e fixed ] ;; esac'

first_run() {
    wg -j2 --joblog run.log "$JOB" ::: 1 2 3 4 5 >/dev/null 2>&1
    status_is 2 $? || return
    : >ran.txt
}

resume_skips_seen() {
    in_case_dir
    first_run || return
    wg --resume --joblog run.log "$JOB" ::: 1 2 3 4 5 6 7 >/dev/null 2>&1
    status_is 0 $? || return
    same "jobs run" "6 7 " "$(lines ran.txt)" || return
    same "headers" 1 "$(grep -c '^Seq' run.log)" || return
    same "Seqs" "1 2 3 4 5 6 7 " "$(seqs run.log)" || return
    check_log run.log || return
    # Everything is done now.
    wg --resume --joblog run.log "$JOB" ::: 1 2 3 4 5 6 7 >/dev/null 2>&1 || return
    same "jobs run" "6 7 " "$(lines ran.txt)"
}
check "--resume runs only the Seqs not in the log (failed ones count as done), appends" resume_skips_seen

resume_failed() {
    in_case_dir
    first_run || return
    touch fixed
    wg --resume-failed --joblog run.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1
    status_is 0 $? || return
    same "jobs run" "2 4 6 " "$(lines ran.txt)" || return
    same "Seqs" "1 2 2 3 4 4 5 6 " "$(seqs run.log)" || return
    : >ran.txt
    wg --resume-failed --joblog run.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1 || return
    same "jobs run the second time" "" "$(lines ran.txt)"
}
check "--resume-failed runs the failed and the unseen Seqs, then nothing" resume_failed

retry_failed() {
    in_case_dir
    first_run || return
    touch fixed
    # The command line's command and inputs are ignored.
    wg --retry-failed --joblog run.log 'echo WRONG >> ran.txt' ::: x y z >out 2>&1
    status_is 0 $? || return
    same "jobs run" "2 4 " "$(lines ran.txt)" || return
    same "Seqs" "1 2 2 3 4 4 5 " "$(seqs run.log)" || return
    same "the new rows' commands" "echo 2 >> ran.txt; case 2 in 2|4) [ -e fixed ] ;; esac|echo 4 >> ran.txt; case 4 in 2|4) [ -e fixed ] ;; esac|" \
        "$(tail -n 2 run.log | sort -n | cut -f 9 | tr '\n' '|')" || return
    : >ran.txt
    wg --retry-failed --joblog run.log >/dev/null 2>&1 || return
    same "jobs run the second time" "" "$(lines ran.txt)"
}
check "--retry-failed runs the failed rows' commands at their Seqs, ignoring the command line" retry_failed

retry_failed_newline() {
    in_case_dir
    wg --joblog run.log ::: $'echo a >> ran.txt\n[ -e fixed ]' 'true' >/dev/null 2>&1
    status_is 1 $? || return
    touch fixed
    wg --retry-failed --joblog run.log >/dev/null 2>&1 || return
    same "ran" "a a " "$(lines ran.txt)"
}
check "--retry-failed runs a command with a newline (NUL in the log) as it was" retry_failed_newline

missing_log() {
    in_case_dir
    wg --resume --joblog run.log ::: 'touch ran' || return
    [ -e ran ] || { echo "did not run"; return 1; }
    check_log run.log || return
    same "Seqs" "1 " "$(seqs run.log)" || return
    : >empty.log
    wg --resume-failed --joblog empty.log ::: 'touch ran2' || return
    [ -e ran2 ] && check_log empty.log
}
check "--resume with a missing or empty log runs everything and writes the header" missing_log

dry_run_resume() {
    in_case_dir
    first_run || return
    local out
    out=$(wg --dry-run --resume-failed --joblog run.log 'echo {}' ::: 1 2 3 4 5 6) || return
    same "dry run" "echo 2
echo 4
echo 6" "$out" || return
    same "log untouched" "1 2 3 4 5 " "$(seqs run.log)"
}
check "--dry-run with --resume-failed prints only the jobs that would run, writes no log" dry_run_resume

# A run killed while writing a row (by hand: half a row, no newline): a
# warning, the half row is cut off, its job runs again, the log stays well
# formed.
torn_row() {
    in_case_dir
    wg --joblog run.log 'echo {} >> ran.txt' ::: 1 2 >/dev/null || return
    printf '3\t:\t17643' >>run.log
    : >ran.txt
    wg --resume --joblog run.log 'echo {} >> ran.txt' ::: 1 2 3 4 >/dev/null 2>err || return
    has "warning" "^wgrun: warning: --joblog run.log: line 4 has no newline" "$(cat err)" || return
    same "jobs run" "3 4 " "$(lines ran.txt)" || return
    check_log run.log || return
    same "Seqs" "1 2 3 4 " "$(seqs run.log)"
}
check "a torn last row: warned about, cut off, its job runs again, the log well formed" torn_row

torn_row_append() {
    in_case_dir
    wg --joblog run.log true >/dev/null || return
    printf '2\t:\t17643' >>run.log
    wg --joblog +run.log false 2>err
    status_is 1 $? || return
    has "warning" "^wgrun: warning: --joblog run.log: the last line had no newline" "$(cat err)" || return
    check_log run.log || return
    same "Exitvals" "0 1 " "$(col 7 run.log | tr '\n' ' ')"
}
check "--joblog +FILE cuts a torn last row before appending" torn_row_append

# --- GNU parallel ---------------------------------------------------------

# GNU parallel reads our log: --resume skips our Seqs, --resume-failed our
# successful ones, --retry-failed reruns our failed commands.
gnu_reads_ours() {
    in_case_dir
    first_run || return
    cp run.log a.log && cp run.log b.log && cp run.log c.log
    gnu --resume --joblog a.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1
    same "GNU --resume ran" "6 " "$(lines ran.txt)" || return
    : >ran.txt
    touch fixed
    gnu --resume-failed --joblog b.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1 || return
    same "GNU --resume-failed ran" "2 4 6 " "$(lines ran.txt)" || return
    : >ran.txt
    gnu --retry-failed --joblog c.log >/dev/null 2>&1 || return
    same "GNU --retry-failed ran" "2 4 " "$(lines ran.txt)" || return
    # And we read what GNU appended to ours.
    : >ran.txt
    wg --resume-failed --joblog b.log "$JOB" ::: 1 2 3 4 5 6 7 >/dev/null 2>&1 || return
    same "then wgrun --resume-failed ran" "7 " "$(lines ran.txt)"
}
check "GNU parallel's --resume, --resume-failed and --retry-failed read wgrun's log" gnu_reads_ours

# We read GNU's log: the same Seqs are left out.
we_read_gnus() {
    in_case_dir
    gnu -j2 --joblog gnu.log "$JOB" ::: 1 2 3 4 5 >/dev/null 2>&1
    status_is 2 $? || return
    : >ran.txt
    cp gnu.log a.log && cp gnu.log b.log && cp gnu.log c.log
    wg --resume --joblog a.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1 || return
    same "wgrun --resume ran" "6 " "$(lines ran.txt)" || return
    same "headers" 1 "$(grep -c '^Seq' a.log)" || return
    : >ran.txt
    touch fixed
    wg --resume-failed --joblog b.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1 || return
    same "wgrun --resume-failed ran" "2 4 6 " "$(lines ran.txt)" || return
    : >ran.txt
    wg --retry-failed --joblog c.log >/dev/null 2>&1 || return
    same "wgrun --retry-failed ran" "2 4 " "$(lines ran.txt)" || return
    # And GNU reads what we appended to its log.
    : >ran.txt
    gnu --resume-failed --joblog c.log "$JOB" ::: 1 2 3 4 5 6 >/dev/null 2>&1 || return
    same "then GNU --resume-failed ran" "6 " "$(lines ran.txt)"
}
check "wgrun's --resume, --resume-failed and --retry-failed read GNU parallel's log" we_read_gnus

gnu_timeout_log() {
    in_case_dir
    gnu --timeout 0.3 --joblog gnu.log ::: 'sleep 5' 'true' >/dev/null 2>&1
    wg --retry-failed --joblog gnu.log --dry-run >out || return
    same "retried" "sleep 5" "$(cat out)"
}
check "a GNU --timeout row (-1, 15) is a failed one" gnu_timeout_log

# --- memory -----------------------------------------------------------------

# Reading a log of 1,000,000 rows keeps 8 bytes a row (the Seqs), not the
# rows: peak RSS stays under 24 MB (about 12 MB measured), with -u so that
# the output mode's own cost of passing over skipped jobs is left out.
big_log_memory() {
    in_case_dir
    /usr/bin/python3 -c '
import sys
out = sys.stdout
out.write("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n")
for i in range(1, 1000001):
    out.write("%d\t:\t1764324000.456\t     0.010\t0\t0\t%d\t0\techo %d with a longer command line\n" % (i, i % 7 == 0, i))
' >run.log
    seq 1000002 >in
    /usr/bin/time -f %M -o rss timeout 60 "$WGRUN" -u --resume --joblog run.log 'echo {}' :::: in >out 2>err || { cat err; return 1; }
    same "output" "1000001
1000002" "$(sort -n out)" || return
    local kb
    kb=$(peak_rss_kb rss)
    [ "$kb" -lt 24576 ] || { echo "peak RSS $kb KB"; return 1; }
}
if sanitized; then
    skip "a 1,000,000-row log is read in under 24 MB" "memory sizes mean nothing under a sanitizer"
else
    check "a 1,000,000-row log is read in under 24 MB (8 bytes a row)" big_log_memory
fi

# --- SIGKILL mid-run --------------------------------------------------------

# 20 jobs at -j4: jobs 1-8 end at once, 9 and on wait until `go` exists.
# wgrun is SIGKILLed once 8 rows are in; its guardian ends the waiting jobs.
# A rerun with --resume completes the rest: every job has run exactly once,
# and the log has every Seq exactly once.
resume_after_sigkill() {
    in_case_dir
    MARK="1000.$$7"
    local job="[ {} -le 8 ] || [ -e go ] || sleep $MARK; echo {} >> done.txt"
    "$WGRUN" -j4 --joblog run.log "$job" ::: $(seq 20) >out 2>&1 &
    local bg=$!
    rows_at_least_8() { [ "$(tail -n +2 run.log 2>/dev/null | wc -l)" -ge 8 ]; }
    if ! wait_for 20 rows_at_least_8; then kill -KILL "$bg"; echo "8 rows never came"; return 1; fi
    wait_for 10 some_marked || { kill -KILL "$bg"; echo "jobs 9-12 never waited"; return 1; }
    kill -KILL "$bg"
    wait "$bg" 2>/dev/null
    # The guardian ends the jobs wgrun left.
    if ! wait_for 10 none_marked; then
        echo "jobs left running: $(marked)"
        kill -KILL $(marked) 2>/dev/null
        return 1
    fi
    same "done before the kill" "1 2 3 4 5 6 7 8 " "$(lines done.txt)" || return
    check_log run.log || return
    touch go
    wg -j4 --resume --joblog run.log "$job" ::: $(seq 20) >out 2>&1 || { cat out; return 1; }
    same "done after both runs" "$(seq 20 | tr '\n' ' ')" "$(lines done.txt)" || return
    same "Seqs in the log" "$(seq 20 | tr '\n' ' ')" "$(seqs run.log)" || return
    check_log run.log
}
check "resume after SIGKILL mid-run: every job ran once, every Seq logged once" resume_after_sigkill

finish
