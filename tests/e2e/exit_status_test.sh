#!/usr/bin/env bash
# Exit status (0, the number of failed jobs, 101, 255), usage errors, and the
# report of failed jobs at the end.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# status_of EXPECTED WGRUN-ARGS...: wgrun exits EXPECTED.
status_of() {
    local expected=$1 st
    shift
    wg "$@" >"$SANDBOX/out" 2>"$SANDBOX/err"
    st=$?
    status_is "$expected" "$st" || { head -n 5 "$SANDBOX/err"; return 1; }
}

check "0 when every job succeeds" status_of 0 'exit {}' ::: 0 0 0
check "1-100: the number of failed jobs (3)" status_of 3 'exit {}' ::: 0 1 2 3
check "100 failed jobs: 100" status_of 100 --quiet --no-shell false ::: $(seq 100)
check "101 failed jobs: 101" status_of 101 --quiet --no-shell false ::: $(seq 101)
check "150 failed jobs: 101" status_of 101 --quiet --no-shell false ::: $(seq 150)
check "a job killed by a signal fails" status_of 2 'true' 'kill -KILL $$' 'kill -TERM $$'
check "a job that cannot start fails" status_of 1 --no-shell /nonexistent/wgrun-prog
check "a job that cannot start fails (not executable)" status_of 1 --no-shell /etc/passwd
check "1000 failed jobs: 101, not 1000 % 256" status_of 101 --quiet -j0 --no-shell false ::: $(seq 1000)

# usage_error NAME WGRUN-ARGS...: exits 255, writes nothing to stdout, one
# line and the hint "Try 'wgrun --help'" to stderr, and starts no job (the
# arguments hold a job that would touch a file).
usage_error() {
    in_case_dir
    local st err
    wg "$@" >out 2>err
    st=$?
    err=$(cat err)
    status_is 255 "$st" || { echo "$err"; return 1; }
    [ ! -s out ] || { echo "stdout: $(cat out)"; return 1; }
    has "stderr" "Try 'wgrun --help'" "$err" || return 1
    [ "$(wc -l <err)" -le 2 ] || { echo "more than a message and a hint: $err"; return 1; }
    [ "$(ls)" = "$(printf 'err\nout')" ] || { echo "a job ran: $(ls)"; return 1; }
}
check "a bad option (--bogus) is a usage error" usage_error --bogus 'touch x' ::: a
check "a bad short option (-Z) is a usage error" usage_error -Z 'touch x' ::: a
check "-j abc is a usage error" usage_error -j abc 'touch x' ::: a
check "-j '' is a usage error" usage_error -j '' 'touch x' ::: a
check "-j 1.5 is a usage error" usage_error -j 1.5 'touch x' ::: a
check "-j 5x is a usage error" usage_error -j 5x 'touch x' ::: a
check "-j 5%% is a usage error" usage_error -j 5%% 'touch x' ::: a
check "-j with no value is a usage error" usage_error -j
check "--jobs=-x is a usage error" usage_error --jobs=-x 'touch x' ::: a

unreadable_file() {
    in_case_dir
    local st
    wg -a "$CASE/missing" -j1 echo >out 2>err
    st=$?
    status_is 255 "$st" || { cat err; return 1; }
    has "message" "missing" "$(cat err)" || return 1
    wg -j1 echo :::: "$CASE/missing" >out 2>err
    st=$?
    status_is 255 "$st" || { cat err; return 1; }
    has ":::: message" "missing" "$(cat err)"
}
check "an unreadable -a or :::: file: 255 and a message naming it" unreadable_file

directory_file() {
    in_case_dir
    local st
    wg -a "$CASE" -j1 echo >out 2>err
    st=$?
    status_is 255 "$st" || { cat err; return 1; }
}
check "a directory as -a file: 255" directory_file

report() {
    in_case_dir
    local st
    wg -j1 'echo a; exit 7' 'true' 'kill -KILL $$' 'kill -TERM $$' >out 2>err
    st=$?
    status_is 3 "$st" || { cat err; return 1; }
    awk -v want='1|echo a; exit 7|exit 7' -F '\n' '
        BEGIN { split(want, w, "|") }
        { n = split($0, words, /[^0-9]+/); num = 0; for (i = 1; i <= n; i++) if (words[i] == w[1]) num = 1
          if (num && index($0, w[2]) && index($0, w[3])) found = 1 }
        END { exit !found }' err || { echo "no line for job 1 with 'exit 7':"; cat err; return 1; }
    grep -F 'kill -KILL $$' err | grep -q 'killed by SIGKILL' ||
        { echo "no line with 'killed by SIGKILL':"; cat err; return 1; }
    grep -F 'kill -TERM $$' err | grep -q 'killed by SIGTERM' ||
        { echo "no line with 'killed by SIGTERM':"; cat err; return 1; }
    grep -F 'kill -KILL $$' err | grep -qw 3 || { echo "the SIGKILL line lacks job number 3:"; cat err; return 1; }
    grep -F 'kill -TERM $$' err | grep -qw 4 || { echo "the SIGTERM line lacks job number 4:"; cat err; return 1; }
    [ "$(wc -l <err)" -eq 4 ] || { echo "expected 3 job lines and a count:"; cat err; return 1; }
    tail -n 1 err | grep -qw 3 || { echo "the last line is not a count of 3:"; cat err; return 1; }
    grep -qw true err && { echo "the job that succeeded is reported:"; cat err; return 1; }
    same "stdout" "a" "$(cat out)"
}
check "the report: one line per failed job (number, command, exit N / killed by SIGNAME), a count" report

report_cannot_start() {
    in_case_dir
    wg --no-shell /nonexistent/wgrun-prog >out 2>err
    grep -F '/nonexistent/wgrun-prog' err | grep -q 'exit 127' ||
        { echo "no report line with the command and 'exit 127':"; cat err; return 1; }
}
check "the report of a job that cannot start says exit 127" report_cannot_start

report_after_output() {
    in_case_dir
    wg -j2 "touch '$CASE/one'; exit 5" \
        "while [ ! -e '$CASE/one' ]; do sleep 0.05; done; sleep 0.5; echo late-out; echo late-err >&2" \
        >all 2>&1
    local st=$?
    status_is 1 "$st" || { cat all; return 1; }
    awk '/late-out|late-err/ { if (reported) bad = 1; seen++ }
         /exit 5/ { reported = 1 }
         END { exit bad || seen != 2 || !reported }' all ||
        { echo "the report is not after all job output:"; cat all; return 1; }
}
check "the report comes after all job output" report_after_output

quiet() {
    in_case_dir
    local st
    wg --quiet -j1 'exit 3' 'echo e >&2; exit 4' 'echo o' >out 2>err
    st=$?
    status_is 2 "$st" || return 1
    same "stderr" "e" "$(cat err)" || return 1
    same "stdout" "o" "$(cat out)" || return 1
    wg --quiet 'exit 3' 2>err
    st=$?
    status_is 1 "$st" || return 1
    [ ! -s err ] || { echo "--quiet stderr: $(cat err)"; return 1; }
}
check "-q/--quiet: no report, the status still counts" quiet

no_report_on_success() {
    in_case_dir
    wg -j2 'echo a' 'true' >out 2>err || return 1
    [ ! -s err ] || { echo "stderr: $(cat err)"; return 1; }
}
check "no report when every job succeeds" no_report_on_success

finish
