#!/usr/bin/env bash
# Output files that cannot be written: every option that names one
# (--joblog, --joblog +FILE, --json, --junit, --results) fails the same way
# before any job runs: exit status 255, nothing on stdout, and one line on
# stderr, "wgrun: OPTION PATH: <strerror>" (no usage hint: the command line
# is right, the file system said no). See wgrun(1), EXIT STATUS.
#
# Fails before the fix (BUILD=/work/base-build tests/run on this file):
# --json and --junit added "Try 'wgrun --help' for more information." as a
# second line, and --results ran the jobs, failed each of them ("results not
# saved: ..."), and exited 1.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# The options, each with the name its message starts with.
OPTIONS=(--joblog +--joblog --json --junit --results)

# unwritable RUN OPTION PATH ERROR: runs wgrun through RUN (a command prefix,
# or "" for none) with OPTION PATH and a job that prints, and checks the
# shape: 255, no job's output, only "wgrun: OPTION PATH: ERROR" on stderr.
# "+--joblog" stands for --joblog +PATH (appending).
unwritable() {
    local run=$1 option=$2 path=$3 error=$4 given=$3 st
    if [ "$option" = +--joblog ]; then
        option=--joblog
        given=+$path
    fi
    $run timeout 60 "$WGRUN" "$option" "$given" 'echo ran {}' ::: 1 2 >out 2>err
    st=$?
    status_is 255 "$st" || { cat err; return 1; }
    same "stdout (no job runs)" "" "$(cat out)" || return 1
    same "stderr" "wgrun: $option $path: $error" "$(cat err)"
}

# A path under a regular file: ENOTDIR for anyone.
under_a_file() {
    in_case_dir
    echo data >reg
    unwritable "" "$1" reg/out "Not a directory" || return 1
    same "the file" "data" "$(cat reg)"
}
for option in "${OPTIONS[@]}"; do
    check "${option/+--joblog/--joblog +FILE} reg/out (reg a regular file): 255, one line, no job" \
        under_a_file "$option"
done

# In a read-only directory: EACCES. Root writes anywhere, so as root the run
# is made as nobody (setpriv), in directories nobody can reach.
AS=""
why_not=""
if [ "$(id -u)" = 0 ]; then
    if ! command -v setpriv >/dev/null; then
        why_not="root without setpriv"
    else
        AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
        chmod 755 "$SANDBOX"
        $AS test -x "$WGRUN" || why_not="nobody cannot run $WGRUN"
    fi
fi

in_read_only_dir() {
    in_case_dir
    chmod 755 .
    mkdir ro
    chmod 555 ro
    unwritable "$AS" "$1" ro/out "Permission denied" || return 1
    same "ro's entries" "" "$(ls -A ro)"
}
for option in "${OPTIONS[@]}"; do
    name="${option/+--joblog/--joblog +FILE} ro/out (ro read-only): 255, one line, no job"
    if [ -n "$why_not" ]; then
        skip "$name" "$why_not"
    else
        check "$name" in_read_only_dir "$option"
    fi
done

finish
