// idle_cpus.cpp: two samples of /proc/stat's "cpu" line, a window apart.
#include "idle_cpus.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>

namespace wgrun {

IdleCpus::IdleCpus(std::string stat_path, unsigned cpus, Clock::duration window)
    : path_(std::move(stat_path)), cpus_(cpus == 0 ? 1 : cpus), window_(window) {}

IdleCpus::IdleCpus() : IdleCpus("/proc/stat", static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN))) {}

// "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in
// clock ticks since boot, summed over the CPUs; guest time is counted in
// user time already.
bool IdleCpus::sample(std::uint64_t& busy, std::uint64_t& idle) const {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char text[512];
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 4) return false;
    text[n] = '\0';
    if (text[0] != 'c' || text[1] != 'p' || text[2] != 'u' || text[3] != ' ') return false;
    const char* p = text + 3;
    std::uint64_t field[8] = {};
    for (auto& value : field) {
        char* end = nullptr;
        value = std::strtoull(p, &end, 10);
        if (end == p) return false;
        p = end;
    }
    idle = field[3] + field[4];
    busy = field[0] + field[1] + field[2] + field[5] + field[6] + field[7];
    return true;
}

std::optional<double> IdleCpus::idle(Clock::time_point now) {
    if (have_sample_ && now - taken_ < window_) return answer_;
    std::uint64_t busy = 0;
    std::uint64_t idle = 0;
    if (!sample(busy, idle)) {
        have_sample_ = false;
        return answer_ = std::nullopt;
    }
    if (have_sample_ && busy >= busy_ && idle >= idle_) {
        const std::uint64_t busy_ticks = busy - busy_;
        const std::uint64_t idle_ticks = idle - idle_;
        // No tick counted in the window (USER_HZ is 100): keep the last answer.
        if (busy_ticks + idle_ticks > 0) {
            answer_ = static_cast<double>(cpus_) * static_cast<double>(idle_ticks) /
                      static_cast<double>(busy_ticks + idle_ticks);
        }
    }
    busy_ = busy;
    idle_ = idle;
    taken_ = now;
    have_sample_ = true;
    return answer_;
}

}  // namespace wgrun
