// jobs_limit.cpp: the usable CPU count (affinity mask and cgroup quota) and
// the -j/--jobs grammar.
#include "schedule/jobs_limit.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "schedule/jobs_limit_detail.hpp"

namespace wgrun {
namespace {

// Files in /proc and /sys are small; reads stop here.
constexpr std::size_t kMaxFileSize = 64 * 1024;

// The content of `path`, or nothing when it cannot be opened.
std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string content;
    char buf[4096];
    while (content.size() < kMaxFileSize && in.read(buf, sizeof buf).gcount() > 0) {
        content.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    return content;
}

// `text` split at blanks (space, tab, newline).
std::vector<std::string_view> fields(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
        if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
}

// `text` as a whole decimal integer, optionally negative.
std::optional<std::int64_t> to_int(std::string_view text) {
    std::int64_t value = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

// ceil(quota / period) as a CPU count, 0 unless both are positive.
unsigned quota_cpus(std::int64_t quota, std::int64_t period) {
    if (quota <= 0 || period <= 0) return 0;
    const std::int64_t cpus = quota / period + (quota % period != 0 ? 1 : 0);
    return static_cast<unsigned>(
        std::min<std::int64_t>(cpus, std::numeric_limits<unsigned>::max()));
}

// The smaller of two limits where 0 means none.
unsigned tighter(unsigned a, unsigned b) {
    if (a == 0) return b;
    if (b == 0) return a;
    return std::min(a, b);
}

// The quota in a v2 cpu.max ("max 100000", "150000 100000"), 0 for none.
unsigned read_cpu_max(const std::string& dir) {
    const auto content = read_file(dir + "/cpu.max");
    if (!content) return 0;
    const auto words = fields(*content);
    if (words.size() != 2 || words[0] == "max") return 0;
    const auto quota = to_int(words[0]);
    const auto period = to_int(words[1]);
    return quota && period ? quota_cpus(*quota, *period) : 0;
}

// The quota in v1 cpu.cfs_quota_us / cpu.cfs_period_us, 0 for none (-1).
unsigned read_cfs_quota(const std::string& dir) {
    const auto quota_text = read_file(dir + "/cpu.cfs_quota_us");
    if (!quota_text) return 0;
    const auto period_text = read_file(dir + "/cpu.cfs_period_us");
    if (!period_text) return 0;
    const auto quota_words = fields(*quota_text);
    const auto period_words = fields(*period_text);
    if (quota_words.size() != 1 || period_words.size() != 1) return 0;
    const auto quota = to_int(quota_words[0]);
    const auto period = to_int(period_words[0]);
    return quota && period ? quota_cpus(*quota, *period) : 0;
}

// The directories from `root`/`cgroup_path` up to `root`, deepest first. The
// path is normalized lexically and never climbs above `root`.
std::vector<std::string> cgroup_dirs(const std::string& root, std::string_view cgroup_path) {
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i <= cgroup_path.size()) {
        std::size_t slash = cgroup_path.find('/', i);
        if (slash == std::string_view::npos) slash = cgroup_path.size();
        const std::string_view part = cgroup_path.substr(i, slash - i);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        i = slash + 1;
    }
    std::vector<std::string> dirs;
    std::string dir = root;
    dirs.push_back(dir);
    for (std::string_view part : parts) {
        dir += '/';
        dir += part;
        dirs.push_back(dir);
    }
    std::reverse(dirs.begin(), dirs.end());
    return dirs;
}

// The smallest quota of `read` over `root`/`cgroup_path` and its ancestors.
template <class Read>
unsigned walk(const std::string& root, std::string_view cgroup_path, Read read) {
    unsigned limit = 0;
    for (const std::string& dir : cgroup_dirs(root, cgroup_path)) limit = tighter(limit, read(dir));
    return limit;
}

// From /proc/self/cgroup ("ID:controllers:path" lines): the path of the v2
// line, or of the v1 line whose controllers include `controller`.
std::optional<std::string_view> cgroup_path(std::string_view proc_self_cgroup,
                                            std::string_view controller) {
    std::size_t i = 0;
    while (i < proc_self_cgroup.size()) {
        std::size_t end = proc_self_cgroup.find('\n', i);
        if (end == std::string_view::npos) end = proc_self_cgroup.size();
        const std::string_view line = proc_self_cgroup.substr(i, end - i);
        i = end + 1;
        const std::size_t colon1 = line.find(':');
        if (colon1 == std::string_view::npos) continue;
        const std::size_t colon2 = line.find(':', colon1 + 1);
        if (colon2 == std::string_view::npos) continue;
        const std::string_view id = line.substr(0, colon1);
        const std::string_view controllers = line.substr(colon1 + 1, colon2 - colon1 - 1);
        const std::string_view path = line.substr(colon2 + 1);
        if (controller.empty()) {
            if (id == "0" && controllers.empty()) return path;
            continue;
        }
        std::size_t j = 0;
        while (j <= controllers.size()) {
            std::size_t comma = controllers.find(',', j);
            if (comma == std::string_view::npos) comma = controllers.size();
            if (controllers.substr(j, comma - j) == controller) return path;
            j = comma + 1;
        }
    }
    return std::nullopt;
}

}  // namespace

namespace detail {

unsigned cgroup_cpu_limit(const std::string& cgroup_root, std::string_view proc_self_cgroup) {
    if (const auto path = cgroup_path(proc_self_cgroup, "")) {
        if (const unsigned limit = walk(cgroup_root, *path, read_cpu_max)) return limit;
    }
    const std::string_view v1_path = cgroup_path(proc_self_cgroup, "cpu").value_or("/");
    unsigned limit = 0;
    for (const char* mount : {"/cpu", "/cpu,cpuacct", "/cpuacct,cpu"}) {
        limit = tighter(limit, walk(cgroup_root + mount, v1_path, read_cfs_quota));
    }
    return limit;
}

unsigned affinity_cpus() {
    struct Free {
        void operator()(cpu_set_t* set) const { CPU_FREE(set); }
    };
    // Start at 1024 CPUs and double while the kernel's mask is larger.
    for (std::size_t ncpus = 1024; ncpus <= (std::size_t{1} << 22); ncpus *= 2) {
        const std::unique_ptr<cpu_set_t, Free> set(CPU_ALLOC(ncpus));
        if (!set) throw std::bad_alloc();
        const std::size_t size = CPU_ALLOC_SIZE(ncpus);
        CPU_ZERO_S(size, set.get());
        if (sched_getaffinity(0, size, set.get()) == 0) {
            return static_cast<unsigned>(CPU_COUNT_S(size, set.get()));
        }
        if (errno != EINVAL) return 0;
    }
    return 0;
}

}  // namespace detail

unsigned usable_cpus() {
    unsigned cpus = detail::affinity_cpus();
    if (cpus == 0) {
        const long online = sysconf(_SC_NPROCESSORS_ONLN);
        cpus = online > 0 ? static_cast<unsigned>(online) : 1;
    }
    const std::string self = read_file("/proc/self/cgroup").value_or("");
    cpus = tighter(cpus, detail::cgroup_cpu_limit("/sys/fs/cgroup", self));
    return std::max(cpus, 1u);
}

namespace {

// `spec` for an error message: control bytes as \xNN, so it stays one line.
std::string printable(std::string_view spec) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (char c : spec) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::size_t parse_jobs(std::string_view spec, unsigned cpus) {
    constexpr std::uint64_t kMaxJobs = 1'000'000;
    auto error = [spec](std::string_view why) {
        return JobsError("invalid jobs value '" + printable(spec) + "': " + std::string(why));
    };

    enum class Form { Count, Percent, Plus, Minus } form = Form::Count;
    std::string_view digits = spec;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
        form = digits.front() == '+' ? Form::Plus : Form::Minus;
        digits.remove_prefix(1);
    } else if (!digits.empty() && digits.back() == '%') {
        form = Form::Percent;
        digits.remove_suffix(1);
    }
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) {
        throw error("expected N, N%, +N or -N with N a whole number");
    }
    std::uint64_t n = 0;
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (parsed.ec != std::errc() || n > kMaxJobs) throw error("more than 1000000");

    std::uint64_t jobs = 0;
    switch (form) {
    case Form::Count: return static_cast<std::size_t>(n);  // 0: no limit
    case Form::Percent: jobs = std::max<std::uint64_t>(n * cpus / 100, 1); break;
    case Form::Plus: jobs = std::max<std::uint64_t>(cpus + n, 1); break;
    case Form::Minus: jobs = cpus > n ? cpus - n : 1; break;
    }
    if (jobs > kMaxJobs) throw error("more than 1000000 jobs");
    return static_cast<std::size_t>(jobs);
}

}  // namespace wgrun
