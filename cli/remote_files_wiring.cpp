// remote_files_wiring.cpp: --transferfile, --return, --cleanup, --trc,
// --basefile and --rsync-opts, wired.
#include "remote_files_wiring.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "command/job_shell.hpp"
#include "command/shell_quote.hpp"

namespace wgrun::cli {
namespace {

void parse_all(const std::vector<std::string>& names, const std::string& option,
               const TemplateSyntax& syntax, std::vector<CommandTemplate>& into) {
    for (const std::string& name : names) {
        try {
            into.push_back(CommandTemplate::parse(name, syntax));
        } catch (const TemplateError& e) {
            throw UsageError(option + " " + name + ": " + e.what());
        }
    }
}

bool moves_files(const RemoteGroup& remote) {
    return !remote.transferfile.empty() || remote.transfer || !remote.return_files.empty() ||
           !remote.trc.empty() || !remote.basefile.empty();
}

}  // namespace

void wire_file_templates(const Options& options, const TemplateSyntax& syntax, JobSetup& setup) {
    const RemoteGroup& remote = options.remote;
    std::vector<std::string> transfer = remote.transferfile;
    if (remote.transfer || (!remote.trc.empty() && transfer.empty())) transfer.push_back(syntax.input);
    std::vector<std::string> returned = remote.return_files;
    returned.insert(returned.end(), remote.trc.begin(), remote.trc.end());
    parse_all(transfer, "--transferfile", syntax, setup.transfer_files);
    parse_all(returned, "--return", syntax, setup.return_files);
}

void wire_file_setup(const Options& options, RemoteSetup& setup) {
    const RemoteGroup& remote = options.remote;
    setup.cleanup = remote.cleanup || !remote.trc.empty();
    std::string opts = remote.rsync_opts;
    if (opts.empty()) {
        const char* from_env = std::getenv("PARALLEL_RSYNC_OPTS");
        opts = from_env != nullptr && *from_env != '\0' ? from_env : "-rlDzR";
    }
    setup.rsync = {"rsync"};
    try {
        for (std::string& word : split_words(opts)) setup.rsync.push_back(std::move(word));
    } catch (const SplitError& e) {
        throw UsageError("--rsync-opts: " + std::string(e.what()));
    }
    if (moves_files(remote) && which("rsync").empty()) {
        throw UsageError("the files of remote jobs are moved with rsync, which is not in PATH");
    }
}

std::unique_ptr<BaseFiles> make_base_files(const Options& options, const RemoteSetup& setup,
                                           Executor& spawner, const SshMasters& masters) {
    if (options.remote.basefile.empty()) return nullptr;
    for (const std::string& file : options.remote.basefile) {
        if (::access(file.c_str(), R_OK) != 0) {
            throw UsageError("--basefile " + file + ": cannot be read: " + std::strerror(errno));
        }
    }
    RemoteFolder folder;
    if (!setup.workdir.empty() && setup.workdir != "...") {
        folder = {RemoteFolder::Kind::Folder, setup.workdir};
    }
    return std::make_unique<BaseFiles>(spawner, masters, options.remote.basefile, folder,
                                       setup.rsync);
}

}  // namespace wgrun::cli
