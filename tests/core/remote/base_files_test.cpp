// base_files_test.cpp: --basefile's files reach every remote host once and
// leave them at the end, against fake hosts (support/fake_host.hpp) reached
// through SshMasters' client words; this machine (:) is skipped; a file that
// cannot be read is every host's error.
#include "remote/base_files.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/fake_host.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using wgrun::RemoteFolder;

sigset_t empty_mask() {
    sigset_t mask;
    sigemptyset(&mask);
    return mask;
}

class BaseFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!wgrun::test::has_rsync()) GTEST_SKIP() << "needs rsync (make deps installs it)";
        home_ = temp_.file("home of 'h'");
        ssh_ = wgrun::test::fake_ssh(temp_.file("fake-ssh"), home_);
        std::ofstream(temp_.file("base one")) << "one";
        old_ = fs::current_path();
        fs::current_path(temp_.path());
    }
    void TearDown() override {
        if (!old_.empty()) fs::current_path(old_);
    }
    wgrun::test::TempDir temp_;
    std::string home_;
    std::vector<std::string> ssh_;
    fs::path old_;
    wgrun::LocalSpawner spawner_{empty_mask()};
};

TEST_F(BaseFilesTest, SentToEachRemoteHostAndRemovedAtTheEnd) {
    wgrun::SshMasters masters(spawner_, ssh_, temp_.path());
    wgrun::BaseFiles base(spawner_, masters, {"base one"}, {RemoteFolder::Kind::Folder, "w d"},
                          {"rsync", "-rlDzR"});
    const auto errors = base.send({wgrun::parse_login(":"), wgrun::parse_login("h1")});
    EXPECT_EQ(errors, (std::vector<std::string>{"", ""}));
    EXPECT_EQ(wgrun::test::try_read_file(home_ + "/w d/base one").value_or("<none>"), "one");
    base.remove();
    EXPECT_FALSE(fs::exists(home_ + "/w d"));
    EXPECT_TRUE(fs::exists(home_ + "/tmp"));
}

TEST_F(BaseFilesTest, AFileThatCannotBeReadIsAnErrorForEveryHost) {
    wgrun::SshMasters masters(spawner_, ssh_, temp_.path());
    wgrun::BaseFiles base(spawner_, masters, {"base one", "no such file"}, {}, {"rsync", "-rlDzR"});
    const auto errors = base.send({wgrun::parse_login("h1"), wgrun::parse_login("h2")});
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0], "'no such file' cannot be read");
    EXPECT_EQ(errors[1], "'no such file' cannot be read");
    EXPECT_FALSE(fs::exists(home_ + "/base one"));
}

TEST_F(BaseFilesTest, AnRsyncThatFailsSaysWhy) {
    wgrun::SshMasters masters(spawner_, ssh_, temp_.path());
    fs::remove_all(home_);  // the fake ssh cannot enter the home: exit 255
    wgrun::BaseFiles base(spawner_, masters, {"base one"}, {}, {"rsync", "-rlDzR"});
    const auto errors = base.send({wgrun::parse_login("h1")});
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("cannot send 'base one' to h1 (rsync: exit"), std::string::npos) << errors[0];
}

}  // namespace
