#!/usr/bin/env bash
# GNU parallel's and xargs' other options: every one of them is in the man
# page's COMPATIBILITY table; those wgrun does not support are refused by
# name; --will-cite and co. are ignored; --citation, --minversion,
# --shellquote, -V; $PARALLEL and --plain; GNU's other spellings. Cross-checked
# against the installed GNU parallel where wgrun does as GNU does.
. "$(dirname "$0")/lib.sh"
exec </dev/null

# The option names of the man page's COMPATIBILITY table, one a line.
man_table_names() {
    sed -n '/BEGIN compat table/,/END compat table/p' "$ROOT/man/wgrun.1" |
        grep '^\.It ' | sed -e 's/^\.It //' -e 's/\\-/-/g' | tr ',' '\n' |
        sed -e 's/^ *Fl /-/' -e 's/ *$//'
}

# Every option name of the installed GNU parallel (its Getopt table).
gnu_option_names() {
    perl -e 'open F, "/usr/bin/parallel" or die; local $/; $s = <F>;
        $s =~ /(sub options_completion_hash\(\) \{.*?\n\}\n)/s or die "no option table";
        eval $1; die $@ if $@; %h = options_completion_hash();
        for (keys %h) { s/\[.*//s; s/[=:].*//;
            for $n (split /\|/) { print length($n) == 1 ? "-$n\n" : "--$n\n" } }' | sort -u
}

# Every option name of `xargs --help`.
xargs_option_names() {
    xargs --help | grep -oE '^ +(-[a-zA-Z0-9]|--[a-z-]+)(, --[a-z-]+)?' | tr ',' '\n' |
        tr -d ' ' | sort -u
}

every_gnu_option_is_in_the_table() {
    local table missing names
    table=$(man_table_names | sort -u)
    names=$(gnu_option_names) || return 1
    [ "$(wc -l <<<"$names")" -gt 250 ] || { echo "only $(wc -l <<<"$names") GNU names"; return 1; }
    missing=$(comm -23 <(echo "$names") <(echo "$table"))
    same "GNU parallel options missing from the COMPATIBILITY table" "" "$missing"
}
check "every option name of /usr/bin/parallel's table is in wgrun(1)'s COMPATIBILITY table" \
    every_gnu_option_is_in_the_table

every_xargs_option_is_in_the_table() {
    local table missing names
    table=$(man_table_names | sort -u)
    names=$(xargs_option_names) || return 1
    [ "$(wc -l <<<"$names")" -gt 30 ] || { echo "only $(wc -l <<<"$names") xargs names"; return 1; }
    missing=$(comm -23 <(echo "$names") <(echo "$table"))
    same "xargs options missing from the COMPATIBILITY table" "" "$missing"
}
check "every option of xargs --help is in wgrun(1)'s COMPATIBILITY table" \
    every_xargs_option_is_in_the_table

# ---- refused by name -------------------------------------------------------------

# Every name of the table's "Not supported" part, run: its own message.
every_unsupported_name_is_refused_by_name() {
    local names name err bad=""
    names=$(sed -n '/BEGIN compat table/,/END compat table/p' "$ROOT/man/wgrun.1" |
        sed -n '/^\.Ss Not supported/,/^\.El/p' | grep '^\.It ' |
        sed -e 's/^\.It //' -e 's/\\-/-/g' | tr ',' '\n' | sed -e 's/^ *Fl /-/' -e 's/ *$//')
    [ "$(wc -l <<<"$names")" -gt 100 ] || { echo "only $(wc -l <<<"$names") names"; return 1; }
    while read -r name; do
        err=$(wg "$name" x echo ::: a 2>&1 >/dev/null)
        case $err in
            "wgrun: $name is a GNU parallel option that wgrun does not support: "* | \
            "wgrun: $name is a GNU parallel and xargs option that wgrun does not support: "*) ;;
            *) bad+="$name: $err"$'\n' ;;
        esac
    done <<<"$names"
    same "options not refused by name" "" "$bad"
}
check "every option of the table's 'Not supported' part is refused by name" \
    every_unsupported_name_is_refused_by_name

# refused WHAT PATTERN ARGS...: wgrun ARGS exits 255 with PATTERN on stderr,
# runs nothing, prints nothing on stdout.
refused() {
    local what=$1 pattern=$2 out err st
    shift 2
    in_case_dir
    out=$(wg "$@" 2>"$CASE/err")
    st=$?
    err=$(cat "$CASE/err")
    status_is 255 "$st" || return 1
    same "stdout" "" "$out" || return 1
    has "$what" "$pattern" "$err" || return 1
    has "the hint" "^Try 'wgrun --help' for more information\.$" "$err"
}

check "--sqlmaster: refused by name, with the reason" \
    refused "message" "^wgrun: --sqlmaster is a GNU parallel option that wgrun does not support: wgrun keeps no job queue in a database" \
    --sqlmaster pg://x echo ::: a
