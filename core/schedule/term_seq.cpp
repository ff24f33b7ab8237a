// term_seq.cpp: parsing --term-seq and signal names.
#include "schedule/term_seq.hpp"

#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace wgrun {
namespace {

struct SignalName {
    std::string_view name;
    int number;
};

// The standard Linux signals by name; sigabbrev_np() would also answer, but
// this table fixes what the grammar accepts whatever the libc knows.
constexpr SignalName kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT},   {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},     {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},   {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},   {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},     {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},   {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},     {"SYS", SIGSYS},
};

// A wait longer than this is surely a mistake, and time points this far out
// could overflow the clock.
constexpr std::int64_t kMaxWaitMs = 100ll * 24 * 3600 * 1000;  // 100 days

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (upper(a[i]) != upper(b[i])) return false;
    }
    return true;
}

bool all_digits(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

[[noreturn]] void unknown_signal(std::string_view name) {
    throw std::invalid_argument("unknown signal '" + std::string(name) + "'");
}

}  // namespace

TermSeq default_term_seq() {
    using std::chrono::milliseconds;
    return {{SIGTERM, milliseconds(200)},
            {SIGTERM, milliseconds(100)},
            {SIGTERM, milliseconds(50)},
            {SIGKILL, milliseconds(25)}};
}

int parse_signal(std::string_view name) {
    if (all_digits(name)) {
        const int max = SIGRTMAX;
        // Digit by digit, stopping past the limit, so that long numbers cannot overflow.
        int number = 0;
        for (const char c : name) {
            number = number * 10 + (c - '0');
            if (number > max) unknown_signal(name);
        }
        if (number == 0) unknown_signal(name);
        return number;
    }
    std::string_view bare = name;
    if (bare.size() > 3 && equal_ignoring_case(bare.substr(0, 3), "SIG")) bare.remove_prefix(3);
    for (const SignalName& signal : kSignals) {
        if (equal_ignoring_case(bare, signal.name)) return signal.number;
    }
    unknown_signal(name);
}

TermSeq parse_term_seq(std::string_view text) {
    const auto fail = [text](const std::string& why) {
        throw std::invalid_argument("invalid --term-seq '" + std::string(text) + "': " + why);
    };
    if (text.empty()) fail("no signal");

    TermSeq seq;
    std::size_t pos = 0;
    bool want_signal = true;
    for (;;) {
        const std::size_t comma = text.find(',', pos);
        const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
        const std::string_view part = text.substr(pos, end - pos);
        if (want_signal) {
            try {
                seq.push_back({parse_signal(part), std::chrono::milliseconds(0)});
            } catch (const std::invalid_argument& e) {
                fail(e.what());
            }
        } else {
            const std::string quoted = "'" + std::string(part) + "'";
            if (!all_digits(part)) fail(quoted + " is not a number of milliseconds");
            std::int64_t ms = 0;
            for (const char c : part) {
                ms = ms * 10 + (c - '0');
                if (ms > kMaxWaitMs) fail(quoted + " milliseconds is more than 100 days");
            }
            seq.back().wait = std::chrono::milliseconds(ms);
        }
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
        want_signal = !want_signal;
    }
    // GNU parallel's grammar is pairs; a signal without its wait would be
    // read as "wait 0 ms", which nobody means (`--term-seq TERM`).
    if (want_signal) {
        fail("'" + std::string(text.substr(pos)) +
             "' has no wait after it: give SIG,MS pairs, e.g. TERM,200,KILL,25");
    }
    return seq;
}

}  // namespace wgrun
