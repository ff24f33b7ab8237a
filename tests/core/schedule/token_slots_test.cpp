// token_slots_test.cpp: make's jobserver through real pipes and fifos: the
// fds MAKEFLAGS names are checked before use, the shared pipe's flags are
// left alone, the first job runs on the implicit slot and every other on a
// token, every token comes back (the same bytes), and a served pool is
// topped up whenever no job runs.
#include "schedule/token_slots.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace {

using wgrun::Jobserver;
using wgrun::JobserverAuth;
using wgrun::JobserverError;
using wgrun::LocalSlots;
using wgrun::TokenSlots;

// A pipe as make passes it on: both ends without close-on-exec.
struct MakePipe {
    int fds[2] = {-1, -1};
    MakePipe() { EXPECT_EQ(::pipe(fds), 0); }
    ~MakePipe() {
        for (const int fd : fds) {
            if (fd >= 0) ::close(fd);
        }
    }
    int r() const { return fds[0]; }
    int w() const { return fds[1]; }
    JobserverAuth auth() const {
        JobserverAuth auth;
        auth.kind = JobserverAuth::Kind::Pipe;
        auth.read_fd = r();
        auth.write_fd = w();
        auth.text = std::to_string(r()) + "," + std::to_string(w());
        return auth;
    }
    std::vector<int> passed_on() const { return {r(), w()}; }
    void put(const std::string& tokens) const {
        ASSERT_EQ(::write(w(), tokens.data(), tokens.size()),
                  static_cast<ssize_t>(tokens.size()));
    }
    // What the pipe holds now, taken out (non-blocking, through our own
    // description).
    std::string drain() const {
        int bytes = 0;
        EXPECT_EQ(::ioctl(r(), FIONREAD, &bytes), 0);
        std::string out(static_cast<std::size_t>(bytes), '\0');
        if (bytes > 0) {
            EXPECT_EQ(::read(r(), out.data(), out.size()), bytes);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string error_of(const JobserverAuth& auth, const std::vector<int>& passed_on) {
    try {
        Jobserver::join(auth, passed_on);
    } catch (const JobserverError& e) {
        return e.what();
    }
    return "";
}

// wgrun as a client of a pipe jobserver holding `tokens`, under -j `limit`.
struct Client {
    MakePipe pipe;
    Jobserver server;
    LocalSlots cap;
    TokenSlots slots;
    explicit Client(const std::string& tokens, std::uint64_t limit = 0)
        : server(joined(pipe, tokens)), cap(limit), slots(server, cap) {}
    static Jobserver joined(const MakePipe& pipe, const std::string& tokens) {
        pipe.put(tokens);
        return Jobserver::join(pipe.auth(), pipe.passed_on());
    }
};

TEST(Jobserver, AClosedFdIsRefusedWithTheReason) {
    JobserverAuth auth;
    auth.kind = JobserverAuth::Kind::Pipe;
    auth.read_fd = 1000;
    auth.write_fd = 1001;
    EXPECT_EQ(error_of(auth, {}),
              "fds 1000,1001: fd 1000 is closed (a make recipe without '+' or $(MAKE)?)");
}

TEST(Jobserver, AnFdNotPassedOnIsRefused) {
    const MakePipe pipe;
    EXPECT_NE(error_of(pipe.auth(), {pipe.r()}).find("fd " + std::to_string(pipe.w()) +
                                                     " was not passed on to wgrun"),
              std::string::npos);
}

TEST(Jobserver, WhatIsNotOnePipeIsRefused) {
    const MakePipe one;
    const MakePipe other;
    JobserverAuth mixed = one.auth();
    mixed.write_fd = other.w();
    EXPECT_NE(error_of(mixed, {one.r(), other.w()}).find("are not the two ends of one pipe"),
              std::string::npos);
    JobserverAuth swapped = one.auth();
    std::swap(swapped.read_fd, swapped.write_fd);
    EXPECT_NE(error_of(swapped, one.passed_on()).find("not open for reading and writing"),
              std::string::npos);
    const wgrun::test::TempDir dir;
    const int file = ::open((dir.path() + "/f").c_str(), O_RDWR | O_CREAT, 0600);
    JobserverAuth files = one.auth();
    files.read_fd = files.write_fd = file;
    EXPECT_NE(error_of(files, {file}).find("are not a pipe"), std::string::npos);
    ::close(file);
}

TEST(Jobserver, AFifoThatIsNotThereOrNotAFifoIsRefused) {
    const wgrun::test::TempDir dir;
    JobserverAuth auth;
    auth.kind = JobserverAuth::Kind::Fifo;
    auth.path = dir.path() + "/none";
    EXPECT_NE(error_of(auth, {}).find("No such file"), std::string::npos);
    auth.path = dir.path();
    EXPECT_NE(error_of(auth, {}).find("is not a fifo"), std::string::npos);
}

TEST(Jobserver, TakesWithoutBlockingAndLeavesTheSharedPipeBlocking) {
    const MakePipe pipe;
    pipe.put("ab");
    Jobserver server = Jobserver::join(pipe.auth(), pipe.passed_on());
    EXPECT_EQ(server.take(), 'a');
    EXPECT_EQ(server.take(), 'b');
    EXPECT_EQ(server.take(), std::nullopt);  // empty: no block
    EXPECT_EQ(::fcntl(pipe.r(), F_GETFL) & O_NONBLOCK, 0);
    EXPECT_EQ(::fcntl(pipe.w(), F_GETFL) & O_NONBLOCK, 0);
    server.give('b');
    EXPECT_EQ(pipe.drain(), "b");
}

TEST(TokenSlots, TheFirstJobRunsOnTheImplicitSlotTheOthersOnTokens) {
    Client client("xy");
    auto& [pipe, server, cap, slots] = client;
    EXPECT_EQ(slots.acquire(), 1u);  // implicit: no token read
    EXPECT_EQ(slots.tokens_held(), 0u);
    EXPECT_EQ(slots.acquire(), 2u);
    EXPECT_EQ(slots.acquire(), 3u);
    EXPECT_EQ(slots.tokens_held(), 2u);
    EXPECT_EQ(slots.ready_fd(), -1);  // no refusal yet
    EXPECT_EQ(slots.acquire(), std::nullopt);  // no token left
    EXPECT_EQ(slots.ready_fd(), server.ready_fd());  // the loop waits on it
    EXPECT_EQ(pipe.drain(), "");
    // A job ends: a token goes back at the end of the round (wgrun holds
    // one per job beyond the first), and the bytes are those read.
    slots.release(1);
    EXPECT_EQ(slots.tokens_held(), 2u);
    slots.settle();
    EXPECT_EQ(slots.tokens_held(), 1u);
    EXPECT_EQ(pipe.drain(), "y");
    pipe.put("y");
    slots.release(3);
    slots.release(2);
    slots.settle();
    EXPECT_EQ(slots.tokens_held(), 0u);
    EXPECT_EQ(pipe.drain(), "xy");
}

TEST(TokenSlots, AJobEndingAsTheNextStartsInTheSameRoundCostsNoToken) {
    Client client("x");
    auto& [pipe, server, cap, slots] = client;
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), 2u);  // reads x
    slots.settle();
    pipe.put("z");  // another client's token, there to be read
    slots.release(2);
    EXPECT_EQ(slots.acquire(), 2u);  // x again, not z
    slots.settle();
    EXPECT_EQ(slots.tokens_held(), 1u);
    EXPECT_EQ(pipe.drain(), "z");
    slots.release(1);  // the implicit slot's job: x is one too many now
    slots.release(2);
    slots.settle();
    EXPECT_EQ(pipe.drain(), "x");
}

TEST(TokenSlots, TheCapCountsTheImplicitSlot) {
    Client client("+++", 2);
    auto& [pipe, server, cap, slots] = client;
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), 2u);
    EXPECT_EQ(slots.acquire(), std::nullopt);
    EXPECT_EQ(slots.ready_fd(), -1);  // the cap refused: only a job's end helps
    EXPECT_EQ(slots.tokens_held(), 1u);
    slots.release(2);
    slots.release(1);
    slots.settle();
    EXPECT_EQ(pipe.drain(), "+++");
}