check "--sql-master=URL: the same, for GNU's other spelling with =" \
    refused "message" "^wgrun: --sql-master is a GNU parallel option that wgrun does not support" \
    --sql-master=pg://x echo ::: a
check "-B in a bundle (-kB file): refused as -B, retired (use --bf)" \
    refused "message" "^wgrun: -B is a GNU parallel option that wgrun does not support: retired in GNU parallel too: use --bf" \
    -kB file echo ::: a
check "-Bfile: refused as -B" \
    refused "message" "^wgrun: -B is a GNU parallel option" -Bfile echo ::: a
# -S is supported: in a bundle and glued to its value it is -S (: is this
# machine, so that nothing is looked up or connected to).
s_spellings() {
    local out
    out=$(wg -kS : 'echo $WGRUN_HOST {}' ::: a b) || return
    same "-kS :" ": a
: b" "$out" || return
    out=$(wg -S: 'echo $WGRUN_HOST {}' ::: a) || return
    same "-S:" ": a" "$out"
}
check "-S in a bundle (-kS :) and glued (-S:) is -S" s_spellings
check "--blocktimeout: not yet, said so" \
    refused "message" "^wgrun: --blocktimeout is a GNU parallel option that wgrun does not support: not yet: " \
    --pipe --blocktimeout 1 wc -l
check "--memsuspend: refused, naming --load and --memfree" \
    refused "message" "^wgrun: --memsuspend is a GNU parallel option that wgrun does not support: .*--load.*--memfree" \
    --memsuspend 1G echo ::: a
check "-p (xargs and GNU): says what to do instead" \
    refused "message" "^wgrun: -p is a GNU parallel and xargs option that wgrun does not support: .*--dry-run" \
    -p echo ::: a
check "--show-limits (xargs): refused by name" \
    refused "message" "^wgrun: --show-limits is a GNU parallel and xargs option" --show-limits
check "-g (retired in GNU parallel too)" \
    refused "message" "^wgrun: -g is a GNU parallel option that wgrun does not support: retired in GNU parallel too: use --group" \
    -g echo ::: a
# (check runs it in a subshell: the export ends with it)
unsupported_in_parallel_env() {
    export PARALLEL='-j2 --semaphore'
    refused "message" '^wgrun: --semaphore \(in \$PARALLEL\) is a GNU parallel option' echo ::: a
}
check "an unsupported option in \$PARALLEL says so" unsupported_in_parallel_env
check "an option that is no one's is still an unknown option" \
    refused "message" "^wgrun: unknown option '--frobnicate'$" --frobnicate echo

after_command_they_are_the_commands() {
    local out
    out=$(wg echo --pipe -S ::: a) || return 1
    same "output" "--pipe -S a" "$out"
}
check "after COMMAND, GNU's option names are the command's words" after_command_they_are_the_commands

# ---- answering and exiting -----------------------------------------------------------

citation_runs_nothing() {
    in_case_dir
    local out
    out=$(echo "touch ran" | wg --citation) || return 1
    has "stdout" "no citation notice" "$out" || return 1
    [ ! -e ran ] || { echo "a command ran"; return 1; }
    out=$(wg --bibtex 'touch ran' ::: a) || return 1
    [ ! -e ran ] || { echo "a command ran"; return 1; }
}
check "--citation and --bibtex: one line, exit 0, nothing run" citation_runs_nothing

minversion_runs_nothing() {
    in_case_dir
    local out st
    out=$(wg --minversion 1 'touch {}' ::: ran) || return 1
    same "stdout" "20221122" "$out" || return 1
    [ ! -e ran ] || { echo "a command ran"; return 1; }
    wg --minversion 1.5 2>/dev/null
    st=$?
    status_is 255 "$st"
}
check "--minversion: prints, runs nothing; a version that is no whole number is a usage error" \
    minversion_runs_nothing

capital_v() {
    local out
    out=$(wg -V) || return 1
    has "-V" "^wgrun [0-9]" "$out" || return 1
    same "-V and --version" "$(wg --version)" "$out"
}
check "-V is --version (wgrun's version, not GNU parallel's: documented)" capital_v

shellquote_runs_nothing() {
    in_case_dir
    local out
    out=$(wg --shellquote 'touch {}' ::: ran) || return 1
    same "stdout" "'touch ran'" "$out" || return 1
    [ ! -e ran ] || { echo "a command ran"; return 1; }
}
check "--shellquote prints the commands, quoted, and runs none" shellquote_runs_nothing

# --shellquote's inner quoting is wgrun's: a value with a quote differs from
# GNU's (documented in wgrun(1), COMPATIBILITY).
shellquote_inner_quoting_is_wgruns() {
    local out
    out=$(wg --shellquote echo ::: "it's") || return 1
    same "stdout" "'echo '\"'\"'it'\"'\"'\\'\"'\"''\"'\"'s'\"'\"" "$out"
}
check "--shellquote: a value's quote inside COMMAND is quoted the way wgrun quotes ('\\'')" \
    shellquote_inner_quoting_is_wgruns

