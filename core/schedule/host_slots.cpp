// host_slots.cpp: slots on named hosts, the least loaded first.
#include "schedule/host_slots.hpp"

#include <algorithm>

namespace wgrun {

HostSlots::HostSlots(std::vector<HostSpec> hosts, Lost lost, Notice notice,
                     unsigned max_failures)
    : lost_(std::move(lost)), notice_(std::move(notice)), max_failures_(std::max(1u, max_failures)) {
    for (const HostSpec& host : hosts) add(host);
}

void HostSlots::add(const HostSpec& spec) {
    Host* host = find(spec.name);
    if (host == nullptr) {
        hosts_.emplace_back().spec.name = spec.name;
        host = &hosts_.back();
    }
    // Back in use if it was not; more slots than it had: new numbers (its
    // old ones stay its own).
    host->usable = true;
    host->failures = 0;
    host->spec.slots = std::max<std::uint64_t>(1, spec.slots);
    while (host->numbers.size() < host->spec.slots) {
        owners_.push_back(static_cast<std::size_t>(host - hosts_.data()));
        host->numbers.push_back(owners_.size());
        host->taken.push_back(false);
    }
}

void HostSlots::remove(const std::string& name) {
    if (Host* host = find(name)) host->usable = false;
}

std::vector<std::string> HostSlots::usable() const {
    std::vector<std::string> names;
    for (const Host& host : hosts_) {
        if (host.usable) names.push_back(host.spec.name);
    }
    return names;
}

HostSlots::Host* HostSlots::find(const std::string& name) {
    for (Host& host : hosts_) {
        if (host.spec.name == name) return &host;
    }
    return nullptr;
}

const HostSlots::Host* HostSlots::owner(std::uint64_t slot) const {
    return slot >= 1 && slot <= owners_.size() ? &hosts_[owners_[slot - 1]] : nullptr;
}

HostSlots::Host* HostSlots::owner(std::uint64_t slot) {
    return const_cast<Host*>(static_cast<const HostSlots*>(this)->owner(slot));
}

std::optional<std::uint64_t> HostSlots::acquire() {
    Host* best = nullptr;
    double best_share = 0;
    for (Host& host : hosts_) {
        if (!host.usable || host.in_use >= host.spec.slots) continue;
        // A host whose last job lost its connection comes after every host
        // whose did not: a job it lost goes elsewhere when it can.
        const double share = static_cast<double>(host.in_use) / static_cast<double>(host.spec.slots) +
                             (host.failures > 0 ? 2.0 : 0.0);
        if (best == nullptr || share < best_share) {
            best = &host;
            best_share = share;
        }
    }
    if (best == nullptr) return std::nullopt;
    std::size_t i = 0;
    while (best->taken[i]) ++i;
    best->taken[i] = true;
    ++best->in_use;
    return best->numbers[i];
}

void HostSlots::release(std::uint64_t slot) {
    Host* host = owner(slot);
    if (host == nullptr) return;
    const auto at = std::find(host->numbers.begin(), host->numbers.end(), slot);
    const auto i = static_cast<std::size_t>(at - host->numbers.begin());
    if (!host->taken[i]) return;
    host->taken[i] = false;
    --host->in_use;
}

std::string HostSlots::host(std::uint64_t slot) const {
    const Host* host = owner(slot);
    return host == nullptr ? std::string() : host->spec.name;
}

bool HostSlots::host_failed(std::uint64_t slot, const ExitStatus& status) {
    Host* host = owner(slot);
    if (host == nullptr) return false;
    if (!lost_ || !lost_(host->spec.name, status)) {
        host->failures = 0;
        return false;
    }
    if (++host->failures >= max_failures_ && host->usable) {
        host->usable = false;
        if (notice_) {
            notice_("wgrun: host " + host->spec.name + " left out after " +
                    std::to_string(host->failures) + " failures in a row\n");
        }
    }
    return true;
}

bool HostSlots::exhausted() const {
    return std::none_of(hosts_.begin(), hosts_.end(), [](const Host& host) { return host.usable; });
}

}  // namespace wgrun
