// ssh_login.hpp: GNU parallel's sshlogins: `[N/][user@]host[:port]`, `:` for
// this machine, as -S/--sshlogin gives them (comma lists) and --slf files
// hold them (one a line, `#` comments).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wgrun {

class LoginError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct SshLogin {
    std::uint64_t slots = 0;  // N/: jobs at once there; 0: not given
    std::string user;         // empty: ssh's own choice
    std::string host;         // ":" for this machine
    std::string port;         // empty: ssh's own choice
    bool local() const { return host == ":"; }
    /// The login without N/: what joblog's Host column, WGRUN_HOST and the
    /// reports show ("user@host:port", or ":").
    std::string name() const;
};

/// One login. Throws LoginError naming the text: an empty host, a host or
/// user that ssh would read as an option (a leading '-') or that holds
/// blanks, a port that is not a number from 1 to 65535, N/ that is not a
/// whole number from 1. `[v6addr]:port` is an IPv6 address with a port.
SshLogin parse_login(std::string_view text);

/// Every login in -S's value: comma-separated, blanks around each ignored,
/// empty items skipped.
std::vector<SshLogin> parse_login_list(std::string_view text);

/// An --slf file's content: one login a line (blanks around it ignored),
/// empty lines and lines starting with '#' skipped. A bad line throws
/// LoginError naming its line number.
std::vector<SshLogin> parse_login_file(std::string_view content);

}  // namespace wgrun