# ---- aliases ----------------------------------------------------------------------

gnu_spellings() {
    local out
    out=$(wg --keeporder --tag-string T -j2 echo ::: a b) || return 1
    same "--keeporder --tag-string" "$(printf 'T\ta\nT\tb')" "$out" || return 1
    out=$(wg --dr echo ::: a) || return 1
    same "--dr" "echo a" "$out" || return 1
    out=$(wg --maxprocs=1 --nn --will-cite --no-notice --nonotice --willcite --gnu echo ::: a) || return 1
    same "--maxprocs= and the ignored ones" "a" "$out"
}
check "GNU's other spellings are read as wgrun's (--keeporder, --tag-string, --dr, --maxprocs=)" \
    gnu_spellings

# ---- $PARALLEL ----------------------------------------------------------------------

parallel_env_and_plain() {
    local out
    out=$(PARALLEL='--tag -k' wg echo ::: a b) || return 1
    same "with \$PARALLEL" "$(printf 'a\ta\nb\tb')" "$out" || return 1
    out=$(PARALLEL='--tag -k' wg --plain -j1 echo ::: a b) || return 1
    same "with --plain" "$(printf 'a\nb')" "$out" || return 1
    out=$(PARALLEL='-j x' wg echo ::: a 2>&1)
    has "a bad value in \$PARALLEL" "\(with \\\$PARALLEL='-j x'\)" "$out"
}
check "\$PARALLEL's options come first; --plain ignores them; its errors say so" \
    parallel_env_and_plain

# ---- cross-checks with GNU parallel ---------------------------------------------------

# with_parallel VALUE COMMAND...: COMMAND with $PARALLEL=VALUE (check runs it
# in a subshell: the export ends with it).
with_parallel() {
    export PARALLEL=$1
    shift
    "$@"
}

in_case_dir
printf 'a b\n$HOME\nit'"'"'s\n\\x\n\ttab\n\nplain-word_1.2+x/y\n"dq"\nä\n' >"$CASE/values"
VALUES=$CASE/values

check "GNU: --shellquote quotes each input line (no command)" \
    env INPUT="$VALUES" bash -c '. "$0"; cd "$1"; like_gnu -k --shellquote' "$ROOT/tests/e2e/lib.sh" "$CASE"
check "GNU: --shellquote ::: values" \
    like_gnu -k --shellquote ::: 'a b' "it's" '' plain '$x' '*' '~'
check "GNU: --shellquote --shellquote ::: values (quoted twice)" \
    like_gnu -k --shellquote --shellquote ::: 'a b' "it's" 'x"y'
check "GNU: --shell-quote echo ::: values (a command)" \
    like_gnu -k --shell-quote echo ::: 'a b' plain '$x'
check "GNU: --shell_quote with -a FILE" \
    like_gnu -k --shell_quote -a "$VALUES"
check "GNU: --minversion 20221122 (exit 0)" like_gnu --minversion 20221122
check "GNU: --minversion 20221123 (exit 255)" like_gnu --minversion 20221123
check "GNU: --min-version 0" like_gnu --min-version 0
check "GNU: --minversion 20100101 with a command (runs nothing)" \
    like_gnu --minversion 20100101 echo ::: a
check "GNU: --will-cite, --no-notice, --nn, --willcite, --nonotice change nothing" \
    like_gnu -k --no-notice --nn --willcite --nonotice echo ::: a b c
check "GNU: --gnu changes nothing" like_gnu -k --gnu echo ::: a b
check "GNU: \$PARALLEL's options come before the command line's" \
    with_parallel '-k --tag' like_gnu echo ::: a b c
check "GNU: \$PARALLEL split as the shell splits (--tagstring 'x y')" \
    with_parallel "-k --tagstring 'x y'" like_gnu echo ::: a b
check "GNU: \$PARALLEL's words after its options start the command" \
    with_parallel '-k nice' like_gnu echo ::: a b
check "GNU: the command line's -j wins over \$PARALLEL's" \
    with_parallel '-j1' like_gnu -s -j3 echo ::: a b c
check "GNU: --plain ignores \$PARALLEL" \
    with_parallel '--tag' like_gnu -k --plain echo ::: a b
check "GNU: --nok undoes an earlier -k (\$PARALLEL's)" \
    with_parallel '-k' like_gnu -s --nok echo ::: a b c
check "GNU: --keeporder and --tag-string (GNU's other spellings)" \
    like_gnu --keeporder --tag-string T echo ::: c b a
check "GNU: --dr (--dry-run)" like_gnu -s --dr echo ::: a b
check "GNU: --max-procs 2 (-j)" like_gnu -s --max-procs 2 echo ::: a b c
check "GNU: --jl FILE (--joblog) with --haltonerror" \
    like_gnu -k --jl /dev/null --haltonerror now,fail=1 -j1 'echo {}; exit {}' ::: 0 0 3 0

finish
