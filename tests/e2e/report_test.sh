#!/usr/bin/env bash
# report_test.sh: --report lists every job at the end, aligned, in the
# order they ended, with colour per --color; it contradicts --quiet.
. "$(dirname "$0")/lib.sh"

# report ARGS...: runs wgrun, stderr (the report) to err, stdout to out.
report() { wg "$@" >out 2>err; }

every_job_listed() {
    in_case_dir
    report -j3 --report 'echo one' 'exit 3' 'sleep 0.1' 'kill -TERM $$'
    status_is 2 $? || return 1
    has "heading" '^seq +status +runtime +cpu +command$' "$(cat err)" || return 1
    has "ok row" '^ +1 +ok +[0-9]+\.[0-9]{3}s +[0-9]+\.[0-9]{3}s +echo one$' "$(cat err)" || return 1
    has "exit row" '^ +2 +exit 3 +.* exit 3$' "$(cat err)" || return 1
    has "sleep row" '^ +3 +ok .* sleep 0\.1$' "$(cat err)" || return 1
    has "signal row" '^ +4 +killed by SIGTERM .* kill -TERM \$\$$' "$(cat err)" || return 1
    has "count" '^wgrun: 2 of 4 jobs failed$' "$(cat err)" || return 1
    same "rows" 6 "$(wc -l <err)" || return 1
    same "stdout untouched" "one" "$(cat out)"
}

# The runtime and CPU columns end where their headings do, on every line
# (awk here may be mawk: no {n} in its regular expressions).
aligned() {
    in_case_dir
    report --report --retries 2 -j4 'exit {}' ::: 0 5 0 0 0 0 0 0 0 0 0 0
    status_is 1 $? || return 1
    report_ends() {
        awk -v heading="$1" 'NR == 1 { print index($0, heading) + length(heading) - 1; next }
            !/^wgrun:/ { n = match($0, /[0-9]+\.[0-9][0-9][0-9]s  +[0-9]+\.[0-9][0-9][0-9]s  /)
                         if (!n) { print "no match: " $0; next }
                         field = substr($0, RSTART, RLENGTH)
                         if (heading == "runtime") print RSTART + index(field, "s") - 1
                         else print RSTART + RLENGTH - 3 }' err | sort -u
    }
    same "runtime column ends in one place" 1 "$(report_ends runtime | wc -l)" || { cat err; return 1; }
    same "cpu column ends in one place" 1 "$(report_ends cpu | wc -l)" || { cat err; return 1; }
    same "12 job rows" 12 "$(grep -cE '^ +[0-9]+ ' err)" || return 1
    has "retried" '^ +2 +exit 5, after 2 attempts ' "$(cat err)"
}

# The order is the order the jobs ended in.
completion_order() {
    in_case_dir
    report -j3 --report 'sleep 0.6; echo a' 'sleep 0.3' 'true'
    same "seqs in ending order" "3 2 1" "$(awk '/^ +[0-9]+ / { printf "%s%s", sep, $1; sep=" " }' err)"
}

# Control characters in a command are shown escaped: one line per job.
one_line_per_job() {
    in_case_dir
    report --report "$(printf 'printf "a\\tb"\n#c\rd\033e')"
    has "escaped" '^ +1 +ok .* printf "a\\tb"\\n#c\\rd\\x1be$' "$(cat err)" || return 1
    same "two lines and the count" 3 "$(wc -l <err)"
}

colour() {
    in_case_dir
    report --report --color=always 'true' 'false' || true
    has "green ok" $'\e\\[32mok +\e\\[0m' "$(cat err)" || return 1
    has "red failure" $'\e\\[1;31mexit 1 *\e\\[0m' "$(cat err)" || return 1
    report --report 'true' 'false'
    if grep -q $'\e' err; then echo "colour on a file without --color=always"; return 1; fi
    NO_COLOR=1 report --report --color=always 'false'
    grep -q $'\e' err || { echo "--color=always must override NO_COLOR"; return 1; }
}

quiet_contradicts() {
    in_case_dir
    report --report --quiet true
    status_is 255 $? || return 1
    has "message" 'give one or the other' "$(cat err)" || return 1
    report --quiet --report true
    status_is 255 $?
}

# Without --report, the default report stays: failures only.
default_unchanged() {
    in_case_dir
    report 'true' 'exit 4'
    same "failures only" "wgrun: job 2 failed (exit 4): exit 4
wgrun: 1 of 2 jobs failed" "$(cat err)"
}

# Rows wait on disk: 5,000 jobs do not grow wgrun's memory. Not under a
# sanitizer (skipped where the case is checked: a skip inside a case would
# count in check's subshell, not here).
many_jobs() {
    in_case_dir
    seq 5000 | /usr/bin/time -f %M -o rss timeout 300 "$WGRUN" --no-shell -j4 --report "true {}" >out 2>err
    status_is 0 $? || return 1
    same "rows" 5000 "$(grep -cE '^ *[0-9]+ +ok ' err)" || return 1
    local rss
    rss=$(peak_rss_kb rss)
    [ "$rss" -lt 16384 ] || { echo "peak RSS $rss KiB"; return 1; }
}

check "--report lists every job" every_job_listed
check "--report columns are aligned" aligned
check "--report rows come in the order jobs ended" completion_order
check "--report shows control characters escaped" one_line_per_job
check "--report colour per --color" colour
check "--report with --quiet is rejected" quiet_contradicts
check "without --report: the failure report" default_unchanged
if sanitized; then skip "--report of 5000 jobs in bounded memory" "memory sizes differ under sanitizers"; else check "--report of 5000 jobs in bounded memory" many_jobs; fi
finish
