#!/usr/bin/env bash
# Issue 12, points 3, 8 and 10 (part): what input and reports do with bytes
# that are not text.
#  - A NUL byte in input read without -0 (stdin lines, :::: FILE, -a FILE,
#    stdin lines as commands) never runs a shortened command: each such job
#    fails, not started; one warning names -0; the other jobs run.
#  - Commands and values in the failure report, --report, "cannot run"
#    messages, --ci github lines and error messages are shown escaped:
#    no terminal escape, no forged line.
#  - The failure report keeps the first 1000 failures and counts the rest;
#    long commands are cut at 1000 bytes with their size; memory stays
#    bounded however many jobs fail.
# Every case fails on the binary before the fix (each says how).
. "$(dirname "$0")/lib.sh"
exec </dev/null

# no_raw_controls FILE: true when FILE holds no ESC, BEL, CR or NUL byte.
no_raw_controls() {
    if LC_ALL=C grep -q $'[\e\a\r]' "$1" || [ "$(tr -d '\0' <"$1" | wc -c)" -ne "$(wc -c <"$1")" ]; then
        echo "raw control bytes in $1:"; cat -A "$1" | head -20
        return 1
    fi
}

# --- NUL without -0 ---------------------------------------------------------

# Fails before the fix: only the first file was handled (the whole
# NUL-separated list was one line, cut at its first NUL), exit 0.
nul_find_print0() {
    in_case_dir
    mkdir d && touch d/one d/two d/three
    find d -type f -print0 | wg --no-shell 'echo processing {}' >out 2>err
    status_is 1 $? || return 1
    same "no shortened command ran" "" "$(cat out)" || return 1
    has "the warning names -0" "holds a NUL byte.*use -0 \(--null\)" "$(cat err)" || return 1
    has "the report shows NUL as \\0" "^wgrun: job 1 failed \(.*\): echo processing 'd/[a-z]+\\\\0d/" "$(cat err)" || return 1
    no_raw_controls err || return 1
    # With -0 the same input runs, one job per file.
    find d -type f -print0 | wg -0 --no-shell 'echo processing {}' >out 2>err
    status_is 0 $? || return 1
    same "with -0" "processing d/one
processing d/three
processing d/two" "$(sort out)"
}

# Fails before the fix: `rm -rf v/` ran and deleted all of v.
nul_commands_mode() {
    in_case_dir
    mkdir -p v/sub && touch v/keep v/sub/file
    printf 'rm -rf v/\0sub\ntouch ran\n' | wg >out 2>err
    status_is 1 $? || return 1
    [ -e v/keep ] && [ -e v/sub/file ] || { echo "v was deleted"; ls -R v; return 1; }
    [ -e ran ] || { echo "the other line did not run"; return 1; }
    has "warning" "^wgrun: job 1's input holds a NUL byte \('rm -rf v/\\\\0sub'\).*use -0" "$(cat err)" || return 1
    has "report" "^wgrun: job 1 failed \(exit 126, .*\): rm -rf v/\\\\0sub$" "$(cat err)" || return 1
    has "count" "^wgrun: 1 of 2 jobs failed$" "$(cat err)"
}

# Fails before the fix: the job ran and failed with sh's "Unterminated
# quoted string"; no warning named -0.
nul_template_others_run() {
    in_case_dir
    printf 'a\0b\nc\nd\0e\nf\n' | wg -k 'echo {}' >out 2>err
    status_is 2 $? || return 1
    same "the other lines ran" "c
f" "$(cat out)" || return 1
    same "one warning" 1 "$(grep -c 'use -0' err)" || return 1
    has "job 1" "^wgrun: job 1 failed \(.*\): echo 'a\\\\0b'$" "$(cat err)" || return 1
    has "job 3" "^wgrun: job 3 failed \(.*\): echo 'd\\\\0e'$" "$(cat err)" || return 1
    has "count" "^wgrun: 2 of 4 jobs failed$" "$(cat err)" || return 1
    if grep -q 'Unterminated' err; then echo "a shortened command ran"; return 1; fi
}

# Fails before the fix: the jobs ran with the values cut at the NUL.
nul_in_files() {
    in_case_dir
    printf 'a\0b\nc\n' >f
    wg 'echo {}' :::: f >out 2>err
    status_is 1 $? || return 1
    same ":::: f" "c" "$(cat out)" || return 1
    wg -a f 'echo {}' >out 2>err
    status_is 1 $? || return 1
    same "-a f" "c" "$(cat out)" || return 1
    wg -k 'echo {1} {2}' ::: x y :::: f >out 2>err
    status_is 2 $? || return 1
    same "::: x y :::: f" "x c
y c" "$(cat out)" || return 1
    same "one warning for two jobs" 1 "$(grep -c 'use -0' err)" || return 1
    # Under --report, and with the NUL shown.
    wg --report 'echo {}' :::: f >out 2>err
    status_is 1 $? || return 1
    has "--report row" "^ +1 +exit 126, .*echo 'a\\\\0b'$" "$(cat err)" || return 1
    no_raw_controls err
}

