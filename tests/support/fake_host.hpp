// fake_host.hpp: a host for the tests of remote files without sshd: an
// "ssh" that skips ssh's options (-T, -o X, -p X, -l X, -S X) and the host,
// and runs the remote command as sshd would (the words joined by spaces, by
// sh) in a folder standing for the host's home, with HOME and TMPDIR there.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace wgrun::test {

inline constexpr const char* kFakeSsh =
    "home=$1; shift\n"
    "while :; do case $1 in -T) shift ;; -o|-p|-l|-S) shift 2 ;; *) break ;; esac; done\n"
    "shift\n"
    "cd \"$home\" || exit 255\n"
    "HOME=$home TMPDIR=$home/tmp exec /bin/sh -c \"$*\"\n";

inline bool has_rsync() {
    return ::access("/usr/bin/rsync", X_OK) == 0 || ::access("/bin/rsync", X_OK) == 0;
}

/// Writes the fake ssh as `script` and makes `home` (and home/tmp); the
/// words to give as the ssh command.
inline std::vector<std::string> fake_ssh(const std::string& script, const std::string& home) {
    std::filesystem::create_directories(home + "/tmp");
    std::ofstream(script) << kFakeSsh;
    return {"/bin/sh", script, home};
}

}  // namespace wgrun::test
