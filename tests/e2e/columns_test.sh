#!/usr/bin/env bash
# Columns: --colsep, --csv, --header and --trim (wgrun(1), COLUMNS), on their
# own and beside GNU parallel 20221122 (the "GNU: " cases run both on the
# same arguments and input and compare stdout and exit status).
. "$(dirname "$0")/lib.sh"
exec </dev/null

# GNU's --csv needs Perl's Text::CSV (Debian: libtext-csv-perl, in `make deps`).
csv_gnu() {
    perl -MText::CSV -e 1 2>/dev/null && return 0
    skip "$1" "GNU parallel's --csv needs Text::CSV (apt-get install libtext-csv-perl)"
    return 1
}

# input TEXT: writes TEXT (printf's format) to $CASE/input and sets INPUT to it.
input() { printf "$1" >"$CASE/input" && INPUT=$CASE/input; }

# show VALUES...: a job that prints its arguments as <value>... on one line.
cat >"$SANDBOX/show" <<'SH'
#!/bin/sh
for v; do printf '<%s>' "$v"; done
echo
SH
chmod +x "$SANDBOX/show"
SHOW=("$SANDBOX/show")

# --- --colsep ------------------------------------------------------------------

gnu_tab() { in_case_dir; input 'a\tb\tc\n1\t2\n\nx\ty\t\t\n'; like_gnu -k --colsep '\t' "${SHOW[@]}" {1} {2} {3} {4}; }
check "GNU: --colsep '\\t': empty and trailing columns, a tab at the end, {4} beyond the columns" gnu_tab

gnu_appended() { in_case_dir; input 'a b\tc\t\n'; like_gnu -k --colsep '\t' "${SHOW[@]}"; }
check "GNU: --colsep without a replacement string: the columns are appended, an empty one too" gnu_appended

gnu_no_separator() { in_case_dir; input 'abc\n\nd,e\n'; like_gnu -k --colsep , "${SHOW[@]}" {1} {2} {3}; }
check "GNU: --colsep: a line without the separator is one column, an empty line one empty column" gnu_no_separator

gnu_regex() { in_case_dir; input 'a,b;;c,;d\n'; like_gnu -k --colsep '[,;]+' "${SHOW[@]}"; }
check "GNU: --colsep REGEX: a character class and a repeat" gnu_regex

gnu_regex_leading() { in_case_dir; input '  a  b c \n'; like_gnu -k --colsep ' +' --trim n "${SHOW[@]}"; }
check "GNU: --colsep ' +': a separator at the start makes an empty first column" gnu_regex_leading

gnu_regex_groups() { in_case_dir; input 'a,b;c\n'; like_gnu -k --colsep '(,)|;' "${SHOW[@]}"; }
check "GNU: --colsep with a capture group: the separators it captures are columns" gnu_regex_groups

gnu_regex_empty() { in_case_dir; input 'abc\n'; like_gnu -k --colsep '' "${SHOW[@]}"; }
check "GNU: --colsep '': every byte a column (Perl's split //, -1)" gnu_regex_empty

gnu_literal_multi() { in_case_dir; input 'a::b:::c\n'; like_gnu -k -C '::' "${SHOW[@]}"; }
check "GNU: -C '::': a separator of two bytes" gnu_literal_multi

gnu_escaped() { in_case_dir; input 'a|b.c|d\n'; like_gnu -k --colsep '\|' "${SHOW[@]}" {2} {1}; }
check "GNU: --colsep '\\|': an escaped metacharacter is a literal" gnu_escaped

gnu_sources() { like_gnu -k --colsep , "${SHOW[@]}" {} ::: a,b c ::: '1,2' 3; }
check "GNU: --colsep with two ::: sources: each value's columns follow one another" gnu_sources

gnu_sources_positions() { like_gnu -k --colsep , "${SHOW[@]}" {3} {1} ::: a,b ::: '1,2' 3; }
check "GNU: --colsep with two sources: {3} is the first column of the second source" gnu_sources_positions

