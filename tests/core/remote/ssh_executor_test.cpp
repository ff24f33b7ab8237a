// ssh_executor_test.cpp: what a job on a host becomes: ssh over the host's
// connection with the remote command, or, with files to move, the transfer
// script around it (each job under --workdir ... with a folder of its own).
#include "remote/ssh_executor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace {

using Words = std::vector<std::string>;

sigset_t empty_mask() {
    sigset_t mask;
    sigemptyset(&mask);
    return mask;
}

class SshExecutorWrap : public ::testing::Test {
protected:
    wgrun::SpawnRequest job(std::vector<std::string> transfer = {},
                            std::vector<std::string> returned = {}) const {
        wgrun::SpawnRequest request;
        request.argv = {"echo", "hi"};
        request.host = "me@h1:2222";
        request.transfer = std::move(transfer);
        request.return_files = std::move(returned);
        return request;
    }
    wgrun::test::TempDir temp_;
    wgrun::LocalSpawner spawner_{empty_mask()};
    wgrun::SshMasters masters_{spawner_, {"ssh", "-F", "my config"}, temp_.path()};
};

TEST_F(SshExecutorWrap, AJobWithoutFilesIsSshWithTheRemoteCommand) {
    wgrun::SshExecutor executor(spawner_, masters_, {wgrun::parse_login("me@h1:2222")}, {});
    const wgrun::SpawnRequest wrapped = executor.wrap(job());
    ASSERT_EQ(wrapped.argv.size(), 12u);
    EXPECT_EQ(Words(wrapped.argv.begin(), wrapped.argv.end() - 1),
              (Words{"ssh", "-F", "my config", "-T", "-o", "ControlMaster=no", "-p", "2222", "-l",
                     "me", "h1"}));
    EXPECT_EQ(wrapped.argv.back(), wgrun::remote_command(job(), {}));
    EXPECT_TRUE(wrapped.hold_stdin);
    EXPECT_EQ(wrapped.host, "me@h1:2222");
}

TEST_F(SshExecutorWrap, AJobWithFilesRunsTheTransferScript) {
    wgrun::RemoteSetup setup;
    setup.cleanup = true;
    wgrun::SshExecutor executor(spawner_, masters_, {wgrun::parse_login("me@h1:2222")}, setup);
    const wgrun::SpawnRequest wrapped = executor.wrap(job({"/etc/hostname"}, {"out"}));
    ASSERT_GT(wrapped.argv.size(), 4u);
    EXPECT_EQ(Words(wrapped.argv.begin(), wrapped.argv.begin() + 2), (Words{"/bin/sh", "-c"}));
    EXPECT_TRUE(wrapped.hold_stdin);
    const auto has = [&](const std::string& word) {
        return std::find(wrapped.argv.begin(), wrapped.argv.end(), word) != wrapped.argv.end();
    };
    EXPECT_TRUE(has("send"));
    EXPECT_TRUE(has("job"));
    EXPECT_TRUE(has("fetch"));
    EXPECT_TRUE(has("unrun")) << "the cleanup rides on the fetch, unless the job is not run";
    EXPECT_TRUE(std::any_of(wrapped.argv.begin(), wrapped.argv.end(), [](const std::string& word) {
        return word.starts_with("--rsync-path=f() {") && word.find("rm -f -- ") != std::string::npos;
    }));
    EXPECT_TRUE(has("h1:/")) << "an absolute file keeps its path";
    EXPECT_TRUE(has("h1:./out"));
    EXPECT_TRUE(has("'ssh' '-F' 'my config' '-T' '-o' 'ControlMaster=no' '-p' '2222' '-l' 'me'"));
    EXPECT_TRUE(has(wgrun::remote_command(job(), setup)));
}

TEST_F(SshExecutorWrap, UnderWorkdirDotsEachJobHasAFolderOfItsOwn) {
    wgrun::RemoteSetup setup;
    setup.workdir = "...";
    wgrun::SshExecutor executor(spawner_, masters_, {wgrun::parse_login("me@h1:2222")}, setup);
    const auto folder_of = [](const wgrun::SpawnRequest& wrapped) {
        for (const std::string& word : wrapped.argv) {
            const auto at = word.find("/wgrun-wd.");
            if (word.starts_with("rm -rf -- ") && at != std::string::npos) return word.substr(at);
        }
        return std::string();
    };
    const std::string first = folder_of(executor.wrap(job({}, {"out"})));
    const std::string second = folder_of(executor.wrap(job({}, {"out"})));
    EXPECT_NE(first, "");
    EXPECT_NE(second, "");
    EXPECT_NE(first, second);
}

TEST_F(SshExecutorWrap, AHostItDoesNotKnowIsUnreachable) {
    wgrun::SshExecutor executor(spawner_, masters_, {wgrun::parse_login("h2")}, {});
    EXPECT_THROW(executor.wrap(job()), std::system_error);
}

}  // namespace
