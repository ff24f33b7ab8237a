// transfer_script.cpp: the fixed sh script, and its arguments.
#include "remote/transfer_script.hpp"

namespace wgrun {
namespace {

// Arguments: N CHECK_WORDS... then, for each step, KIND TEXT N WORDS...
// w FROM N makes `c` the text "${FROM}" "${FROM+1}"...: only numbers are
// ever part of what eval reads, the words stay in the positional
// parameters. (eval runs at the top level, where ${N} are the script's.)
constexpr const char* kScript = R"SH(w() { c=; j=$1; e=$(($1 + $2)); while [ "$j" -lt "$e" ]; do c="$c \"\${$j}\""; j=$((j + 1)); done; }
n=$1; w 2 "$n"; check=$c; i=$((n + 2)); status=0; failed=
while [ "$i" -le $# ]; do
    eval "kind=\${$i} text=\${$((i + 1))} n=\${$((i + 2))}"
    w $((i + 3)) "$n"; i=$((i + 3 + n))
    case $kind in
    say) printf '%s\n' "$text" >&2 ;;
    send) [ -n "$failed" ] || eval "$c" </dev/null || {
        s=$?; eval "$check" </dev/null >/dev/null 2>&1 || exit 255
        printf '%s (rsync: exit %s)\n' "$text" "$s" >&2; status=255; failed=1; } ;;
    job) [ -n "$failed" ] && continue; eval "$c"; status=$?
        if [ "$status" = 255 ] && ! eval "$check" </dev/null >/dev/null 2>&1; then exit 255; fi ;;
    fetch) [ -n "$failed" ] || eval "$c" </dev/null || {
        s=$?; eval "$check" </dev/null >/dev/null 2>&1 || exit 255
        printf '%s (rsync: exit %s)\n' "$text" "$s" >&2; [ "$status" != 0 ] || status=255; } ;;
    unrun) [ -z "$failed" ] || eval "$c" </dev/null >/dev/null 2>&1 ;;
    *) eval "$c" </dev/null >/dev/null 2>&1 ;;
    esac
done
exit "$status"
)SH";

const char* kind_word(FileStep::Kind kind) {
    switch (kind) {
        case FileStep::Kind::Say: return "say";
        case FileStep::Kind::Send: return "send";
        case FileStep::Kind::Job: return "job";
        case FileStep::Kind::Fetch: return "fetch";
        case FileStep::Kind::Clean: return "clean";
        case FileStep::Kind::Unrun: return "unrun";
    }
    return "clean";
}

}  // namespace

std::vector<std::string> transfer_script(const std::vector<std::string>& check,
                                         const std::vector<FileStep>& steps) {
    std::vector<std::string> argv = {"/bin/sh", "-c", kScript, "sh", std::to_string(check.size())};
    argv.insert(argv.end(), check.begin(), check.end());
    for (const FileStep& step : steps) {
        argv.insert(argv.end(), {kind_word(step.kind), step.text, std::to_string(step.argv.size())});
        argv.insert(argv.end(), step.argv.begin(), step.argv.end());
    }
    return argv;
}

}  // namespace wgrun
