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
    const std::uint64_t slots = std::max<std::uint64_t>(1, spec.slots);
    if (Host* known = find(spec.name)) {
        // Back in use; its number of slots may have changed. More than it
        // had: a new block (its old numbers stay its own).
        known->usable = true;
        known->failures = 0;
        known->spec.slots = std::min(slots, known->capacity);
        if (slots > known->capacity) {
            Host more;
            more.spec = {spec.name, slots - known->capacity};
            more.first = next_slot_;
            more.capacity = more.spec.slots;
            more.taken.assign(more.capacity, false);
            next_slot_ += more.capacity;
            hosts_.push_back(std::move(more));
        }
        return;
    }
    Host host;
    host.spec = {spec.name, slots};
    host.first = next_slot_;
    host.capacity = slots;
    host.taken.assign(slots, false);
    next_slot_ += slots;
    hosts_.push_back(std::move(host));
}

void HostSlots::remove(const std::string& name) {
    for (Host& host : hosts_) {
        if (host.spec.name == name) host.usable = false;
    }
}

std::vector<std::string> HostSlots::usable() const {
    std::vector<std::string> names;
    for (const Host& host : hosts_) {
        if (host.usable && std::find(names.begin(), names.end(), host.spec.name) == names.end()) {
            names.push_back(host.spec.name);
        }
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
    for (const Host& host : hosts_) {
        if (slot >= host.first && slot < host.first + host.capacity) return &host;
    }
    return nullptr;
}

HostSlots::Host* HostSlots::owner(std::uint64_t slot) {
    return const_cast<Host*>(static_cast<const HostSlots*>(this)->owner(slot));
}

std::optional<std::uint64_t> HostSlots::acquire() {
    // A host's blocks (added later with more slots) count together.
    Host* best = nullptr;
    double best_share = 0;
    for (Host& host : hosts_) {
        if (!host.usable || host.in_use >= host.spec.slots) continue;
        std::uint64_t in_use = 0;
        std::uint64_t slots = 0;
        for (const Host& same : hosts_) {
            if (same.spec.name != host.spec.name || !same.usable) continue;
            in_use += same.in_use;
            slots += same.spec.slots;
        }
        // A host whose last job lost its connection comes after every host
        // whose did not: a job it lost goes elsewhere when it can.
        const double share = static_cast<double>(in_use) / static_cast<double>(slots) +
                             (host.failures > 0 ? 2.0 : 0.0);
        if (best == nullptr || share < best_share) {
            best = &host;
            best_share = share;
        }
    }
    if (best == nullptr) return std::nullopt;
    std::uint64_t i = 0;
    while (best->taken[i]) ++i;
    best->taken[i] = true;
    ++best->in_use;
    return best->first + i;
}

void HostSlots::release(std::uint64_t slot) {
    Host* host = owner(slot);
    if (host == nullptr) return;
    const std::uint64_t i = slot - host->first;
    if (!host->taken[i]) return;
    host->taken[i] = false;
    --host->in_use;
}

std::string HostSlots::host(std::uint64_t slot) const {
    const Host* host = owner(slot);
    return host == nullptr ? std::string() : host->spec.name;
}

bool HostSlots::host_failed(std::uint64_t slot, const ExitStatus& status) {
    Host* owner_host = owner(slot);
    if (owner_host == nullptr) return false;
    const std::string name = owner_host->spec.name;
    const bool failed = lost_ && lost_(name, status);
    for (Host& host : hosts_) {
        if (host.spec.name != name) continue;
        if (!failed) {
            host.failures = 0;
            continue;
        }
        if (++host.failures >= max_failures_ && host.usable) {
            host.usable = false;
            if (notice_ && &host == owner_host) {
                notice_("wgrun: host " + name + " left out after " +
                        std::to_string(host.failures) + " failures in a row\n");
            }
        }
    }
    return failed;
}

bool HostSlots::exhausted() const {
    return std::none_of(hosts_.begin(), hosts_.end(), [](const Host& host) { return host.usable; });
}

}  // namespace wgrun
