// jobserver_auth_test.cpp: MAKEFLAGS read as make reads it (the last
// jobserver word wins, make -n means none, variables are not options), and
// the MAKEFLAGS wgrun gives its jobs when it serves.
#include "schedule/jobserver_auth.hpp"

#include <gtest/gtest.h>

namespace {

using wgrun::JobserverAuth;
using wgrun::parse_makeflags;
using wgrun::serving_makeflags;
using Kind = JobserverAuth::Kind;

TEST(JobserverAuth, NoneWithoutAJobserverWord) {
    EXPECT_EQ(parse_makeflags("").kind, Kind::None);
    EXPECT_EQ(parse_makeflags("w -- CC=gcc").kind, Kind::None);
    EXPECT_EQ(parse_makeflags(" -j4").kind, Kind::None);
}

TEST(JobserverAuth, ThePipeFormAndTheOlderSpelling) {
    const JobserverAuth pipe = parse_makeflags(" -j4 --jobserver-auth=3,4");
    EXPECT_EQ(pipe.kind, Kind::Pipe);
    EXPECT_EQ(pipe.read_fd, 3);
    EXPECT_EQ(pipe.write_fd, 4);
    const JobserverAuth old = parse_makeflags(" -j --jobserver-fds=5,6");
    EXPECT_EQ(old.kind, Kind::Pipe);
    EXPECT_EQ(old.read_fd, 5);
    EXPECT_EQ(old.write_fd, 6);
}

TEST(JobserverAuth, TheFifoForm) {
    const JobserverAuth fifo = parse_makeflags("-j4 --jobserver-auth=fifo:/tmp/GMfifo123");
    EXPECT_EQ(fifo.kind, Kind::Fifo);
    EXPECT_EQ(fifo.path, "/tmp/GMfifo123");
}

TEST(JobserverAuth, TheLastWordWins) {
    const JobserverAuth last =
        parse_makeflags(" -j4 --jobserver-auth=3,4 --jobserver-auth=fifo:/run/f");
    EXPECT_EQ(last.kind, Kind::Fifo);
    EXPECT_EQ(last.path, "/run/f");
    EXPECT_EQ(parse_makeflags("--jobserver-auth=fifo:/a --jobserver-fds=7,8").read_fd, 7);
}

TEST(JobserverAuth, MakeMinusNMeansNone) {
    EXPECT_EQ(parse_makeflags("n --jobserver-auth=3,4").kind, Kind::None);
    EXPECT_EQ(parse_makeflags("kns -j4 --jobserver-auth=3,4").kind, Kind::None);
    // Only the first word of single letters counts; a long option is not it.
    EXPECT_EQ(parse_makeflags(" --no-print-directory --jobserver-auth=3,4").kind, Kind::Pipe);
    EXPECT_EQ(parse_makeflags("w --jobserver-auth=3,4").kind, Kind::Pipe);
}

TEST(JobserverAuth, VariablesAreNotOptions) {
    EXPECT_EQ(parse_makeflags(" -- X=--jobserver-auth=3,4").kind, Kind::None);
    EXPECT_EQ(parse_makeflags("-- X=--jobserver-auth=3,4").kind, Kind::None);
    EXPECT_EQ(parse_makeflags(" -j2 --jobserver-auth=3,4 -- X=--jobserver-auth=9,9").read_fd, 3);
}

TEST(JobserverAuth, AValueOfNoKnownFormIsBad) {
    for (const char* flags : {"--jobserver-auth=3", "--jobserver-auth=a,b", "--jobserver-auth=3,",
                              "--jobserver-auth=-1,4", "--jobserver-auth=fifo:",
                              "--jobserver-auth=3,4x"}) {
        const JobserverAuth auth = parse_makeflags(flags);
        EXPECT_EQ(auth.kind, Kind::Bad) << flags;
        EXPECT_FALSE(auth.text.empty()) << flags;
    }
}

TEST(ServingMakeflags, AddsTheJobsAndThePipe) {
    EXPECT_EQ(serving_makeflags("", 4, 3, 5), " -j4 --jobserver-auth=3,5");
}

TEST(ServingMakeflags, KeepsTheCallersFlagsAndVariablesButNotItsJobserver) {
    EXPECT_EQ(serving_makeflags("w -j8 --jobserver-auth=3,4 -- CC=clang", 2, 6, 7),
              "w -j2 --jobserver-auth=6,7 -- CC=clang");
    EXPECT_EQ(serving_makeflags(" --no-print-directory -j --jobserver-fds=3,4", 3, 8, 9),
              "--no-print-directory -j3 --jobserver-auth=8,9");
    // What it writes reads back as the new pipe.
    const JobserverAuth back = parse_makeflags(serving_makeflags("k -- A=1", 4, 10, 11));
    EXPECT_EQ(back.kind, Kind::Pipe);
    EXPECT_EQ(back.read_fd, 10);
    EXPECT_EQ(back.write_fd, 11);
}

}  // namespace
