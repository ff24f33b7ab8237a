#!/usr/bin/env bash
# man_examples_test.sh: every example of the EXAMPLES section of
# man/wgrun.1 runs, read from the page itself (not from a copy), with its
# output compared where the page shows one.
#
# The page's rules (also in a roff comment at the top of its EXAMPLES):
# - An example is a `.Bd -literal` block; a `.Dl` in the section is an error
#   (mdoc parses its words as macros, and quotes in it vanish).
# - In a block, a line starting with "$ " is a command, run with bash
#   (pipefail) in a fresh folder of fixtures (below); it must exit 0. The
#   lines after it, up to the next "$ " line or the block's end, are its
#   standard output: compared exactly when the command line holds -k,
#   sorted otherwise; when none is shown, none is checked. The commands of
#   one block run one after the other in one folder.
# - A block right after a comment line `.\" file NAME` is a file: it is
#   written to NAME in the folder of the next block (a Makefile, then the
#   `make` that runs it); a NAME ending in .yml is a GitHub Actions snippet
#   whose `run:` lines are its commands, run with GITHUB_ACTIONS=true
#   (their output must hold ::group:: lines).
# - A block with neither commands nor a file comment has no runner: a
#   failure. So is a file that nothing runs.
# The number of examples read must equal the number of .Bd and .Dl lines in
# the section (counted apart, with grep), so that none is silently skipped.
#
# `wgrun` on PATH is $BUILD/wgrun (a symlink in a folder put first). Tools
# that are not here or would reach the network are stand-ins put next to
# it: curl (prints a line per URL, never connects), convert (copies) and
# ping (prints 3 replies). Nothing else is stood in for. Commands starting
# with sbatch run against a single-node Slurm that this test starts
# (tests/services/slurm.sh) and stops by pid; they are skipped, with the
# reason, when it cannot run here, and under a sanitizer build.
source "$(dirname "$0")/lib.sh"

PAGE=${MAN_PAGE:-$ROOT/man/wgrun.1}  # MAN_PAGE: another page, to try the test itself
EXAMPLES=$SANDBOX/examples

# --- reading the examples from the page --------------------------------------
# Writes $EXAMPLES/NNN/ per example: `title` (the sentence before it, for
# the case's name), `kind` (commands, yml, or an error: dl, no-runner,
# unused-file), `cmd.K` and, when shown, `out.K` for its K-th command, and
# files/NAME for the file examples that go with it. Prints the count.
python3 - "$PAGE" "$EXAMPLES" <<'PY' >"$SANDBOX/count" || fail "reading the examples from $PAGE"
import os, re, sys

page, outdir = sys.argv[1], sys.argv[2]
lines = open(page, encoding="utf-8").read().split("\n")
start = lines.index(".Sh EXAMPLES")
end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(".Sh "))
section = lines[start + 1:end]

def unroff(text):
    """The text a literal line shows: the few escapes the section uses."""
    text = text.replace("\\e", "\x00").replace("\\&", "").replace("\\-", "-")
    text = text.replace("\\(aq", "'").replace("\\(dq", '"')
    if "\\" in text.replace("\x00", ""):
        raise SystemExit("unknown escape in: " + text)
    return text.replace("\x00", "\\")

def plain(text):
    """A prose line, roughly: the macro names dropped, for a case's name."""
    if text.startswith(".\\\""):
        return ""
    words = text.split()
    if words and words[0] == ".Fl":
        words = ["-" + words[1]] + words[2:]
    elif words and words[0].startswith("."):
        words = [w for w in words[1:] if not re.fullmatch(r"[A-Z][a-z][a-z]?", w)]
    return " ".join(words).replace("\\&", "").replace("\\-", "-")

examples = []    # [kind, title, [(command, [output lines] or None)], {name: text}]
pending = {}     # files waiting for the next block
pending_title = ""
prose = []
i = 0
while i < len(section):
    line = section[i]
    m = re.fullmatch(r'\.\\" file (\S+)', line)
    if line.startswith(".Dl"):
        examples.append(["dl", line, [], {}])
    elif line.startswith(".Bd"):
        filename = None
        if i > 0:
            m = re.fullmatch(r'\.\\" file (\S+)', section[i - 1])
            filename = m.group(1) if m else None
        j = i + 1
        body = []
        while section[j] != ".Ed":
            body.append(unroff(section[j]))
            j += 1
        title = " ".join(p for p in prose if p) or pending_title
        if len(title) > 80:
            title = title[:77] + "..."
        if filename and filename.endswith(".yml"):
            runs = []
            for k, b in enumerate(body):
                r = re.fullmatch(r"\s*(?:- )?run: (.*)", b)
                if r and r.group(1).strip() in ("|", ">"):
                    raise SystemExit("a multi-line run: is not read here: " + b)
                if r:
                    runs.append((r.group(1), None))
            examples.append(["yml" if runs else "no-runner", title, runs,
                             {filename: "\n".join(body) + "\n"}])
        elif filename:
            pending[filename] = "\n".join(body) + "\n"
            pending_title = title
            examples.append(["file", title, [], {}])
        else:
            cmds = []
            for b in body:
                if b.startswith("$ "):
                    cmds.append((b[2:], None))
                elif cmds:
                    out = cmds[-1][1] or []
                    cmds[-1] = (cmds[-1][0], out + [b])
            if cmds:
                examples.append(["commands", title, cmds, pending])
                pending, pending_title = {}, ""
            else:
                examples.append(["no-runner", title, [], {}])
        prose = []
        i = j
    elif line in (".Pp",) or line.startswith(".Ss"):
        prose = []
    else:
        prose.append(plain(line))
    i += 1
