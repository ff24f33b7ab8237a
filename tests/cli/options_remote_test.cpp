// options_remote_test.cpp: -S, --slf, --ssh, --sshdelay, --filter-hosts and
// -M parsed and checked; the logins read; --env's entries for the hosts.
#include "options.hpp"
#include "remote_files_wiring.hpp"
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
    EXPECT_NE(usage_error_of({"-S", "h", "--slurm", "echo"}).find("--slurm cannot be used with -S"),
              std::string::npos);
}

TEST(RemoteOptions, FileOptionsAreParsedEachOccurrenceKept) {
    const auto o = options_of({"-S", "h", "--tf", "a", "--transferfile", "{}", "--transfer",
                               "--return", "{.}.out", "--cleanup", "--trc", "r", "--bf", "b1",
                               "--basefile", "/b2", "--rsync-opts", "-rlR --chmod=F600", "echo"});
    EXPECT_EQ(o.remote.transferfile, (std::vector<std::string>{"a", "{}"}));
    EXPECT_TRUE(o.remote.transfer);
    EXPECT_EQ(o.remote.return_files, (std::vector<std::string>{"{.}.out"}));
    EXPECT_TRUE(o.remote.cleanup);
    EXPECT_EQ(o.remote.trc, (std::vector<std::string>{"r"}));
    EXPECT_EQ(o.remote.basefile, (std::vector<std::string>{"b1", "/b2"}));
    EXPECT_EQ(o.remote.rsync_opts, "-rlR --chmod=F600");
    // GNU's other spellings.
    EXPECT_EQ(options_of({"-S", "h", "--transfer-files", "x", "--rsyncopts", "-r", "echo"})
                  .remote.transferfile,
              (std::vector<std::string>{"x"}));
}

TEST(RemoteOptions, FileOptionsNeedHosts) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--tf", "x", "echo"}, {"--transfer", "echo"}, {"--return", "x", "echo"},
             {"--cleanup", "echo"}, {"--trc", "x", "echo"}, {"--bf", "x", "echo"},
             {"--rsync-opts", "-r", "echo"}}) {
        EXPECT_NE(usage_error_of(args).find(" needs hosts: give -S or --slf"), std::string::npos)
            << args.front();
    }
    EXPECT_NE(usage_error_of({"-S", "h", "--wd", "...", "--bf", "rel", "echo"}).find("absolute"),
              std::string::npos);
    EXPECT_EQ(options_of({"-S", "h", "--wd", "...", "--bf", "/abs", "echo"}).remote.basefile.size(), 1u);
    EXPECT_NE(usage_error_of({"-S", "h", "--rsync-opts", "'unterminated", "echo"}).find("quote"),
              std::string::npos);
}

TEST(RemoteOptions, FileTemplatesFromTfTransferReturnAndTrc) {
    const auto names = [](const std::vector<std::string>& args) {
        const auto o = options_of(args);
        wgrun::TemplateSyntax syntax;
        if (!o.input.replace.empty()) syntax.input = o.input.replace;
        wgrun::JobSetup setup;
        wgrun::cli::wire_file_templates(o, syntax, setup);
        std::vector<std::string> out;
        const std::vector<std::string> values = {"dir/in.txt"};
        for (const auto& t : setup.transfer_files) out.push_back("tf " + t.expand_text(values, 1, 1));
        for (const auto& t : setup.return_files) out.push_back("ret " + t.expand_text(values, 1, 1));
        return out;
    };
    EXPECT_EQ(names({"-S", "h", "--trc", "{.}.out", "echo"}),
              (std::vector<std::string>{"tf dir/in.txt", "ret dir/in.out"}));
    EXPECT_EQ(names({"-S", "h", "--tf", "x", "--trc", "{}.out", "echo"}),
              (std::vector<std::string>{"tf x", "ret dir/in.txt.out"}))
        << "--trc sends {} only when no --tf is given";
    EXPECT_EQ(names({"-S", "h", "-I", "@@", "--transfer", "--return", "@@.r", "echo"}),
              (std::vector<std::string>{"tf dir/in.txt", "ret dir/in.txt.r"}));
}

TEST(RemoteOptions, EnvSendsTheNamedVariablesAndFunctionsThatAreSet) {
    const char* environment[] = {"A=1", "B=x=y", "BASH_FUNC_f%%=() { echo; }", "C=3", nullptr};
    EXPECT_EQ(wgrun::cli::remote_env({"A,B", "f", "unset"}, environment),
              (std::vector<std::string>{"A=1", "B=x=y", "BASH_FUNC_f%%=() { echo; }"}));
    EXPECT_THROW(wgrun::cli::remote_env({"A,_"}, environment), wgrun::cli::UsageError);
}

}  // namespace
