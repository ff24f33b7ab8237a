// ssh_executor.cpp: a job's request wrapped in ssh for its host.
#include "remote/ssh_executor.hpp"

#include <cerrno>
#include <system_error>

namespace wgrun {

SshExecutor::SshExecutor(Executor& local, const SshMasters& masters, std::vector<SshLogin> logins,
                         RemoteSetup setup)
    : local_(local), masters_(masters), setup_(std::move(setup)) {
    for (SshLogin& login : logins) {
        const std::string name = login.name();
        logins_.emplace(name, std::move(login));
    }
}

SpawnRequest SshExecutor::wrap(const SpawnRequest& request) const {
    const auto login = logins_.find(request.host);
    if (login == logins_.end()) throw std::system_error(EHOSTUNREACH, std::system_category());
    SpawnRequest wrapped;
    wrapped.argv = masters_.client_words(login->second, request.slot);
    wrapped.argv.push_back(remote_command(request, setup_));
    wrapped.hold_stdin = true;
    wrapped.host = request.host;
    return wrapped;
}

SpawnedJob SshExecutor::spawn(const SpawnRequest& request) {
    if (request.host.empty() || request.host == ":") return local_.spawn(request);
    return local_.spawn(wrap(request));
}

}  // namespace wgrun
