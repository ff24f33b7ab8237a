#!/usr/bin/env bash
# --json FILE|-: JSON Lines parsed back with Python's json module (strict:
# control characters in strings are refused, the file must decode as
# UTF-8): every field and its type, completion order, the summary, invalid
# UTF-8 and control characters in commands, `-` (records between jobs'
# output), a timeout, a signal, commands not found, retries, a record
# readable while a later job still runs, SIGINT, write and open errors, and
# flat memory over many jobs.
. "$(dirname "$0")/lib.sh"
exec </dev/null

PY=/usr/bin/python3

# check_json FILE [EXPECTED-JOBS]: every line of FILE is a JSON object with
# exactly the fields of its type, each of its type; job records come first
# (in completion order, which "end", the time the job was reaped, may not
# follow exactly: its output can take longer), then one summary whose counts
# match them. Prints what is wrong.
cat >"$SANDBOX/check_json.py" <<'PY'
import json, re, sys
path = sys.argv[1]
expected_jobs = int(sys.argv[2]) if len(sys.argv) > 2 else None
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
def number(v): return isinstance(v, (int, float)) and not isinstance(v, bool)
def integer(v): return isinstance(v, int) and not isinstance(v, bool)
JOB = {
    "v": lambda v: v == 1, "type": lambda v: v == "job",
    "seq": lambda v: integer(v) and v >= 1, "slot": lambda v: integer(v) and v >= 1,
    "host": lambda v: v == ":", "command": lambda v: isinstance(v, str),
    "args": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
    "start": lambda v: isinstance(v, str) and TIME.match(v),
    "end": lambda v: isinstance(v, str) and TIME.match(v),
    "runtime_s": lambda v: number(v) and v >= 0,
    "exit": lambda v: v is None or (integer(v) and 0 <= v <= 255),
    "signal": lambda v: v is None or (isinstance(v, str) and v.startswith("SIG")),
    "timed_out": lambda v: isinstance(v, bool), "attempts": lambda v: integer(v) and v >= 1,
    "user_s": lambda v: number(v) and v >= 0, "sys_s": lambda v: number(v) and v >= 0,
    "max_rss_kb": lambda v: integer(v) and v >= 0,
    "stdout_bytes": lambda v: integer(v) and v >= 0, "stderr_bytes": lambda v: integer(v) and v >= 0,
    "dropped_output_bytes": lambda v: integer(v) and v >= 0,
    "failed": lambda v: isinstance(v, bool),
}
SUMMARY = {
    "v": lambda v: v == 1, "type": lambda v: v == "summary",
    "jobs": integer, "failed": integer, "skipped": integer, "exit_status": integer,
    "interrupted_by": lambda v: v is None or (isinstance(v, str) and v.startswith("SIG")),
    "not_started": integer, "input_unread": lambda v: isinstance(v, bool),
    "start": lambda v: isinstance(v, str) and TIME.match(v),
    "end": lambda v: isinstance(v, str) and TIME.match(v),
    "runtime_s": lambda v: number(v) and v >= 0,
}
def fields(record, schema, where):
    if set(record) != set(schema):
        sys.exit(f"{where}: fields {sorted(record)}, expected {sorted(schema)}")
    for key, ok in schema.items():
        if not ok(record[key]):
            sys.exit(f"{where}: bad {key}: {record[key]!r}")
with open(path, "rb") as f:
    raw = f.read()
text = raw.decode("utf-8")  # strict: invalid UTF-8 fails here
if not text.endswith("\n"):
    sys.exit("no newline at the end")
lines = text.split("\n")[:-1]
records = [json.loads(line) for line in lines]  # strict: raw control characters fail
jobs = [r for r in records if r.get("type") == "job"]
if records[-1].get("type") != "summary" or len(jobs) != len(records) - 1:
    sys.exit("expected job records, then one summary last")
for i, r in enumerate(jobs):
    fields(r, JOB, f"record {i + 1}")
    if (r["exit"] is None) == (r["signal"] is None):
        sys.exit(f"record {i + 1}: exit and signal both set or both null")
    if r["start"] > r["end"]:
        sys.exit(f"record {i + 1}: start after end")
