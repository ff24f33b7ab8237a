// host_slots.hpp: job slots on named hosts (ssh logins, Slurm nodes): each
// host has its own number of slots, a job goes to the host with the fewest
// of its slots in use, and a host whose connection keeps failing is left out
// (its running jobs finish; it gets no new ones).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "schedule/slot_pool.hpp"

namespace wgrun {

struct HostSpec {
    std::string name;         // as reported (joblog's Host, WGRUN_HOST); ":" is this machine
    std::uint64_t slots = 1;  // jobs at once on it, at least 1
};

class HostSlots : public SlotPool {
public:
    /// True when an attempt on `host` that ended with `status` lost its
    /// connection (the host failed, not the job): asked by host_failed().
    using Lost = std::function<bool(const std::string& host, const ExitStatus& status)>;
    using Notice = std::function<void(const std::string& line)>;

    /// A host is left out after `max_failures` failures in a row (a job that
    /// ends on it without one starts the count again).
    HostSlots(std::vector<HostSpec> hosts, Lost lost, Notice notice = nullptr,
              unsigned max_failures = 3);

    /// A free slot of the host with the smallest share of its slots in use
    /// (the first such host on a tie), a host whose last attempt failed it
    /// only when no other has a free slot; its lowest free one; nothing when
    /// every usable host is full. Slot numbers are unique across hosts: each
    /// host owns the numbers it is given, for the whole run.
    std::optional<std::uint64_t> acquire() override;
    void release(std::uint64_t slot) override;
    std::string host(std::uint64_t slot) const override;
    bool host_failed(std::uint64_t slot, const ExitStatus& status) override;
    bool exhausted() const override;

    /// --slf edited mid-run: a host added (or one left out taken back, with
    /// `slots`), or one to take no more jobs (its running ones finish).
    void add(const HostSpec& host);
    void remove(const std::string& name);
    /// The hosts in use now, in the order they were added.
    std::vector<std::string> usable() const;

private:
    struct Host {
        HostSpec spec;                       // spec.slots: jobs at once on it now
        std::vector<std::uint64_t> numbers;  // its slot numbers, at least spec.slots
        std::vector<bool> taken;             // taken[i]: numbers[i] is in use
        std::uint64_t in_use = 0;
        unsigned failures = 0;  // in a row
        bool usable = true;
    };
    Host* owner(std::uint64_t slot);
    const Host* owner(std::uint64_t slot) const;
    Host* find(const std::string& name);

    std::vector<Host> hosts_;
    Lost lost_;
    Notice notice_;
    unsigned max_failures_;
    std::vector<std::size_t> owners_;  // owners_[slot - 1]: its host's index in hosts_
};

}  // namespace wgrun
