// options_remote.cpp: jobs on other computers over ssh: -S/--sshlogin,
// --slf/--sshloginfile, --ssh, --sshdelay, --filter-hosts; their files:
// --transferfile, --transfer, --return, --cleanup, --trc, --basefile,
// --rsync-opts.
#include <CLI/CLI.hpp>

#include "base/duration.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"
#include "command/shell_quote.hpp"
#include "remote/ssh_login.hpp"

namespace wgrun::cli {
namespace {

std::string check_logins(const std::string& value) {
    try {
        parse_login_list(value);
    } catch (const LoginError& e) {
        return e.what();
    }
    return {};
}

std::string check_words(const std::string& value) {
    try {
        split_words(value);
    } catch (const SplitError& e) {
        return e.what();
    }
    return {};
}

// A repeatable FILE option.
CLI::Option* add_files(CLI::App& app, const std::string& names, std::vector<std::string>& into,
                       const std::string& help) {
    return app.add_option(names, into, help)
        ->check(kNotEmpty)
        ->type_name("FILE")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

void add_remote_options(CLI::App& app, Options& options) {
    RemoteGroup& remote = options.remote;
    app.add_option("-S,--sshlogin", remote.sshlogin,
                   "Run jobs on LOGIN ([N/][user@]host[:port]; N/ = its job slots, else -j or "
                   "its CPU count; : = this machine); repeatable, or LOGIN,LOGIN...")
        ->check(kNotEmpty)
        ->check(CLI::Validator(check_logins, "", "sshlogin"))
        ->type_name("LOGIN")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--slf,--sshloginfile", remote.sshloginfile,
                   "Read logins from FILE, one a line (# comments), again when it changes; repeatable")
        ->check(kNotEmpty)
        ->type_name("FILE")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--ssh", remote.ssh,
                   "The ssh command, with its options (default: $PARALLEL_SSH, else ssh)")
        ->check(kNotEmpty)
        ->type_name("CMD");
    app.add_option("--sshdelay,--ssh-delay", remote.sshdelay,
                   "Wait DURATION between opening two hosts' connections (sshd's MaxStartups)")
        ->check(kNotEmpty)
        ->check(parsed_by("--sshdelay", parse_duration))
        ->type_name("DURATION");
    app.add_flag("-M,--controlmaster", remote.controlmaster,
                 "Accepted and ignored: a host's jobs always share one ControlMaster connection");
    app.add_flag("--filter-hosts,--filterhosts,--filter-host", remote.filter_hosts,
                 "Leave out the hosts that cannot be logged in to at the start (else that is "
                 "an error)");
    add_files(app, "--tf,--transferfile", remote.transferfile,
              "Send FILE to the job's host before it runs (replacement strings allowed: --tf "
              "{}); relative under the job's folder there, absolute to the same path; "
              "repeatable");
    app.add_flag("--transfer", remote.transfer, "Send each job's input file to its host: --tf {}");
    add_files(app, "--return", remote.return_files,
              "Fetch FILE back from the job's host after it ends, to the same path here "
              "(replacement strings allowed: --return {.}.out); repeatable");
    app.add_flag("--cleanup", remote.cleanup,
                 "Remove the sent and fetched files (and --basefile's at the end) from the host");
    add_files(app, "--trc", remote.trc,
              "--return FILE --cleanup, and --transfer unless --tf is given; repeatable");
    add_files(app, "--bf,--basefile", remote.basefile,
              "Send FILE to each host once, before its first job (as --tf places it); "
              "repeatable");
    app.add_option("--rsync-opts,--rsyncopts", remote.rsync_opts,
                   "rsync's options for the files (default: $PARALLEL_RSYNC_OPTS, else -rlDzR; "
                   "wgrun adds -s -R)")
        ->check(kNotEmpty)
        ->check(CLI::Validator(check_words, "", "words"))
        ->type_name("OPTS");
}

void check_remote_options(const CLI::App& /*app*/, Options& options) {
    RemoteGroup& remote = options.remote;
    const bool hosts = !remote.sshlogin.empty() || !remote.sshloginfile.empty();
    if (!hosts) {
        if (remote.filter_hosts) throw UsageError("--filter-hosts needs hosts: give -S or --slf");
        const std::pair<bool, const char*> files[] = {
            {!remote.transferfile.empty(), "--transferfile"}, {remote.transfer, "--transfer"},
            {!remote.return_files.empty(), "--return"},       {remote.cleanup, "--cleanup"},
            {!remote.trc.empty(), "--trc"},                   {!remote.basefile.empty(), "--basefile"},
            {!remote.rsync_opts.empty(), "--rsync-opts"}};
        for (const auto& [given, name] : files) {
            if (given) {
                throw UsageError(std::string(name) +
                                 " needs hosts: give -S or --slf (the files of jobs on this "
                                 "machine are here already)");
            }
        }
        return;
    }
    if (options.exec.workdir == "...") {
        for (const std::string& file : remote.basefile) {
            if (!file.starts_with("/")) {
                throw UsageError("--basefile " + file +
                                 ": with --workdir ... (a folder per job) a base file must be an "
                                 "absolute path");
            }
        }
    }
    if (options.exec.tty) throw UsageError("--tty cannot be used with -S/--slf hosts");
    if (options.exec.slurm) {
        throw UsageError("--slurm cannot be used with -S/--slf hosts: inside an allocation the "
                         "jobs run on its nodes");
    }
    if (options.jobserver) throw UsageError("--jobserver cannot be used with -S/--slf hosts");
}

}  // namespace wgrun::cli