# Fails before the fix: the dry run printed `echo 'a` + NUL + `b'`, exit 0.
nul_dry_run() {
    in_case_dir
    printf 'a\0b\nc\n' | wg --dry-run 'echo {}' >out 2>err
    status_is 1 $? || return 1
    same "only the command that would run" "echo c" "$(cat out)" || return 1
    has "warning" "holds a NUL byte.*use -0" "$(cat err)" || return 1
    has "count" "^wgrun: 1 of 2 jobs not run: input holds a NUL byte$" "$(cat err)"
}

# Many NUL lines: each fails at once, without a message each, in bounded
# memory (failing at once, they must not pile up in the scheduler). Fails
# before the fix: 100,000 jobs ran shortened, with no warning.
nul_flood() {
    in_case_dir
    local n=100000
    if sanitized; then n=10000; fi
    yes 'a@b' | head -n "$n" | tr @ '\0' |
        /usr/bin/time -f %M -o rss timeout 120 "$WGRUN" --no-shell 'false {}' >out 2>err
    status_is 101 $? || return 1
    same "one warning" 1 "$(grep -c 'use -0' err)" || return 1
    has "count" "^wgrun: $n of $n jobs failed$" "$(cat err)" || return 1
    same "report lines: warning, 1000 jobs, the rest, the count" 1003 "$(wc -l <err)" || return 1
    if ! sanitized; then
        local rss
        rss=$(peak_rss_kb rss)
        [ "$rss" -lt 24576 ] || { echo "peak RSS $rss KiB"; return 1; }
    fi
}

# --- escaped reports and messages --------------------------------------------

# The job log records the command with the NUL as the text \0: its NUL
# bytes stand for newlines, and --retry-failed would have run
# `rm -rf v/` + newline + `sub`. Fails before the fix: the first run
# deleted v.
nul_joblog_retry() {
    in_case_dir
    mkdir -p v/sub && touch v/keep v/sub/file
    printf 'rm -rf v/\0sub\n' | wg --joblog jl >out 2>err
    status_is 1 $? || return 1
    [ "$(tr -d '\0' <jl | wc -c)" -eq "$(wc -c <jl)" ] || { echo "a NUL in the job log"; cat -A jl; return 1; }
    has "the row" $'^1\t:\t.*\t126\t0\trm -rf v/\\\\0sub$' "$(cat jl)" || return 1
    wg --joblog jl --retry-failed >out 2>err
    [ -e v/keep ] && [ -e v/sub/file ] || { echo "v was deleted by the retry"; ls -R v; return 1; }
}

# Fails before the fix: the ESC sequence set the terminal's title, and the
# newline forged a report line.
escapes_failure_report() {
    in_case_dir
    wg 'false {}' ::: $'\e]0;PWNED\a' $'x\nwgrun: 0 of 5 jobs failed' >out 2>err
    status_is 2 $? || return 1
    no_raw_controls err || return 1
    same "report" "wgrun: job 1 failed (exit 1): false '\\x1b]0;PWNED\\x07'
wgrun: job 2 failed (exit 1): false 'x\\nwgrun: 0 of 5 jobs failed'
wgrun: 2 of 2 jobs failed" "$(cat err)"
}

# Fails before the fix: the program name was printed raw.
escapes_cannot_run() {
    in_case_dir
    wg --no-shell $'no-such-cmd\e]0;PWNED\a' ::: 1 >out 2>err
    status_is 1 $? || return 1
    no_raw_controls err || return 1
    has "message" "^wgrun: cannot run 'no-such-cmd\\\\x1b\]0;PWNED\\\\x07': No such file or directory$" "$(cat err)"
}

# Fails before the fix: the ESC reached the log raw (a newline was already
# %0A, GitHub's escaping; it is \n now, as in every report).
escapes_ci_github() {
    in_case_dir
    wg --ci github 'false {}' ::: $'\e]0;PWNED\a' $'x\n::error::forged' >out 2>err
    status_is 2 $? || return 1
    no_raw_controls out || return 1
    if grep -q '^::error::forged' out; then echo "forged line:"; cat out; return 1; fi
    same "two groups, two error lines" 6 "$(wc -l <out)" || return 1
    has "error line" "^::error title=false 'x\\\\n%3A%3Aerror%3A%3Aforged'::job 2 failed \(exit 1\): false 'x\\\\n::error::forged'$" "$(cat out)"
}

