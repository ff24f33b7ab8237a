// stdin_feeder_test.cpp: the thread that fills jobs' stdin: every pipe gets
// its bytes and end-of-file, a slow reader holds up no other, a Waiting
// writer goes on when woken, and drop() closes a pipe nobody reads.
#include "exec/stdin_feeder.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace {

using wgrun::JobStdin;
using wgrun::StdinFeeder;
using wgrun::StdinWriter;
using wgrun::UniqueFd;
using wgrun::test::Fd;

// A JobStdin of fixed bytes, written in slices of at most `slice`.
class Bytes : public JobStdin {
public:
    explicit Bytes(std::string bytes) : bytes_(std::move(bytes)) {}
    std::unique_ptr<StdinWriter> writer(std::function<void()>) const override {
        struct W : StdinWriter {
            const std::string* bytes;
            std::size_t at = 0;
            Step write_to(int fd) override {
                while (at < bytes->size()) {
                    const ssize_t n = ::write(fd, bytes->data() + at, bytes->size() - at);
                    if (n < 0) return errno == EAGAIN ? Step::Blocked : Step::Broken;
                    at += static_cast<std::size_t>(n);
                }
                return Step::Done;
            }
        };
        auto w = std::make_unique<W>();
        w->bytes = &bytes_;
        return w;
    }

private:
    std::string bytes_;
};

// A JobStdin whose bytes come later: Waiting until release(), then woken.
class Later : public JobStdin {
public:
    std::unique_ptr<StdinWriter> writer(std::function<void()> wake) const override {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
        struct W : StdinWriter {
            const Later* owner;
            Step write_to(int fd) override {
                if (!owner->released_.load()) return Step::Waiting;
                return ::write(fd, "late", 4) == 4 ? Step::Done : Step::Broken;
            }
        };
        auto w = std::make_unique<W>();
        w->owner = this;
        return w;
    }
    void release() {
        released_.store(true);
        std::lock_guard lock(mutex_);
        if (wake_) wake_();
    }

private:
    mutable std::mutex mutex_;
    mutable std::function<void()> wake_;
    std::atomic<bool> released_{false};
};

struct JobPipe {
    Fd read;
    UniqueFd write;
    JobPipe() {
        int fds[2];
        EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
        read.reset(fds[0]);
        write.reset(fds[1]);
        ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
    }
    // Reads to end-of-file (blocking).
    std::string all() {
        std::string out;
        char buf[65536];
        for (ssize_t n; (n = ::read(read.get(), buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
        return out;
    }
};

TEST(StdinFeeder, EachPipeGetsItsBytesThenEndOfFile) {
    StdinFeeder feeder;
    const std::string big = wgrun::test::random_bytes(1 << 20, 11);
    Bytes one(big), two("small");
    JobPipe a, b;
    feeder.feed(1, std::move(a.write), one);
    feeder.feed(2, std::move(b.write), two);
    // b's reader first: a's full pipe holds nothing up.
    EXPECT_EQ(b.all(), "small");
    EXPECT_EQ(a.all(), big);
}

TEST(StdinFeeder, AWaitingWriterGoesOnWhenWoken) {
    StdinFeeder feeder;
    Later later;
    JobPipe pipe;
    feeder.feed(1, std::move(pipe.write), later);
    pollfd poll_fd{pipe.read.get(), POLLIN, 0};
    EXPECT_EQ(::poll(&poll_fd, 1, 50), 0);  // nothing yet
    later.release();
    EXPECT_EQ(pipe.all(), "late");
}

TEST(StdinFeeder, DropClosesAPipeNobodyReads) {
    StdinFeeder feeder;
    Bytes endless(std::string(4 << 20, 'x'));  // more than the pipe takes
    JobPipe pipe;
    feeder.feed(7, std::move(pipe.write), endless);
    feeder.drop(7);
    // End-of-file comes though the bytes were not all written.
    const std::string got = pipe.all();
    EXPECT_LT(got.size(), std::size_t{4} << 20);
}

TEST(StdinFeeder, ARetryAfterADropGetsItsPipe) {
    StdinFeeder feeder;
    Bytes bytes("again");
    JobPipe first, second;
    feeder.feed(3, std::move(first.write), bytes);
    feeder.drop(3);
    feeder.feed(3, std::move(second.write), bytes);  // the same job number, in order
    EXPECT_EQ(second.all(), "again");
}

}  // namespace
