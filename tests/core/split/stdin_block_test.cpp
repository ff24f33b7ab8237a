// stdin_block_test.cpp: the writers of jobs' stdin: a block from memory and
// from a file range (spliced) with its header, a full pipe (Blocked), a
// reader gone (Broken); --round-robin's hub hands every block out once;
// --tee's hub gives every reader the whole stream and frees what all read.
#include "split/stdin_block.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "support/test_support.hpp"

namespace {

using wgrun::BlockData;
using wgrun::BlockStdin;
using wgrun::RoundRobinHub;
using wgrun::RoundRobinStdin;
using wgrun::StdinWriter;
using wgrun::TeeHub;
using wgrun::TeeStdin;
using wgrun::test::Fd;
using wgrun::test::TempDir;
using Step = StdinWriter::Step;

struct TestPipe {
    Fd read, write;
    TestPipe() {
        int fds[2];
        EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
        read.reset(fds[0]);
        write.reset(fds[1]);
    }
    std::string drain() {
        std::string out;
        char buf[65536];
        for (ssize_t n; (n = ::read(read.get(), buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
        return out;
    }
};

// Writes until Done (or another final step), draining the pipe between.
std::pair<Step, std::string> run(StdinWriter& writer, TestPipe& pipe, int rounds = 10000) {
    std::string got;
    Step step = Step::Blocked;
    for (int i = 0; i < rounds && step == Step::Blocked; ++i) {
        step = writer.write_to(pipe.write.get());
        got += pipe.drain();
    }
    return {step, got};
}

std::shared_ptr<const BlockData> memory_block(std::string header, std::string body) {
    auto block = std::make_shared<BlockData>();
    if (!header.empty()) block->header = std::make_shared<const std::string>(std::move(header));
    block->body = std::move(body);
    return block;
}

TEST(BlockWriter, WritesHeaderThenBodyAcrossAFullPipe) {
    const std::string body = wgrun::test::random_bytes(300000, 3);  // more than a pipe holds
    BlockStdin stdin_data(memory_block("head\n", body));
    auto writer = stdin_data.writer([] {});
    TestPipe pipe;
    EXPECT_EQ(writer->write_to(pipe.write.get()), Step::Blocked);
    std::string got = pipe.drain();
    const auto [step, rest] = run(*writer, pipe);
    EXPECT_EQ(step, Step::Done);
    EXPECT_EQ(got + rest, "head\n" + body);
}

TEST(BlockWriter, EachWriterStartsFromTheFirstByte) {
    BlockStdin stdin_data(memory_block("h\n", "a\nb\n"));
    for (int attempt = 0; attempt < 2; ++attempt) {  // a retry reads the same bytes
        auto writer = stdin_data.writer([] {});
        TestPipe pipe;
        const auto [step, got] = run(*writer, pipe);
        EXPECT_EQ(step, Step::Done);
        EXPECT_EQ(got, "h\na\nb\n");
    }
}

TEST(BlockWriter, SplicesARangeOfAFile) {
    TempDir dir;
    const std::string data = wgrun::test::random_bytes(500000, 9);
    const std::string path = dir.file("f");
    {
        Fd out(::open(path.c_str(), O_WRONLY | O_CREAT, 0600));
        ASSERT_EQ(::write(out.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
    }
    auto block = std::make_shared<BlockData>();
    block->header = std::make_shared<const std::string>("H");
    block->file = std::make_shared<const Fd>(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    block->offset = 1000;
    block->length = 400000;
    EXPECT_EQ(block->size(), 400001u);
    BlockStdin stdin_data(block);
    auto writer = stdin_data.writer([] {});
    TestPipe pipe;
    const auto [step, got] = run(*writer, pipe);
    EXPECT_EQ(step, Step::Done);
    EXPECT_EQ(got, "H" + data.substr(1000, 400000));
}

TEST(BlockWriter, AReaderGoneIsBroken) {
    wgrun::test::IgnoreSigpipe quiet;
    BlockStdin stdin_data(memory_block("", "abc"));
    auto writer = stdin_data.writer([] {});
    TestPipe pipe;
    pipe.read.reset();
    EXPECT_EQ(writer->write_to(pipe.write.get()), Step::Broken);
}

TEST(RoundRobinHub, EveryBlockGoesOutOnceThenTheEnd) {
    auto hub = std::make_shared<RoundRobinHub>(8);
    RoundRobinStdin first(hub, memory_block("h\n", "1\n"));
    RoundRobinStdin second(hub, memory_block("h\n", "2\n"));
    for (int i = 3; i <= 6; ++i) ASSERT_TRUE(hub->push(memory_block("h\n", std::to_string(i) + "\n")));
    hub->close();
    TestPipe a, b;
    auto wa = first.writer([] {});
    auto wb = second.writer([] {});
    const auto [sa, got_a] = run(*wa, a);
    const auto [sb, got_b] = run(*wb, b);
    EXPECT_EQ(sa, Step::Done);
    EXPECT_EQ(sb, Step::Done);
    // The header once per job; the first job took what was there.
    EXPECT_EQ(got_a, "h\n1\n3\n4\n5\n6\n");
    EXPECT_EQ(got_b, "h\n2\n");
}

TEST(RoundRobinHub, AWriterWaitsForTheNextBlockAndIsWoken) {
    auto hub = std::make_shared<RoundRobinHub>(1);
    RoundRobinStdin job(hub, memory_block("", "1\n"));
    std::atomic<int> woken{0};
    auto writer = job.writer([&] { ++woken; });
    TestPipe pipe;
    EXPECT_EQ(writer->write_to(pipe.write.get()), Step::Waiting);
    ASSERT_TRUE(hub->push(memory_block("", "2\n")));
    EXPECT_EQ(woken.load(), 1);
    EXPECT_EQ(writer->write_to(pipe.write.get()), Step::Waiting);
    hub->close();
    EXPECT_EQ(woken.load(), 2);
    EXPECT_EQ(writer->write_to(pipe.write.get()), Step::Done);
    EXPECT_EQ(pipe.drain(), "1\n2\n");
}

TEST(RoundRobinHub, PushFailsOnceNoJobIsLeft) {
    auto hub = std::make_shared<RoundRobinHub>(1);
    {
        RoundRobinStdin job(hub, memory_block("", "1\n"));
    }
    EXPECT_FALSE(hub->push(memory_block("", "2\n")));  // never blocks: nobody would read it
}

TEST(TeeHub, EveryReaderGetsTheWholeStream) {
    const std::string data = wgrun::test::random_bytes(3 << 20, 5);  // several chunks
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    Fd source(fds[0]);
    std::thread producer([fd = fds[1], &data] {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    });
    // A small limit: the reader waits for the slowest.
    auto hub = TeeHub::start(source.get(), 2, 1 << 20);
    TeeStdin one(hub, 0), two(hub, 1);
    std::atomic<int> wakes{0};
    auto w1 = one.writer([&] { ++wakes; });
    auto w2 = two.writer([&] { ++wakes; });
    TestPipe p1, p2;
    std::string got1, got2;
    Step s1 = Step::Waiting, s2 = Step::Waiting;
    const bool finished = wgrun::test::eventually(
        [&] {
            if (s1 != Step::Done) s1 = w1->write_to(p1.write.get());
            if (s2 != Step::Done) s2 = w2->write_to(p2.write.get());
            got1 += p1.drain();
            got2 += p2.drain();
            return s1 == Step::Done && s2 == Step::Done;
        },
        std::chrono::seconds(20));
    producer.join();
    ASSERT_TRUE(finished);
    EXPECT_EQ(got1, data);
    EXPECT_EQ(got2, data);
}

TEST(TeeHub, AReaderThatNeverStartsHoldsNothingBack) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    Fd source(fds[0]);
    ASSERT_EQ(::write(fds[1], "abc", 3), 3);
    ::close(fds[1]);
    auto hub = TeeHub::start(source.get(), 2, 1 << 20);
    auto two = std::make_unique<TeeStdin>(hub, 1);
    {
        TeeStdin one(hub, 0);  // its job failed to start: gone without a writer
    }
    auto writer = two->writer([] {});
    TestPipe pipe;
    std::string got;
    const bool done = wgrun::test::eventually(
        [&] {
            const Step step = writer->write_to(pipe.write.get());
            got += pipe.drain();
            return step == Step::Done;
        },
        std::chrono::seconds(10));
    EXPECT_TRUE(done);
    EXPECT_EQ(got, "abc");
}

}  // namespace