if len({r["seq"] for r in jobs}) != len(jobs):
    sys.exit("a seq twice")
summary = records[-1]
fields(summary, SUMMARY, "summary")
if summary["jobs"] != len(jobs):
    sys.exit(f"summary says {summary['jobs']} jobs, {len(jobs)} records")
if summary["failed"] != sum(r["failed"] for r in jobs):
    sys.exit("summary failed count differs")
if expected_jobs is not None and len(jobs) != expected_jobs:
    sys.exit(f"{len(jobs)} job records, expected {expected_jobs}")
PY
check_json() { "$PY" "$SANDBOX/check_json.py" "$@"; }

# field FILE SEQ EXPR: the Python expression EXPR over the record `r` of job
# SEQ (or of the summary, SEQ = summary), printed as JSON.
field() {
    "$PY" - "$@" <<'PY'
import json, sys
path, seq, expr = sys.argv[1], sys.argv[2], sys.argv[3]
for line in open(path, encoding="utf-8"):
    r = json.loads(line)
    if (seq == "summary" and r["type"] == "summary") or (r["type"] == "job" and str(r["seq"]) == seq):
        print(json.dumps(eval(expr), ensure_ascii=False))
        break
else:
    print("<no record>")
PY
}

# --- every field ------------------------------------------------------------

fields_and_types() {
    in_case_dir
    local st
    wg -j3 --json out.jsonl 'sleep {1}; echo {2}; echo err >&2; exit {3}' \
        ::: 0.6 0.05 0.3 :::+ one two three :::+ 0 0 4 >stdout 2>err
    st=$?
    status_is 1 "$st" || { cat err; return 1; }
    check_json out.jsonl 3 || return 1
    # Completion order: the 0.05 s job, then 0.3, then 0.6.
    same "seqs in completion order" $'2\n3\n1' "$("$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["type"] == "job": print(r["seq"])' out.jsonl)" || return 1
    same "command" '"sleep 0.05; echo two; echo err >&2; exit 0"' "$(field out.jsonl 2 'r["command"]')" || return 1
    same "args" '["0.05", "two", "0"]' "$(field out.jsonl 2 'r["args"]')" || return 1
    same "bytes" '[4, 4]' "$(field out.jsonl 2 '[r["stdout_bytes"], r["stderr_bytes"]]')" || return 1
    same "job 3" '[4, null, false, true, 1]' \
        "$(field out.jsonl 3 '[r["exit"], r["signal"], r["timed_out"], r["failed"], r["attempts"]]')" || return 1
    same "job 1" '[0, false]' "$(field out.jsonl 1 '[r["exit"], r["failed"]]')" || return 1
    # The runtime is the job's own, and start/end agree with it (to 50 ms).
    same "runtime of job 1" 'true' "$(field out.jsonl 1 '0.55 <= r["runtime_s"] < 5')" || return 1
    same "start + runtime = end" 'true' "$(field out.jsonl 1 '
abs(__import__("datetime").datetime.fromisoformat(r["end"][:-1]).timestamp()
    - __import__("datetime").datetime.fromisoformat(r["start"][:-1]).timestamp()
    - r["runtime_s"]) < 0.05')" || return 1
    same "slots" 'true' "$(field out.jsonl 1 'r["slot"] in (1, 2, 3)')" || return 1
    same "summary" '[3, 1, 0, 1, null]' \
        "$(field out.jsonl summary '[r["jobs"], r["failed"], r["skipped"], r["exit_status"], r["interrupted_by"]]')" || return 1
    same "summary runtime" 'true' "$(field out.jsonl summary '0.55 <= r["runtime_s"] < 30')"
}
check "every field of every record has its type; completion order; the summary" fields_and_types

cpu_and_memory() {
    in_case_dir
    # A busy loop of about 0.3 s of CPU, and a job that holds 40 MB.
    wg --json out.jsonl 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done' \
        "$PY -c 'x = bytearray(40 * 1024 * 1024); x[::4096] = b\"1\" * len(x[::4096])'" >/dev/null 2>err ||
        { cat err; return 1; }
    check_json out.jsonl 2 || return 1
    same "user_s of the loop" 'true' "$(field out.jsonl 1 'r["user_s"] + r["sys_s"] > 0.05')" || return 1
    same "max_rss_kb of the 40 MB job" 'true' "$(field out.jsonl 2 'r["max_rss_kb"] > 40000')"
}
check "user_s, sys_s and max_rss_kb come from the job" cpu_and_memory

