// machine_gauge_test.cpp: ProcGauge on fake /proc trees in a temp dir (tasks
// in every state, kernel threads, comms with spaces and ')', stat lines cut
// short or garbled, entries gone meanwhile, meminfo with and without
// MemAvailable), on stat lines copied from real threads of this process, and
// on the real /proc.
#include "schedule/machine_gauge.hpp"

#include "support/test_support.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;
using wgrun::ProcGauge;
using wgrun::test::TempDir;

// Fake pids, above PID_MAX_LIMIT (4194304): never this process's own.
constexpr long long kPid1 = 9000001;
constexpr long long kPid2 = 9000002;
constexpr long long kPid3 = 9000003;

// Task flags as the kernel prints them (decimal): a user thread's
// (PF_RANDOMIZE | PF_FORKNOEXEC) and a kworker's (with PF_KTHREAD, 0x00200000).
constexpr unsigned long kUserFlags = 0x00400140;
constexpr unsigned long kKernelFlags = 0x04208060;

// A stat line as the kernel writes it: every field, the flags the ninth.
std::string stat_line(long long tid, const std::string& comm, char state,
                      unsigned long flags = kUserFlags) {
    const std::string id = std::to_string(tid);
    return id + " (" + comm + ") " + state + " 1 " + id + " " + id + " 34816 " + id + " " +
           std::to_string(flags) +
           " 120 0 0 0 5 3 0 0 20 0 1 0 1234 2412544 200 18446744073709551615 1 1 0 0 0 0 0 "
           "0 65536 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
}

// A fake /proc: process directories with their tasks' stat files, meminfo.
class FakeProc {
public:
    const std::string& root() const { return dir_.path(); }

    // Task `tid` of process `pid`, with the stat file `stat`.
    void task(long long pid, long long tid, const std::string& stat) {
        const std::string task = "/" + std::to_string(pid) + "/task/" + std::to_string(tid);
        directory(task);
        file(task + "/stat", stat);
    }
    // The file `path` (from the root), holding `text`.
    void file(const std::string& path, const std::string& text) {
        std::ofstream out(root() + path, std::ios::binary);
        out << text;
        if (!out.flush()) ADD_FAILURE() << "cannot write " << root() + path;
    }
    // The directory `path` (from the root), and its parents.
    void directory(const std::string& path) {
        std::error_code error;
        std::filesystem::create_directories(root() + path, error);
        if (error) ADD_FAILURE() << "cannot make " << root() + path << ": " << error.message();
    }
    ProcGauge gauge() const { return ProcGauge(root()); }

private:
    TempDir dir_;
};

// A thread that spins (state R) until it is destroyed.
class Spinner {
public:
    Spinner()
        : thread_([this] {
              tid_ = ::gettid();
              while (!stop_.load()) {
              }
          }) {
        while (tid_.load() == 0) std::this_thread::yield();
    }
    ~Spinner() {
        stop_ = true;
        thread_.join();
    }
    Spinner(const Spinner&) = delete;
    Spinner& operator=(const Spinner&) = delete;
    pid_t tid() const { return tid_.load(); }

private:
    std::atomic<bool> stop_{false};
    std::atomic<pid_t> tid_{0};
    std::thread thread_;
};

// A thread blocked in a read of a pipe (state S) until it is destroyed.
class BlockedReader {
public:
    BlockedReader() {
        if (wgrun::make_pipe(pipe_) != 0) ADD_FAILURE() << "pipe";
        thread_ = std::thread([this] {
            tid_ = ::gettid();
            char byte = 0;
            while (::read(pipe_.read.get(), &byte, 1) < 0 && errno == EINTR) {
            }
        });
        while (tid_.load() == 0) std::this_thread::yield();
    }
    ~BlockedReader() {
        if (::write(pipe_.write.get(), "x", 1) != 1) ADD_FAILURE() << "write";
        thread_.join();
    }
    BlockedReader(const BlockedReader&) = delete;
    BlockedReader& operator=(const BlockedReader&) = delete;
    pid_t tid() const { return tid_.load(); }

private:
    wgrun::Pipe pipe_;
    std::atomic<pid_t> tid_{0};
    std::thread thread_;
};

// The stat line of thread `tid` of this process.
std::string real_stat(pid_t tid) {
    return wgrun::test::read_file("/proc/self/task/" + std::to_string(tid) + "/stat");
}

