#!/usr/bin/env bash
# The completion scripts `wgrun --completion SHELL` writes: every option of
# --help is in each, and each shell's own completer, driven as it is at a
# TAB, offers the options, their values, files, folders and hosts.
. "$(dirname "$0")/lib.sh"

for shell in bash zsh fish; do
    wg --completion "$shell" >"$SANDBOX/script.$shell" 2>"$SANDBOX/err.$shell"
    echo $? >"$SANDBOX/status.$shell"
done

# Every option name --help lists ("  -j,-P,--jobs N   ...", or the name alone
# on its line when it is long).
help_names() {
    wg --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | sed 's/\[=.*//' | tr ',' '\n'
}
names=$(help_names)

every_option_in() {
    local script=$SANDBOX/script.$1 name missing=
    same "wgrun --completion $1's status" 0 "$(cat "$SANDBOX/status.$1")" || return 1
    [ "$(wc -l <<<"$names")" -gt 100 ] || { echo "too few names in --help: $names"; return 1; }
    for name in $names; do
        case $1 in
            fish) # -s j, -l jobs
                case $name in
                    --*) grep -qE -- " -l ${name#--}( |$)" "$script" ;;
                    *) grep -qE -- " -s ${name#-}( |$)" "$script" ;;
                esac ;;
            *) grep -qF -- "$name" "$script" ;;
        esac || missing+=" $name"
    done
    [ -z "$missing" ] || { echo "not in the $1 script:$missing"; return 1; }
}
for shell in bash zsh fish; do
    check "every option of --help is in the $shell script" every_option_in "$shell"
done

unknown_shell() {
    local out status
    out=$(wg --completion tcsh 2>&1)
    status=$?
    status_is 255 "$status" && has "message" "--completion takes bash, zsh or fish, not 'tcsh'" "$out"
}
check "--completion tcsh is a usage error naming the shells" unknown_shell

# ---- bash: bash-completion's helpers, the function complete -p names -------

# A folder to complete in, and a HOME whose ssh knows two hosts.
work=$SANDBOX/work
mkdir -p "$work/logs" "$work/spill" "$SANDBOX/home/.ssh"
: >"$work/jobs.log"
: >"$work/inputs.txt"
printf 'known-one.example ssh-ed25519 AAAA\n' >"$SANDBOX/home/.ssh/known_hosts"
printf 'Host config-two\n    HostName 192.0.2.2\n' >"$SANDBOX/home/.ssh/config"

