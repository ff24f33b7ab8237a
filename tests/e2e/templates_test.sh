#!/usr/bin/env bash
# Replacement strings, as GNU parallel means them, and the shell quoting of
# the values they stand for (GNU parallel's SPCCHAR, COMPOSED and ONEREP).
. "$(dirname "$0")/lib.sh"
exec </dev/null

modifiers() {
    local out
    out=$(wg -j1 'echo {} {.} {/} {//} {/.}' ::: dir/sub/file.tar.gz) || return 1
    same "output" "dir/sub/file.tar.gz dir/sub/file.tar file.tar.gz dir/sub file.tar" "$out"
}
check "{} {.} {/} {//} {/.} of dir/sub/file.tar.gz" modifiers

modifiers_plain() {
    local out
    out=$(wg -j1 'echo {} {.} {/} {//} {/.}' ::: file) || return 1
    same "output" "file file file . file" "$out"
}
check "{//} of a bare name is ., and {.} of a name without extension is the name" modifiers_plain

modifiers_dotted_dir() {
    local out
    out=$(wg -j1 'echo {.} {/.} {//}' ::: dir.x/file) || return 1
    same "output" "dir.x/file file dir.x" "$out"
}
check "{.} removes an extension of the basename only (dir.x/file)" modifiers_dotted_dir

modifiers_absolute() {
    local out
    out=$(wg -j1 'echo {//} {/} {.}' ::: /file.c) || return 1
    same "output" "/ file.c /file" "$out"
}
check "{//} of /file.c is /" modifiers_absolute

seq_number() {
    local out
    out=$(wg -j3 'echo {#} {}' ::: a b c d e | sort) || return 1
    same "output" $'1 a\n2 b\n3 c\n4 d\n5 e' "$out"
}
check "{#} is the 1-based job number in input order" seq_number

slot_j1() {
    local out
    out=$(wg -j1 'echo {%}' ::: a b c) || return 1
    same "output" $'1\n1\n1' "$out"
}
check "{%} is always 1 with -j1" slot_j1

slot_distinct() {
    in_case_dir
    local out
    out=$(wg -j3 "touch started.{#}; sh '$AWAIT_COUNT' 'started.*' 3 30; echo {%}" ::: a b c | sort) || return 1
    same "output" $'1\n2\n3' "$out"
}
check "{%}: three jobs running at once at -j3 have slots 1, 2, 3" slot_distinct

slot_lowest_free() {
    # Job 1 holds slot 1 until jobs 2-5 have finished; each of them must get
    # slot 2, the lowest free one.
    in_case_dir
    local out
    out=$(wg -j2 "if [ {#} = 1 ]; then sh '$AWAIT_COUNT' 'done.*' 4 30; else touch done.{#}; fi; echo {#} {%}" \
        ::: a b c d e | sort) || return 1
    same "output" $'1 1\n2 2\n3 2\n4 2\n5 2' "$out"
}
check "{%} is the lowest free slot" slot_lowest_free

positional() {
    local out
    out=$(wg -j1 'echo {2} {1} {1.} {2/} {1//} {1/.} {2//} {2/.}' ::: a/b.c ::: d/e.f) || return 1
    same "output" "d/e.f a/b.c a/b e.f a b d e" "$out"
}
check "{n} and {n.} {n/} {n//} {n/.} pick the n-th source" positional

all_sources() {
    local out
    out=$(wg -j1 "printf '<%s>' {}" ::: a ::: 'b c') || return 1
    same "output" "<a><b c>" "$out"
}
check "{} with several sources is every value, as separate words" all_sources

appended() {
    local out
    out=$(wg -j1 printf "'<%s>'" ::: 'a b' '$HOME' "it's") || return 1
    same "output" "<a b><\$HOME><it's>" "$out"
}
check "with no replacement string the value is appended, quoted" appended

onerep() {
    local out
    out=$(wg -j1 'echo {} {}' ::: a 'b c') || return 1
    same "output" $'a a\nb c b c' "$out" || return 1
    out=$(wg -j1 'echo {}{}' ::: x) || return 1
    same "{}{} output" "xx" "$out"
}
check "ONEREP: {} twice is replaced twice" onerep

composed() {
    local out
    out=$(wg "echo foo';' echo {}" ::: x) || return 1
    same "output" "foo; echo x" "$out"
}
check "COMPOSED: wgrun \"echo foo';' echo {}\" ::: x prints foo; echo x" composed