TEST(ProcGauge, CountsRunningAndDiskWaitingThreads) {
    FakeProc proc;
    proc.task(kPid1, kPid1, stat_line(kPid1, "make", 'R'));
    proc.task(kPid1, kPid1 + 10, stat_line(kPid1 + 10, "make", 'S'));
    proc.task(kPid1, kPid1 + 11, stat_line(kPid1 + 11, "make", 'D'));
    proc.task(kPid2, kPid2, stat_line(kPid2, "cc1plus", 'R'));
    proc.task(kPid2, kPid2 + 10, stat_line(kPid2 + 10, "cc1plus", 'Z'));
    proc.task(kPid2, kPid2 + 11, stat_line(kPid2 + 11, "cc1plus", 'I'));
    proc.task(kPid2, kPid2 + 12, stat_line(kPid2 + 12, "cc1plus", 'D'));
    proc.task(kPid2, kPid2 + 13, stat_line(kPid2 + 13, "cc1plus", 'T'));
    proc.task(kPid3, kPid3, stat_line(kPid3, "sleep", 'S'));
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(4));
}

TEST(ProcGauge, LeavesOutKernelThreads) {
    FakeProc proc;
    proc.task(2, 2, stat_line(2, "kthreadd", 'S', kKernelFlags));
    proc.task(kPid1, kPid1, stat_line(kPid1, "kworker/3:1-events", 'R', kKernelFlags));
    proc.task(kPid2, kPid2, stat_line(kPid2, "jbd2/sda1-8", 'D', 0x00200000));
    proc.task(kPid3, kPid3, stat_line(kPid3, "yes", 'R'));
    proc.task(kPid3, kPid3 + 1, stat_line(kPid3 + 1, "yes", 'R', 0x001fffff));  // all but PF_KTHREAD
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(2));
}

TEST(ProcGauge, ReadsTheStateAfterTheLastParenthesis) {
    FakeProc proc;
    proc.task(kPid1, kPid1, stat_line(kPid1, "a) b", 'R'));               // "(a) b) R"
    proc.task(kPid1, kPid1 + 1, stat_line(kPid1 + 1, "Web Content", 'D'));  // spaces
    proc.task(kPid1, kPid1 + 2, stat_line(kPid1 + 2, "x) R 1 2 3 4 5 0", 'S'));
    proc.task(kPid1, kPid1 + 3, stat_line(kPid1 + 3, "))", 'R'));
    proc.task(kPid1, kPid1 + 4, stat_line(kPid1 + 4, "", 'R'));
    proc.task(kPid2, kPid2, stat_line(kPid2, "(sd-pam)", 'S'));
    // A kernel thread whose comm looks like a user thread's fields.
    proc.task(kPid2, kPid2 + 1, stat_line(kPid2 + 1, "k) R 1 1 1 0 -1 4194624 (", 'R', kKernelFlags));
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(4));
}

TEST(ProcGauge, SkipsCutAndGarbledStatLines) {
    FakeProc proc;
    const std::string whole = stat_line(kPid1, "cut", 'R');
    proc.task(kPid1, kPid1, whole);                                  // counted
    proc.task(kPid1, kPid1 + 1, "");                                 // empty
    proc.task(kPid1, kPid1 + 2, whole.substr(0, whole.find(')')));  // cut in the comm
    proc.task(kPid1, kPid1 + 3, whole.substr(0, whole.find(')') + 2));  // cut before the state
    proc.task(kPid1, kPid1 + 4, whole.substr(0, whole.find(')') + 3));  // "R" and no more
    proc.task(kPid1, kPid1 + 5, std::to_string(kPid1 + 5) + " (cut) R 1 2 3 0 -1");  // no flags
    proc.task(kPid1, kPid1 + 6, std::to_string(kPid1 + 6) + " (cut) R 1 2 3 0 -1 41");  // flags cut
    proc.task(kPid1, kPid1 + 7, "garbage\n");
    proc.task(kPid1, kPid1 + 8, std::string(3000, 'R'));
    proc.task(kPid1, kPid1 + 9, std::to_string(kPid1 + 9) + " (bad) R 1 2 3 0 -1 zz 0 0\n");
    proc.task(kPid1, kPid1 + 10, std::to_string(kPid1 + 10) + " (bad) RR 1 2 3 0 -1 0 0 0\n");
    proc.task(kPid1, kPid1 + 11, std::to_string(kPid1 + 11) + " (bad) R 1 2 3 0 -1 -5 0 0\n");
    proc.task(kPid1, kPid1 + 12, std::to_string(kPid1 + 12) + " bad) R 1 2 3 0 -1 0 0 0\n");
    proc.task(kPid1, kPid1 + 13, std::string("\0\0\0\0", 4));
    // Longer than the buffer: read in part, the fields needed are whole.
    proc.task(kPid2, kPid2, stat_line(kPid2, "long", 'R') + std::string(5000, '7'));
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(2));
}

