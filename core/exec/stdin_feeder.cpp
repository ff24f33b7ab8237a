// stdin_feeder.cpp: a thread, an epoll set of the pipes it waits to write,
// and an eventfd for new pipes, dropped jobs and wakes.
#include "exec/stdin_feeder.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/start_thread.hpp"

namespace wgrun {

struct StdinFeeder::State {
    UniqueFd epoll_fd;
    UniqueFd event_fd;
    std::thread thread;

    // A new pipe, or (no writer) a job dropped: in the order they came, so
    // that a retry's pipe comes after its first attempt's drop.
    struct Command {
        std::uint64_t seq;
        UniqueFd fd;
        std::unique_ptr<StdinWriter> writer;
    };
    std::mutex mutex;
    std::vector<Command> commands;
    bool stopping = false;
    std::atomic<bool> woken{false};

    // The thread's own.
    struct Pipe {
        UniqueFd fd;
        std::unique_ptr<StdinWriter> writer;
        bool watched = false;  // in the epoll set, for EPOLLOUT
    };
    std::unordered_map<std::uint64_t, Pipe> pipes;

    void poke() {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(event_fd.get(), &one, sizeof one);
    }

    void wake() {
        woken.store(true, std::memory_order_release);
        poke();
    }

    void close_pipe(std::uint64_t seq) {
        const auto it = pipes.find(seq);
        if (it == pipes.end()) return;
        if (it->second.watched) ::epoll_ctl(epoll_fd.get(), EPOLL_CTL_DEL, it->second.fd.get(), nullptr);
        pipes.erase(it);  // closes the fd: the job reads end-of-file
    }

    void write_more(std::uint64_t seq) {
        const auto it = pipes.find(seq);
        if (it == pipes.end()) return;
        Pipe& pipe = it->second;
        switch (pipe.writer->write_to(pipe.fd.get())) {
            case StdinWriter::Step::Done:
            case StdinWriter::Step::Broken: close_pipe(seq); return;
            case StdinWriter::Step::Blocked:
                if (!pipe.watched) {
                    epoll_event event{};
                    event.events = EPOLLOUT;
                    event.data.u64 = seq;
                    if (::epoll_ctl(epoll_fd.get(), EPOLL_CTL_ADD, pipe.fd.get(), &event) == 0) {
                        pipe.watched = true;
                    } else {
                        close_pipe(seq);  // cannot wait for it: the job gets end-of-file
                    }
                }
                return;
            case StdinWriter::Step::Waiting:
                // Level-triggered EPOLLOUT would spin while nothing is there
                // to write: wait for wake() instead.
                if (pipe.watched) {
                    ::epoll_ctl(epoll_fd.get(), EPOLL_CTL_DEL, pipe.fd.get(), nullptr);
                    pipe.watched = false;
                }
                return;
        }
    }

    // The loop: returns once stopping.
    void run() {
        epoll_event events[64];
        for (;;) {
            const int n = ::epoll_wait(epoll_fd.get(), events, 64, -1);
            if (n < 0 && errno != EINTR) return;
            for (int i = 0; i < n; ++i) {
                if (events[i].data.u64 != 0) write_more(events[i].data.u64);
            }
            std::uint64_t drained;
            [[maybe_unused]] const ssize_t r = ::read(event_fd.get(), &drained, sizeof drained);
            std::vector<Command> news;
            {
                std::lock_guard lock(mutex);
                if (stopping) return;
                news.swap(commands);
            }
            for (Command& item : news) {
                close_pipe(item.seq);
                if (!item.writer) continue;
                pipes[item.seq] = Pipe{std::move(item.fd), std::move(item.writer), false};
                write_more(item.seq);
            }
            if (woken.exchange(false, std::memory_order_acq_rel)) {
                std::vector<std::uint64_t> waiting;
                for (const auto& [seq, pipe] : pipes) {
                    if (!pipe.watched) waiting.push_back(seq);
                }
                for (const std::uint64_t seq : waiting) write_more(seq);
            }
        }
    }
};

StdinFeeder::StdinFeeder() : state_(std::make_shared<State>()) {
    state_->epoll_fd.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!state_->epoll_fd) throw std::system_error(errno, std::system_category(), "epoll_create1");
    state_->event_fd.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!state_->event_fd) throw std::system_error(errno, std::system_category(), "eventfd");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = 0;
    if (::epoll_ctl(state_->epoll_fd.get(), EPOLL_CTL_ADD, state_->event_fd.get(), &event) != 0) {
        throw std::system_error(errno, std::system_category(), "epoll_ctl");
    }
    state_->thread = start_thread("the stdin writer thread", [state = state_.get()] { state->run(); });
}

StdinFeeder::~StdinFeeder() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->poke();
    state_->thread.join();
}

void StdinFeeder::feed(std::uint64_t seq, UniqueFd fd, const JobStdin& data) {
    // The writer's wake() may outlive this object's thread (a shared stream
    // wakes every writer): it holds the state, not the feeder.
    std::weak_ptr<State> weak = state_;
    auto writer = data.writer([weak] {
        if (const auto state = weak.lock()) state->wake();
    });
    {
        std::lock_guard lock(state_->mutex);
        state_->commands.push_back(State::Command{seq, std::move(fd), std::move(writer)});
    }
    state_->poke();
}

void StdinFeeder::drop(std::uint64_t seq) {
    {
        std::lock_guard lock(state_->mutex);
        state_->commands.push_back(State::Command{seq, UniqueFd(), nullptr});
    }
    state_->poke();
}

}  // namespace wgrun