other_braces() {
    local out
    out=$(wg -j1 "printf '%s 2\n' {} | awk '{print \$2}'; echo {foo} {1x} {" ::: x) || return 1
    same "output" $'2\n{foo} {1x} {' "$out"
}
check "braces that are not replacement strings are left alone" other_braces

injection() {
    in_case_dir
    local out st
    out=$(wg -j1 'echo {}' ::: '$(touch pwned)' "a'b" 'x;y')
    st=$?
    status_is 0 "$st" || return 1
    same "output" $'$(touch pwned)\na\'b\nx;y' "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "values are shell-quoted: \$(touch pwned), a'b, x;y print literally" injection

injection_more() {
    in_case_dir
    local out values
    values=('`touch pwned`' '*' '~' 'a  b' '"' '\' $'line\nbreak' '$HOME' '-n' '' '&' '|' '>f' '<f' '#x' 'a}b' '{}')
    out=$(wg -j1 "printf '[%s]\n' {}" ::: "${values[@]}") || return 1
    same "output" "$(printf '[%s]\n' "${values[@]}")" "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "backticks, globs, ~, spaces, newlines, operators, {} in values stay literal" injection_more

injection_modifiers() {
    in_case_dir
    local out
    out=$(wg -j1 "printf '[%s]\n' {/} {.} {//} {1/.}" ::: '$(touch p)/x;y.z') || return 1
    same "output" $'[x;y.z]\n[$(touch p)/x;y]\n[$(touch p)]\n[x;y]' "$out" || return 1
    [ -z "$(ls)" ] || { echo "created: $(ls)"; return 1; }
}
check "values from modifiers are shell-quoted too" injection_modifiers

dry_run_quoted() {
    in_case_dir
    local out
    out=$(wg --dry-run 'printf "[%s]\n" {}' ::: '$(touch pwned)' "a'b" 'x;y') || return 1
    [ -z "$(ls)" ] || { echo "--dry-run created: $(ls)"; return 1; }
    out=$(sh -c "$out")
    same "output of the printed commands" $'[$(touch pwned)]\n[a\'b]\n[x;y]' "$out" || return 1
    [ -z "$(ls)" ] || { echo "the printed commands created: $(ls)"; return 1; }
}
check "--dry-run prints the commands with their values quoted" dry_run_quoted

no_shell_template() {
    local out
    out=$(wg -j1 --no-shell printf "'<%s>'" {} ::: 'a b' '$HOME' "it's") || return 1
    same "output" "<a b><\$HOME><it's>" "$out"
}
check "--no-shell: a value is one word, whatever it holds" no_shell_template

# GNU parallel's SPCCHAR file name.
SPC='My brother'"'"'s 12" *** record  (costs $$$).jpg'

spcchar_setup() {
    in_case_dir
    printf 'spc\n' >"$SPC"
    printf '%s\n' "$SPC" >list
    printf '%s\0' "$SPC" >list0
}

spcchar_cat() {
    spcchar_setup
    local out
    out=$(wg 'cat {}' :::: list) || return 1
    same "output" "spc" "$out"
}
check "SPCCHAR: wgrun 'cat {}' :::: list" spcchar_cat

spcchar_ls() {
    spcchar_setup
    local out
    out=$(wg 'ls -l {}' :::: list) || return 1
    has "ls -l output" " $(printf '%s' "$SPC" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$" "$out"
}
check "SPCCHAR: wgrun 'ls -l {}' :::: list" spcchar_ls

spcchar_null() {
    spcchar_setup
    local out
    out=$(wg -0 'cat {}' :::: list0) || return 1
    same ":::: list0 output" "spc" "$out" || return 1
    out=$(wg -0 'cat {}' <list0) || return 1
    same "stdin template output" "spc" "$out" || return 1
    out=$(wg -0 'ls -l {}' :::: - <list0) || return 1
    has "ls -l output" "costs" "$out"
}
check "SPCCHAR with -0 (:::: file, stdin template)" spcchar_null

spcchar_modifiers() {
    spcchar_setup
    local out
    out=$(wg "printf '%s\n' {.} {/}" :::: list) || return 1
    same "output" "${SPC%.jpg}"$'\n'"$SPC" "$out" || return 1
    out=$(wg --no-shell cat :::: list) || return 1
    same "--no-shell output" "spc" "$out"
}
check "SPCCHAR: {.} {/} and --no-shell" spcchar_modifiers

finish