TEST(ProcGauge, SkipsEntriesThatAreGoneOrNoTasks) {
    FakeProc proc;
    proc.task(kPid1, kPid1, stat_line(kPid1, "here", 'R'));  // counted
    proc.directory("/" + std::to_string(kPid2));             // exited: no task/
    proc.directory("/" + std::to_string(kPid3) + "/task/" + std::to_string(kPid3));  // no stat
    proc.directory("/9000004/task/9000004/stat");            // a stat that cannot be read
    proc.file("/9000005", "a file, no directory");
    proc.directory("/9000006/task");
    proc.file("/9000006/task/9000006", "a file, no directory");
    // Names that are no pid or tid: their tasks are not read.
    proc.task(9000007, 42, "");
    proc.directory("/9000007/task/4x2");
    proc.file("/9000007/task/4x2/stat", stat_line(42, "not a tid", 'R'));
    for (const std::string name : {"self", "thread-self", "1abc", "-5", "+5", " 5"}) {
        proc.directory("/" + name + "/task/5");
        proc.file("/" + name + "/task/5/stat", stat_line(5, name, 'R'));
    }
    proc.directory("/sys");
    proc.file("/meminfo", "MemAvailable: 1 kB\n");
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(1));
}

TEST(ProcGauge, LeavesOutTheCallingThreadOnly) {
    FakeProc proc;
    const long long pid = ::getpid();
    const long long tid = ::gettid();
    const long long other = tid + 1 == pid ? tid + 2 : tid + 1;
    proc.task(pid, tid, stat_line(tid, "me", 'R'));        // the caller: left out
    proc.task(pid, pid, stat_line(pid, "me", 'R'));        // another thread of its process
    proc.task(pid, other, stat_line(other, "me", 'D'));    // and another
    proc.task(kPid1, tid, stat_line(tid, "someone", 'R'));  // the caller's tid, another pid
    // For the main thread (tid == pid) the first two are one task: 2 then.
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(tid == pid ? 2 : 3));
}

TEST(ProcGauge, LeavesOutTheCallingThreadOfAnotherThread) {
    FakeProc proc;
    const long long pid = ::getpid();
    proc.task(pid, pid, stat_line(pid, "me", 'R'));
    std::optional<unsigned> busy;
    long long tid = 0;
    std::thread reader([&] {
        tid = ::gettid();
        proc.task(pid, tid, stat_line(tid, "me", 'R'));
        busy = proc.gauge().busy_threads();
    });
    reader.join();
    ASSERT_NE(tid, pid);
    EXPECT_EQ(busy, std::optional<unsigned>(1));  // the main thread's task only
    EXPECT_EQ(proc.gauge().busy_threads(),
              std::optional<unsigned>(::gettid() == pid ? 1 : 2));  // now the reader's
}

TEST(ProcGauge, EmptyProcIsNoBusyThread) {
    FakeProc proc;
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(0));
}

TEST(ProcGauge, NothingWithoutProc) {
    TempDir dir;
    ProcGauge gauge(dir.file("no-such-proc"));
    EXPECT_EQ(gauge.busy_threads(), std::nullopt);
    EXPECT_EQ(gauge.mem_available(), std::nullopt);
    std::ofstream(dir.file("file")) << "no directory";
    ProcGauge file_as_proc(dir.file("file"));
    EXPECT_EQ(file_as_proc.busy_threads(), std::nullopt);
    EXPECT_EQ(file_as_proc.mem_available(), std::nullopt);
}

