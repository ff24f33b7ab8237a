// completion.cpp: the completion scripts for bash, zsh and fish, written from
// the options' plain values (completion.hpp). Each script completes wgrun's
// options and their values before the COMMAND, the COMMAND and its own
// arguments as the shell would, plain words after ::: and files after ::::.
#include "completion.hpp"

#include <algorithm>
#include <utility>

namespace wgrun::cli {
namespace {

using Option = CompletionOption;

std::string joined(const std::vector<std::string>& words, std::string_view between = " ") {
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty()) text += between;
        text += word;
    }
    return text;
}

// TEXT inside '...' for bash, zsh and fish: ' ends the quote, \' is a quote,
// then ' opens it again. Fish takes \' inside '...' as well, so 'a\'b' there.
std::string posix_quoted(std::string_view text) {
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}
std::string fish_quoted(std::string_view text) {
    std::string quoted = "'";
    for (const char c : text) {
        if (c == '\'' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "'";
}

// The names of the options that take the next word as their value (not
// --color[=WHEN]): the scripts skip that word when they look for COMMAND.
std::vector<std::string> taking_next_word(const std::vector<Option>& options) {
    std::vector<std::string> names;
    for (const Option& option : options) {
        if (option.value != Option::Value::Required) continue;
        names.insert(names.end(), option.names.begin(), option.names.end());
    }
    return names;
}

constexpr std::string_view kHeader =
    " completion for wgrun, written by `wgrun --completion {shell}` from wgrun's\n"
    "# option table. Before COMMAND: options and their values; then COMMAND and\n"
    "# its arguments as the shell completes them; plain words after ::: and :::+,\n"
    "# files after :::: and ::::+.\n";

std::string header(std::string_view shell) {
    std::string text = "# " + std::string(shell) + std::string(kHeader);
    text.replace(text.find("{shell}"), 7, shell);
    return text;
}

// ---- bash (bash-completion's helpers) ----------------------------------

std::string bash_script(const std::vector<Option>& options) {
    std::vector<std::string> all_names;
    for (const Option& option : options) {
        all_names.insert(all_names.end(), option.names.begin(), option.names.end());
    }
    // One arm per action, in the options' order: the options of an action
    // that takes the next word, then those whose value is only ever
    // attached (--color=WHEN: `--color never` would run never).
    std::vector<std::pair<std::string, std::vector<std::string>>> arms;
    for (const Option& option : options) {
        if (option.value == Option::Value::None) continue;
        std::string action;
        if (!option.values.empty()) {
            action = "COMPREPLY=($(compgen -W " + posix_quoted(joined(option.values)) +
                     " -- \"$cur\"))";
        } else if (option.kind == Option::Kind::File) {
            action = "_filedir";
        } else if (option.kind == Option::Kind::Dir) {
            action = "_filedir -d";
        } else if (option.kind == Option::Kind::Host) {
            action = "_known_hosts_real -a -- \"$cur\"";
        } else {
            action = ":";  // any word: nothing to offer
        }
        if (option.value == Option::Value::Optional) {
            action = "if $split; then " + action + "; return; fi";
        } else {
            action += "; return";
        }
        auto arm = std::find_if(arms.begin(), arms.end(),
                                [&](const auto& arm) { return arm.first == action; });
        if (arm == arms.end()) arm = arms.insert(arms.end(), {action, {}});
        arm->second.insert(arm->second.end(), option.names.begin(), option.names.end());
    }
    std::string arms_text;
    for (const auto& [action, names] : arms) {
        arms_text += "        " + joined(names, " | ") + ")\n            " + action + " ;;\n";
    }
    std::string text = header("bash");
    text += "# Needs bash-completion (_init_completion, _filedir, _known_hosts_real).\n\n";
    text += "_wgrun() {\n";
    text += "    local cur prev words cword split\n";
    text += "    _init_completion -s || return\n\n";
    text += "    # Where the cursor is: after a separator, in COMMAND, or among the options.\n";
    text += "    local takes_value=" + posix_quoted(" " + joined(taking_next_word(options)) + " ") +
            "\n";
    text += R"(    local i=1 command=0 sep=
    while ((i < cword)); do
        case ${words[i]} in
            ::: | :::+) sep=words ;;
            :::: | ::::+) sep=files ;;
            *)
                if [[ -z $sep ]] && ((command == 0)); then
                    case ${words[i]} in
                        --) command=$((i + 1)) ;;
                        -*=*) ;;
                        -?*) [[ $takes_value == *" ${words[i]} "* ]] && ((i++)) ;;
                        *) command=$i ;;
                    esac
                fi
                ;;
        esac
        ((i++))
    done
    case $sep in
        words) return ;;  # plain words: nothing offered (bash's default, with -o default)
        files) _filedir; return ;;
    esac
    if ((command > 0)); then
        _command_offset "$command"
        return
    fi

    case $prev in
)";
    text += arms_text;
    text += R"(    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_wgrun_options" -- "$cur"))
        return
    fi
    _command_offset "$cword"
}
)";
    text += "_wgrun_options=" + posix_quoted(joined(all_names)) + "\n";
    text += "complete -F _wgrun -o bashdefault -o default wgrun\n";
    return text;
}