# --- the odd cases ------------------------------------------------------------

odd_bytes() {
    in_case_dir
    local st
    wg --json out.jsonl 'printf "%s\n" {} >/dev/null' ::: $'caf\xe9' $'tab\there' $'ctl\x01\x1b[0m' \
        $'two\nlines' $'\xc0\x80 \xed\xa0\x80' 'quote" back\slash' $'\xf0\x9f\x98\x80' >stdout 2>err
    st=$?
    status_is 0 "$st" || { cat err; return 1; }
    check_json out.jsonl 7 || return 1
    [ "$(wc -l <out.jsonl)" -eq 8 ] || { echo "not one line per record"; cat -A out.jsonl; return 1; }
    same "Latin-1 value" 'true' "$(field out.jsonl 1 'r["args"] == ["caf\ufffd"] and "caf\ufffd" in r["command"]')" || return 1
    same "tab" 'true' "$(field out.jsonl 2 'r["args"] == ["tab\there"]')" || return 1
    same "control characters" 'true' "$(field out.jsonl 3 'r["args"] == ["ctl\x01\x1b[0m"]')" || return 1
    same "newline" 'true' "$(field out.jsonl 4 'r["args"] == ["two\nlines"]')" || return 1
    same "overlong and surrogate" 'true' "$(field out.jsonl 5 'r["args"] == ["\ufffd" * 2 + " " + "\ufffd" * 3]')" || return 1
    same "quote and backslash" 'true' "$(field out.jsonl 6 'r["args"] == ["quote\" back\\slash"]')" || return 1
    same "emoji" 'true' "$(field out.jsonl 7 'r["args"] == ["\U0001F600"]')"
}
check "invalid UTF-8, control characters, newlines in commands give valid JSON" odd_bytes

timeout_signal_not_found() {
    in_case_dir
    local st
    wg -j4 --timeout 0.5 --json out.jsonl 'sleep 10' 'kill -KILL $$' 'no_such_command_wgrun_json' 'exit 3' \
        >stdout 2>err
    st=$?
    status_is 4 "$st" || { cat err; return 1; }
    check_json out.jsonl 4 || return 1
    same "timeout" '[null, "SIGTERM", true, true]' \
        "$(field out.jsonl 1 '[r["exit"], r["signal"], r["timed_out"], r["failed"]]')" || return 1
    same "signal" '[null, "SIGKILL", false, true]' \
        "$(field out.jsonl 2 '[r["exit"], r["signal"], r["timed_out"], r["failed"]]')" || return 1
    same "not found (sh)" '[127, null, false, true]' \
        "$(field out.jsonl 3 '[r["exit"], r["signal"], r["timed_out"], r["failed"]]')" || return 1
    same "exit 3" '[3, null, false, true]' \
        "$(field out.jsonl 4 '[r["exit"], r["signal"], r["timed_out"], r["failed"]]')"
}
check "a timeout, a signal, a command not found" timeout_signal_not_found

cannot_start() {
    in_case_dir
    wg --no-shell --json out.jsonl no_such_command_wgrun_json / >stdout 2>err
    status_is 2 $? || { cat err; return 1; }
    check_json out.jsonl 2 || return 1
    same "not found" '[127, null, true, 0, 0]' \
        "$(field out.jsonl 1 '[r["exit"], r["signal"], r["failed"], r["stdout_bytes"], r["stderr_bytes"]]')" || return 1
    same "not executable" '[126, null, true]' "$(field out.jsonl 2 '[r["exit"], r["signal"], r["failed"]]')"
}
check "jobs that cannot start: exit 127 (not found) and 126 (not executable)" cannot_start

