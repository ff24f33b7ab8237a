#!/usr/bin/env bash
# Hygiene: no file descriptor of wgrun reaches a job (those its caller left
# open do, see hardening_fds_test.sh: these cases close them first), and
# after thousands of jobs wgrun holds no zombie and no more descriptors than
# after one.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# only_std_fds COMMAND...: runs COMMAND with every descriptor above 2 closed.
only_std_fds() {
    (
        for p in /proc/$BASHPID/fd/*; do
            n=${p##*/}
            [ "$n" -gt 2 ] && eval "exec $n>&-"
        done
        "$@"
    )
}

# What `ls /proc/self/fd` prints with only 0, 1 and 2 open (and ls's own
# directory descriptor).
REF_SH=$(only_std_fds sh -c 'ls /proc/self/fd' | tr '\n' ' ')
REF_LS=$(only_std_fds ls /proc/self/fd | tr '\n' ' ')

fds_shell() {
    local out
    out=$(only_std_fds wg 'ls /proc/self/fd' | tr '\n' ' ') || return 1
    same "descriptors" "$REF_SH" "$out"
}
check "a job sees only fds 0 1 2 (wgrun 'ls /proc/self/fd')" fds_shell

fds_no_shell() {
    local out
    out=$(only_std_fds wg --no-shell 'ls /proc/self/fd' | tr '\n' ' ') || return 1
    same "descriptors" "$REF_LS" "$out"
}
check "a --no-shell job sees only fds 0 1 2" fds_no_shell

# The caller's fds reach the job as they are (as with xargs and sh), and
# nothing else does.
fds_of_caller() {
    in_case_dir
    local out ref
    exec 7>"$CASE/seven" 8<"$CASE/seven" 9>&1
    ref=$(only_fds_and_789 sh -c 'ls /proc/self/fd' | tr '\n' ' ')
    same "the reference" "0 1 2 3 7 8 9 " "$ref" || return 1
    out=$(only_fds_and_789 wg 'ls /proc/self/fd' | tr '\n' ' ') || return 1
    same "descriptors with 7, 8, 9 open in the caller" "$ref" "$out" || return 1
    out=$(echo 'ls /proc/self/fd' | only_fds_and_789 wg | tr '\n' ' ') || return 1
    same "descriptors with 7, 8, 9 open in the caller (commands on stdin)" "$ref" "$out"
}
# only_fds_and_789 COMMAND...: as only_std_fds, but 7, 8 and 9 stay open.
only_fds_and_789() {
    (
        for p in /proc/$BASHPID/fd/*; do
            n=${p##*/}
            [ "$n" -gt 2 ] && [ "$n" -lt 7 -o "$n" -gt 9 ] && eval "exec $n>&-"
        done
        "$@"
    )
}
check "fds the caller left open (exec 7>file) reach a job, and no other" fds_of_caller