TEST(ProcGauge, ReadsMemAvailableInBytes) {
    FakeProc proc;
    proc.file("/meminfo",
              "MemTotal:       16318412 kB\n"
              "MemFree:          512304 kB\n"
              "MemAvailable:    9876543 kB\n"
              "Buffers:          402196 kB\n");
    EXPECT_EQ(proc.gauge().mem_available(), std::optional<std::uint64_t>(9876543ULL * 1024));

    // 16 TiB: past 32 bits in kB * 1024.
    proc.file("/meminfo", "MemTotal: 1 kB\nMemAvailable: 17179869184 kB\n");
    EXPECT_EQ(proc.gauge().mem_available(), std::optional<std::uint64_t>(17179869184ULL * 1024));

    proc.file("/meminfo", "MemAvailable: 0 kB");  // no newline at the end
    EXPECT_EQ(proc.gauge().mem_available(), std::optional<std::uint64_t>(0));

    // A long file: the line after the first read.
    proc.file("/meminfo", std::string(10000, 'x') + "\nMemAvailable: 3 kB\n");
    EXPECT_EQ(proc.gauge().mem_available(), std::optional<std::uint64_t>(3072));
}

TEST(ProcGauge, NoMemAvailableWhenMissingOrMalformed) {
    FakeProc proc;
    EXPECT_EQ(proc.gauge().mem_available(), std::nullopt);  // no meminfo
    for (const std::string text : {
             "",
             "MemTotal:       16318412 kB\nMemFree:          512304 kB\n",  // before Linux 3.14
             "MemAvailable:\n",
             "MemAvailable:          kB\n",
             "MemAvailable:    abc kB\n",
             "MemAvailable:    -5 kB\n",
             "MemAvailable:    12\n",
             "MemAvailable:    12 MB\n",
             "MemAvailable:    12 kB extra\n",
             "MemAvailable:    12x kB\n",
             "MemAvailable:    18014398509481984 kB\n",      // 2^54 kB: bytes past 64 bits
             "MemAvailable:    99999999999999999999999 kB\n",  // past 64 bits already
             "MemAvailable     12 kB\n",
             "XMemAvailable:   12 kB\n",
             "memavailable:    12 kB\n",
         }) {
        proc.file("/meminfo", text);
        EXPECT_EQ(proc.gauge().mem_available(), std::nullopt) << text;
    }
    proc.file("/meminfo", "MemAvailable:    18014398509481983 kB\n");  // the largest that fits
    EXPECT_EQ(proc.gauge().mem_available(),
              std::optional<std::uint64_t>(18014398509481983ULL * 1024));
    proc.directory("/other/meminfo");  // opens, but cannot be read
    EXPECT_EQ(ProcGauge(proc.root() + "/other").mem_available(), std::nullopt);
}

// Stat lines copied from threads of this process: one running (the caller,
// which is running while it reads its own), one spinning, one blocked in a
// read (state S).
TEST(ProcGauge, CountsRealStatLines) {
    Spinner spinner;
    BlockedReader reader;
    ASSERT_TRUE(wgrun::test::blocked_in(reader.tid(), {SYS_read}, 10s));
    std::string reader_stat;
    ASSERT_TRUE(wgrun::test::eventually(
        [&] {
            reader_stat = real_stat(reader.tid());
            return reader_stat.find(") S ") != std::string::npos;
        },
        10s))
        << reader_stat;

    FakeProc proc;
    proc.task(kPid1, kPid1, real_stat(::gettid()));
    proc.task(kPid1, kPid1 + 1, real_stat(spinner.tid()));
    proc.task(kPid1, kPid1 + 2, reader_stat);
    EXPECT_EQ(proc.gauge().busy_threads(), std::optional<unsigned>(2))
        << real_stat(::gettid()) << real_stat(spinner.tid()) << reader_stat;
}

TEST(ProcGauge, ReadsTheRealProc) {
    Spinner spinner;  // a thread of this process that is running: counted
    ProcGauge gauge;
    const auto busy = gauge.busy_threads();
    ASSERT_TRUE(busy.has_value());
    EXPECT_GE(*busy, 1U);

    const auto available = gauge.mem_available();
    ASSERT_TRUE(available.has_value());
    EXPECT_GT(*available, 0U);
    const auto total = static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) *
                       static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    EXPECT_LE(*available, total);
}

// It runs before each job start: it must be cheap on a real machine.
}  // namespace
