// wait_group_bench.cpp: the WaitGroup beside std::latch, a mutex +
// condition_variable counter and two bare atomic fetch_adds, in one run, then
// the ratios the foundation issue sets targets for.
//
//   uncontended add(1) + done()       <= 2x two std::atomic fetch_adds
//   add/done contended from every core <= 1x the mutex counter
//   wait() wake-up latency             (reported, no target)
#include "wgrun/wait_group.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace {

// The counter most people write first.
class MutexCounter {
public:
    void add(long delta) {
        std::lock_guard lock(mutex_);
        count_ += delta;
        if (count_ == 0) zero_.notify_all();
    }
    void done() { add(-1); }
    void wait() {
        std::unique_lock lock(mutex_);
        zero_.wait(lock, [this] { return count_ == 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable zero_;
    long count_ = 0;
};

// --- uncontended add(1) + done() -------------------------------------------

void Uncontended_TwoFetchAdds(benchmark::State& state) {
    std::atomic<long> word{0};
    for (auto _ : state) {
        word.fetch_add(1, std::memory_order_acq_rel);
        word.fetch_add(-1, std::memory_order_acq_rel);
    }
    benchmark::DoNotOptimize(word.load());
}

void Uncontended_WaitGroup(benchmark::State& state) {
    wgrun::WaitGroup wg;
    for (auto _ : state) {
        wg.add(1);
        wg.done();
    }
}

void Uncontended_MutexCounter(benchmark::State& state) {
    MutexCounter counter;
    for (auto _ : state) {
        counter.add(1);
        counter.done();
    }
}

// std::latch cannot add: one count_down() stands for one finished task.
void Uncontended_Latch(benchmark::State& state) {
    std::latch latch(std::latch::max());
    for (auto _ : state) latch.count_down();
}

// --- add/done contended from every core ------------------------------------

std::atomic<long> shared_word{0};
wgrun::WaitGroup shared_wg;
MutexCounter shared_counter;
std::latch shared_latch(std::latch::max());

void Contended_TwoFetchAdds(benchmark::State& state) {
    for (auto _ : state) {
        shared_word.fetch_add(1, std::memory_order_acq_rel);
        shared_word.fetch_add(-1, std::memory_order_acq_rel);
    }
}

void Contended_WaitGroup(benchmark::State& state) {
    for (auto _ : state) {
        shared_wg.add(1);
        shared_wg.done();
    }
}

void Contended_MutexCounter(benchmark::State& state) {
    for (auto _ : state) {
        shared_counter.add(1);
        shared_counter.done();
    }
}

void Contended_Latch(benchmark::State& state) {
    for (auto _ : state) shared_latch.count_down();
}

// --- wake-up latency --------------------------------------------------------
// Each round: the main thread arms the primitive and blocks in wait(); a
// worker spins 20 us so the waiter is surely asleep, stamps the time and
// releases it. The iteration time is from the stamp to the return of wait().

template <class Arm, class Release, class Wait>
void wakeup_latency(benchmark::State& state, Arm arm, Release release, Wait wait) {
    using Clock = std::chrono::steady_clock;
    std::atomic<long> go{0};
    std::atomic<long> acked{0};
    std::atomic<bool> quit{false};
    std::atomic<Clock::rep> stamp{0};
    std::thread worker([&] {
        for (long seen = 0;; ++seen) {
            while (go.load(std::memory_order_acquire) == seen) {
                if (quit.load(std::memory_order_relaxed)) return;
            }
            const auto until = Clock::now() + std::chrono::microseconds(20);
            while (Clock::now() < until) {
            }
            stamp.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
            release();
            acked.fetch_add(1, std::memory_order_release);
        }
    });
    long round = 0;
    for (auto _ : state) {
        arm();
        go.fetch_add(1, std::memory_order_release);
        wait();
        const auto woke = Clock::now().time_since_epoch().count();
        ++round;
        while (acked.load(std::memory_order_acquire) != round) {
        }
        const auto ns = woke - stamp.load(std::memory_order_relaxed);
        state.SetIterationTime(static_cast<double>(Clock::duration(ns).count()) *
                               Clock::period::num / Clock::period::den);
    }
    quit = true;
    worker.join();
}

void Wakeup_WaitGroup(benchmark::State& state) {
    wgrun::WaitGroup wg;
    wakeup_latency(
        state, [&] { wg.add(1); }, [&] { wg.done(); }, [&] { wg.wait(); });
}

void Wakeup_MutexCounter(benchmark::State& state) {
    MutexCounter counter;
    wakeup_latency(
        state, [&] { counter.add(1); }, [&] { counter.done(); }, [&] { counter.wait(); });
}

void Wakeup_Latch(benchmark::State& state) {
    std::optional<std::latch> latch;
    wakeup_latency(
        state, [&] { latch.emplace(1); }, [&] { latch->count_down(); }, [&] { latch->wait(); });
}

const int kCores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));

BENCHMARK(Uncontended_TwoFetchAdds);
BENCHMARK(Uncontended_WaitGroup);
BENCHMARK(Uncontended_MutexCounter);
BENCHMARK(Uncontended_Latch);
BENCHMARK(Contended_TwoFetchAdds)->Threads(kCores)->UseRealTime();
BENCHMARK(Contended_WaitGroup)->Threads(kCores)->UseRealTime();
BENCHMARK(Contended_MutexCounter)->Threads(kCores)->UseRealTime();
BENCHMARK(Contended_Latch)->Threads(kCores)->UseRealTime();
BENCHMARK(Wakeup_WaitGroup)->UseManualTime()->Iterations(20000);
BENCHMARK(Wakeup_MutexCounter)->UseManualTime()->Iterations(20000);
BENCHMARK(Wakeup_Latch)->UseManualTime()->Iterations(20000);

// Prints as usual and keeps each benchmark's time per iteration by name.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& run : runs) {
            const std::string name = run.benchmark_name();
            ns_[name.substr(0, name.find('/'))] = run.GetAdjustedRealTime();
        }
    }

    void print_ratios() const {
        std::printf("\nRatios (lower is better; one run, same machine):\n");
        line("uncontended add(1)+done() / two atomic fetch_adds", "Uncontended_WaitGroup",
             "Uncontended_TwoFetchAdds", "target <= 2.00");
        line("uncontended WaitGroup / mutex+cv counter", "Uncontended_WaitGroup",
             "Uncontended_MutexCounter", "");
        line("uncontended WaitGroup add+done / latch count_down", "Uncontended_WaitGroup",
             "Uncontended_Latch", "");
        line("contended WaitGroup / mutex+cv counter", "Contended_WaitGroup",
             "Contended_MutexCounter", "target <= 1.00");
        line("contended WaitGroup / two atomic fetch_adds", "Contended_WaitGroup",
             "Contended_TwoFetchAdds", "");
        line("contended WaitGroup add+done / latch count_down", "Contended_WaitGroup",
             "Contended_Latch", "");
        line("wait() wake-up latency WaitGroup / mutex+cv", "Wakeup_WaitGroup",
             "Wakeup_MutexCounter", "");
        line("wait() wake-up latency WaitGroup / std::latch", "Wakeup_WaitGroup", "Wakeup_Latch",
             "");
    }

private:
    void line(const char* what, const std::string& ours, const std::string& theirs,
              const char* target) const {
        const auto a = ns_.find(ours);
        const auto b = ns_.find(theirs);
        if (a == ns_.end() || b == ns_.end() || b->second <= 0) return;
        std::printf("  %-52s %6.2f  %s\n", what, a->second / b->second, target);
    }

    std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_ratios();
    benchmark::Shutdown();
    return 0;
}
