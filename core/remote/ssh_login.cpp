// ssh_login.cpp: sshlogins parsed as GNU parallel writes them.
#include "remote/ssh_login.hpp"

#include <charconv>

namespace wgrun {
namespace {

std::string_view trim(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return text;
}

bool whole_number(std::string_view text, std::uint64_t& value) {
    if (text.empty()) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

void check_word(std::string_view word, std::string_view what, std::string_view login) {
    if (word.starts_with('-')) {
        throw LoginError("sshlogin '" + std::string(login) + "': the " + std::string(what) +
                         " starts with '-' (ssh would read it as an option)");
    }
    for (const char c : word) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\0' || c == '/' || c == ',') {
            throw LoginError("sshlogin '" + std::string(login) + "': the " + std::string(what) +
                             " holds '" + (c == '\n' ? std::string("\\n") : std::string(1, c)) +
                             "'");
        }
    }
}

}  // namespace

std::string SshLogin::name() const {
    if (local()) return ":";
    std::string text = user.empty() ? "" : user + "@";
    const bool v6 = host.find(':') != std::string::npos;
    text += v6 && !port.empty() ? "[" + host + "]" : host;
    if (!port.empty()) text += ":" + port;
    return text;
}

SshLogin parse_login(std::string_view text) {
    const std::string_view given = text;
    SshLogin login;
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        if (!whole_number(text.substr(0, slash), login.slots) || login.slots == 0) {
            throw LoginError("sshlogin '" + std::string(given) +
                             "': N/ must be a whole number of job slots from 1");
        }
        text.remove_prefix(slash + 1);
    }
    if (text == ":") {
        login.host = ":";
        return login;
    }
    if (const auto at = text.rfind('@'); at != std::string_view::npos) {
        login.user = std::string(text.substr(0, at));
        if (login.user.empty()) throw LoginError("sshlogin '" + std::string(given) + "': no user before '@'");
        check_word(login.user, "user", given);
        text.remove_prefix(at + 1);
    }
    std::string_view port;
    if (text.starts_with('[')) {  // [v6]:port
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            throw LoginError("sshlogin '" + std::string(given) + "': '[' without ']'");
        }
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(':')) {
                throw LoginError("sshlogin '" + std::string(given) + "': text after ']'");
            }
            port = rest.substr(1);
            if (port.empty()) throw LoginError("sshlogin '" + std::string(given) + "': no port after ':'");
        }
        text = text.substr(1, close - 1);
    } else if (const auto colon = text.find(':');
               colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
        port = text.substr(colon + 1);
        if (port.empty()) throw LoginError("sshlogin '" + std::string(given) + "': no port after ':'");
        text = text.substr(0, colon);
    }
    if (!port.empty()) {
        std::uint64_t number = 0;
        if (!whole_number(port, number) || number == 0 || number > 65535) {
            throw LoginError("sshlogin '" + std::string(given) + "': port '" + std::string(port) +
                             "' is not a number from 1 to 65535");
        }
        login.port = std::string(port);
    }
    if (text.empty()) throw LoginError("sshlogin '" + std::string(given) + "': no host");
    check_word(text, "host", given);
    login.host = std::string(text);
    return login;
}

std::vector<SshLogin> parse_login_list(std::string_view text) {
    std::vector<SshLogin> logins;
    for (;;) {
        const auto comma = text.find(',');
        const std::string_view item = trim(text.substr(0, comma));
        if (!item.empty()) logins.push_back(parse_login(item));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return logins;
}

std::vector<SshLogin> parse_login_file(std::string_view content) {
    std::vector<SshLogin> logins;
    std::size_t number = 0;
    while (!content.empty()) {
        ++number;
        const auto newline = content.find('\n');
        const std::string_view line = trim(content.substr(0, newline));
        content.remove_prefix(newline == std::string_view::npos ? content.size() : newline + 1);
        if (line.empty() || line.starts_with('#')) continue;
        try {
            logins.push_back(parse_login(line));
        } catch (const LoginError& e) {
            throw LoginError("line " + std::to_string(number) + ": " + e.what());
        }
    }
    return logins;
}

}  // namespace wgrun
