// output_ledger_test.cpp: the bytes each job's output holds, writes that
// count as they go, and the unread bytes of job pipes.
#include "output/output_ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "base/write_all.hpp"

namespace {

using wgrun::LedgerWrite;
using wgrun::OutputLedger;

std::string describe(const std::vector<OutputLedger::Pending>& pending) {
    std::string text;
    for (const auto& p : pending) text += std::to_string(p.seq) + ":" + std::to_string(p.bytes) + " ";
    return text;
}

TEST(OutputLedger, CountsWhatIsHeldByJob) {
    OutputLedger ledger;
    ledger.held(2, 100);
    ledger.held(1, 10);
    ledger.held(2, 5);
    ledger.released(2, 30);
    EXPECT_EQ(describe(ledger.pending()), "1:10 2:75 ");
    ledger.released(1, 99);  // never below nothing
    ledger.done(2);
    EXPECT_EQ(describe(ledger.pending()), "");
}

TEST(OutputLedger, AWriteReleasesWhatGotOutAndTheRestAtTheEnd) {
    OutputLedger ledger;
    ledger.held(1, 1000);
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    const std::string bytes(600, 'x');
    {
        const LedgerWrite write(&ledger, 1, 700);  // 100 of them are lost
        EXPECT_EQ(wgrun::write_all(fds[1], bytes), 0);
        EXPECT_EQ(describe(ledger.pending()), "1:400 ");
    }
    EXPECT_EQ(describe(ledger.pending()), "1:300 ");
    // Writes outside a LedgerWrite, or on another thread, are not the job's.
    EXPECT_EQ(wgrun::write_all(fds[1], "abc"), 0);
    {
        const LedgerWrite write(&ledger, 1, 300);
        std::thread([&] { EXPECT_EQ(wgrun::write_all(fds[1], "abc"), 0); }).join();
        EXPECT_EQ(describe(ledger.pending()), "1:300 ");
    }
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(OutputLedger, BytesOutGrowsWithEveryWrite) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    const std::uint64_t before = wgrun::bytes_out();
    EXPECT_EQ(wgrun::write_all(fds[1], "hello"), 0);
    EXPECT_EQ(wgrun::bytes_out() - before, 5u);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(OutputLedger, UnreadBytesInAJobsPipeCount) {
    OutputLedger ledger;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    ASSERT_EQ(::write(fds[1], "12345", 5), 5);
    ledger.pipe_opened(3, fds[0]);
    ledger.held(3, 10);
    EXPECT_EQ(describe(ledger.pending()), "3:15 ");
    ledger.pipe_closing(fds[0]);
    EXPECT_EQ(describe(ledger.pending()), "3:10 ");
    ::close(fds[0]);
    ::close(fds[1]);
}

}  // namespace