gnu_arg_file() {
    in_case_dir
    printf 'x\ty\nz\tw\n' >cols.tsv
    like_gnu -k --colsep '\t' -a cols.tsv "${SHOW[@]}" {2}
}
check "GNU: --colsep with -a FILE" gnu_arg_file

gnu_null() { in_case_dir; input 'a,b\0c\nd,e\0'; like_gnu -k -0 --colsep , "${SHOW[@]}" {2} {1}; }
check "GNU: --colsep with -0: a newline inside a record stays in its column" gnu_null

gnu_odd_values() {
    in_case_dir
    input "\$(touch pwned)\t'q' \"dq\"\t*\t\`id\`;x\t\n"
    like_gnu -k --colsep '\t' "${SHOW[@]}" {1} {2} {3} {4} {5} && [ ! -e pwned ] && [ ! -e x ]
}
check "GNU: --colsep: \$(...), quotes, a glob and backquotes in columns reach the job as they are" gnu_odd_values

gnu_no_command() { in_case_dir; input 'echo,a  b\necho,c,d\n'; like_gnu -k --colsep , ; }
check "GNU: --colsep with no command: each record's columns, joined by spaces, are its command" gnu_no_command

gnu_shell_words() { in_case_dir; input 'a b\tc\n'; like_gnu -k --colsep '\t' 'echo {2}-{1}'; }
check "GNU: --colsep in a one-word command for the shell" gnu_shell_words

gnu_tag() { in_case_dir; input ' a , b \n'; like_gnu -k --tag --colsep , echo x; }
check "GNU: --tag with --colsep: the trimmed columns, joined by spaces, are the tag" gnu_tag

# --- --trim --------------------------------------------------------------------

gnu_trim_default() { in_case_dir; input ' a ,  b\t, c\n'; like_gnu -k --colsep , "${SHOW[@]}"; }
check "GNU: --colsep trims both ends of each column by default (--trim lr)" gnu_trim_default

gnu_trim_n() { in_case_dir; input ' a ,  b\t, c\n'; like_gnu -k --colsep , --trim n "${SHOW[@]}"; }
check "GNU: --colsep --trim n keeps white space" gnu_trim_n

gnu_trim_l() { in_case_dir; input ' a ,  b\t, c\n'; like_gnu -k --colsep , --trim l "${SHOW[@]}"; }
check "GNU: --trim l" gnu_trim_l

gnu_trim_r() { in_case_dir; input ' a ,  b\t, c\n'; like_gnu -k --colsep , --trim r "${SHOW[@]}" {2} {3}; }
check "GNU: --trim r" gnu_trim_r

gnu_trim_rl() { in_case_dir; input ' a ,  b\t, c\n'; like_gnu -k --colsep , --trim rl "${SHOW[@]}" {}; }
check "GNU: --trim rl, with {}" gnu_trim_rl

gnu_trim_alone() { like_gnu -k --trim lr "${SHOW[@]}" {} ::: ' a ' $'\tb c\t'; }
check "GNU: --trim without --colsep trims the values of ::: too" gnu_trim_alone

# --- --csv -------------------------------------------------------------------------

gnu_csv() {
    csv_gnu "GNU: --csv" || return 0
    in_case_dir
    input 'a,"b,c","d""e"\n,\n\nlast,"q"\n'
    like_gnu -k --csv "${SHOW[@]}" {1} {2} {3}
}
check "GNU: --csv: quoted separators, doubled quotes, empty fields, an empty line" gnu_csv

gnu_csv_newline() {
    csv_gnu "GNU: --csv newline" || return 0
    in_case_dir
    input '"multi\nline",x\n"a ""b""\n\nc",y\nz,w\n'
    like_gnu -k --csv "${SHOW[@]}" {2} {1}
}
check "GNU: --csv: a quoted field holds newlines, so a record spans lines" gnu_csv_newline

gnu_csv_separator() {
    csv_gnu "GNU: --csv --colsep" || return 0
    in_case_dir
    input 'a;"b;c"; d \n'
    like_gnu -k --csv --colsep ';' "${SHOW[@]}"
}
check "GNU: --csv --colsep ';' (and --colsep's --trim lr)" gnu_csv_separator

