# lib.sh: a tiny harness for end-to-end shell tests. Source it, call
# `check NAME COMMAND...` per case (or pass/fail by hand), and `finish` last:
# it prints the "@@counts" line tests/run reads and sets the exit status.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
_passed=0 _failed=0 _skipped=0
SANDBOX=$(mktemp -d "${TMPDIR:-/tmp}/wgrun-e2e.XXXXXX")
trap 'rm -rf "$SANDBOX"' EXIT

pass() { _passed=$((_passed + 1)); echo "ok   - $1"; }
fail() { _failed=$((_failed + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/       /'; }
skip() { _skipped=$((_skipped + 1)); echo "skip - $1: $2"; }

# check NAME COMMAND...: one case, passed when COMMAND exits 0.
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
}

finish() {
    echo "@@counts passed=$_passed failed=$_failed skipped=$_skipped"
    [ "$_failed" -eq 0 ]
}