if pending:
    examples.append(["unused-file", " ".join(pending), [], {}])

for n, (kind, title, cmds, files) in enumerate(examples, 1):
    d = os.path.join(outdir, "%03d" % n)
    os.makedirs(os.path.join(d, "files"))
    open(os.path.join(d, "kind"), "w").write(kind)
    open(os.path.join(d, "title"), "w").write(title)
    for k, (cmd, out) in enumerate(cmds, 1):
        open(os.path.join(d, "cmd.%d" % k), "w").write(cmd)
        if out is not None:
            open(os.path.join(d, "out.%d" % k), "w").write("\n".join(out))
    for name, text in files.items():
        path = os.path.join(d, "files", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(text)
print(len([e for e in examples if e[0] not in ("unused-file",)]))
PY

# Counted apart: the blocks and .Dl lines between .Sh EXAMPLES and the next .Sh.
in_section=$(sed -n '/^\.Sh EXAMPLES$/,/^\.Sh /p' "$PAGE" | grep -cE '^\.(Bd|Dl)( |$)')
read_count=$(cat "$SANDBOX/count" 2>/dev/null)
check "every example of the section is read ($in_section .Bd/.Dl)" \
    same "examples read" "$in_section" "$read_count"

# Every command and shown output line is on the page as mandoc shows it
# (so the de-escaping above matches what a reader copies).
RENDERED=$SANDBOX/rendered
mandoc -T utf8 "$PAGE" | col -bx | sed -n '/^EXAMPLES/,/^DIAGNOSTICS/p' >"$RENDERED"
shown_as_read() {
    local f missing=
    for f in "$EXAMPLES"/*/cmd.* "$EXAMPLES"/*/out.*; do
        [ -e "$f" ] || continue
        case $f in */cmd.*) [ "$(cat "$(dirname "$f")/kind")" = yml ] && continue ;; esac
        while IFS= read -r line; do
            case $f in */cmd.*) line="\$ $line" ;; esac
            grep -qxF -- "           $line" "$RENDERED" || missing+="$line"$'\n'
        done <"$f"
    done
    [ -z "$missing" ] || { printf 'not in mandoc'"'"'s rendering:\n%s' "$missing"; return 1; }
}
check "the commands read are the ones mandoc shows" shown_as_read

# --- where the examples run ---------------------------------------------------

BIN=$SANDBOX/bin
mkdir -p "$BIN"
ln -s "$WGRUN" "$BIN/wgrun"
cat >"$BIN/curl" <<'SH'
#!/bin/sh
# A stand-in for curl: prints a line per URL, never connects.
for a; do case $a in -*) ;; *) echo "page of $a" ;; esac; done
SH
cat >"$BIN/convert" <<'SH'
#!/bin/sh
# A stand-in for ImageMagick's convert IN OUT: copies.
cp "$1" "$2"
SH
cat >"$BIN/ping" <<'SH'
#!/bin/sh
# A stand-in for ping -c N HOST: N replies, no packet sent.
for i in $(seq "$2"); do echo "64 bytes from $3: icmp_seq=$i time=0.1 ms"; done
SH
chmod +x "$BIN"/curl "$BIN"/convert "$BIN"/ping

