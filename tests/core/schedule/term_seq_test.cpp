// term_seq_test.cpp: GNU parallel's default --term-seq, its grammar, and
// signal names and numbers.
#include "schedule/term_seq.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>

namespace {

using namespace std::chrono_literals;
using wgrun::parse_signal;
using wgrun::parse_term_seq;
using wgrun::TermSeq;

// The message `parse` throws for `text`, or "" when it does not throw.
template <typename Parse>
std::string error_of(Parse parse, const std::string& text) {
    try {
        parse(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(TermSeq, DefaultIsGnuParallels) {
    const TermSeq seq = wgrun::default_term_seq();
    ASSERT_EQ(seq.size(), 4u);
    EXPECT_EQ(seq[0].signal, SIGTERM);
    EXPECT_EQ(seq[0].wait, 200ms);
    EXPECT_EQ(seq[1].signal, SIGTERM);
    EXPECT_EQ(seq[1].wait, 100ms);
    EXPECT_EQ(seq[2].signal, SIGTERM);
    EXPECT_EQ(seq[2].wait, 50ms);
    EXPECT_EQ(seq[3].signal, SIGKILL);
    EXPECT_EQ(seq[3].wait, 25ms);
}

TEST(TermSeq, ParsesGnuParallelsDefault) {
    const TermSeq seq = parse_term_seq("TERM,200,TERM,100,TERM,50,KILL,25");
    const TermSeq expected = wgrun::default_term_seq();
    ASSERT_EQ(seq.size(), expected.size());
    for (std::size_t i = 0; i < seq.size(); ++i) {
        EXPECT_EQ(seq[i].signal, expected[i].signal) << i;
        EXPECT_EQ(seq[i].wait, expected[i].wait) << i;
    }
}

// Each signal needs its wait: "TERM" alone (issue 12) and a last signal
// without a wait were read as "wait 0 ms".
TEST(TermSeq, EverySignalNeedsItsWait) {
    EXPECT_EQ(error_of(parse_term_seq, "TERM"),
              "invalid --term-seq 'TERM': 'TERM' has no wait after it: give SIG,MS pairs, "
              "e.g. TERM,200,KILL,25");
    EXPECT_EQ(error_of(parse_term_seq, "INT,1000,KILL"),
              "invalid --term-seq 'INT,1000,KILL': 'KILL' has no wait after it: give SIG,MS "
              "pairs, e.g. TERM,200,KILL,25");
}

TEST(TermSeq, OneStep) {
    const TermSeq with_wait = parse_term_seq("sigterm,0");
    ASSERT_EQ(with_wait.size(), 1u);
    EXPECT_EQ(with_wait[0].signal, SIGTERM);
    EXPECT_EQ(with_wait[0].wait, 0ms);
}

TEST(TermSeq, SignalsByNameOrNumber) {
    const TermSeq seq = parse_term_seq("15,10,SIGHUP,20,usr1,30,9,40");
    ASSERT_EQ(seq.size(), 4u);
    EXPECT_EQ(seq[0].signal, SIGTERM);
    EXPECT_EQ(seq[1].signal, SIGHUP);
    EXPECT_EQ(seq[2].signal, SIGUSR1);
    EXPECT_EQ(seq[3].signal, SIGKILL);
    EXPECT_EQ(seq[3].wait, 40ms);
}

TEST(TermSeq, WaitsUpToOneHundredDays) {
    EXPECT_EQ(parse_term_seq("TERM,8640000000")[0].wait, 8640000000ms);
    EXPECT_EQ(parse_term_seq("TERM,007")[0].wait, 7ms);
}

TEST(TermSeq, ErrorsNameTheBadPart) {
    EXPECT_EQ(error_of(parse_term_seq, "TERM,x"),
              "invalid --term-seq 'TERM,x': 'x' is not a number of milliseconds");
    EXPECT_EQ(error_of(parse_term_seq, "FOO,200"),
              "invalid --term-seq 'FOO,200': unknown signal 'FOO'");
    EXPECT_EQ(error_of(parse_term_seq, ""), "invalid --term-seq '': no signal");
    EXPECT_EQ(error_of(parse_term_seq, "TERM,8640000001"),
              "invalid --term-seq 'TERM,8640000001': '8640000001' milliseconds is more than "
              "100 days");
}

TEST(TermSeq, RejectsMalformedSequences) {
    for (const char* bad :
         {"", ",", "TERM,", "TERM,200,", ",TERM", "TERM,,KILL", "TERM,-1", "TERM,+1", "TERM,1.5",
          "TERM,1s", "TERM,200ms", "TERM, 200", "TERM ,200", "TERM,200,KILL,25,x",
          "TERM,200,0", "200,TERM", "TERM,99999999999999999999999"}) {
        EXPECT_THROW(parse_term_seq(bad), std::invalid_argument) << "'" << bad << "'";
    }
}

TEST(ParseSignal, NamesInAnyCaseWithOrWithoutSig) {
    EXPECT_EQ(parse_signal("TERM"), SIGTERM);
    EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
    EXPECT_EQ(parse_signal("term"), SIGTERM);
    EXPECT_EQ(parse_signal("sigTerm"), SIGTERM);
    EXPECT_EQ(parse_signal("Kill"), SIGKILL);
    EXPECT_EQ(parse_signal("SIGIO"), SIGIO);
    EXPECT_EQ(parse_signal("POLL"), SIGPOLL);
}

TEST(ParseSignal, EveryStandardLinuxSignal) {
    const struct {
        const char* name;
        int number;
    } signals[] = {
        {"HUP", 1},    {"INT", 2},     {"QUIT", 3},    {"ILL", 4},     {"TRAP", 5},
        {"ABRT", 6},   {"BUS", 7},     {"FPE", 8},     {"KILL", 9},    {"USR1", 10},
        {"SEGV", 11},  {"USR2", 12},   {"PIPE", 13},   {"ALRM", 14},   {"TERM", 15},
        {"STKFLT", 16}, {"CHLD", 17},  {"CONT", 18},   {"STOP", 19},   {"TSTP", 20},
        {"TTIN", 21},  {"TTOU", 22},   {"URG", 23},    {"XCPU", 24},   {"XFSZ", 25},
        {"VTALRM", 26}, {"PROF", 27},  {"WINCH", 28},  {"IO", 29},     {"POLL", 29},
        {"PWR", 30},   {"SYS", 31},
    };
    for (const auto& s : signals) {
        EXPECT_EQ(parse_signal(s.name), s.number) << s.name;
        EXPECT_EQ(parse_signal(std::string("SIG") + s.name), s.number) << s.name;
    }
}

TEST(ParseSignal, NumbersFromOneToSigrtmax) {
    EXPECT_EQ(parse_signal("1"), 1);
    EXPECT_EQ(parse_signal("9"), SIGKILL);
    EXPECT_EQ(parse_signal("15"), SIGTERM);
    EXPECT_EQ(parse_signal(std::to_string(SIGRTMIN)), SIGRTMIN);
    EXPECT_EQ(parse_signal(std::to_string(SIGRTMAX)), SIGRTMAX);
    EXPECT_THROW(parse_signal(std::to_string(SIGRTMAX + 1)), std::invalid_argument);
}

TEST(ParseSignal, ErrorNamesTheSignal) {
    EXPECT_EQ(error_of(parse_signal, "FOO"), "unknown signal 'FOO'");
    EXPECT_EQ(error_of(parse_signal, "0"), "unknown signal '0'");
    EXPECT_EQ(error_of(parse_signal, ""), "unknown signal ''");
}

TEST(ParseSignal, RejectsAnythingElse) {
    for (const char* bad :
         {"", "0", "00", "SIG", "sig", "TERM2", "-9", "+9", "9 ", " 9", "SIG15", "SIGSIGTERM",
          "SIG TERM", "TERMINATE", "ERM", "RTMIN", "IOT", "99999999999999999999", "1.0", "0x9",
          "\xd9\xa9"}) {
        EXPECT_THROW(parse_signal(bad), std::invalid_argument) << "'" << bad << "'";
    }
}

}  // namespace