// ---- zsh (_arguments) ---------------------------------------------------

// TEXT in an _arguments spec's [description]: \ [ ] and : are quoted.
std::string zsh_description(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '[' || c == ']' || c == ':') out += '\\';
        out += c;
    }
    return out;
}

std::string zsh_script(const std::vector<Option>& options) {
    std::string specs;
    for (const Option& option : options) {
        std::string action;
        if (!option.values.empty()) {
            action = "(" + joined(option.values) + ")";
        } else if (option.kind == Option::Kind::File) {
            action = "_files";
        } else if (option.kind == Option::Kind::Dir) {
            action = "_files -/";
        } else if (option.kind == Option::Kind::Host) {
            action = "_hosts";
        } else {
            action = " ";  // a message only
        }
        for (const std::string& name : option.names) {
            // "*": every option may be given again (-S, -a and --env are
            // repeatable; the parser says which are not).
            std::string spec = "*" + name;
            if (option.value == Option::Value::Optional) spec += name.starts_with("--") ? "=-" : "-";
            spec += "[" + zsh_description(option.description) + "]";
            if (option.value != Option::Value::None) {
                spec += ":" + zsh_description(option.value_name) + ":" + action;
            }
            specs += "        " + posix_quoted(spec) + "\n";
        }
    }
    std::string text = "#compdef wgrun\n" + header("zsh");
    text += R"(
# COMMAND's arguments, or the words after a separator.
_wgrun_arguments() {
    local i sep
    for ((i = 1; i < CURRENT; i++)); do
        case $words[i] in
            (:::|:::+) sep=words ;;
            (::::|::::+) sep=files ;;
        esac
    done
    case $sep in
        (words) _message -e words 'argument' ;;
        (files) _files ;;
        (*) _normal ;;
    esac
}

_wgrun() {
    local -a specs
    specs=(
)";
    text += specs;
    text += R"(        '(-)1:command:_command_names -e'
        '*::argument:_wgrun_arguments'
    )
    _arguments -s -S -A '-*' $specs
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _wgrun "$@"  # autoloaded from $fpath by compinit
else
    compdef _wgrun wgrun  # sourced: source <(wgrun --completion zsh)
fi
)";
    return text;
}

// ---- fish (complete) ----------------------------------------------------

std::string fish_script(const std::vector<Option>& options) {
    std::string lines;
    for (const Option& option : options) {
        std::string line = "complete -c wgrun -n '__wgrun_at options'";
        for (const std::string& name : option.names) {
            // fish's -s takes one letter; -o a long name with one dash.
            if (name.starts_with("--")) {
                line += " -l " + name.substr(2);
            } else if (name.size() == 2) {
                line += " -s " + name.substr(1);
            } else {
                line += " -o " + name.substr(1);
            }
        }
        if (option.value == Option::Value::Required) {
            if (!option.values.empty()) {
                line += " -x -a " + fish_quoted(joined(option.values));
            } else if (option.kind == Option::Kind::File) {
                line += " -r -F";
            } else if (option.kind == Option::Kind::Dir) {
                line += " -x -a '(__fish_complete_directories (commandline -ct))'";
            } else if (option.kind == Option::Kind::Host) {
                line += " -x -a '(__fish_print_hostnames)'";
            } else {
                line += " -x";
            }
        } else if (option.value == Option::Value::Optional && !option.values.empty()) {
            // Only ever attached (--color=WHEN): fish offers them after the =.
            line += " -f -a " + fish_quoted(joined(option.values));
        }
        line += " -d " + fish_quoted(option.description);
        lines += line + "\n";
    }
    std::string text = header("fish");
    text += "\n# The words before the cursor -> options (before COMMAND), command (COMMAND\n";
    text += "# and its arguments), words (after ::: or :::+) or files (after :::: or ::::+).\n";
    text += "function __wgrun_at\n";
    text += "    set -l takes_value " + joined(taking_next_word(options)) + "\n";
    text += R"(    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l at options
    set -l skip 0
    for token in $tokens
        switch $token
            case ':::' ':::+'
                set at words
            case '::::' '::::+'
                set at files
            case '*'
                if test $at = options
                    if test $skip = 1
                        set skip 0
                    else if test "$token" = --
                        set at command
                    else if string match -q -- '-*=*' $token
                    else if contains -- $token $takes_value
                        set skip 1
                    else if not string match -q -- '-?*' $token
                        set at command
                    end
                end
        end
    end
    test $at = $argv[1]
end

complete -c wgrun -n '__wgrun_at options' -n 'not string match -q -- "-*" (commandline -ct)' -f -a '(__fish_complete_command)'
complete -c wgrun -n '__wgrun_at command' -f -a '(__fish_complete_subcommand)'
complete -c wgrun -n '__wgrun_at words' -f
complete -c wgrun -n '__wgrun_at files' -F
)";
    text += lines;
    return text;
}

}  // namespace

std::string completion_script(std::string_view shell, const std::vector<CompletionOption>& options) {
    if (shell == "bash") return bash_script(options);
    if (shell == "zsh") return zsh_script(options);
    if (shell == "fish") return fish_script(options);
    return {};
}

}  // namespace wgrun::cli