TEST(TokenSlots, SignalsMoveTheCap) {
    Client client("+++", 1);
    auto& [pipe, server, cap, slots] = client;
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), std::nullopt);
    slots.adjust_limit(+1);
    EXPECT_EQ(slots.acquire(), 2u);
    slots.adjust_limit(-1);
    slots.release(2);
    EXPECT_EQ(slots.acquire(), std::nullopt);
    slots.release(1);
}

TEST(TokenSlots, ReturnAllAndTheDestructorGiveEveryTokenBack) {
    const MakePipe pipe;
    pipe.put("abc");
    Jobserver server = Jobserver::join(pipe.auth(), pipe.passed_on());
    {
        LocalSlots cap(0);
        TokenSlots slots(server, cap);
        for (int i = 0; i < 4; ++i) ASSERT_TRUE(slots.acquire().has_value());
        EXPECT_EQ(pipe.drain(), "");
        slots.return_all();  // the run given up with 4 jobs running
        EXPECT_EQ(pipe.drain(), "abc");
        pipe.put("abc");
        EXPECT_EQ(slots.acquire(), std::nullopt);  // nothing more starts
        slots.release(4);  // later ends give nothing twice
        EXPECT_EQ(pipe.drain(), "abc");
        pipe.put("abc");
    }
    LocalSlots cap(0);
    {
        TokenSlots slots(server, cap);
        ASSERT_TRUE(slots.acquire().has_value());
        ASSERT_TRUE(slots.acquire().has_value());
        ASSERT_TRUE(slots.acquire().has_value());
        EXPECT_EQ(pipe.drain(), "c");
    }  // an exception unwinding the run
    EXPECT_EQ(pipe.drain(), "ab");
}

