#!/usr/bin/env bash
# --junit FILE: JUnit XML validated with xmllint against tests/e2e/junit.xsd
# (written from the public format) and read back with XPath: the counts, a
# testcase per job, each failure's type and message, the tail of a failing
# job's output (only the tail of a huge one), any bytes made valid XML; and
# FILE is never seen half written: not while jobs run, not after SIGKILL,
# not on a full disk (a small tmpfs).
. "$(dirname "$0")/lib.sh"
exec </dev/null

XSD=$ROOT/tests/e2e/junit.xsd

# valid FILE: FILE validates against the schema.
valid() { xmllint --noout --schema "$XSD" "$1" 2>&1 | grep -v ' validates$' | grep . && return 1; return 0; }

# xp FILE XPATH: the string value of XPATH in FILE.
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }

mixed_run() {
    in_case_dir
    local st
    wg -j6 --timeout 1 --junit report.xml 'echo ok' \
        'echo building; echo "error: it broke" >&2; exit 2' \
        'kill -TERM $$' 'sleep 10' 'no_such_command_wgrun_junit' 'echo last words; exit 1' >stdout 2>err
    st=$?
    status_is 5 "$st" || { cat err; return 1; }
    valid report.xml || return 1
    same "testcases" 6 "$(xp report.xml 'count(/testsuites/testsuite/testcase)')" || return 1
    same "suites" 1 "$(xp report.xml 'count(/testsuites/testsuite)')" || return 1
    same "counts" "6 5 0 0 6 5" "$(xp report.xml 'concat(/testsuites/testsuite/@tests, " ",
        /testsuites/testsuite/@failures, " ", /testsuites/testsuite/@errors, " ",
        /testsuites/testsuite/@skipped, " ", /testsuites/@tests, " ", /testsuites/@failures)')" || return 1
    same "suite name" "wgrun" "$(xp report.xml 'string(/testsuites/testsuite/@name)')" || return 1
    same "hostname" "$(hostname)" "$(xp report.xml 'string(/testsuites/testsuite/@hostname)')" || return 1
    has "timestamp" '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]{8}\.[0-9]{3}Z$' \
        "$(xp report.xml 'string(/testsuites/testsuite/@timestamp)')" || return 1
    same "exit status property" 5 \
        "$(xp report.xml 'string(//property[@name="wgrun.exit_status"]/@value)')" || return 1
    same "passing job" "wgrun|0" \
        "$(xp report.xml 'concat(//testcase[@name="job 1: echo ok"]/@classname, "|", count(//testcase[@name="job 1: echo ok"]/failure))')" || return 1
    local t2='//testcase[starts-with(@name, "job 2: ")]/failure'
    same "exit 2" "exit|exit 2" "$(xp report.xml "concat($t2/@type, '|', $t2/@message)")" || return 1
    # The tail holds the failing job's output, its last line last.
    same "tail of job 2" $'building\nerror: it broke' "$(xp report.xml "string($t2)")" || return 1
    local t3='//testcase[starts-with(@name, "job 3: ")]/failure'
    same "signal" "signal|killed by SIGTERM" "$(xp report.xml "concat($t3/@type, '|', $t3/@message)")" || return 1
    local t4='//testcase[@name="job 4: sleep 10"]/failure'
    same "timeout" "timeout|timed out after 1s" "$(xp report.xml "concat($t4/@type, '|', $t4/@message)")" || return 1
    local t5='//testcase[starts-with(@name, "job 5: ")]/failure'
    same "not found" "exit|exit 127" "$(xp report.xml "concat($t5/@type, '|', $t5/@message)")" || return 1
    has "not found: the shell's message" "no_such_command_wgrun_junit" "$(xp report.xml "string($t5)")" || return 1
    same "testcase times" 6 "$(xp report.xml 'count(//testcase[string(number(@time)) != "NaN"])')"
}
check "a mixed run validates; counts, types, messages and the failing job's last output line" mixed_run

cannot_start() {
    in_case_dir
    wg --no-shell --junit report.xml no_such_command_wgrun_junit >stdout 2>err
    status_is 1 $? || { cat err; return 1; }
    valid report.xml || return 1
    same "failure" "not-started|exit 127, cannot run: No such file or directory" \
        "$(xp report.xml 'concat(//failure/@type, "|", //failure/@message)')"
}
check "a job that cannot start: type not-started" cannot_start

huge_output_keeps_the_tail() {
    in_case_dir
    local text
    wg --junit report.xml 'seq 1 1000000; exit 3' >stdout 2>err
    status_is 1 $? || { cat err; return 1; }
    valid report.xml || return 1
    # stdout is whole (the tail is a copy), the report small.
    same "stdout lines" 1000000 "$(wc -l <stdout)" || return 1
    [ "$(stat -c %s report.xml)" -lt 10000 ] || { echo "report of $(stat -c %s report.xml) bytes"; return 1; }
    text=$(xp report.xml 'string(//failure)')
    has "note" '^\[wgrun: [0-9]+ earlier bytes of output not kept\]$' "$text" || return 1
    same "last line" 1000000 "$(tail -n 1 <<<"$text")" || return 1
    [ "${#text}" -le 4200 ] || { echo "tail of ${#text} bytes"; return 1; }
    same "before the last" 999999 "$(tail -n 2 <<<"$text" | head -n 1)"
}
check "a huge output: only its tail, ending with its last line; stdout whole" huge_output_keeps_the_tail

