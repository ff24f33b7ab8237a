// slurm_allocation.cpp: SLURM_TASKS_PER_NODE and the node names, read.
#include "schedule/slurm_allocation.hpp"

#include <charconv>

namespace wgrun {
namespace {

constexpr std::uint64_t kMaxCount = 1'000'000;  // tasks on a node, or repeats

// A decimal count, 1 .. kMaxCount, all of `text`.
bool parse_count(std::string_view text, std::uint64_t& value) {
    if (text.empty() || text.front() == '+') return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value >= 1 &&
           value <= kMaxCount;
}

[[noreturn]] void bad_tasks(std::string_view text, std::string_view why) {
    throw SlurmAllocationError("SLURM_TASKS_PER_NODE '" + std::string(text) + "': " +
                               std::string(why));
}

}  // namespace

std::vector<std::uint64_t> parse_tasks_per_node(std::string_view text) {
    if (text.empty()) bad_tasks(text, "empty");
    std::vector<std::uint64_t> tasks;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma - start);
        std::uint64_t count = 0;
        std::uint64_t repeat = 1;
        const std::size_t open = item.find('(');
        if (open == std::string_view::npos) {
            if (!parse_count(item, count)) bad_tasks(text, "'" + std::string(item) + "' is not N or N(xR)");
        } else {
            const std::string_view times = item.substr(open + 1);
            if (!parse_count(item.substr(0, open), count) || !times.starts_with('x') ||
                !times.ends_with(')') || !parse_count(times.substr(1, times.size() - 2), repeat)) {
                bad_tasks(text, "'" + std::string(item) + "' is not N or N(xR)");
            }
        }
        if (tasks.size() + repeat > kMaxCount) bad_tasks(text, "too many nodes");
        tasks.insert(tasks.end(), repeat, count);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return tasks;
}

std::vector<std::string> parse_hostnames(std::string_view text) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        const std::size_t first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos) {
            line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
            names.emplace_back(line);
        }
        start = end + 1;
    }
    return names;
}

std::vector<HostSpec> allocation_hosts(const std::vector<std::string>& nodes,
                                       const std::vector<std::uint64_t>& tasks) {
    if (nodes.empty()) throw SlurmAllocationError("the allocation's node list names no node");
    if (nodes.size() != tasks.size()) {
        throw SlurmAllocationError("the allocation has " + std::to_string(nodes.size()) +
                                   " node" + (nodes.size() == 1 ? "" : "s") +
                                   " but SLURM_TASKS_PER_NODE counts " +
                                   std::to_string(tasks.size()));
    }
    std::vector<HostSpec> hosts;
    hosts.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) hosts.push_back({nodes[i], tasks[i]});
    return hosts;
}

}  // namespace wgrun
