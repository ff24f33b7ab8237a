// remote_wiring.cpp: logins, connections, host slots and the ssh executor.
#include "remote_wiring.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "base/duration.hpp"
#include "command/shell_quote.hpp"
#include "remote_files_wiring.hpp"
#include "schedule/jobs_limit.hpp"

extern char** environ;

namespace wgrun::cli {
namespace {

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("--slf " + path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool plain_number(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
}

std::vector<std::string> ssh_words(const Options& options) {
    std::string command = options.remote.ssh;
    if (command.empty()) {
        const char* from_env = std::getenv("PARALLEL_SSH");
        command = from_env != nullptr && *from_env != '\0' ? from_env : "ssh";
    }
    std::vector<std::string> words;
    try {
        words = split_words(command);
    } catch (const std::exception& e) {
        throw UsageError("--ssh: " + std::string(e.what()));
    }
    if (words.empty()) throw UsageError("--ssh: no command");
    return words;
}

}  // namespace

std::vector<SshLogin> read_logins(const Options& options) {
    std::vector<SshLogin> all;
    try {
        for (const std::string& list : options.remote.sshlogin) {
            for (SshLogin& login : parse_login_list(list)) all.push_back(std::move(login));
        }
    } catch (const LoginError& e) {
        throw UsageError(std::string("-S: ") + e.what());
    }
    for (const std::string& file : options.remote.sshloginfile) {
        try {
            for (SshLogin& login : parse_login_file(read_whole(file))) all.push_back(std::move(login));
        } catch (const LoginError& e) {
            throw UsageError("--slf " + file + ": " + e.what());
        }
    }
    std::vector<SshLogin> logins;
    for (SshLogin& login : all) {
        const std::string name = login.name();
        const bool seen = std::any_of(logins.begin(), logins.end(),
                                      [&](const SshLogin& other) { return other.name() == name; });
        if (!seen) logins.push_back(std::move(login));
    }
    if (!options.remote.sshloginfile.empty() && options.remote.sshlogin.empty() && logins.empty()) {
        throw UsageError("--slf: no login in the file");
    }
    return logins;
}

std::vector<std::string> remote_env(const std::vector<std::string>& names,
                                    const char* const* environment) {
    std::map<std::string, std::string> env;
    for (const char* const* e = environment; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::size_t equals = entry.find('=');
        if (equals == std::string_view::npos) continue;
        env.emplace(std::string(entry.substr(0, equals)), std::string(entry.substr(equals + 1)));
    }
    std::vector<std::string> entries;
    const auto add = [&](const std::string& name) {
        const auto hit = env.find(name);
        if (hit == env.end()) return;
        const std::string entry = name + "=" + hit->second;
        if (std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(entry);
    };
    for (const std::string& list : names) {
        std::size_t start = 0;
        for (;;) {
            const std::size_t comma = list.find(',', start);
            const std::string name = list.substr(start, comma - start);
            if (name == "_") {
                throw UsageError("--env _ (every variable) is for this machine only: name the "
                                 "variables the -S hosts' jobs need");
            }
            if (!name.empty()) {
                add(name);
                add("BASH_FUNC_" + name + "%%");
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return entries;
}

RemoteWiring wire_remote(const Options& options, const std::vector<SshLogin>& logins,
                         Executor& local, unsigned cpus, const std::string& temp_dir,
                         const std::function<void(const std::string&)>& notice) {
    const std::string& jobs = options.jobs;
    if (!jobs.empty() && plain_number(jobs) && std::strtoull(jobs.c_str(), nullptr, 10) == 0) {
        throw UsageError("-j 0 cannot be used with -S/--slf hosts: give each host's job slots "
                         "with N/ (-S 8/host)");
    }
    if (!jobs.empty()) {
        try {
            parse_jobs(jobs, 1);
        } catch (const JobsError&) {
            throw UsageError("-j " + jobs +
                             ": with -S/--slf hosts -j is a number of job slots on each host "
                             "(N, N%, +N, -N), not a file");
        }
    }
    RemoteWiring wiring;
    try {
        wiring.masters = std::make_unique<SshMasters>(local, ssh_words(options), temp_dir);
    } catch (const std::system_error& e) {
        throw UsageError(e.what());
    }
    const Duration delay =
        options.remote.sshdelay.empty() ? Duration{0} : parse_duration(options.remote.sshdelay);
    SshMasters& masters = *wiring.masters;
    RemoteSetup setup;
    setup.workdir = options.exec.workdir;
    setup.env = remote_env(options.exec.env, environ);
    wire_file_setup(options, setup);
    wiring.cleanup = setup.cleanup;
    wiring.base_files = make_base_files(options, setup, local, *wiring.masters);
    std::vector<std::string> errors = wiring.masters->start(logins, delay);
    for (std::string& error : errors) {
        if (!error.empty()) error = "cannot be logged in to: " + error;
    }
    // --basefile: to every host that is up, before any job.
    if (wiring.base_files) {
        std::vector<SshLogin> up;
        std::vector<std::size_t> index;
        for (std::size_t i = 0; i < logins.size(); ++i) {
            if (errors[i].empty()) {
                up.push_back(logins[i]);
                index.push_back(i);
            }
        }
        const std::vector<std::string> sent = wiring.base_files->send(up);
        for (std::size_t k = 0; k < sent.size(); ++k) {
            if (!sent[k].empty()) errors[index[k]] = "did not get the --basefile files: " + sent[k];
        }
    }
    // A host's slots: N/, else -j on each host (50%, +1, -1 against its
    // CPUs), else its CPU count, asked through its connection.
    auto slots_for = [&jobs, cpus, &masters, notice](const SshLogin& login) -> std::uint64_t {
        if (login.slots != 0) return login.slots;
        std::optional<unsigned> host_cpus;
        if (jobs.empty() || !plain_number(jobs)) {
            host_cpus = login.local() ? std::optional<unsigned>(cpus) : masters.cpus(login);
            if (!host_cpus) {
                notice("wgrun: host " + login.name() +
                       " did not tell its CPU count: running 1 job there (give N/)\n");
                host_cpus = 1;
            }
        }
        if (jobs.empty()) return *host_cpus;
        return std::max<std::uint64_t>(1, parse_jobs(jobs, host_cpus.value_or(1)));  // checked above
    };
    std::vector<HostSpec> hosts;
    std::vector<SshLogin> usable;
    for (std::size_t i = 0; i < logins.size(); ++i) {
        const SshLogin& login = logins[i];
        if (!errors[i].empty()) {
            if (!options.remote.filter_hosts) {
                wiring.stop();  // the other hosts' base files (--cleanup) and connections
                throw UsageError("host " + login.name() + " " + errors[i] +
                                 " (--filter-hosts leaves such hosts out)");
            }
            notice("wgrun: --filter-hosts: leaving out " + login.name() + ": it " + errors[i] + "\n");
            continue;
        }
        const std::uint64_t slots = slots_for(login);
        masters.widen(login, slots, true);  // a master for each 10 slots (sshd's MaxSessions)
        hosts.push_back(HostSpec{login.name(), slots});
        usable.push_back(login);
    }
    if (hosts.empty()) throw UsageError("no host is left to run jobs on");
    wiring.slots = std::make_unique<HostSlots>(
        std::move(hosts),
        [&masters](const std::string& host, const ExitStatus& status) {
            // ssh says 255 for its own failures: the host's, if its
            // connection went (the job's own exit 255 leaves it up).
            using namespace std::chrono_literals;
            return status.kind == ExitStatus::Kind::Exited && status.code == 255 &&
                   !masters.alive(host, 500ms);
        },
        notice);
    wiring.executor = std::make_unique<SshExecutor>(local, masters, std::move(usable), setup);
    if (!options.remote.sshloginfile.empty()) {
        std::vector<SshLogin> fixed;
        for (const std::string& list : options.remote.sshlogin) {
            for (SshLogin& login : parse_login_list(list)) fixed.push_back(std::move(login));
        }
        // The roster runs in the loop's thread, after this function: what
        // it keeps must live as long as the run (the wiring's parts do).
        wiring.roster = std::make_unique<HostRoster>(
            *wiring.slots, masters, *wiring.executor, std::move(fixed),
            options.remote.sshloginfile, logins,
            slots_for, notice);
        if (wiring.base_files) {  // a host added mid-run gets them too
            BaseFiles& base = *wiring.base_files;
            wiring.roster->set_prepare([&base](const SshLogin& login) {
                const std::string why = base.send({login}).front();
                return why.empty() ? why : "did not get the --basefile files: " + why;
            });
        }
    }
    return wiring;
}

}  // namespace wgrun::cli
