// options_remote.cpp: jobs on other computers over ssh: -S/--sshlogin,
// --slf/--sshloginfile, --ssh, --sshdelay, --filter-hosts.
#include <CLI/CLI.hpp>

#include "base/duration.hpp"
#include "option_checks.hpp"
#include "option_groups.hpp"
#include "options.hpp"
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
}

void check_remote_options(const CLI::App& /*app*/, Options& options) {
    RemoteGroup& remote = options.remote;
    const bool hosts = !remote.sshlogin.empty() || !remote.sshloginfile.empty();
    if (!hosts) {
        if (remote.filter_hosts) throw UsageError("--filter-hosts needs hosts: give -S or --slf");
        return;
    }
    if (options.exec.tty) throw UsageError("--tty cannot be used with -S/--slf hosts");
    if (options.jobserver) throw UsageError("--jobserver cannot be used with -S/--slf hosts");
}

}  // namespace wgrun::cli
