// ssh_executor.cpp: a job's request wrapped in ssh for its host.
#include "remote/ssh_executor.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "remote/remote_files.hpp"
#include "remote/transfer_script.hpp"

namespace wgrun {

SshExecutor::SshExecutor(Executor& local, const SshMasters& masters, std::vector<SshLogin> logins,
                         RemoteSetup setup)
    : local_(local), masters_(masters), setup_(std::move(setup)) {
    for (SshLogin& login : logins) {
        const std::string name = login.name();
        logins_.emplace(name, std::move(login));
    }
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::string name = host;
    for (char& c : name) {
        if (c == '/' || c == ' ') c = '_';
    }
    temp_prefix_ = "wgrun-wd." + (name.empty() ? std::string("host") : name) + "." +
                   std::to_string(::getpid()) + ".";
}

SpawnRequest SshExecutor::wrap(const SpawnRequest& request) const {
    const auto login = logins_.find(request.host);
    if (login == logins_.end()) throw std::system_error(EHOSTUNREACH, std::system_category());
    SpawnRequest wrapped;
    wrapped.hold_stdin = true;
    wrapped.host = request.host;
    wrapped.argv = masters_.client_words(login->second, request.slot);
    if (request.transfer.empty() && request.return_files.empty()) {
        wrapped.argv.push_back(remote_command(request, setup_));
        return wrapped;
    }
    RemoteFolder folder;
    if (setup_.workdir == "...") {
        folder = {RemoteFolder::Kind::Temp, temp_prefix_ + std::to_string(++temp_count_)};
    } else if (!setup_.workdir.empty()) {
        folder = {RemoteFolder::Kind::Folder, setup_.workdir};
    }
    const HostLink link = masters_.host_link(login->second, setup_.rsync, request.slot);
    std::vector<FileStep> steps = send_steps(link, folder, request.transfer);
    FileStep job{FileStep::Kind::Job, "", std::move(wrapped.argv)};
    job.argv.push_back(remote_command(
        request, setup_, folder.kind == RemoteFolder::Kind::Temp ? folder.path : std::string()));
    steps.push_back(std::move(job));
    std::vector<std::string> removed;
    if (setup_.cleanup) {
        removed = request.transfer;
        removed.insert(removed.end(), request.return_files.begin(), request.return_files.end());
    }
    // The cleanup rides on the last fetch's session when there is one; on
    // its own when there is none, or when the job was not run.
    const std::string clean = cleanup_command(folder, removed, true);
    std::vector<FileStep> fetches = fetch_steps(link, folder, request.return_files, clean);
    const bool fetching = std::any_of(fetches.begin(), fetches.end(), [](const FileStep& step) {
        return step.kind == FileStep::Kind::Fetch;
    });
    for (FileStep& step : fetches) steps.push_back(std::move(step));
    for (FileStep& step : cleanup_steps(link, folder, removed, true)) {
        if (fetching) step.kind = FileStep::Kind::Unrun;
        steps.push_back(std::move(step));
    }
    wrapped.argv = transfer_script(masters_.check_words(login->second), steps);
    return wrapped;
}

SpawnedJob SshExecutor::spawn(const SpawnRequest& request) {
    if (request.host.empty() || request.host == ":") return local_.spawn(request);
    return local_.spawn(wrap(request));
}

}  // namespace wgrun
