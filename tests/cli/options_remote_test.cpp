// options_remote_test.cpp: -S, --slf, --ssh, --sshdelay, --filter-hosts and
// -M parsed and checked; the logins read; --env's entries for the hosts.
#include "options.hpp"
#include "remote_wiring.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::usage_error_of;

std::vector<std::string> names(const std::vector<wgrun::SshLogin>& logins) {
    std::vector<std::string> out;
    for (const auto& login : logins) out.push_back(login.name());
    return out;
}

TEST(RemoteOptions, LoginsFromEveryDashSAndEverySlfInOrderEachOnce) {
    const std::string file = ::testing::TempDir() + "wgrun-slf-test";
    std::ofstream(file) << "# comment\n2/c\na\n";
    const auto options =
        options_of({"-S", "a,1/b", "--sshlogin", ":", "--slf", file, "-M", "echo"});
    EXPECT_EQ(names(wgrun::cli::read_logins(options)), (std::vector<std::string>{"a", "b", ":", "c"}));
    std::remove(file.c_str());
}

TEST(RemoteOptions, ABadLoginIsAUsageErrorNamingIt) {
    EXPECT_NE(usage_error_of({"-S", "-oProxyCommand=x", "echo"}).find("starts with '-'"),
              std::string::npos);
    EXPECT_NE(usage_error_of({"-S", "h:70000", "echo"}).find("from 1 to 65535"), std::string::npos);
    EXPECT_NE(usage_error_of({"--sshdelay", "soon", "echo"}).find("--sshdelay"), std::string::npos);
}

TEST(RemoteOptions, OptionsThatNeedOrExcludeHosts) {
    EXPECT_NE(usage_error_of({"--filter-hosts", "echo"}).find("needs hosts"), std::string::npos);
    EXPECT_NE(usage_error_of({"-S", "h", "--tty", "echo"}).find("--tty"), std::string::npos);
    EXPECT_NE(usage_error_of({"-S", "h", "--jobserver", "-j2", "echo"}).find("--jobserver"),
              std::string::npos);
}

TEST(RemoteOptions, EnvSendsTheNamedVariablesAndFunctionsThatAreSet) {
    const char* environment[] = {"A=1", "B=x=y", "BASH_FUNC_f%%=() { echo; }", "C=3", nullptr};
    EXPECT_EQ(wgrun::cli::remote_env({"A,B", "f", "unset"}, environment),
              (std::vector<std::string>{"A=1", "B=x=y", "BASH_FUNC_f%%=() { echo; }"}));
    EXPECT_THROW(wgrun::cli::remote_env({"A,_"}, environment), wgrun::cli::UsageError);
}

}  // namespace