# Fails before the fix: the user's bytes were echoed raw.
escapes_error_messages() {
    in_case_dir
    wg $'--color=\e]0;PWNED\a' true >out 2>err
    status_is 255 $? || return 1
    no_raw_controls err || return 1
    has "usage error" "^wgrun: --color takes auto, always or never, not '\\\\x1b\]0;PWNED\\\\x07'$" "$(cat err)" || return 1
    wg 'echo {}' :::: $'no\nsuch' >out 2>err
    status_is 255 $? || return 1
    same "input error on one line" "wgrun: cannot read input file 'no\\nsuch': No such file or directory" "$(cat err)"
}

# --- bounded failure list, cut commands --------------------------------------

# Fails before the fix: the 3 MB command was printed whole (twice).
long_command_cut() {
    in_case_dir
    head -c 3000000 /dev/zero | tr '\0' a >line
    echo >>line
    wg --no-shell 'false {}' <line >out 2>err
    status_is 1 $? || return 1
    [ "$(wc -c <err)" -lt 4000 ] || { echo "stderr holds $(wc -c <err) bytes"; return 1; }
    has "cut with its size" "^wgrun: job 1 failed \(.*\): false a{994}\.\.\. \(3000006 bytes\)$" "$(cat err)" || return 1
    wg --report --no-shell 'false {}' <line >out 2>err
    [ "$(wc -c <err)" -lt 4000 ] || { echo "--report: stderr holds $(wc -c <err) bytes"; return 1; }
    has "--report cuts too" "false a{994}\.\.\. \(3000006 bytes\)$" "$(cat err)"
}

# Fails before the fix: all 1,500 failures were listed.
failure_list_bounded() {
    in_case_dir
    # 1,500 real jobs: more time than wg's 60 s under the sanitizers.
    seq 1500 | timeout 300 "$WGRUN" -j4 --no-shell 'false {}' >out 2>err
    status_is 101 $? || return 1
    same "lines" 1002 "$(wc -l <err)" || return 1
    same "the first 1000 by job number" "$(seq 1000)" "$(sed -n 's/^wgrun: job \([0-9]*\) failed.*/\1/p' err)" || return 1
    has "the rest counted" "^wgrun: \.\.\. and 500 more failed jobs \(not listed\)$" "$(cat err)" || return 1
    has "the count" "^wgrun: 1500 of 1500 jobs failed$" "$(cat err)"
}

# Failed jobs with 4 KB commands: memory does not grow with them. Fails
# before the fix: every failure was kept whole (about 60 MB here).
failures_memory_bounded() {
    in_case_dir
    seq 5000 | awk '{ printf "%s %04000d\n", $1, 0 }' >lines
    /usr/bin/time -f %M -o rss timeout 300 "$WGRUN" -j4 --no-shell 'false {}' <lines >out 2>err
    status_is 101 $? || return 1
    has "the count" "^wgrun: 5000 of 5000 jobs failed$" "$(cat err)" || return 1
    local rss
    rss=$(peak_rss_kb rss)
    [ "$rss" -lt 20480 ] || { echo "peak RSS $rss KiB"; return 1; }
}

check "NUL without -0: find -print0 runs no shortened command" nul_find_print0
check "NUL without -0: stdin lines as commands are not run cut" nul_commands_mode
check "NUL without -0: such jobs fail, warned once; the others run" nul_template_others_run
check "NUL without -0: :::: FILE, -a FILE, combinations, --report" nul_in_files
check "NUL without -0: --dry-run prints only what would run" nul_dry_run
check "NUL without -0: 100,000 NUL lines, one warning, bounded memory" nul_flood
check "NUL without -0: the job log holds no NUL, --retry-failed runs nothing cut" nul_joblog_retry
check "failure report: control characters escaped, no forged lines" escapes_failure_report
check "cannot run: the program name escaped" escapes_cannot_run
check "--ci github: commands escaped, no forged ::error lines" escapes_ci_github
check "error messages: user input escaped" escapes_error_messages
check "reports cut a 3 MB command at 1000 bytes with its size" long_command_cut
check "failure report: the first 1000 failures, then a count" failure_list_bounded
if sanitized; then
    skip "5000 failed 4 KB commands in bounded memory" "memory sizes differ under sanitizers"
else
    check "5000 failed 4 KB commands in bounded memory" failures_memory_bounded
fi
finish
