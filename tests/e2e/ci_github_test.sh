#!/usr/bin/env bash
# --ci github|none: GitHub Actions' ::group::/::endgroup:: lines around each
# job's stdout and an ::error line per failed job, in every output mode; on
# by default under GITHUB_ACTIONS=true, --ci none turns it off, --ci github
# forces it; GitHub's escaping; the job's bytes intact; a bad value.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# gha COMMAND...: runs COMMAND as under GitHub Actions; without: as elsewhere.
gha() { GITHUB_ACTIONS=true "$@"; }
no_gha() { (unset GITHUB_ACTIONS; "$@"); }

JOB='echo {} one; echo {} two; echo {} err >&2'
group_of() {  # group_of X: the lines of job X's group
    printf '::group::echo %s one; echo %s two; echo %s err >&2\n%s one\n%s two\n::endgroup::\n' \
        "$1" "$1" "$1" "$1" "$1"
}

keep_order() {
    in_case_dir
    gha wg -j3 -k "$JOB" ::: a b c >out 2>err || return 1
    same "stdout" "$(group_of a; group_of b; group_of c)" "$(cat out)" || return 1
    same "stderr (no markers)" "$(printf 'a err\nb err\nc err')" "$(sort err)"
}
check "GITHUB_ACTIONS=true, -k: each job's stdout in a group, in order" keep_order

keep_order_lines() {
    in_case_dir
    gha wg -j3 -k --line-buffer "$JOB" ::: a b c >out 2>/dev/null || return 1
    same "stdout" "$(group_of a; group_of b; group_of c)" "$(cat out)"
}
check "GITHUB_ACTIONS=true, -k --line-buffer: groups in order" keep_order_lines

# Grouped (the default): groups in completion order (not checked: timing),
# each one whole: blocks() joins each group's lines into one line.
blocks() {
    awk '/^::group::/ { if (b != "") print "nested: " b; b = $0; next }
         /^::endgroup::$/ { print b "|end"; b = ""; next }
         { if (b == "") print "outside: " $0; else b = b "|" $0 }' "$1" | sort
}
grouped() {
    in_case_dir
    gha wg -j3 'sleep 0.{}; '"$JOB" ::: 3 1 2 >out 2>/dev/null || return 1
    local expected
    expected=$(for x in 1 2 3; do
        echo "::group::sleep 0.$x; echo $x one; echo $x two; echo $x err >&2|$x one|$x two|end"
    done)
    same "the groups" "$expected" "$(blocks out)"
}
check "GITHUB_ACTIONS=true, grouped: each group whole" grouped

# Where lines of jobs mix (-u, --line-buffer without -k) groups cannot hold
# one job's lines: only ::error lines.
mixed_modes() {
    in_case_dir
    local mode
    for mode in -u --line-buffer; do
        gha wg -j3 $mode "$JOB"'; exit {}' ::: 0 2 0 >out 2>/dev/null
        status_is 1 $? || return 1
        if grep -q '^::\(end\)\?group::' out; then echo "group lines with $mode:"; cat out; return 1; fi
        same "error lines with $mode" "::error title=echo 2 one; echo 2 two; echo 2 err >&2; exit 2::job 2 failed (exit 2): echo 2 one; echo 2 two; echo 2 err >&2; exit 2" \
            "$(grep '^::' out)" || return 1
        same "the jobs' lines with $mode" "$(printf '0 one\n0 one\n0 two\n0 two\n2 one\n2 two')" \
            "$(grep -v '^::' out | sort)" || return 1
    done
}
check "-u and --line-buffer: no groups, only ::error lines" mixed_modes

off_by_default() {
    in_case_dir
    no_gha wg -k "$JOB" ::: a >out 2>/dev/null || return 1
    same "stdout" "$(printf 'a one\na two')" "$(cat out)" || return 1
    GITHUB_ACTIONS=false wg -k 'exit 1' ::: a >out 2>/dev/null
    same "stdout with GITHUB_ACTIONS=false" "" "$(cat out)"
}
check "without GITHUB_ACTIONS=true: no markers" off_by_default

none_overrides() {
    in_case_dir
    gha wg --ci none -k "$JOB"'; exit 3' ::: a >out 2>/dev/null
    status_is 1 $? || return 1
    same "stdout" "$(printf 'a one\na two')" "$(cat out)"
}
check "--ci none overrides GITHUB_ACTIONS=true" none_overrides

github_forced() {
    in_case_dir
    no_gha wg --ci github -k "$JOB" ::: a b >out 2>/dev/null || return 1
    same "stdout" "$(group_of a; group_of b)" "$(cat out)"
}
check "--ci github without GITHUB_ACTIONS" github_forced

error_line() {
    in_case_dir
    no_gha wg --ci github -k 'echo out; exit {}' ::: 0 2 >out 2>err
    status_is 1 $? || return 1
    same "stdout" "::group::echo out; exit 0
out
::endgroup::
::group::echo out; exit 2
out
::endgroup::
::error title=echo out; exit 2::job 2 failed (exit 2): echo out; exit 2" "$(cat out)" || return 1
    has "the failure report" '^wgrun: job 2 failed \(exit 2\): echo out; exit 2$' "$(cat err)" || return 1
    no_gha wg --ci github 'kill -KILL $$' >out 2>/dev/null
    has "a job killed by a signal" '^::error title=kill -KILL \$\$::job 1 failed \(killed by SIGKILL\): kill -KILL \$\$$' "$(cat out)"
}
check "a failed job: an ::error line after its group" error_line

# %, newline, ':' and ',' in the command: the command is first shown as the
# reports show it (a newline as \n, issue 12), then data escapes % CR LF,
# property values ':' and ',' too.
escaping() {
    in_case_dir
    local cmd=$'echo "100%" a:b,c\nexit 4'
    no_gha wg --ci github "$cmd" >out 2>/dev/null
    status_is 1 $? || return 1
    same "stdout" '::group::echo "100%25" a:b,c\nexit 4
100% a:b,c
::endgroup::
::error title=echo "100%25" a%3Ab%2Cc\nexit 4::job 1 failed (exit 4): echo "100%25" a:b,c\nexit 4' "$(cat out)"
}
check "escaping of %, newline, ':' and ','" escaping

# Bytes of every value, a big output (spill files, splice on stderr), and
# no newline at the end: the job's bytes are intact between the markers.
bytes_intact() {
    in_case_dir
    head -c 3000000 /dev/urandom >blob
    printf 'no newline' >>blob
    no_gha wg --ci github -k "cat blob; cat blob >&2 # {}" ::: x >out 2>err || return 1
    { printf '::group::cat blob; cat blob >&2 # x\n'; cat blob; printf '\n::endgroup::\n'; } >expected
    cmp expected out || return 1
    cmp blob err
}
check "bytes intact, a newline before ::endgroup:: when the output lacks one" bytes_intact

# --results saves the job's own bytes, without markers.
with_results() {
    in_case_dir
    no_gha wg --ci github --results 'res/{#}/' 'echo {}' ::: a >out || return 1
    same "stdout" "$(printf '::group::echo a\na\n::endgroup::')" "$(cat out)" || return 1
    same "the saved stdout" "a" "$(cat res/1/stdout)"
}
check "--results saves the job's bytes without markers" with_results

bad_value() {
    in_case_dir
    wg --ci gitlab true >out 2>err
    status_is 255 $? || return 1
    has "the message" "^wgrun: --ci takes github or none, not 'gitlab'$" "$(cat err)" || return 1
    [ ! -s out ] || { echo "stdout:"; cat out; return 1; }
}
check "a bad --ci value: exit 255 and a message" bad_value

finish
