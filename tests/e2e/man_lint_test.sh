#!/usr/bin/env bash
# Every man page passes mandoc's lint with no warning.
. "$(dirname "$0")/lib.sh"

found=0
for page in "$ROOT"/man/*.[1-9]; do
    [ -e "$page" ] || continue
    found=1
    check "mandoc -T lint ${page#"$ROOT"/}" mandoc -T lint -W warning "$page"
done
[ "$found" -eq 1 ] || fail "there is a man page to lint"
finish
