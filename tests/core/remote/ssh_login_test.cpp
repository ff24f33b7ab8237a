// ssh_login_test.cpp: sshlogins as GNU parallel writes them, and the ones
// ssh would misread refused.
#include "remote/ssh_login.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using wgrun::LoginError;
using wgrun::parse_login;

TEST(SshLogin, EveryPartIsOptionalButTheHost) {
    const auto full = parse_login("4/me@box.example:2222");
    EXPECT_EQ(full.slots, 4u);
    EXPECT_EQ(full.user, "me");
    EXPECT_EQ(full.host, "box.example");
    EXPECT_EQ(full.port, "2222");
    EXPECT_EQ(full.name(), "me@box.example:2222");
    const auto plain = parse_login("box");
    EXPECT_EQ(plain.slots, 0u);
    EXPECT_EQ(plain.user, "");
    EXPECT_EQ(plain.port, "");
    EXPECT_EQ(plain.name(), "box");
}

TEST(SshLogin, AColonAloneIsThisMachine) {
    EXPECT_TRUE(parse_login(":").local());
    const auto two = parse_login("2/:");
    EXPECT_TRUE(two.local());
    EXPECT_EQ(two.slots, 2u);
    EXPECT_EQ(two.name(), ":");
}

TEST(SshLogin, IPv6AddressesWithAndWithoutAPort) {
    EXPECT_EQ(parse_login("::1").host, "::1");
    const auto bracketed = parse_login("root@[::1]:2222");
    EXPECT_EQ(bracketed.host, "::1");
    EXPECT_EQ(bracketed.port, "2222");
    EXPECT_EQ(bracketed.name(), "root@[::1]:2222");
}

TEST(SshLogin, WhatSshWouldMisreadIsRefused) {
    for (const char* bad : {"", "-oProxyCommand=x", "me@-host", "-me@host", "host:", "host:0",
                            "host:65536", "host:2x", "0/host", "x/host", "/host", "a b",
                            "@host", "[::1", "[::1]x", "host\n"}) {
        EXPECT_THROW(parse_login(bad), LoginError) << bad;
    }
}

TEST(SshLogin, ListsAreCommaSeparated) {
    const auto logins = wgrun::parse_login_list(" 1/a , b:22,, : ");
    ASSERT_EQ(logins.size(), 3u);
    EXPECT_EQ(logins[0].name(), "a");
    EXPECT_EQ(logins[1].name(), "b:22");
    EXPECT_TRUE(logins[2].local());
}

TEST(SshLogin, FilesHaveALoginALineWithComments) {
    const auto logins = wgrun::parse_login_file("# hosts\n2/a\n\n  b  \n#c\n:\n");
    ASSERT_EQ(logins.size(), 3u);
    EXPECT_EQ(logins[0].slots, 2u);
    EXPECT_EQ(logins[1].name(), "b");
    try {
        wgrun::parse_login_file("a\n-b\n");
        FAIL();
    } catch (const LoginError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("line 2: ", 0), 0u) << e.what();
    }
}

}  // namespace