TEST(TokenSlots, AFifoIsReadPrivately) {
    const wgrun::test::TempDir dir;
    const std::string path = dir.path() + "/fifo";
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    const int keep = ::open(path.c_str(), O_RDWR);  // the test's own end, as make's
    ASSERT_GE(keep, 0);
    ASSERT_EQ(::write(keep, "pq", 2), 2);
    JobserverAuth auth;
    auth.kind = JobserverAuth::Kind::Fifo;
    auth.path = path;
    Jobserver server = Jobserver::join(auth, {});
    LocalSlots cap(0);
    {
        TokenSlots slots(server, cap);
        EXPECT_EQ(slots.acquire(), 1u);
        EXPECT_EQ(slots.acquire(), 2u);
        EXPECT_EQ(slots.acquire(), 3u);
        EXPECT_EQ(slots.acquire(), std::nullopt);
        EXPECT_EQ(::fcntl(keep, F_GETFL) & O_NONBLOCK, 0);
        slots.release(2);
        slots.release(3);
        slots.release(1);
        slots.settle();
    }
    char back[3] = {};
    ASSERT_EQ(::fcntl(keep, F_SETFL, O_NONBLOCK), 0);
    ASSERT_EQ(::read(keep, back, 3), 2);
    std::string bytes(back, 2);
    std::sort(bytes.begin(), bytes.end());
    EXPECT_EQ(bytes, "pq");
    ::close(keep);
}

TEST(TokenSlots, AServedPoolHoldsNLessOneAndIsToppedUpWhenNoJobRuns) {
    Jobserver server = Jobserver::serve(3);  // -j 4
    EXPECT_EQ(server.available(), 3u);
    EXPECT_EQ(::fcntl(server.read_end(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    LocalSlots cap(4);
    TokenSlots slots(server, cap, 3);
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), 2u);
    EXPECT_EQ(server.available(), 2u);
    // A job's sub-make takes two tokens and exits holding them.
    char leaked[2];
    const int reader = ::open(("/proc/self/fd/" + std::to_string(server.read_end())).c_str(),
                              O_RDONLY | O_NONBLOCK);
    ASSERT_EQ(::read(reader, leaked, 2), 2);
    EXPECT_EQ(server.available(), 0u);
    slots.release(2);
    slots.settle();
    EXPECT_EQ(server.available(), 1u);  // a job still runs: it may hold them
    slots.release(1);
    slots.settle();
    EXPECT_EQ(server.available(), 3u);  // none runs: topped up
    // A job that wrote tokens it never took: the surplus goes.
    ASSERT_EQ(::write(server.write_end(), "++", 2), 2);
    EXPECT_EQ(slots.acquire(), 1u);
    slots.release(1);
    slots.settle();
    EXPECT_EQ(server.available(), 3u);
    ::close(reader);
}

TEST(TokenSlots, AJobserverWhoseWritersAreGoneIsNotWatched) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    JobserverAuth auth;
    auth.kind = JobserverAuth::Kind::Pipe;
    auth.read_fd = fds[0];
    auth.write_fd = fds[1];
    Jobserver server = Jobserver::join(auth, {fds[0], fds[1]});
    ::close(fds[1]);  // make went away
    // (our own write end is the one given: take a private one off the list)
    LocalSlots cap(0);
    TokenSlots slots(server, cap);
    EXPECT_EQ(slots.acquire(), 1u);
    EXPECT_EQ(slots.acquire(), std::nullopt);
    EXPECT_EQ(slots.ready_fd(), -1);  // read 0: gone; never watched again (no busy loop)
    slots.release(1);
    ::close(fds[0]);
}

}  // namespace