# bash_complete WORD...: the words of the line (the last the one at the
# cursor, at the line's end) -> COMPREPLY, one a line, sorted. $LINE, when
# set, is the line as typed (bash splits --color= into --color, = and '').
# compopt says it runs outside a completion: it does, here.
bash_complete() {
    (cd "$work" && HOME=$SANDBOX/home bash --norc -c '
        source /usr/share/bash-completion/bash_completion || exit 1
        source "$1" || exit 1
        shift
        function=$(complete -p wgrun | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=${LINE:-${COMP_WORDS[*]}}
        COMP_POINT=${#COMP_LINE}
        "$function" wgrun "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}" | sort
    ' bash "$SANDBOX/script.bash" "$@" 2>&1 | grep -v "compopt: not currently executing")
}

if [ ! -f /usr/share/bash-completion/bash_completion ] || ! command -v bash >/dev/null; then
    skip "bash completion cases" "bash-completion is not installed"
else
    bash_registers() { has "complete -p wgrun" "-F _wgrun .*wgrun$" "$(HOME=$SANDBOX/home bash --norc -c '
        source /usr/share/bash-completion/bash_completion; source "$1"; complete -p wgrun' bash "$SANDBOX/script.bash")"; }
    check "bash: complete -p wgrun names the script's function" bash_registers
    check "bash: --ha offers --halt" same "wgrun --ha" "--halt" "$(bash_complete wgrun --ha)"
    check "bash: --re offers every option so spelled" same "wgrun --re" \
        "$(printf '%s\n' --recend --recstart --regex --regexp --remove-rec-sep --removerecsep \
            --replace --report --results --resume --resume-failed --retries --retry-failed \
            --return | sort)" "$(bash_complete wgrun --re)"
    check "bash: --color=<TAB> offers auto always never" same "wgrun --color=" \
        "$(printf '%s\n' always auto never)" "$(LINE="wgrun --color=" bash_complete wgrun --color = '')"
    check "bash: --halt <TAB> offers never and now,.../soon,... forms" has "wgrun --halt" \
        "^now,fail=1$" "$(bash_complete wgrun --halt '')"
    check "bash: --ci <TAB> offers github none" same "wgrun --ci" \
        "$(printf '%s\n' github none)" "$(bash_complete wgrun --ci '')"
    check "bash: --joblog <TAB> offers the folder's files" same "wgrun --joblog" \
        "$(printf '%s\n' inputs.txt jobs.log logs spill)" "$(bash_complete wgrun --joblog '')"
    check "bash: --tmpdir <TAB> offers only folders" same "wgrun --tmpdir" \
        "$(printf '%s\n' logs spill)" "$(bash_complete wgrun --tmpdir '')"
    check "bash: --workdir <TAB> offers only folders" same "wgrun --workdir" \
        "$(printf '%s\n' logs spill)" "$(bash_complete wgrun -j 2 --workdir '')"
    check "bash: -a <TAB> offers files" has "wgrun -a" "^inputs.txt$" "$(bash_complete wgrun -a '')"
    ssh_hosts() {
        local offered
        offered=$(bash_complete wgrun -S '')
        has "wgrun -S" "^known-one.example$" "$offered" && has "wgrun -S" "^config-two$" "$offered"
    }
    check "bash: -S <TAB> offers known_hosts' and ssh config's hosts" ssh_hosts
    check "bash: --color <TAB> is COMMAND's place: no WHEN (it is attached only)" has \
        "wgrun --color" "^echo$" "$(bash_complete wgrun --color ech)"
    check "bash: after ::: no option is offered" same "wgrun echo ::: -" \
        "" "$(bash_complete wgrun echo ::: a -)"
    check "bash: after ::: nothing is forced (plain words)" same "wgrun echo :::" \
        "" "$(bash_complete wgrun echo ::: '')"
    check "bash: after :::: files" same "wgrun echo ::::" \
        "$(printf '%s\n' inputs.txt jobs.log logs spill)" "$(bash_complete wgrun echo :::: '')"
    check "bash: the first word that is no option is a command" has "wgrun -j 4 ech" \
        "^echo$" "$(bash_complete wgrun -j 4 ech)"
    check "bash: after COMMAND, wgrun's options are not offered" same "wgrun echo --ha" \
        "" "$(bash_complete wgrun echo --ha)"
fi

# ---- fish: its own completer, complete -C ----------------------------------

fish_complete() {
    (cd "$work" && HOME=$SANDBOX/home XDG_CONFIG_HOME=$SANDBOX/home/.config \
        fish --no-config -c "source '$SANDBOX/script.fish'; complete -C '$1'" | cut -f1 | sort)
}
if ! command -v fish >/dev/null; then
    skip "fish completion cases" "fish is not installed"
else
    check "fish: --ha offers --halt" same "wgrun --ha" "--halt" "$(fish_complete 'wgrun --ha')"
    check "fish: --col offers --color, --color= and --colsep" same "wgrun --col" \
        "$(printf '%s\n' --col-sep --color --color= --colsep)" "$(fish_complete 'wgrun --col')"
    check "fish: --ci <TAB> offers github none" same "wgrun --ci" \
        "$(printf '%s\n' github none)" "$(fish_complete 'wgrun --ci ')"
    check "fish: --color=<TAB> offers auto always never" same "wgrun --color=" \
        "$(printf '%s\n' --color=always --color=auto --color=never)" \
        "$(fish_complete 'wgrun --color=')"
    check "fish: --tmpdir <TAB> offers only folders" same "wgrun --tmpdir" \
        "$(printf '%s\n' logs/ spill/)" "$(fish_complete 'wgrun --tmpdir ')"
    check "fish: --joblog <TAB> offers files" same "wgrun --joblog" \
        "$(printf '%s\n' inputs.txt jobs.log logs/ spill/)" "$(fish_complete 'wgrun --joblog ')"
    check "fish: after :::: files" same "wgrun echo ::::" \
        "$(printf '%s\n' inputs.txt jobs.log logs/ spill/)" "$(fish_complete 'wgrun echo :::: ')"
    check "fish: after ::: neither files nor options" same "wgrun echo :::" \
        "" "$(fish_complete 'wgrun echo ::: ')"
fi

# ---- zsh: the script's syntax, and compinit loading it from $fpath ---------

if ! command -v zsh >/dev/null; then
    skip "zsh cases" "zsh is not installed"
else
    check "zsh: zsh -n accepts the script" zsh -n "$SANDBOX/script.zsh"
    zsh_loads() {
        mkdir -p "$SANDBOX/zfunc"
        cp "$SANDBOX/script.zsh" "$SANDBOX/zfunc/_wgrun"
        same "compinit's function for wgrun" "_wgrun" "$(HOME=$SANDBOX/home zsh -f -c '
            fpath=("$1" $fpath); autoload -U compinit; compinit -u -d "$1/.zcompdump"
            print -r -- $_comps[wgrun]' zsh "$SANDBOX/zfunc")"
    }
    check "zsh: compinit finds _wgrun for wgrun in \$fpath" zsh_loads
fi

finish