# Twenty jobs at -j4, each first writing 1 MB (so wgrun holds output in
# temporary files) and then listing its descriptors: none sees a descriptor
# of another job.
fds_concurrent() {
    in_case_dir
    local out expected n
    out=$(only_std_fds wg -j4 "head -c 1000000 /dev/zero | tr '\\0' x; head -c 1000000 /dev/zero >&2; echo; ls /proc/self/fd # {}" \
        ::: $(seq 20) 2>/dev/null | grep -E '^[0-9]+$' | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ')
    expected=$(for n in $REF_SH; do printf '%s:20 ' "$n"; done)
    same "descriptors (fd:count over 20 jobs)" "$expected" "$out"
}
check "jobs running at once, with big output, see only fds 0 1 2" fds_concurrent

# probe.sh, run as the last job with `exec`: waits (at most 20 s) until it is
# wgrun's only child (besides its guardian, see job_guardian.hpp), then prints
# wgrun's children and descriptors.
cat >"$SANDBOX/probe.sh" <<'SH'
p=$PPID
kids() {
    for k in $(cat /proc/$p/task/*/children); do
        [ "$(cat /proc/$k/comm 2>/dev/null)" = wgrun-guardian ] || echo "$k"
    done
}
i=0
while [ "$(kids | wc -w)" -gt 1 ] && [ $i -lt 400 ]; do
    sleep 0.05; i=$((i + 1))
done
echo "children: $(kids | tr -s ' \n' ' ' | sed 's/ $//')"
echo "self: $$"
echo "fds: $(ls /proc/$p/fd | wc -l)"
ls -l /proc/$p/fd | sed -n 's/.* \([0-9][0-9]* -> .*\)/  \1/p'
SH

# probe_after N: runs N `true` jobs, then the probe, with the default -j.
probe_after() {
    { yes true | head -n "$1"; echo "exec sh '$SANDBOX/probe.sh'"; } | timeout 300 "$WGRUN"
}

# The issue asks for 10,000 jobs; sanitizer builds, several times slower, run 2000.
MANY=10000
sanitized && MANY=2000

no_zombies_no_leaks() {
    local before after self kids
    before=$(probe_after 1) || { echo "wgrun failed: $before"; return 1; }
    after=$(probe_after "$MANY") || { echo "wgrun failed: $after"; return 1; }
    self=$(sed -n 's/^self: //p' <<<"$after")
    kids=$(sed -n 's/^children: //p' <<<"$after")
    [ -n "$self" ] && [ "$kids" = "$self" ] ||
        { echo "wgrun's children after $MANY jobs: '$kids'; only the probe ($self) expected"; return 1; }
    local n_before n_after
    n_before=$(sed -n 's/^fds: //p' <<<"$before")
    n_after=$(sed -n 's/^fds: //p' <<<"$after")
    [ -n "$n_after" ] && [ "$n_after" -le "$n_before" ] ||
        { printf 'wgrun holds %s fds after %s jobs, %s after 1\n--- after 1:\n%s\n--- after %s:\n%s\n' \
            "$n_after" "$MANY" "$n_before" "$before" "$MANY" "$after"; return 1; }
}
check "after $MANY jobs wgrun has no zombie child and no more fds than after 1" no_zombies_no_leaks

# The layers: Boost.Process in exactly one translation unit, the spawner;
# CLI11 only in cli/.
boost_process_in_the_spawner_only() {
    local users
    users=$(cd "$ROOT" && grep -rl 'boost/process' core cli | sort | tr '\n' ' ')
    same "files that include Boost.Process" "core/exec/spawner.cpp " "$users" || return 1
    users=$(cd "$ROOT" && grep -rl 'CLI/CLI.hpp' core cli | sort | tr '\n' ' ')
    has "files that include CLI11" "cli/options\.cpp " "$users" || return 1
    local others
    others=$(tr ' ' '\n' <<<"$users" | grep -v -e '^$' -e '^cli/options[a-z_]*\.cpp$' \
        -e '^cli/option_checks\.hpp$' | tr '\n' ' ')
    same "files outside cli/options*.cpp that include CLI11" "" "$others"
}
check "Boost.Process only in core/exec/spawner.cpp, CLI11 only in cli/options*.cpp" boost_process_in_the_spawner_only

# The layout shows the pipeline: every source of core/ sits in a stage
# folder, README's "How wgrun works" names each stage folder, and tests/core/
# has the same folders (no test file outside them).
layout_shows_the_stages() {
    local loose stages missing=""
    loose=$(cd "$ROOT" && find core tests/core -maxdepth 1 -type f | sort | tr '\n' ' ')
    same "files directly in core/ or tests/core/" "" "$loose" || return 1
    stages=$(cd "$ROOT/core" && find . -mindepth 1 -maxdepth 1 -type d | sed 's|^\./||' | sort)
    for stage in $stages; do
        sed -n '/^## How wgrun works/,/^## /p' "$ROOT/README.md" | grep -q "core/$stage/" ||
            missing="$missing README:$stage"
        [ -d "$ROOT/tests/core/$stage" ] || missing="$missing tests:$stage"
    done
    same "stage folders missing from README or tests/core" "" "$missing"
}
check "core/ is one folder per stage, named in README; tests/core/ mirrors it" layout_shows_the_stages

# The top level is the brief's layout and nothing else: no stray output of
# a test run or of a hand-run command committed beside it (a file 'err',
# 13 MB of 'out.bin' and 'err.bin' once were). Where git can tell, the
# tracked files; else what is there, less the build.
top_level_is_the_layout() {
    local names
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        names=$(git -C "$ROOT" ls-files | cut -d/ -f1 | sort -u | tr '\n' ' ')
    else
        names=$(cd "$ROOT" && ls -A | grep -v -x -e build -e .git | sort | tr '\n' ' ')
    fi
    same "the top level" ".ci .gitignore Makefile README.md bench cli core man tests wgrun.pc.in " \
        "$names"
}
check "the top level holds cli/ core/ tests/ man/ bench/ .ci/ Makefile README.md and the pc template only" \
    top_level_is_the_layout

# One way to own an fd: UniqueFd (core/base/unique_fd.hpp). A call of
# close(2) (`close(FD`, `::close(FD`; not UniqueFd's `fd.close()`, not
# closedir/close_range/fclose; comments left out) appears in core/ only:
#  - in core/base/unique_fd.cpp, UniqueFd itself;
#  - on the child side of spawning, between fork/vfork and exec or _exit,
#    where no destructor may run (the child shares wgrun's memory, or is a
#    copy that must not close wgrun's files twice), in these functions:
#    core/exec/spawner.cpp close_fds() and exec_child(),
#    core/exec/job_guardian.cpp guard(), and core/exec/srun_guard.cpp
#    close_from() (--slurm's step canceller, between fork and exec).
# A function is told by its definition's first line, at column 0, up to the
# next "}" at column 0.
bare_close_calls() {
    (cd "$ROOT" && find core -name '*.cpp' -o -name '*.hpp' | sort | while read -r file; do
        [ "$file" = core/base/unique_fd.cpp ] && continue
        awk -v file="$file" '
            BEGIN {
                allowed["core/exec/spawner.cpp"] = " close_fds exec_child "
                allowed["core/exec/job_guardian.cpp"] = " guard "
                allowed["core/exec/srun_guard.cpp"] = " close_from "
            }
            {
                code = $0
                sub(/\/\/.*$/, "", code)
                if (code ~ /^[A-Za-z_[].*[A-Za-z0-9_]\(/ && code !~ /;[[:space:]]*$/) {
                    name = code
                    sub(/\(.*/, "", name)
                    sub(/.*[^A-Za-z0-9_]/, "", name)
                    function_name = name
                }
                if (code ~ /(^|[^A-Za-z0-9_.>])(::)?close[[:space:]]*\([[:space:]]*[^)[:space:]]/ &&
                    index(allowed[file], " " function_name " ") == 0) {
                    print file ":" FNR ":" $0
                }
                if (code ~ /^}/) function_name = ""
            }' "$file"
    done)
}
no_bare_close() {
    same "close(2) calls outside UniqueFd and the child side of spawning" "" "$(bare_close_calls)"
}
check "core/ calls close(2) only in UniqueFd and on the child side of spawning" no_bare_close

finish
