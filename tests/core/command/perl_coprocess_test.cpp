// perl_coprocess_test.cpp: the one perl of a run: started on first use only,
// the protocol's framing with any byte, errors, no fd leaked to children,
// and no process left once it is destroyed.
#include "command/perl_coprocess.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

namespace {

using wgrun::PerlCall;
using wgrun::PerlCoprocess;
using wgrun::PerlError;
using wgrun::PerlJob;

TEST(PerlCoprocessTest, StartsOnFirstCompileAndEndsWithTheObject) {
    pid_t pid = 0;
    {
        PerlCoprocess perl;
        EXPECT_EQ(perl.pid(), 0);  // nothing started yet
        const std::size_t a = perl.compile("s/a/b/");
        EXPECT_EQ(perl.compile("s/a/b/"), a);  // compiled once
        EXPECT_NE(perl.compile("$_ = uc"), a);
        pid = perl.pid();
        ASSERT_GT(pid, 0);
        EXPECT_EQ(::kill(pid, 0), 0);
        // In a process group of its own.
        EXPECT_EQ(::getpgid(pid), pid);
    }
    // Reaped by the destructor: no such child any more.
    errno = 0;
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
}

TEST(PerlCoprocessTest, AnyByteGoesThroughBothWays) {
    PerlCoprocess perl;
    const std::size_t id = perl.compile("$_ = length($_) . ':' . $_");
    std::string all;
    for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
    all += std::string("\0tail\n", 6);
    const std::vector<std::string> args{all, "", std::string(200000, 'x')};
    const PerlCall calls[] = {{id, 0}, {id, 1}, {id, 2}};
    const auto results = perl.evaluate(PerlJob{1, 1, args}, calls);
    ASSERT_EQ(results.values.size(), 3u);
    EXPECT_EQ(results.values[0].text, std::to_string(all.size()) + ":" + all);
    EXPECT_EQ(results.values[1].text, "0:");
    EXPECT_EQ(results.values[2].text, "200000:" + args[2]);
    EXPECT_FALSE(results.skip);
}

TEST(PerlCoprocessTest, FlagsErrorsAndState) {
    PerlCoprocess perl;
    const std::size_t uq = perl.compile("uq(); $_ = Q($_)");
    const std::size_t skip = perl.compile("skip() if $job->seq() == 2");
    const std::size_t count = perl.compile("$n++; $_ = $n");  // globals persist
    const std::size_t die = perl.compile("die 'no ' . $_ if /bad/");
    const std::vector<std::string> args{"it's"};
    const PerlCall one[] = {{uq, 0}, {skip, 0}, {count, 0}};
    auto r = perl.evaluate(PerlJob{1, 1, args}, one);
    EXPECT_TRUE(r.values[0].unquoted);
    EXPECT_EQ(r.values[0].text, "'it'\"'\"'s'");
    EXPECT_FALSE(r.values[1].unquoted);
    EXPECT_EQ(r.values[2].text, "1");
    EXPECT_FALSE(r.skip);
    r = perl.evaluate(PerlJob{2, 1, args}, one);
    EXPECT_TRUE(r.skip);
    EXPECT_EQ(r.values[2].text, "2");
    const std::vector<std::string> bad{"bad"};
    const PerlCall dies[] = {{die, 0}};
    EXPECT_THROW(perl.evaluate(PerlJob{3, 1, bad}, dies), PerlError);
    // The interpreter lives on after a die.
    EXPECT_EQ(perl.evaluate(PerlJob{4, 1, args}, one).values[2].text, "3");
    EXPECT_THROW(perl.compile("s/("), PerlError);
    EXPECT_TRUE(perl.filter(PerlJob{1, 1, args}, "1 > 0"));
    EXPECT_FALSE(perl.filter(PerlJob{1, 1, args}, "$job->seq() > 1"));
    EXPECT_FALSE(perl.filter(PerlJob{1, 1, args}, "syntax error ("));
}

TEST(PerlCoprocessTest, TotalJobsIsTheCountOnceKnown) {
    PerlCoprocess perl;
    const std::size_t total = perl.compile("$_ = total_jobs()");
    const std::vector<std::string> args{"v"};
    const PerlCall call[] = {{total, 0}};
    try {
        perl.evaluate(PerlJob{1, 1, args}, call);
        ADD_FAILURE() << "total_jobs() before the count did not die";
    } catch (const PerlError& e) {
        EXPECT_NE(std::string(e.what()).find("total_jobs() is not known"), std::string::npos)
            << e.what();
    }
    perl.set_total_jobs(1234);
    EXPECT_EQ(perl.evaluate(PerlJob{1, 1, args}, call).values[0].text, "1234");
    EXPECT_TRUE(perl.filter(PerlJob{2, 1, args}, "total_jobs() == 1234"));
}

TEST(PerlCoprocessTest, ItsPipesAreCloseOnExecAndItHoldsNoOtherFd) {
    int fd_flags_ok = 1;
    PerlCoprocess perl;
    // An fd of ours without close-on-exec must not reach perl.
    const int leaked = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(leaked, 0);
    perl.compile("1");
    const std::vector<std::string> args{""};
    const std::size_t fds = perl.compile("opendir(my $d, '/proc/self/fd'); "
                                         "$_ = join(',', sort grep { /^\\d+$/ } readdir $d)");
    const PerlCall call[] = {{fds, 0}};
    // 0-2, the protocol's 3 and 4, and the directory read.
    const std::string seen = perl.evaluate(PerlJob{1, 1, args}, call).values[0].text;
    EXPECT_EQ(seen, "0,1,2,3,4,5") << seen;
    ::close(leaked);
    // Our ends are close-on-exec.
    for (int fd = 3; fd < 64; ++fd) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags < 0) continue;
        char path[64];
        std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        char target[256] = {};
        if (::readlink(path, target, sizeof target - 1) > 0 &&
            std::string(target).starts_with("pipe:") && (flags & FD_CLOEXEC) == 0) {
            fd_flags_ok = 0;
        }
    }
    EXPECT_EQ(fd_flags_ok, 1);
}

TEST(PerlCoprocessTest, CallsFromSeveralThreadsAreSerialized) {
    PerlCoprocess perl;
    const std::size_t id = perl.compile("$_ = $_ . $job->seq()");
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (std::uint64_t i = 0; i < 200; ++i) {
                const std::vector<std::string> args{"t" + std::to_string(t) + "-"};
                const PerlCall call[] = {{id, 0}};
                const auto r = perl.evaluate(PerlJob{i, 1, args}, call);
                if (r.values[0].text != args[0] + std::to_string(i)) ++wrong[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(PerlCoprocessTest, NoPerlIsAClearError) {
    PerlCoprocess perl("/nonexistent/perl");
    try {
        perl.compile("1");
        FAIL() << "no PerlError";
    } catch (const PerlError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot start /nonexistent/perl"), std::string::npos)
            << e.what();
    }
}

}  // namespace