odd_bytes() {
    in_case_dir
    wg --junit report.xml $'printf "<&>\\"\'\\001\\033[31m caf\\351 \\r\\n"; exit 4 # \xe9 \x01 <&>' >stdout 2>err
    status_is 1 $? || { cat err; return 1; }
    valid report.xml || return 1
    has "name" $'^job 1: printf .* # \xef\xbf\xbd \xef\xbf\xbd <&>$' "$(xp report.xml 'string(//testcase/@name)')" || return 1
    same "tail" $'<&>"\'\xef\xbf\xbd\xef\xbf\xbd[31m caf\xef\xbf\xbd \r' "$(xp report.xml 'string(//failure)')"
}
check "invalid UTF-8 and control characters in a command and its output: valid XML" odd_bytes

replaces_an_earlier_report() {
    in_case_dir
    mkdir out
    echo "not xml" >out/report.xml
    wg --junit out/report.xml 'echo {}' ::: a b >stdout 2>err || { cat err; return 1; }
    valid out/report.xml || return 1
    same "testcases" 2 "$(xp out/report.xml 'count(//testcase)')" || return 1
    same "files" "report.xml" "$(names_in out)"
}
check "an earlier FILE is replaced; no other file is left" replaces_an_earlier_report

# --- never half written ---------------------------------------------------------

not_while_running_nor_after_sigkill() {
    in_case_dir
    mkdir out
    "$WGRUN" -j2 --junit out/report.xml 'echo fast; exit 1' "touch $CASE/running; exec sleep 30" \
        >stdout 2>err &
    local pid=$!
    wait_for 20 test -e running || { kill -KILL "$pid"; echo "the job did not start"; return 1; }
    # The first job's testcase is in wgrun's nameless file in out/.
    wait_for 20 bytes_into "$pid" "$CASE/out" || { kill -KILL "$pid"; echo "no testcase written"; return 1; }
    same "files while jobs run" "" "$(names_in out)" || { kill -KILL "$pid"; return 1; }
    kill -KILL "$pid"
    wait "$pid"
    same "files after SIGKILL" "" "$(names_in out)"
}
check "FILE does not exist while jobs run, nor after wgrun is SIGKILLed" not_while_running_nor_after_sigkill

written_on_sigint() {
    in_case_dir
    in_background stdout -j2 --junit report.xml 'echo done' "touch $CASE/running; sleep 30"
    local pid=$BG st
    wait_for 20 test -e running || { kill -KILL "$pid"; echo "the job did not start"; return 1; }
    kill -INT "$pid"
    wait "$pid"
    st=$?
    status_is 130 "$st" || return 1
    valid report.xml || return 1
    same "interrupted" "SIGINT|130|2|1" "$(xp report.xml 'concat(//property[@name="wgrun.interrupted_by"]/@value, "|",
        //property[@name="wgrun.exit_status"]/@value, "|", //testsuite/@tests, "|", //testsuite/@failures)')" || return 1
    same "the ended job" "interrupted" "$(xp report.xml 'string(//testcase[starts-with(@name, "job 2: ")]/failure/@type)')"
}
check "SIGINT: the report is written, with the signal and status 130" written_on_sigint

# --- errors -----------------------------------------------------------------------

bad_files() {
    in_case_dir
    local err
    err=$(wg --junit - true 2>&1)
    status_is 255 $? || return 1
    has "-" "^wgrun: --junit needs a file name" "$err" || return 1
    err=$(wg --junit "$CASE" "touch $CASE/ran" 2>&1)
    status_is 255 $? || return 1
    has "directory" "^wgrun: --junit $CASE: Is a directory$" "$err" || return 1
    err=$(wg --junit "$CASE/missing/report.xml" "touch $CASE/ran" 2>&1)
    status_is 255 $? || return 1
    has "missing" "^wgrun: --junit $CASE/missing/report.xml: No such file or directory$" "$err" || return 1
    [ ! -e ran ] || { echo "a job ran"; return 1; }
}
check "--junit -, a directory, a missing directory: exit 255 before any job runs" bad_files

# full_disk JOBS: runs JOBS failing jobs with 5000 bytes of output each and
# --junit into a 64 KiB tmpfs that holds an earlier report; sets ST, ERR.
full_disk_run() {
    ERR=$(wg -j4 --junit "$MNT/report.xml" 'head -c 5000 /dev/zero | tr "\0" x; exit 1 # {}' ::: $(seq 1 "$1") \
        2>&1 >/dev/null)
    ST=$?
}

full_disk() {
    in_case_dir
    on_tmpfs 64k full_disk_cases
}

full_disk_cases() {
    echo "earlier report" >"$MNT/report.xml"
    # 3 failing jobs fit: the report is written.
    full_disk_run 3
    status_is 3 "$ST" || { echo "$ERR"; return 1; }
    valid "$MNT/report.xml" || return 1
    echo "earlier report" >"$MNT/report.xml"
    # 30 jobs' testcases (4 KiB of tail each) do not fit while jobs run.
    full_disk_run 30
    status_is 255 "$ST" || return 1
    has "message (while running)" "^wgrun: --junit $MNT/report.xml: No space left on device$" "$ERR" || return 1
    same "files after a full disk while running" "report.xml" "$(names_in "$MNT")" || return 1
    same "the earlier report" "earlier report" "$(cat "$MNT/report.xml")" || return 1
    # 9 jobs' testcases fit, but not a second copy in the final document.
    full_disk_run 9
    status_is 255 "$ST" || return 1
    has "message (at the end)" "^wgrun: --junit $MNT/report.xml: No space left on device$" "$ERR" || return 1
    same "files after a full disk at the end" "report.xml" "$(names_in "$MNT")" || return 1
    same "the earlier report" "earlier report" "$(cat "$MNT/report.xml")"
}
if [ "$(id -u)" -ne 0 ]; then
    skip "a full disk (64 KiB tmpfs): exit 255, the error, no half file" "not root"
else
    check "a full disk (64 KiB tmpfs): exit 255, the error, no half file" full_disk
fi

finish