gnu_csv_untrimmed() {
    csv_gnu "GNU: --csv untrimmed" || return 0
    in_case_dir
    input ' a , "b" \n'
    like_gnu -k --csv --colsep , "${SHOW[@]}" ::: 'x, y ' || return 1
    input ' a ,b \n'
    like_gnu -k --csv "${SHOW[@]}"
}
check "GNU: --csv alone keeps white space; a ::: value is a CSV record too" gnu_csv_untrimmed

gnu_csv_odd() {
    csv_gnu "GNU: --csv odd" || return 0
    in_case_dir
    input '"$(touch pwned)","it'"'"'s ""x""",`id`\n'
    like_gnu -k --csv "${SHOW[@]}" && [ ! -e pwned ]
}
check "GNU: --csv: \$(...), quotes and backquotes reach the job as they are" gnu_csv_odd

# --- --header ----------------------------------------------------------------------

gnu_header() { in_case_dir; input 'name\tage\nann\t3\nbob\t4\n'; like_gnu -k --header : echo {name} is {age}; }
check "GNU: --header : names the columns (a TAB by default) and is no job" gnu_header

gnu_header_modifiers() {
    in_case_dir
    input 'file\tdir\nd/a.tar.gz\tx/y/\n'
    like_gnu -k --header : echo {file.} {file/} {file//} {file/.} {dir//}
}
check "GNU: --header : with {name.} {name/} {name//} {name/.}" gnu_header_modifiers

gnu_header_sources() { like_gnu -k --header : echo {f1} {f2} ::: f1 A B ::: f2 C D; }
check "GNU: --header : with ::: sources: each one's first value is its name" gnu_header_sources

gnu_header_colsep() { in_case_dir; input 'x,y\n 1 , 2 \n'; like_gnu -k --header : --colsep , "${SHOW[@]}" {y} {x}; }
check "GNU: --header : --colsep ," gnu_header_colsep

gnu_header_regex() { in_case_dir; input 'x\ty\n1\t2\n'; like_gnu -k --header '.*' echo {y}{x}; }
check "GNU: --header REGEX: any value but 0 takes the first line" gnu_header_regex

gnu_header_csv() {
    csv_gnu "GNU: --header : --csv" || return 0
    in_case_dir
    input 'x,y\n1,"2\n3"\n4,5\n'
    like_gnu -k --csv --header : "${SHOW[@]}" {y} {x}
}
check "GNU: --header : --csv" gnu_header_csv

gnu_header_zero() {
    in_case_dir
    printf '1\n2\n' >one
    printf 'x\ny\n' >two
    like_gnu -k --header 0 echo {two} {one} :::: one two
}
check "GNU: --header 0: a :::: file's name names its column" gnu_header_zero

gnu_header_arg_file() {
    in_case_dir
    printf 'x\ty\n1\t2\n3\t4\n' >cols.tsv
    like_gnu -k --header : -a cols.tsv echo {y}{x}
}
check "GNU: --header : with -a FILE" gnu_header_arg_file

gnu_header_tagstring() { in_case_dir; input 'n\tv\nx\t1.c\n'; like_gnu -k --header : --tagstring '{n}:{v.}' echo {v}; }
check "GNU: --header : names columns in --tagstring too" gnu_header_tagstring

gnu_header_only() { in_case_dir; input 'x\ty\n'; like_gnu -k --header : echo {x}; }
check "GNU: --header : with only a header runs nothing" gnu_header_only

# --- wgrun's own cases ------------------------------------------------------------

lazy_stdin() {
    # The first record's job runs while standard input is still open.
    in_case_dir
    mkfifo fifo
    wg --colsep , 'echo {2} >got' <fifo &
    local bg=$!
    exec 3>fifo
    printf 'a,first\n' >&3
    wait_for 10 test -s got || { exec 3>&-; wait "$bg"; echo "no job before the end of input"; return 1; }
    exec 3>&-
    wait "$bg" || return 1
    same "job's output" first "$(cat got)"
}
check "--colsep reads stdin lazily: the first job starts before the input ends" lazy_stdin

lazy_header() {
    in_case_dir
    mkfifo fifo
    wg --header : --csv 'echo {b} >got' <fifo &
    local bg=$!
    exec 3>fifo
    printf 'a,b\n1,"x\n' >&3
    sleep 0.3
    [ ! -e got ] || { exec 3>&-; wait "$bg"; echo "a job ran before its record ended"; return 1; }
    printf 'y"\n' >&3
    wait_for 10 test -s got || { exec 3>&-; wait "$bg"; echo "no job before the end of input"; return 1; }
    exec 3>&-
    wait "$bg" || return 1
    same "job's output" $'x\ny' "$(cat got)"
}
check "--header : --csv on stdin: the header, then each record's job as its record ends" lazy_header

newline_in_field() {
    local out
    out=$(printf '"a\nb",c\n' | wg --csv 'printf %s {1} | od -An -c | tr -s " "') || return 1
    same "bytes of {1}" " a \\n b" "$out"
}
check "--csv: a newline inside quotes reaches the job as one byte of one argument" newline_in_field

stdin_without_source() {
    local out
    out=$(printf 'a,b\nc,d\n' | wg -k --colsep , echo {2} {1}) || return 1
    same "output" $'b a\nd c' "$out"
}
check "--colsep with several command words and no source reads stdin (one template)" stdin_without_source

terminal_stdin() {
    local out status
    out=$(/usr/bin/python3 "$ROOT/tests/e2e/pty_run.py" -- "$WGRUN" --colsep , echo {1}) && status=0 || status=$?
    status_is 255 "$status" || return 1
    has "output" "wgrun: --colsep, --csv and --header read standard input when no input source is named, and it is a terminal" "$out"
}
check "--colsep with no source and a terminal on stdin: a usage error, not a wait" terminal_stdin

crlf() {
    local out
    out=$(printf 'a,"b"\r\nc,d\r\n' | wg -k --csv "${SHOW[@]}") || return 1
    same "output" $'<a><b>\n<c><d>' "$out"
}
check "--csv: CRLF line ends are line ends (GNU's Text::CSV refuses them)" crlf

bad_csv() {
    local out err status
    out=$(printf 'a,b\nc,d"e\nf,g\n' | wg -k -j1 --csv echo {2} 2>err.$$) && status=0 || status=$?
    err=$(cat err.$$); rm -f err.$$
    status_is 255 "$status" || return 1
    same "output" "b" "$out" || return 1
    has "stderr" "^wgrun: --csv: input record 2 is not CSV: a quote inside an unquoted field, at byte 4$" "$err"
}
check "--csv: a record that is not CSV ends the input: wgrun's own error (255), said with the record" bad_csv

bad_regex() {
    local err status
    err=$(wg --colsep '(?i)x' echo 2>&1) && status=0 || status=$?
    status_is 255 "$status" || return 1
    has "stderr" "^wgrun: --colsep: '\(\?i\)x' is not a regular expression wgrun understands" "$err"
}
check "--colsep: Perl-only syntax is a usage error that says so" bad_regex

bad_trim() {
    local err status
    err=$(wg --trim x echo ::: a 2>&1) && status=0 || status=$?
    status_is 255 "$status" || return 1
    has "stderr" "^wgrun: --trim takes n, l, r, lr or rl, not 'x'$" "$err"
}
check "--trim: a bad value is a usage error" bad_trim

dry_run_names() {
    local out
    out=$(printf 'n\tv\nx\t1\n' | wg --dry-run --header : 'echo {v} {n.}') || return 1
    same "output" "echo 1 x" "$out"
}
check "--header :: --dry-run shows the commands with the columns' values" dry_run_names

names_are_text() {
    local out
    out=$(wg -k --header : --colsep , 'echo {a.b} {a*}' ::: 'a.b,a*' 'x,y') || return 1
    same "output" "x y" "$out"
}
check "--header: names are plain text, not regular expressions" names_are_text

finish
