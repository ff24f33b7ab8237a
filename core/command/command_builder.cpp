// command_builder.cpp: shell or argv, plus the job's environment.
#include "command/command_builder.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "base/printable.hpp"
#include "command/shell_quote.hpp"

namespace wgrun {

BuiltCommand CommandBuilder::build(const JobInput& input, std::uint64_t slot) const {
    const auto holds_nul = [](const std::string& value) {
        return value.find('\0') != std::string::npos;
    };
    const auto bad = std::find_if(input.args.begin(), input.args.end(), holds_nul);
    if (bad == input.args.end()) {
        BuiltCommand built = build_unchecked(input, slot);
        if (max_bytes_ != 0) check_size(built, input.seq);
        return built;
    }

    // Never run shortened: argv and `sh -c` would end the value at its NUL.
    std::string raw;
    try {
        raw = build_unchecked(input, slot).display;
    } catch (const std::exception&) {
        for (const auto& value : input.args) raw += (raw.empty() ? "" : " ") + value;
    }
    // The command every report and file shows: each NUL as the text \0, so
    // that no file (a --joblog row, whose NULs stand for newlines, read back
    // by --retry-failed) holds one.
    std::string command;
    command.reserve(raw.size() + 8);
    for (const char c : raw) {
        if (c == '\0') {
            command += "\\0";
        } else {
            command += c;
        }
    }
    std::string warning;
    if (!warned_nul_.exchange(true)) {
        warning = "wgrun: job " + std::to_string(input.seq) + "'s input holds a NUL byte ('" +
                  printable_command(*bad) +
                  "'): a command cannot receive NUL, so such jobs are not run (they fail); "
                  "use -0 (--null) for NUL-separated input\n";
    }
    throw NulInputError(std::move(command), std::move(warning));
}

BuiltCommand CommandBuilder::build_unchecked(const JobInput& input, std::uint64_t slot) const {
    for (const CommandTemplate& filter : filters_) {
        const std::string code = filter.expand_text(input.args, input.seq, slot);
        if (!filter_perl_->filter(PerlJob{input.seq, slot, input.args}, code)) throw JobSkipped();
    }
    BuiltCommand built;
    if (use_shell_) {
        if (quote_words_ && !template_.empty()) {  // -q: each word quoted whole
            for (const auto& word : template_.expand_argv(input.args, input.seq, slot)) {
                if (!built.display.empty()) built.display += ' ';
                built.display += shell_quote(word);
            }
        } else {
            built.display = template_.expand(input.args, input.seq, slot);
        }
        built.request.argv = {direct_.shell, "-c",
                              setup_.prelude.empty() ? built.display
                                                     : setup_.prelude + built.display};
        if (auto words = direct_.direct_words(built.display)) {
            built.request.shell_argv = std::move(built.request.argv);
            built.request.argv = std::move(*words);
            built.request.program_path_var = direct_.kind == ShellKind::Bash;
        } else if (auto argv = direct_.builtin_argv(built.display)) {
            built.request.argv = std::move(*argv);  // true, false, echo: dash's alike
        }
    } else {
        built.request.argv = template_.expand_argv(input.args, input.seq, slot);
        for (const auto& word : built.request.argv) {
            if (!built.display.empty()) built.display += ' ';
            built.display += shell_quote(word);
        }
    }
    const std::string seq = std::to_string(input.seq);
    const std::string slot_text = std::to_string(slot);
    built.request.env = {"WGRUN_SEQ=" + seq, "WGRUN_SLOT=" + slot_text, "PARALLEL_SEQ=" + seq,
                         "PARALLEL_JOBSLOT=" + slot_text};
    if (!slot_var_.empty()) {
        built.request.env.push_back(slot_var_ + "=" + std::to_string(slot - 1));
    }
    const bool direct = !built.request.shell_argv.empty();
    // --workdir: the job's PWD is its folder (as `cd DIR` would set it);
    // else the PWD the shell would have exported to the command.
    if (!setup_.temp_workdirs.empty()) {
        built.request.workdir = setup_.temp_workdirs + "/" + seq;
        built.request.make_workdir = true;
    } else if (setup_.workdir_template != nullptr) {
        std::string dir = setup_.workdir_template->expand_text(input.args, input.seq, slot);
        if (dir.empty() || dir.front() != '/') dir = setup_.workdir_base + "/" + dir;
        if (setup_.make_workdirs) make_workdir(dir);
        built.request.workdir = std::move(dir);
    } else if (!setup_.workdir.empty()) {
        built.request.workdir = setup_.workdir;
    }
    if (!built.request.workdir.empty()) {
        built.request.env.push_back("PWD=" + built.request.workdir);
    } else if (direct && !direct_.pwd_entry.empty()) {
        built.request.env.push_back(direct_.pwd_entry);
    }
    // bash's level, as it exports it to a command it execs.
    if (direct && !direct_.shlvl_entry.empty()) built.request.env.push_back(direct_.shlvl_entry);
    built.request.nice = setup_.nice;
    built.request.tty = setup_.tty;
    const auto files = [&](const std::vector<CommandTemplate>& templates,
                           std::vector<std::string>& into) {
        for (const CommandTemplate& file : templates) {
            std::string name = file.expand_text(input.args, input.seq, slot);
            if (!name.empty()) into.push_back(std::move(name));
        }
    };
    files(setup_.transfer_files, built.request.transfer);
    files(setup_.return_files, built.request.return_files);
    if (setup_.stdin_file != StdinFile::None && !input.args.empty()) {
        wrap_stdin_file(built.request, input.args.front(), setup_.stdin_file);
    }
    return built;
}

// --cat: `sh -c 'cat >FILE; COMMAND; rm FILE' FILE COMMAND...`; --fifo: the
// command in the background reading the named pipe, `cat` writing stdin
// into it, and the pipe removed once the command ends. The command's own
// status is the job's.
void CommandBuilder::wrap_stdin_file(SpawnRequest& request, const std::string& path, StdinFile kind) {
    static const std::string cat_script =
        "cat >\"$0\" || exit; \"$@\"; s=$?; rm -f \"$0\"; exit $s";
    static const std::string fifo_script =
        "rm -f \"$0\"; mkfifo -m 600 \"$0\" || exit; exec 3<&0; \"$@\" 3<&- & p=$!; "
        "cat <&3 >\"$0\" & c=$!; exec 3<&-; wait $p; s=$?; kill $c 2>/dev/null; "
        "rm -f \"$0\"; exit $s";
    const auto wrap = [&](std::vector<std::string>& argv) {
        if (argv.empty()) return;
        std::vector<std::string> wrapped{"/bin/sh", "-c", kind == StdinFile::Cat ? cat_script : fifo_script,
                                         path};
        wrapped.insert(wrapped.end(), std::make_move_iterator(argv.begin()),
                       std::make_move_iterator(argv.end()));
        argv = std::move(wrapped);
    };
    // The shell's form of a direct exec: the wrapper's "$@" runs it as is.
    if (!request.shell_argv.empty()) request.argv = std::move(request.shell_argv);
    request.shell_argv.clear();
    wrap(request.argv);
    request.program_path_var = false;
    request.env.push_back("PARALLEL_TMP=" + path);
}

// mkdir -p DIR, as GNU parallel does for --workdir; throws when the job
// cannot start there, which fails that job with the reason.
void CommandBuilder::make_workdir(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (::access(dir.c_str(), X_OK) != 0) {
        const int e = errno;
        throw std::runtime_error("--workdir '" + dir + "': cannot make it or enter it: " +
                                 (error ? error.message() : std::strerror(e)));
    }
}

void CommandBuilder::limit_size(std::size_t max_bytes, std::string limit_text) {
    max_bytes_ = max_bytes;
    limit_text_ = std::move(limit_text);
}

void CommandBuilder::check_size(const BuiltCommand& built, std::uint64_t seq) const {
    // Linux's MAX_ARG_STRLEN: one argv string, NUL included, at most 32 pages.
    constexpr std::size_t kMaxString = 32 * 4096;
    const std::size_t bytes =
        use_shell_ ? built.display.size() + 1 : [&] {
            std::size_t sum = 0;
            for (const std::string& word : built.request.argv) sum += word.size() + 1;
            return sum;
        }();
    // Made only for an error: this check runs for every job under packing.
    const auto job = [seq] { return "job " + std::to_string(seq) + ": "; };
    if (bytes > max_bytes_) {
        throw CommandTooLongError(job() + "the command is " + std::to_string(bytes) +
                                  " bytes, over the limit of " + limit_text_ + ": not run");
    }
    for (const auto* argv : {&built.request.argv, &built.request.shell_argv}) {
        for (const std::string& word : *argv) {
            if (word.size() + 1 > kMaxString) {
                throw CommandTooLongError(
                    job() + "one argument of the command is " + std::to_string(word.size() + 1) +
                    " bytes, over Linux's limit of 131072 bytes for one argument "
                    "(MAX_ARG_STRLEN): not run");
            }
        }
    }
}

}  // namespace wgrun