retries() {
    in_case_dir
    wg --retries 3 --json out.jsonl 'echo try; exit 5' >stdout 2>err
    status_is 1 $? || { cat err; return 1; }
    check_json out.jsonl 1 || return 1
    same "attempts" '[3, 5, 12]' "$(field out.jsonl 1 '[r["attempts"], r["exit"], r["stdout_bytes"]]')"
}
check "--retries: one record with the attempts" retries

# --- -: records on stdout ---------------------------------------------------------

to_stdout() {
    in_case_dir
    wg -j3 --json - 'echo out {}' ::: 1 2 3 >stdout 2>err || { cat err; return 1; }
    grep -v '^out ' stdout >records
    check_json records 3 || return 1
    [ "$(grep -c '^out ' stdout)" -eq 3 ] || { cat stdout; return 1; }
    same "last line" '"summary"' "$(tail -n 1 stdout | "$PY" -c 'import json, sys; print(json.dumps(json.loads(sys.stdin.read())["type"]))')" || return 1
    # Each job's output comes before its record.
    "$PY" - stdout <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    if line.startswith("out "):
        seen.add(int(line.split()[1]))
        continue
    r = json.loads(line)
    if r["type"] == "job" and r["seq"] not in seen:
        sys.exit(f"record of job {r['seq']} before its output")
PY
}
check "--json -: records on stdout, after each job's output, the summary last" to_stdout

between_jobs_output() {
    in_case_dir
    # Big outputs (600 KB, in many writes) beside quick jobs: grouped, no
    # record falls inside a job's output; with --line-buffer, none inside a
    # line (under -k and -u they can: see wgrun(1)).
    wg -j4 --json - 'if [ {} -le 3 ]; then seq -f "big{}-%g" 1 80000; else echo small{}; fi' \
        ::: $(seq 1 40) >stdout 2>err || { cat err; return 1; }
    records_between stdout jobs || { echo "with --group"; return 1; }
    wg -j4 --line-buffer --json - 'if [ {} -le 3 ]; then seq -f "big{}-%g" 1 80000; else echo small{}; fi' \
        ::: $(seq 1 40) >stdout 2>err || { cat err; return 1; }
    records_between stdout lines || { echo "with --line-buffer"; return 1; }
}

# records_between FILE jobs|lines: the 41 records of FILE fall between whole
# jobs' output, or between whole lines.
records_between() {
    "$PY" - "$1" "$2" <<'PY'
import json, re, sys
current, count, records = None, 0, 0
for line in open(sys.argv[1]):
    if line.startswith("{"):
        if sys.argv[2] == "jobs" and current is not None and count != 80000:
            sys.exit(f"a record inside the output of {current} (after {count} lines)")
        json.loads(line)
        records += 1
        continue
    if not re.fullmatch(r"(big[0-9]+-[0-9]+|small[0-9]+)\n", line):
        sys.exit(f"a record inside a line: {line[:200]!r}")
    if line.startswith("big") and sys.argv[2] == "jobs":
        job, n = line.split("-")
        if int(n) == 1:
            if current is not None and count != 80000:
                sys.exit(f"output of {current} cut after {count} lines")
            current, count = job, 0
        if job != current or int(n) != count + 1:
            sys.exit(f"mixed output: {line!r} in {current}")
        count += 1
if records != 41:
    sys.exit(f"{records} records")
PY
}
check "--json -: records fall between jobs' output (--group), between lines (--line-buffer)" between_jobs_output

# --- streaming ---------------------------------------------------------------

flushed_per_job() {
    in_case_dir
    wg -j2 --json out.jsonl 'echo first' "while [ ! -e $CASE/go ]; do sleep 0.05; done" >stdout 2>err &
    local pid=$! st
    # The first job's record can be read, whole, while the second still runs.
    if ! wait_for 20 grep -q '"seq":1' out.jsonl; then
        touch go
        wait "$pid"
        echo "no record while the second job ran"
        return 1
    fi
    same "record of job 1" '"echo first"' "$(field out.jsonl 1 'r["command"]')" || { touch go; wait "$pid"; return 1; }
    [ "$(wc -l <out.jsonl)" -eq 1 ] || { echo "more than one line"; touch go; wait "$pid"; return 1; }
    touch go
    wait "$pid"
    st=$?
    status_is 0 "$st" || return 1
    check_json out.jsonl 2
}
check "a record is in the file, whole, while a later job still runs" flushed_per_job