# The fixtures every example starts with.
FIXTURES=$SANDBOX/fixtures
mkdir -p "$FIXTURES"
if ! (
    cd "$FIXTURES" || exit 1
    for f in a b c; do seq 100 >"$f.log"; done
    printf 'fake image %s\n' 1 >one.jpg
    printf 'fake image %s\n' 2 >two.jpg
    printf 'http://127.0.0.1:9/%s\n' a b c >urls.txt
    printf 'echo one\necho two\ntrue\n' >commands.txt
    seq 200000 | gzip >big.gz
    { echo id,name; for i in $(seq 2500); do echo "$i,name$i"; done; } >records.csv
    cat >load-batch <<'SH'
#!/bin/sh
# A batch loader: its input must start with the CSV header.
read -r header && [ "$header" = id,name ] || { echo "no header: $header" >&2; exit 1; }
wc -l >/dev/null
SH
    chmod +x load-batch
    for d in a b pkg/one pkg/two pkg/three; do
        mkdir -p "$d"
        printf 'all:\n\t@echo built %s\ntest:\n\t@echo tested %s\n' "$d" "$d" >"$d/Makefile"
    done
    mkdir tests
    for t in t1 t2 t3 t4 t5; do printf '#!/bin/sh\necho %s passed\n' "$t" >"tests/$t.sh"; done
    chmod +x tests/*.sh
); then
    fail "making the fixtures"
fi

# Slurm, started only when an example needs it.
SERVICE=$ROOT/tests/services/slurm.sh
SLURM_STATE=   # "" not tried, up, or the reason it is not
slurm_ready() {
    [ -z "$SLURM_STATE" ] || { [ "$SLURM_STATE" = up ]; return; }
    if sanitized; then SLURM_STATE="not under a sanitizer build"; return 1; fi
    local why
    why=$("$SERVICE" usable) || { SLURM_STATE=$why; return 1; }
    SLURM_DIR=$SANDBOX/slurm
    mkdir -p "$SLURM_DIR"
    trap '"$SERVICE" stop "$SLURM_DIR" >/dev/null 2>&1; rm -rf "$SANDBOX"' EXIT
    local t0 out
    t0=$(now_ms)
    if out=$("$SERVICE" start "$SLURM_DIR" 2>&1); then
        SLURM_STATE=up
        export SLURM_CONF=$SLURM_DIR/slurm.conf
        echo "# Slurm started in $(elapsed_ms "$t0") ms"
    else
        SLURM_STATE="Slurm did not start: $out"
        fail "Slurm starts" "$out"
        return 1
    fi
}

# compare SHOWN ACTUAL COMMAND: the output, sorted unless the command has -k.
compare() {
    local shown=$1 actual=$2 cmd=$3
    case " $cmd " in
        *" -k "* | *" --keep-order "*) ;;
        *) shown=$(LC_ALL=C sort <<<"$shown") actual=$(LC_ALL=C sort <<<"$actual") ;;
    esac
    same "output of: $cmd" "$shown" "$actual"
}

# run_example DIR: its commands in a fresh folder of fixtures and its files.
run_example() {
    local ex=$1 kind k cmd out st gh='' err
    kind=$(cat "$ex/kind")
    case $kind in
        dl) echo ".Dl is not run: write the example as a .Bd -literal block"; return 1 ;;
        no-runner) echo "no runner: no \"\$ \" command, no .\\\" file comment (or a .yml without run:)"; return 1 ;;
        unused-file) echo "a file example that no block after it runs"; return 1 ;;
        yml) gh=true ;;
    esac
    in_case_dir
    cp -a "$FIXTURES"/. . && cp -a "$ex/files"/. . || return 1
    for k in $(seq 1 100); do
        [ -e "$ex/cmd.$k" ] || break
        cmd=$(cat "$ex/cmd.$k")
        out=$ex/stdout.$k err=$ex/stderr.$k
        PATH=$BIN:$PATH GITHUB_ACTIONS=$gh timeout 120 bash -o pipefail -c "$cmd" >"$out" 2>"$err"
        st=$?
        if [ "$st" -ne 0 ]; then
            printf 'exit status %s: %s\n--- stdout:\n' "$st" "$cmd"
            head -n 20 "$out"
            printf -- '--- stderr:\n'
            head -n 20 "$err"
            return 1
        fi
        if grep -q '^wgrun: jobserver' "$err"; then
            printf 'wgrun did not join the jobserver: %s\n' "$cmd"
            cat "$err"
            return 1
        fi
        # The page says a GitHub step's jobs come out folded in groups.
        if [ -n "$gh" ] && ! grep -q '^::group::' "$out"; then
            printf 'no ::group:: line with GITHUB_ACTIONS=true: %s\n' "$cmd"
            head -n 20 "$out"
            return 1
        fi
        if [ -e "$ex/out.$k" ]; then
            compare "$(cat "$ex/out.$k")" "$(cat "$out")" "$cmd" || return 1
        fi
    done
}

# Which examples a case runs needs: sbatch wants the test Slurm.
needs_slurm() { grep -qE '^(sbatch|srun|salloc)( |$)' "$1"/cmd.* 2>/dev/null; }

t0=$(now_ms)
for ex in "$EXAMPLES"/*/; do
    ex=${ex%/}
    [ "$(cat "$ex/kind")" = file ] && continue # it runs with the next block
    name="example ${ex##*/}: $(cat "$ex/title")"
    [ -s "$ex/title" ] || name="example ${ex##*/}: $(head -n 1 "$ex/cmd.1" 2>/dev/null)"
    if needs_slurm "$ex" && ! slurm_ready; then
        skip "$name" "$SLURM_STATE"
        continue
    fi
    check "$name" run_example "$ex"
done
[ -d "$EXAMPLES/001" ] || fail "the section has examples"
echo "# the examples ran in $(elapsed_ms "$t0") ms"
finish