# The job execs its sleep: a shell waiting for it may take longer than the
# 200 ms before the TERM of --term-seq to die of the SIGINT on a loaded
# machine (two sanitizer suites at once), and would then die of the TERM.
interrupted() {
    in_case_dir
    in_background stdout -j2 --json out.jsonl 'echo done' "touch $CASE/running; exec sleep 30"
    local pid=$BG st
    wait_for 20 test -e running || { kill -KILL "$pid"; echo "the job did not start"; return 1; }
    kill -INT "$pid"
    wait "$pid"
    st=$?
    status_is 130 "$st" || return 1
    check_json out.jsonl 2 || return 1
    same "summary" '[130, "SIGINT", 2, 1]' \
        "$(field out.jsonl summary '[r["exit_status"], r["interrupted_by"], r["jobs"], r["failed"]]')" || return 1
    same "ended job" '[null, "SIGINT", true]' "$(field out.jsonl 2 '[r["exit"], r["signal"], r["failed"]]')"
}
check "SIGINT: the summary has interrupted_by and status 130" interrupted

# --- errors -------------------------------------------------------------------

full_disk() {
    in_case_dir
    local err st
    err=$(wg --json /dev/full 'echo {}' ::: a b 2>&1 >stdout)
    st=$?
    status_is 255 "$st" || return 1
    has "message" '^wgrun: --json /dev/full: No space left on device$' "$err" || return 1
    same "the jobs still ran" $'a\nb' "$(sort stdout)"
}
check "--json /dev/full: the write error, exit 255" full_disk

cannot_open() {
    in_case_dir
    local err st
    err=$(wg --json "$CASE/missing/out.jsonl" "touch $CASE/ran" 2>&1)
    st=$?
    status_is 255 "$st" || return 1
    has "message" "^wgrun: --json $CASE/missing/out.jsonl: No such file or directory$" "$err" || return 1
    [ ! -e ran ] || { echo "a job ran"; return 1; }
    err=$(wg --json out.jsonl --junit out.jsonl true 2>&1)
    status_is 255 $? || return 1
    has "same file" "cannot both write" "$err"
}
check "--json into a missing directory: exit 255 before any job runs" cannot_open

closed_stdout() {
    in_case_dir
    # The reader goes away: wgrun dies of SIGPIPE as usual, no error line.
    local st
    bash -c 'set -o pipefail; timeout 60 "$0" --json - "seq 1 200000 # {}" ::: 1 2 3 4 | head -c 10 >/dev/null' "$WGRUN" 2>err
    st=$?
    status_is 141 "$st" || { cat err; return 1; }
    same "stderr" "" "$(cat err)"
}
check "--json - with the reader gone: status 141, quiet" closed_stdout

# --- memory -------------------------------------------------------------------

flat_memory() {
    in_case_dir
    local small big
    timeout 300 /usr/bin/time -f %M -o rss1 "$WGRUN" -j4 --no-shell --json out1.jsonl true ::: $(seq 1 500) ||
        return 1
    timeout 300 /usr/bin/time -f %M -o rss2 "$WGRUN" -j4 --no-shell --json out2.jsonl true ::: $(seq 1 5000) ||
        return 1
    check_json out2.jsonl 5000 || return 1
    small=$(peak_rss_kb rss1) big=$(peak_rss_kb rss2)
    echo "peak RSS: 500 jobs $small KiB, 5000 jobs $big KiB"
    [ "$big" -lt 16384 ] || { echo "above 16 MB"; return 1; }
    [ "$big" -lt $((small + 2048)) ] || { echo "grew with the jobs"; return 1; }
}
if sanitized; then
    skip "--json: 5000 jobs in less than 16 MB, no more than 500 jobs" "sanitizer build"
elif [ ! -x /usr/bin/time ]; then
    skip "--json: 5000 jobs in less than 16 MB, no more than 500 jobs" "no /usr/bin/time"
else
    check "--json: 5000 jobs in less than 16 MB, no more than 500 jobs" flat_memory
fi

finish
